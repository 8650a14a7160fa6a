import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension RegistryExport: ResponseEncodable {}

/// Exports of registry lists (`/registry/exports`): asked for from a filtered list with a reason, approved or
/// refused by a second person, downloaded once by the one who asked. The API has the same steps under
/// `/api/v1/registry/exports`.
struct RegistryExportPages {
    let services: AppServices
    var views: Views { services.views }
    var exports: RegistryExports { RegistryExports(db: services.db, clock: services.clock) }
    static let path = "/registry/exports"
    /// The file name's time, as the stamp line's, in the viewer's default zone.
    static var fileStamp: DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f
    }

    /// An export asked for: the list (`kind`: people, the default, households or organisations) and its filters as
    /// the list's query string names them (`organisation_kind` for the organisations' kind).
    struct RequestInput: Decodable, Sendable {
        var community: LooseInt?
        var reason: String?
        var kind: String?
        var q: String?
        var tag: String?
        var residence: String?
        var building: String?
        var movedOut: String?
        var use: String?
        var organisationKind: String?
        var closed: String?
        enum CodingKeys: String, CodingKey {
            case community, reason, kind, q, tag, residence, building, use, closed
            case movedOut = "moved_out"
            case organisationKind = "organisation_kind"
        }
        func list() throws -> RegistryExportList {
            switch kind ?? "" {
            case "", "people":
                var params: [String: String] = [:]
                params["q"] = q
                params["tag"] = tag
                params["residence"] = residence
                params["building"] = building
                params["moved_out"] = movedOut
                return .people(try PersonQuery(params).filter(limit: 200))
            case "households":
                var f = PlaceFilter()
                f.query = String((q ?? "").prefix(60))
                if let raw = use, !raw.isEmpty {
                    guard let value = HouseUse(rawValue: raw) else {
                        throw DomainError.invalid("house_use_unknown", field: "use", args: [raw])
                    }
                    f.use = value
                }
                if let raw = building, !raw.isEmpty {
                    guard let value = Int64(raw) else {
                        throw DomainError.invalid("building_unknown", field: "building")
                    }
                    f.buildingID = value
                }
                return .households(f)
            case "organisations":
                var f = OrganisationFilter()
                f.query = String((q ?? "").prefix(60))
                if let raw = organisationKind, !raw.isEmpty {
                    guard let value = OrganisationKind(rawValue: raw) else {
                        throw DomainError.invalid("organisation_kind_unknown", field: "organisation_kind", args: [raw])
                    }
                    f.kind = value
                }
                f.includeClosed = closed == "1" || closed == "true"
                return .organisations(f)
            case let other:
                throw DomainError.invalid("export_kind_unknown", field: "kind", args: [other])
            }
        }
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { _, context in try await page(context) }
        pages.post(RouterPath(Self.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(RequestInput.self)
                guard let community = input.community?.value else {
                    throw DomainError.invalid("export_community_required", field: "community")
                }
                try await exports.request(
                    actor, communityID: community, list: try input.list(), reason: input.reason ?? "")
                return Response.redirect(to: Self.path)
            } catch let error as DomainError where error.kind == .invalid {
                return try await page(context, errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        for (step, approve) in [("approve", true), ("refuse", false)] {
            pages.post(RouterPath(Self.path + "/:id/\(step)")) { request, context in
                _ = try await Form.read(request, context)
                try await exports.decide(
                    try context.requireActor(), try context.parameters.require("id", as: Int64.self), approve: approve)
                return Response.redirect(to: Self.path)
            }
            api.post(RouterPath("/registry/exports/:id/\(step)")) { _, context in
                try await exports.decide(
                    try context.requireActor(), try context.parameters.require("id", as: Int64.self), approve: approve)
            }
        }
        for kind in ["houses", "facilities"] {
            pages.get(RouterPath(Self.path + "/\(kind)")) { request, context in
                try await direct(request, context, kind: kind)
            }
            api.get(RouterPath("/registry/exports/\(kind)")) { request, context in
                try await direct(request, context, kind: kind)
            }
        }
        pages.get(RouterPath(Self.path + "/:id/file")) { request, context in try await file(request, context) }
        api.get(RouterPath("/registry/exports/:id/file")) { request, context in try await file(request, context) }
        api.get("/registry/exports") { _, context in
            Page(items: try await exports.list(for: try context.requireActor()), nextCursor: nil)
        }
        api.post("/registry/exports") { request, context in
            let input = try await request.decodeInput(RequestInput.self, context: context)
            guard let community = input.community?.value else {
                throw DomainError.invalid("export_community_required", field: "community")
            }
            let export = try await exports.request(
                try context.requireActor(), communityID: community, list: try input.list(), reason: input.reason ?? "")
            return EditedResponse(status: .created, response: export)
        }
    }

    /// A list without personal data at once, with the list's own filters from the query string.
    func direct(_ request: Request, _ context: AppRequestContext, kind: String) async throws -> Response {
        let actor = try context.requireActor()
        let list: RegistryExportList =
            kind == "houses"
            ? .houses(try RegistryPlacePages.filter(request, limit: 1000))
            : .facilities(try RegistryFacilityPages(services: services).filter(request, limit: 200))
        let file = try await exports.direct(actor, list)
        let stamp = Self.fileStamp.string(from: services.clock.now())
        return try send(file, request, name: "registry-\(kind)-\(stamp)")
    }

    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let file = try await exports.download(try context.requireActor(), id)
        return try send(file, request, name: "registry-export-\(id)")
    }

    func send(_ file: RegistryExportFile, _ request: Request, name: String) throws -> Response {
        if request.uri.queryParameters["format"] == "xlsx" {
            return Response(
                status: .ok,
                headers: [
                    .contentType: XLSXWriter.contentType,
                    .contentDisposition: "attachment; filename=\"\(name).xlsx\"",
                    .cacheControl: "no-store",
                ], body: .init(byteBuffer: ByteBuffer(bytes: try file.workbook())))
        }
        return CSVEncoding(query: request.uri.queryParameters["encoding"]).response(
            file.csv, filename: "\(name).csv")
    }

    func page(
        _ context: AppRequestContext, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let list = try await exports.list(for: actor)
        let w = { (key: String) in views.t(key, context) }
        var data = errors
        data["exports"] = list.map { e in
            [
                "id": e.id, "community": e.community, "requester": e.requester, "reason": e.reason,
                "status": w("export_status_\(e.status.rawValue)"), "decider": e.decider ?? "",
                "rows": e.rowCount.map(String.init) ?? "", "at": DateText.format(e.createdAt, context.language),
                "filter": Self.filterText(e, w), "kind": w("export_kind_\(e.kind.rawValue)"),
                "may_decide": e.mayDecide, "may_download": e.mayDownload,
                "approve_href": "\(Self.path)/\(e.id)/approve", "refuse_href": "\(Self.path)/\(e.id)/refuse",
                "file_href": "\(Self.path)/\(e.id)/file", "file_gb_href": "\(Self.path)/\(e.id)/file?encoding=gb18030",
                "file_xlsx_href": "\(Self.path)/\(e.id)/file?format=xlsx",
            ] as [String: Any]
        }
        data["has_exports"] = !list.isEmpty
        return views.page(
            "registry/exports", context, title: views.t("export_title", context), data: data, status: status,
            section: "registry")
    }

    /// The export's filters in words.
    static func filterText(_ e: RegistryExport, _ w: (String) -> String) -> String {
        var parts: [String] = []
        switch e.kind {
        case .households:
            parts = [e.places?.query ?? "", e.places?.use.map { w("house_use_\($0.rawValue)") } ?? ""]
        case .organisations:
            parts = [
                e.organisations?.query ?? "", e.organisations?.kind.map { w("organisation_kind_\($0.rawValue)") } ?? "",
            ]
        default:
            parts = [
                e.filter.query, e.filter.tag.map { w("person_tag_\($0.rawValue)") } ?? "",
                e.filter.residence.map { w("residence_status_\($0.rawValue)") } ?? "",
            ]
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
