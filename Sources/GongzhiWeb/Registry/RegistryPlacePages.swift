import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension HouseListPage: ResponseEncodable {}
extension HouseholdPage: ResponseEncodable {}

/// The registry's lists of houses (`/registry/houses`) and households (`/registry/households`), each with its search
/// box and use filter, and the same reads in the API (`/api/v1/houses?q=`, `/api/v1/households?q=`), inside the
/// reader's jurisdiction (issue 12).
struct RegistryPlacePages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    static let houses = "/registry/houses"
    static let households = "/registry/households"

    /// The list's filter from the query string (`q`, `use`, `building`, `before` or `cursor`).
    static func filter(_ request: Request, limit: Int) throws -> PlaceFilter {
        let params = request.uri.queryParameters
        var f = PlaceFilter()
        f.query = String((params["q"].map(String.init) ?? "").prefix(60))
        if let raw = params["use"].map(String.init), !raw.isEmpty {
            guard let use = HouseUse(rawValue: raw) else {
                throw DomainError.invalid("house_use_unknown", field: "use", args: [raw])
            }
            f.use = use
        }
        if let raw = params["building"].map(String.init), !raw.isEmpty {
            guard let building = Int64(raw) else { throw DomainError.invalid("building_unknown", field: "building") }
            f.buildingID = building
        }
        f.before = (params["before"] ?? params["cursor"]).flatMap { Int64(String($0)) }
        f.limit = limit
        return f
    }

    static func limit(_ request: Request) -> Int {
        min(200, max(1, Int(request.uri.queryParameters["limit"].map(String.init) ?? "50") ?? 50))
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.houses)) { request, context in try await list(request, context, households: false) }
        pages.get(RouterPath(Self.households)) { request, context in
            try await list(request, context, households: true)
        }
        api.get("/houses") { request, context in
            try await store.houses(
                try Self.filter(request, limit: Self.limit(request)), for: try context.requireActor())
        }
        api.get("/households") { request, context in
            try await store.households(
                try Self.filter(request, limit: Self.limit(request)), for: try context.requireActor())
        }
    }

    func list(_ request: Request, _ context: AppRequestContext, households: Bool) async throws -> Response {
        let actor = try context.requireActor()
        let words = { (key: String) in views.t(key, context) }
        var data: [String: Any] = [:]
        var status = HTTPResponse.Status.ok
        var f = PlaceFilter()
        var cursor: String?
        do {
            f = try Self.filter(request, limit: 50)
            if households {
                let page = try await store.households(f, for: actor)
                data["households"] = page.items.map { RegistryPlaceViews.household($0, words) }
                data["has_items"] = !page.items.isEmpty
                cursor = page.nextCursor
            } else {
                let page = try await store.houses(f, for: actor)
                data["houses"] = page.items.map { RegistryPlaceViews.house($0, words) }
                data["has_items"] = !page.items.isEmpty
                cursor = page.nextCursor
            }
        } catch let error as DomainError where error.kind == .invalid {
            data.merge(views.formErrors(error, context)) { _, new in new }
            status = .unprocessableContent
        }
        let path = households ? Self.households : Self.houses
        data["q"] = f.query
        data["action"] = path
        data["uses"] = HouseUse.allCases.map {
            ["value": $0.rawValue, "label": words("house_use_\($0.rawValue)"), "selected": $0 == f.use]
        }
        data["filtered"] = !f.query.isEmpty || f.use != nil || f.buildingID != nil
        data["building"] = f.buildingID.map(String.init) ?? ""
        if let cursor {
            var parts = ["before=\(cursor)"]
            if !f.query.isEmpty {
                parts.append("q=" + (f.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let use = f.use { parts.append("use=\(use.rawValue)") }
            if let building = f.buildingID { parts.append("building=\(building)") }
            data["older_href"] = path + "?" + parts.joined(separator: "&")
        }
        if households {
            let communities = try await RegistryPages(services: services).exportCommunities(actor)
            data["export_communities"] = communities
            data["can_export"] = !communities.isEmpty
            data["use"] = f.use?.rawValue ?? ""
        } else if RegistryPolicy.holdsAnywhere(.export, actor) {
            var parts: [String] = []
            if !f.query.isEmpty {
                parts.append("q=" + (f.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let use = f.use { parts.append("use=\(use.rawValue)") }
            if let building = f.buildingID { parts.append("building=\(building)") }
            let base = RegistryExportPages.path + "/houses?" + parts.map { $0 + "&" }.joined()
            data["export_csv_href"] = base + "format=csv"
            data["export_gb_href"] = base + "encoding=gb18030"
            data["export_xlsx_href"] = base + "format=xlsx"
        }
        let template = households ? "registry/households" : "registry/houses"
        let title = words(households ? "households_title" : "houses_title")
        return views.page(template, context, title: title, data: data, status: status, section: "registry")
    }
}

/// The rows of the house and household lists.
enum RegistryPlaceViews {
    static func house(_ item: HouseListItem, _ t: (String) -> String) -> [String: Any] {
        [
            "href": RegistryURL.house(item.house.id).path, "building": item.building,
            "building_href": RegistryURL.building(item.house.buildingID).path, "label": item.house.label,
            "floor": item.house.floor.map(String.init) ?? "", "use": t("house_use_\(item.house.use.rawValue)"),
            "area": item.house.areaText ?? "", "residents": item.residents,
        ]
    }

    static func household(_ item: HouseholdSummary, _ t: (String) -> String) -> [String: Any] {
        var row: [String: Any] = [
            "number": item.number, "building": item.building ?? "", "house": item.house ?? "",
            "head": item.head ?? "", "members": item.members, "has_head": item.headID != nil,
            "has_house": item.houseID != nil,
        ]
        if let head = item.headID { row["head_href"] = RegistryURL.person(head).path }
        if let house = item.houseID { row["house_href"] = RegistryURL.house(house).path }
        return row
    }
}
