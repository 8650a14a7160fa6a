import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension OrganisationPage: ResponseEncodable {}
extension OrganisationDetail: ResponseEncodable {}
extension OrganisationOutcome: ResponseEncodable {}
extension OrganisationContact: ResponseEncodable {}

/// A contact's full view: which one (from 1) and why.
struct ContactRevealInput: Decodable, Sendable {
    var contact: LooseInt?
    var reason: String?
}

/// The registry's organisations (`/registry/organisations`): the list with its name search and kind filter, an
/// organisation's page, the form to register or edit one, and closing; the API under `/api/v1/organisations` calls the
/// same writer, `RegistryCommands.perform(_:organisation:_:)`.
struct RegistryOrganisationPages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    var commands: RegistryCommands { RegistryCommands(db: services.db, clock: services.clock) }
    static let list = "/registry/organisations"
    static func path(_ id: Int64) -> String { "\(list)/\(id)" }

    func filter(_ request: Request, limit: Int) throws -> OrganisationFilter {
        let params = request.uri.queryParameters
        var f = OrganisationFilter()
        f.query = String((params["q"].map(String.init) ?? "").prefix(60))
        if let raw = params["kind"].map(String.init), !raw.isEmpty {
            guard let kind = OrganisationKind(rawValue: raw) else {
                throw DomainError.invalid("organisation_kind_unknown", field: "kind", args: [raw])
            }
            f.kind = kind
        }
        f.includeClosed = params["closed"] == "1" || params["closed"] == "true"
        f.before = (params["before"] ?? params["cursor"]).flatMap { Int64(String($0)) }
        f.limit = limit
        return f
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.list)) { request, context in try await listPage(request, context) }
        pages.get(RouterPath(Self.list + "/new")) { _, context in
            try await formPage(context, form: OrganisationForm(), id: nil)
        }
        pages.post(RouterPath(Self.list)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let input = (try? form.decode(OrganisationForm.self)) ?? OrganisationForm()
            do {
                let outcome = try await commands.perform(actor, organisation: nil, .create(try input.draft()))
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
            let detail = try await store.organisation(id, for: actor)
            guard detail.capabilities.contains(.edit), !detail.summary.organisation.closed else {
                throw DomainError.forbidden
            }
            return try await formPage(context, form: detail.form, id: id, version: detail.version)
        }
        pages.post(RouterPath(Self.list + "/:id/edit")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.organisation(id, for: actor)
            let form = try await Form.read(request, context)
            let input = (try? form.decode(OrganisationForm.self)) ?? OrganisationForm()
            let version = form.int("version").map(Int.init)
            do {
                try await commands.perform(
                    actor, organisation: id, .edit(try input.draft()), expectedVersion: version)
                return Response.redirect(to: Self.path(id))
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(
                    context, form: input, id: id, version: version, errors: views.formErrors(error, context),
                    status: .unprocessableContent)
            }
        }
        pages.post(RouterPath(Self.list + "/:id/reveal")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.organisation(id, for: actor)
            let form = try await Form.read(request, context)
            do {
                let number = Int(form.int("contact") ?? 0)
                let contact = try await store.revealContact(
                    id, number: number, for: actor, reason: form["reason"], clock: services.clock)
                var response = try await detailPage(context, id: id, revealed: contact)
                // The full view is for this screen only: not cached, not kept in the history's copies.
                response.headers[.cacheControl] = "no-store"
                return response
            } catch let error as DomainError where error.kind == .invalid {
                return try await detailPage(
                    context, id: id, errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        pages.post(RouterPath(Self.list + "/:id/close")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.organisation(id, for: actor)
            let form = try await Form.read(request, context)
            do {
                try await commands.perform(
                    actor, organisation: id, .close, expectedVersion: form.int("version").map(Int.init))
                return Response.redirect(to: Self.path(id))
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await detailPage(
                    context, id: id, errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }

        api.get("/organisations") { request, context in
            let limit = min(200, max(1, Int(request.uri.queryParameters["limit"].map(String.init) ?? "50") ?? 50))
            return try await store.organisations(try filter(request, limit: limit), for: try context.requireActor())
        }
        api.post("/organisations") { request, context in
            let input = try await request.decodeInput(OrganisationForm.self, context: context)
            let outcome = try await commands.perform(
                try context.requireActor(), organisation: nil, .create(try input.draft()))
            var response = try EditedResponse(status: .created, response: outcome).response(
                from: request, context: context)
            response.headers[.eTag] = "\"\(outcome.version)\""
            response.headers[.location] = "/api/v1/organisations/\(outcome.id)"
            return response
        }
        api.get("/organisations/:id") { request, context in
            let detail = try await store.organisation(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = try detail.response(from: request, context: context)
            response.headers[.eTag] = "\"\(detail.version)\""
            return response
        }
        api.post("/organisations/:id/reveal") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.organisation(id, for: actor)
            let input = try await request.decodeInput(ContactRevealInput.self, context: context)
            var response = try await store.revealContact(
                id, number: Int(input.contact?.value ?? 0), for: actor, reason: input.reason ?? "",
                clock: services.clock
            ).response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        for step in ["edit", "close"] {
            api.post(RouterPath("/organisations/:id/\(step)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                _ = try await store.organisation(id, for: actor)
                let command: OrganisationCommand =
                    step == "edit"
                    ? .edit(try await request.decodeInput(OrganisationForm.self, context: context).draft()) : .close
                let outcome = try await commands.perform(
                    actor, organisation: id, command, expectedVersion: request.ifMatchVersion)
                var response = try outcome.response(from: request, context: context)
                response.headers[.eTag] = "\"\(outcome.version)\""
                return response
            }
        }
    }

    func listPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let words = { (key: String) in views.t(key, context) }
        var data: [String: Any] = [:]
        var status = HTTPResponse.Status.ok
        var page = OrganisationPage(items: [], nextCursor: nil)
        var f = OrganisationFilter()
        do {
            f = try filter(request, limit: 50)
            page = try await store.organisations(f, for: actor)
        } catch let error as DomainError where error.kind == .invalid {
            data = views.formErrors(error, context)
            status = .unprocessableContent
        }
        data["organisations"] = page.items.map { RegistryOrganisationViews.summary($0, words) }
        data["has_organisations"] = !page.items.isEmpty
        data["q"] = f.query
        data["closed"] = f.includeClosed
        data["kinds"] = OrganisationKind.allCases.map {
            [
                "value": $0.rawValue, "label": words("organisation_kind_\($0.rawValue)"), "selected": $0 == f.kind,
            ]
        }
        data["can_create"] = RegistryPolicy.holdsAnywhere(.edit, actor)
        if let cursor = page.nextCursor {
            var parts = ["before=\(cursor)"]
            if !f.query.isEmpty {
                parts.append("q=" + (f.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if let kind = f.kind { parts.append("kind=\(kind.rawValue)") }
            if f.includeClosed { parts.append("closed=1") }
            data["older_href"] = Self.list + "?" + parts.joined(separator: "&")
        }
        let communities = try await RegistryPages(services: services).exportCommunities(actor)
        data["export_communities"] = communities
        data["can_export"] = !communities.isEmpty
        data["export_kind"] = f.kind?.rawValue ?? ""
        data["export_closed"] = f.includeClosed
        return views.page(
            "registry/organisations", context, title: views.t("organisations_title", context), data: data,
            status: status, section: "registry")
    }

    func detailPage(
        _ context: AppRequestContext, id: Int64, revealed: OrganisationContact? = nil, errors: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let detail = try await store.organisation(id, for: actor)
        var data = errors
        data["page"] = RegistryOrganisationViews.detail(detail) { views.t($0, context) }
        if let revealed { data["revealed"] = ["name": revealed.name, "phone": revealed.phone] }
        return views.page(
            "registry/organisation", context, title: detail.summary.organisation.name, data: data, status: status,
            section: "registry")
    }

    func formPage(
        _ context: AppRequestContext, form: OrganisationForm, id: Int64?, version: Int? = nil,
        errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let nodes = try await nodeChoices(actor, selected: form.node)
        guard !nodes.isEmpty else { throw DomainError.forbidden }
        var data = errors
        data["form"] = RegistryOrganisationViews.form(form, nodes: nodes, errors: errors) { views.t($0, context) }
        data["action"] = id.map { Self.path($0) + "/edit" } ?? Self.list
        data["version"] = version.map(String.init) ?? ""
        data["editing"] = id != nil
        data["cancel_href"] = id.map(Self.path) ?? Self.list
        let title = views.t(id == nil ? "organisation_new_title" : "organisation_edit_title", context)
        return views.page(
            "registry/organisation_form", context, title: title, data: data, status: status, section: "registry")
    }

    /// The grids and communities where the actor keeps records, labelled with their path.
    func nodeChoices(_ actor: Actor, selected: String?) async throws -> [RegistryViews.Choice] {
        var nodes: [Node] = []
        for path in RegistryPolicy.paths(.edit, of: actor) {
            guard let grant = actor.grants.first(where: { $0.nodePath == path }),
                let node = try await services.jurisdiction.node(grant.nodeID)
            else { continue }
            if node.kind == .grid || node.kind.isCommunityLevel { nodes.append(node) }
            if node.kind == .grid { continue }
            if !node.kind.isCommunityLevel {
                nodes += try await services.jurisdiction.descendants(of: path, kind: .community, limit: 200)
            }
            nodes += try await services.jurisdiction.descendants(of: path, kind: .grid, limit: 500)
        }
        nodes.sort { $0.path < $1.path }
        let labels = try await services.jurisdiction.pathLabels(nodes)
        return nodes.map {
            RegistryViews.Choice(value: "\($0.id)", label: labels[$0.id] ?? $0.name, selected: "\($0.id)" == selected)
        }
    }
}

/// The organisations' page models.
enum RegistryOrganisationViews {
    typealias Words = (String) -> String

    static func summary(_ s: OrganisationSummary, _ w: Words) -> [String: Any] {
        let o = s.organisation
        return [
            "href": RegistryOrganisationPages.path(o.id), "name": o.name,
            "kind": w("organisation_kind_\(o.kind.rawValue)"), "credit_code": o.creditCode ?? "",
            "registration": o.registration.map { w("social_registration_\($0.rawValue)") } ?? "",
            "registration_number": o.registrationNumber ?? "", "address": o.address, "node": s.nodeName,
            "contacts": o.contacts.map { ["name": $0.name, "phone": $0.phone] }, "has_contacts": !o.contacts.isEmpty,
            "closed": o.closed,
        ]
    }

    static func detail(_ d: OrganisationDetail, _ w: Words) -> [String: Any] {
        let can = Set(d.capabilities).contains(.edit) && !d.summary.organisation.closed
        let id = d.summary.organisation.id
        return [
            "organisation": summary(d.summary, w), "can_edit": can, "version": d.version,
            "can_reveal": Set(d.capabilities).contains(.reveal) && !d.summary.organisation.contacts.isEmpty,
            "contact_choices": d.summary.organisation.contacts.enumerated().map { i, c in
                ["value": i + 1, "label": "\(c.name) \(c.phone)", "first": i == 0]
            },
            "reveal_href": RegistryOrganisationPages.path(d.summary.organisation.id) + "/reveal",
            "edit_href": RegistryOrganisationPages.path(id) + "/edit",
            "close_href": RegistryOrganisationPages.path(id) + "/close",
        ]
    }

    static func form(
        _ form: OrganisationForm, nodes: [RegistryViews.Choice], errors: [String: Any], _ w: Words
    ) -> [String: Any] {
        func field(_ name: String, _ value: String?, max: Int, hint: String = "", mode: String = "") -> FormField {
            FormField.text(
                name, label: w("organisation_field_\(name)"), value: value ?? "", hint: hint, errors: errors,
                maxLength: max, inputMode: mode)
        }
        let contacts = [
            (form.contactName1, form.contactPhone1), (form.contactName2, form.contactPhone2),
            (form.contactName3, form.contactPhone3),
        ]
        return [
            "name": field("name", form.name, max: OrganisationForm.maxNameLength),
            "credit_code": field("credit_code", form.creditCode, max: 22, hint: w("organisation_hint_credit_code")),
            "registration_number": field(
                "registration_number", form.registrationNumber, max: 40, hint: w("organisation_hint_filing")),
            "address": field("address", form.address, max: 200),
            "kinds": OrganisationKind.allCases.map {
                RegistryViews.Choice(
                    value: $0.rawValue, label: w("organisation_kind_\($0.rawValue)"), selected: $0.rawValue == form.kind
                ).dictionary
            },
            "registrations": SocialRegistration.allCases.map {
                RegistryViews.Choice(
                    value: $0.rawValue, label: w("social_registration_\($0.rawValue)"),
                    selected: $0.rawValue == form.registration
                ).dictionary
            },
            "nodes": nodes.map(\.dictionary),
            "contacts": contacts.enumerated().map { i, c in
                [
                    "name": FormField.text(
                        "contact_name_\(i + 1)", label: w("organisation_contact_name") + " \(i + 1)",
                        value: c.0 ?? "", errors: errors, maxLength: 60),
                    "phone": FormField.text(
                        "contact_phone_\(i + 1)", label: w("organisation_contact_phone") + " \(i + 1)",
                        value: c.1 ?? "", errors: errors, maxLength: 20, inputType: "tel", inputMode: "tel"),
                ] as [String: Any]
            },
        ]
    }
}
