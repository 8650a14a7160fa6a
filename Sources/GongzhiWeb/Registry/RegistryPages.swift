import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The registry's pages under /registry: the list with its search and filters, a person's record with the full
/// views that need a reason, the form to register or amend, and a building's houses. Every change calls the same
/// `RegistryCommands` as the API.
struct RegistryPages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    var commands: RegistryCommands { RegistryCommands(db: services.db, clock: services.clock) }
    var today: CalendarDate { CalendarDate(services.clock.now()) }
    static let pageSize = 50

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(RegistryURL.people.path)) { request, context in try await list(request, context) }
        router.get(RouterPath(RegistryURL.newPerson.path)) { _, context in
            try await formPage(context, form: PersonForm(), personID: nil)
        }
        router.post(RouterPath(RegistryURL.people.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let input = (try? form.decode(PersonForm.self)) ?? PersonForm()
            do {
                let draft = try personForm(form).draft(today: today)
                let outcome = try await commands.perform(actor, person: nil, .register(draft))
                return Response.redirect(to: RegistryURL.person(outcome.id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(
                    context, form: input, personID: nil, errors: views.formErrors(error, context),
                    status: .unprocessableContent)
            }
        }
        router.get("/registry/people/:id") { request, context in
            try await detail(context, id: try context.parameters.require("id", as: Int64.self))
        }
        router.get("/registry/people/:id/edit") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let record = try await store.person(id, for: actor, today: today, clock: services.clock)
            guard record.capabilities.contains(.edit) else { throw DomainError.forbidden }
            return try await formPage(context, form: record.form, personID: id, version: record.version)
        }
        router.post(RouterPath(RegistryURL.stepPattern(.amend))) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let form = try await Form.read(request, context)
            let input = (try? form.decode(PersonForm.self)) ?? PersonForm()
            do {
                let draft = try personForm(form).draft(today: today)
                try await commands.perform(
                    actor, person: id, .amend(draft), expectedVersion: form.int("version").map(Int.init))
                return Response.redirect(to: RegistryURL.person(id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(
                    context, form: input, personID: id, version: form.int("version").map(Int.init),
                    errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        router.post(RouterPath(RegistryURL.stepPattern(.reveal))) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(RevealInput.self)
                let field = try input.revealField()
                let value = try await store.reveal(
                    id, field, for: actor, reason: input.reason ?? "", clock: services.clock)
                return try await detail(context, id: id, revealed: [field.rawValue: value])
            } catch let error as DomainError where error.kind == .invalid {
                var errors = views.formErrors(error, context)
                errors["reveal_field"] = form["field"]
                return try await detail(context, id: id, errors: errors, status: .unprocessableContent)
            }
        }
        for step in [RegistryURL.PersonStep.moveOut, .anonymise] {
            router.post(RouterPath(RegistryURL.stepPattern(step))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                let form = try await Form.read(request, context)
                do {
                    let command: RegistryCommand =
                        step == .moveOut
                        ? .moveOut(on: try form.decode(MoveOutInput.self).day(today: today)) : .anonymise
                    try await commands.perform(
                        actor, person: id, command, expectedVersion: form.int("version").map(Int.init))
                    return Response.redirect(to: RegistryURL.person(id).path)
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    return try await detail(
                        context, id: id, errors: views.formErrors(error, context), status: .unprocessableContent)
                }
            }
        }
        router.get("/registry/buildings/:id") { _, context in
            try await building(context, id: try context.parameters.require("id", as: Int64.self))
        }
        router.post("/registry/buildings/:id/houses") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let form = try await Form.read(request, context)
            do {
                var input = try form.decode(HouseForm.self)
                input.building = "\(id)"
                try await commands.registerHouse(actor, try input.draft())
                return Response.redirect(to: RegistryURL.building(id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var errors = views.formErrors(error, context)
                for key in ["unit", "floor", "room", "area"] { errors["form_\(key)"] = form[key] }
                return try await building(context, id: id, errors: errors, status: .unprocessableContent)
            }
        }
    }

    /// The form's fields as the person form reads them; tags come as one checkbox each (`tags`, repeated).
    func personForm(_ form: Form) throws -> PersonForm {
        var input = try form.decode(PersonForm.self)
        input.tags = form.all("tags").joined(separator: ";")
        return input
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var params: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { params[String(key)] = String(value) }
        let query = PersonQuery(params)
        let words = { (key: String) in views.t(key, context) }
        var data: [String: Any] = [:]
        var status = HTTPResponse.Status.ok
        var page = PersonPage(items: [], nextCursor: nil)
        do {
            page = try await store.people(try query.filter(limit: Self.pageSize), for: actor, today: today)
        } catch let error as DomainError where error.kind == .invalid {
            data = views.formErrors(error, context)
            status = .unprocessableContent
        }
        let sensitive = RegistryPolicy.holdsAnywhere(.viewSensitiveTags, actor)
        data["people"] = page.items.map { RegistryViews.summary($0, words) }
        data["has_people"] = !page.items.isEmpty
        data["q"] = query.q
        data["moved_out"] = query.movedOut
        data["tags"] = RegistryViews.tagChoices(query.tag, words, sensitive: sensitive)
        data["residences"] = RegistryViews.residenceChoices(query.residence, words)
        data["filtered"] = !query.queryString.isEmpty
        data["can_register"] = RegistryPolicy.holdsAnywhere(.edit, actor)
        data["can_import"] = RegistryPolicy.holdsAnywhere(.importRows, actor)
        let communities = try await exportCommunities(actor)
        data["export_communities"] = communities
        data["can_export"] = !communities.isEmpty
        data["tag"] = query.tag
        data["residence"] = query.residence
        if let cursor = page.nextCursor {
            let qs = query.queryString
            data["older_href"] = RegistryURL.people.path + "?" + (qs.isEmpty ? "" : qs + "&") + "before=\(cursor)"
        }
        if let building = Int64(query.building), let node = try await services.jurisdiction.node(building) {
            data["building_name"] = node.name
            data["building"] = query.building
        }
        return views.page(
            "registry/people", context, title: views.t("registry_title", context), data: data, status: status,
            section: "registry")
    }

    /// The communities where the actor may ask for an export, for the export form's choice.
    func exportCommunities(_ actor: Actor) async throws -> [[String: Any]] {
        var communities: [[String: Any]] = []
        for path in RegistryPolicy.paths(.export, of: actor) {
            let grant = actor.grants.first { $0.nodePath == path }
            if let id = grant?.nodeID, let node = try await services.jurisdiction.node(id), node.kind.isCommunityLevel {
                communities.append(["value": node.id, "label": node.name])
            } else {
                for node in try await services.jurisdiction.descendants(of: path, kind: .community, limit: 200) {
                    communities.append(["value": node.id, "label": node.name])
                }
            }
        }
        return communities
    }

    func detail(
        _ context: AppRequestContext, id: Int64, revealed: [String: String] = [:], errors: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let record = try await store.person(id, for: actor, today: today, clock: services.clock)
        var data = errors
        data["page"] = RegistryViews.detail(record, revealed: revealed, context.language) { views.t($0, context) }
        let tenure = try await store.tenure(of: id, for: actor)
        let w = { (key: String) in views.t(key, context) }
        data["owned"] = tenure.owned.map {
            [
                "href": RegistryURL.house($0.house.id).path, "label": "\($0.buildingName) \($0.house.label)",
                "share": HouseShares.text($0.share), "area": $0.house.areaText ?? "",
            ]
        }
        data["leases"] = tenure.leases.map { rental in
            var item = RegistryHouseViews.rental(rental, today: today, w)
            item["house"] = tenure.leaseHouses[rental.houseID] ?? ""
            return item
        }
        data["has_tenure"] = !tenure.owned.isEmpty || !tenure.leases.isEmpty
        data["today"] = today.description
        // The person's care visits (CarePages records them).
        let care = try await CareStore(db: services.db).care(of: id, for: actor, today: today)
        data["care"] = CareViews.person(care, form: errors["care_form"] as? [String: String] ?? [:], today: today) {
            views.t($0, context)
        }
        return views.page(
            "registry/person", context, title: record.summary.name, data: data, status: status, section: "registry")
    }

    func formPage(
        _ context: AppRequestContext, form: PersonForm, personID: Int64?, version: Int? = nil,
        errors: [String: Any] = [:], status: HTTPResponse.Status = .ok, action: String? = nil
    ) async throws -> Response {
        let actor = try context.requireActor()
        let buildings = try await buildingChoices(actor, selected: form.building)
        guard !buildings.isEmpty else { throw DomainError.forbidden }
        let words = { (key: String) in views.t(key, context) }
        let mayTagSensitive = RegistryPolicy.holdsAnywhere(.viewSensitiveTags, actor)
        var data = errors
        data["form"] = RegistryViews.form(
            form, buildings: buildings, errors: errors,
            tagsVisible: PersonTag.allCases.filter { mayTagSensitive || !$0.isSensitive }, words)
        // A resident's correction posts the same form to its own step (`CorrectionPages`).
        data["action"] = action ?? personID.map { RegistryURL.personStep($0, .amend).path } ?? RegistryURL.people.path
        data["version"] = version.map(String.init) ?? ""
        data["editing"] = personID != nil
        data["cancel_href"] = personID.map { RegistryURL.person($0).path } ?? RegistryURL.people.path
        let title = views.t(personID == nil ? "person_new_title" : "person_edit_title", context)
        return views.page(
            "registry/person_form", context, title: title, data: data, status: status, section: "registry")
    }

    func building(
        _ context: AppRequestContext, id: Int64, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let houses = try await store.houses(in: id, for: actor)
        let tenure = try await store.tenure(in: id, for: actor, today: today)
        guard let node = try await services.jurisdiction.node(id) else { throw DomainError.notFound }
        let label = try await services.jurisdiction.pathLabels([node])[id] ?? node.name
        var data = errors
        data["houses"] = RegistryViews.houses(houses, tenure: tenure) { views.t($0, context) }
        let labels = Dictionary(uniqueKeysWithValues: houses.map { ($0.house.id, $0.house.label) })
        data["ending_soon"] = tenure.endingSoon.map { rental in
            var item = RegistryHouseViews.rental(rental, today: today) { views.t($0, context) }
            item["house"] = labels[rental.houseID] ?? ""
            return item
        }
        data["has_ending_soon"] = !tenure.endingSoon.isEmpty
        let heads = try await services.accounts.holders(of: .buildingHead, at: id)
        data["heads"] = heads.map(\.displayName).joined(separator: "、")
        data["has_houses"] = !houses.isEmpty
        data["building_path"] = label
        data["people_href"] = RegistryURL.people.path + "?building=\(id)"
        data["house_action"] = "/registry/buildings/\(id)/houses"
        data["can_add"] = RegistryPolicy.capabilities(of: actor, at: node.path).contains(.edit)
        data["uses"] = HouseUse.allCases.map {
            ["value": $0.rawValue, "label": views.t("house_use_\($0.rawValue)", context)]
        }
        return views.page(
            "registry/building", context, title: node.name, data: data, status: status, section: "registry")
    }

    /// The buildings where the actor keeps records, labelled with their full path.
    func buildingChoices(_ actor: Actor, selected: String?) async throws -> [RegistryViews.Choice] {
        var nodes: [Node] = []
        for grant in actor.grants where RegistryPolicy.capabilities(of: actor, at: grant.nodePath).contains(.edit) {
            if let node = try await services.jurisdiction.node(grant.nodeID), node.kind == .building {
                nodes.append(node)
            } else {
                nodes += try await services.jurisdiction.descendants(of: grant.nodePath, kind: .building, limit: 500)
            }
        }
        let labels = try await services.jurisdiction.pathLabels(nodes)
        return nodes.map {
            RegistryViews.Choice(value: "\($0.id)", label: labels[$0.id] ?? $0.name, selected: "\($0.id)" == selected)
        }
    }
}
