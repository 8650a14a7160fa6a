import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension FacilityPage: ResponseEncodable {}
extension FacilityDetail: ResponseEncodable {}
extension FacilityOutcome: ResponseEncodable {}

/// The registry's public facilities (部件, `/registry/facilities`): the list with its search, class and state
/// filters, a facility's page with the cases about it, and the form to register or edit one; the API under
/// `/api/v1/facilities` calls the same writer, `RegistryCommands.perform(_:facility:_:)`.
struct RegistryFacilityPages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    var commands: RegistryCommands { RegistryCommands(db: services.db, clock: services.clock) }
    static let list = "/registry/facilities"
    static func path(_ id: Int64) -> String { "\(list)/\(id)" }

    func filter(_ request: Request, limit: Int) throws -> FacilityFilter {
        let params = request.uri.queryParameters
        var f = FacilityFilter()
        f.query = String((params["q"].map(String.init) ?? "").prefix(60))
        if let raw = params["class"].map(String.init), !raw.isEmpty {
            guard ComponentClass.named(raw) != nil else {
                throw DomainError.invalid("facility_class_unknown", field: "class", args: [raw])
            }
            f.classCode = raw
        }
        if let raw = params["state"].map(String.init), !raw.isEmpty {
            guard let state = FacilityState(rawValue: raw) else {
                throw DomainError.invalid("facility_state_unknown", field: "state", args: [raw])
            }
            f.state = state
        }
        f.before = (params["before"] ?? params["cursor"]).flatMap { Int64(String($0)) }
        f.limit = limit
        return f
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.list)) { request, context in try await listPage(request, context) }
        pages.get(RouterPath(Self.list + "/new")) { _, context in
            try await formPage(context, form: FacilityForm(), id: nil)
        }
        pages.post(RouterPath(Self.list)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let input = (try? form.decode(FacilityForm.self)) ?? FacilityForm()
            do {
                let outcome = try await commands.perform(actor, facility: nil, .create(try input.draft()))
                return Response.redirect(to: Self.path(outcome.id))
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(
                    context, form: input, id: nil, errors: views.formErrors(error, context),
                    status: .unprocessableContent)
            }
        }
        pages.get(RouterPath(Self.list + "/:id")) { _, context in
            try await detailPage(context, id: try context.parameters.require("id", as: Int64.self))
        }
        pages.get(RouterPath(Self.list + "/:id/edit")) { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let detail = try await store.facility(id, for: actor)
            guard detail.capabilities.contains(.edit) else { throw DomainError.forbidden }
            return try await formPage(context, form: detail.form, id: id, version: detail.version)
        }
        pages.post(RouterPath(Self.list + "/:id/edit")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.facility(id, for: actor)
            let form = try await Form.read(request, context)
            let input = (try? form.decode(FacilityForm.self)) ?? FacilityForm()
            let version = form.int("version").map(Int.init)
            do {
                try await commands.perform(actor, facility: id, .edit(try input.draft()), expectedVersion: version)
                return Response.redirect(to: Self.path(id))
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(
                    context, form: input, id: id, version: version, errors: views.formErrors(error, context),
                    status: .unprocessableContent)
            }
        }

        api.get("/facilities") { request, context in
            let limit = min(200, max(1, Int(request.uri.queryParameters["limit"].map(String.init) ?? "50") ?? 50))
            return try await store.facilities(try filter(request, limit: limit), for: try context.requireActor())
        }
        api.post("/facilities") { request, context in
            let input = try await request.decodeInput(FacilityForm.self, context: context)
            let outcome = try await commands.perform(
                try context.requireActor(), facility: nil, .create(try input.draft()))
            var response = try EditedResponse(status: .created, response: outcome).response(
                from: request, context: context)
            response.headers[.eTag] = "\"\(outcome.version)\""
            response.headers[.location] = "/api/v1/facilities/\(outcome.id)"
            return response
        }
        api.get("/facilities/:id") { request, context in
            let detail = try await store.facility(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = try detail.response(from: request, context: context)
            response.headers[.eTag] = "\"\(detail.version)\""
            return response
        }
        api.post("/facilities/:id/edit") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.facility(id, for: actor)
            let input = try await request.decodeInput(FacilityForm.self, context: context)
            let outcome = try await commands.perform(
                actor, facility: id, .edit(try input.draft()), expectedVersion: request.ifMatchVersion)
            var response = try outcome.response(from: request, context: context)
            response.headers[.eTag] = "\"\(outcome.version)\""
            return response
        }
    }

    func listPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let words = { (key: String) in views.t(key, context) }
        var data: [String: Any] = [:]
        var status = HTTPResponse.Status.ok
        var page = FacilityPage(items: [], nextCursor: nil)
        var f = FacilityFilter()
        do {
            f = try filter(request, limit: 50)
            page = try await store.facilities(f, for: actor)
        } catch let error as DomainError where error.kind == .invalid {
            data = views.formErrors(error, context)
            status = .unprocessableContent
        }
        data["facilities"] = page.items.map { RegistryFacilityViews.summary($0, words) }
        data["has_facilities"] = !page.items.isEmpty
        data["q"] = f.query
        data["classes"] = RegistryFacilityViews.classChoices(f.classCode ?? "", words)
        data["states"] = FacilityState.allCases.map {
            ["value": $0.rawValue, "label": words("facility_state_\($0.rawValue)"), "selected": $0 == f.state]
        }
        data["can_create"] = RegistryPolicy.holdsAnywhere(.edit, actor)
        if let cursor = page.nextCursor {
            var parts = ["before=\(cursor)"]
            if !f.query.isEmpty {
                parts.append("q=" + (f.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let code = f.classCode { parts.append("class=\(code)") }
            if let state = f.state { parts.append("state=\(state.rawValue)") }
            data["older_href"] = Self.list + "?" + parts.joined(separator: "&")
        }
        if RegistryPolicy.holdsAnywhere(.export, actor) {
            var parts: [String] = []
            if !f.query.isEmpty {
                parts.append("q=" + (f.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let code = f.classCode { parts.append("class=\(code)") }
            if let state = f.state { parts.append("state=\(state.rawValue)") }
            let base = RegistryExportPages.path + "/facilities?" + parts.map { $0 + "&" }.joined()
            data["export_csv_href"] = base + "format=csv"
            data["export_gb_href"] = base + "encoding=gb18030"
            data["export_xlsx_href"] = base + "format=xlsx"
        }
        return views.page(
            "registry/facilities", context, title: views.t("facilities_title", context), data: data, status: status,
            section: "registry")
    }

    func detailPage(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let actor = try context.requireActor()
        let detail = try await store.facility(id, for: actor)
        var filter = CaseFilter(scope: .area)
        filter.facilityID = id
        filter.limit = 50
        // Cases inside the reader's case areas; a reader without one sees the facility without its cases.
        var cases: [Case] = []
        do {
            cases = try await CaseStore(db: services.db).list(filter, for: actor, now: services.clock.now())
        } catch let error as DomainError where error.isRefusal {}
        var data: [String: Any] = [:]
        data["page"] = RegistryFacilityViews.detail(detail) { views.t($0, context) }
        data["cases"] = cases.map {
            [
                "href": "/cases/\($0.id)", "number": $0.number, "title": $0.title,
                "status": views.t("case_status_\($0.status.rawValue)", context),
                "created": DateText.format($0.createdAt, context.language),
            ]
        }
        data["has_cases"] = !cases.isEmpty
        let f = detail.summary
        return views.page(
            "registry/facility", context,
            title:
                "\(RegistryFacilityViews.className(f.facility.classCode, f.className) { views.t($0, context) }) \(f.facility.code)",
            data: data, section: "registry")
    }

    func formPage(
        _ context: AppRequestContext, form: FacilityForm, id: Int64?, version: Int? = nil,
        errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let nodes = try await RegistryOrganisationPages(services: services).nodeChoices(actor, selected: form.node)
        guard !nodes.isEmpty else { throw DomainError.forbidden }
        var data = errors
        data["form"] = RegistryFacilityViews.form(form, nodes: nodes, errors: errors) { views.t($0, context) }
        data["action"] = id.map { Self.path($0) + "/edit" } ?? Self.list
        data["version"] = version.map(String.init) ?? ""
        data["cancel_href"] = id.map(Self.path) ?? Self.list
        let title = views.t(id == nil ? "facility_new_title" : "facility_edit_title", context)
        return views.page(
            "registry/facility_form", context, title: title, data: data, status: status, section: "registry")
    }
}

/// The facilities' page models.
enum RegistryFacilityViews {
    typealias Words = (String) -> String

    static func classChoices(_ selected: String, _ w: Words) -> [[String: Any]] {
        ComponentMajorClass.allCases.map { major in
            [
                "label": "\(major.rawValue) \(major.chineseName)",
                "classes": ComponentClass.table.filter { $0.major == major }.map {
                    [
                        "value": $0.code, "label": "\($0.code) \(className($0.code, $0.name, w))",
                        "selected": $0.code == selected,
                    ]
                },
            ]
        }
    }

    /// A small class's name in the reader's language (`facility_class_<code>`), or as stored for a code the locale
    /// does not know.
    static func className(_ code: String, _ stored: String, _ w: Words) -> String {
        let key = "facility_class_\(code)"
        let name = w(key)
        return name == key ? stored : name
    }

    static func summary(_ s: FacilitySummary, _ w: Words) -> [String: Any] {
        let f = s.facility
        return [
            "href": RegistryFacilityPages.path(f.id), "code": f.code,
            "class_name": className(f.classCode, s.className, w),
            "class_code": f.classCode, "state": w("facility_state_\(f.state.rawValue)"),
            "damaged": f.state != .inUse, "node": s.nodeName, "note": f.note,
            "point": String(format: "%.6f, %.6f", f.latitude, f.longitude),
        ]
    }

    static func detail(_ d: FacilityDetail, _ w: Words) -> [String: Any] {
        [
            "facility": summary(d.summary, w), "can_edit": d.capabilities.contains(.edit), "version": d.version,
            "edit_href": RegistryFacilityPages.path(d.summary.facility.id) + "/edit",
        ]
    }

    static func form(
        _ form: FacilityForm, nodes: [RegistryViews.Choice], errors: [String: Any], _ w: Words
    ) -> [String: Any] {
        func field(_ name: String, _ value: String?, max: Int, hint: String = "", mode: String = "") -> FormField {
            FormField.text(
                name, label: w("facility_field_\(name)"), value: value ?? "", hint: hint, errors: errors,
                maxLength: max, inputMode: mode)
        }
        return [
            "code": field("code", form.code, max: 32, hint: w("facility_hint_code")),
            "note": field("note", form.note, max: 200),
            "lat": field("lat", form.lat, max: 20, hint: w("facility_hint_point"), mode: "decimal"),
            "lng": field("lng", form.lng, max: 20, mode: "decimal"),
            "classes": classChoices(form.classCode ?? "", w),
            "states": FacilityState.allCases.map {
                [
                    "value": $0.rawValue, "label": w("facility_state_\($0.rawValue)"),
                    "selected": $0.rawValue == (form.state ?? FacilityState.inUse.rawValue),
                ]
            },
            "nodes": nodes.map(\.dictionary),
        ]
    }
}
