import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Care visits (走访) under /registry/care: the visitor's plan with the overdue first, the community's groups and
/// their members, and the visit form on a person's page. Every change calls the same `CareCommands` as the API.
struct CarePages {
    let services: AppServices
    var views: Views { services.views }
    var store: CareStore { CareStore(db: services.db) }
    var commands: CareCommands { CareCommands(db: services.db, clock: services.clock) }
    var today: CalendarDate { CalendarDate(services.clock.now()) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(CareURL.home.path)) { request, context in
            let overdue = request.uri.queryParameters["overdue"] == "1"
            return try await home(context, overdueOnly: overdue)
        }
        router.post(RouterPath(CareURL.groups.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(CareGroupInput.self)
                guard let community = input.community?.value else {
                    throw DomainError.invalid("care_community_unknown", field: "community")
                }
                let outcome = try await commands.perform(actor, .createGroup(community: community, try input.draft()))
                return Response.redirect(to: CareURL.group(outcome.id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var errors = views.formErrors(error, context)
                for key in ["name", "tag", "frequency_days", "community"] { errors["form_\(key)"] = form[key] }
                return try await home(context, overdueOnly: false, errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/registry/care/groups/:id") { _, context in
            try await group(context, id: try context.parameters.require("id", as: Int64.self))
        }
        router.post("/registry/care/groups/:id/edit") { request, context in
            try await groupStep(request, context) { id, form in
                .editGroup(group: id, try form.decode(CareGroupInput.self).draft())
            }
        }
        router.post("/registry/care/groups/:id/fill") { request, context in
            try await groupStep(request, context) { id, _ in .addTagged(group: id) }
        }
        router.post("/registry/care/groups/:id/members") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let form = try await Form.read(request, context)
            let input = try? form.decode(CareMemberInput.self)
            // Added from a person's page: back there; from the group's page: back to the group.
            let fromPerson = form["from"] == "person"
            do {
                let person = try (input ?? CareMemberInput()).person()
                try await commands.perform(actor, .addMember(group: id, person: person, visitor: input?.visitor?.value))
                return Response.redirect(to: fromPerson ? RegistryURL.person(person).path : CareURL.group(id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var errors = views.formErrors(error, context)
                errors["form_person_id"] = form["person_id"]
                return try await group(context, id: id, errors: errors, status: .unprocessableContent)
            }
        }
        for step in ["assign", "remove"] {
            router.post(RouterPath("/registry/care/groups/:id/members/:person/\(step)")) { request, context in
                let person = try context.parameters.require("person", as: Int64.self)
                return try await groupStep(request, context) { id, form in
                    step == "remove"
                        ? .removeMember(group: id, person: person)
                        : .assign(group: id, person: person, visitor: try form.decode(CareAssignInput.self).user())
                }
            }
        }
        router.post("/registry/people/:id/visits") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            // The person must be visible before the body is read.
            _ = try await store.care(of: id, for: actor, today: today)
            let form = try await Form.read(request, context)
            do {
                let draft = try form.decode(CareVisitInput.self).draft(today: today)
                try await commands.perform(actor, .recordVisit(person: id, draft))
                return Response.redirect(to: RegistryURL.person(id).path + "#visits")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var errors = views.formErrors(error, context)
                var typed: [String: String] = [:]
                for key in ["visited_on", "method", "findings", "case_title", "case_description"] {
                    typed[key] = form[key]
                }
                for key in ["follow_up", "raise_case"] where !form[key].isEmpty { typed[key] = "1" }
                errors["care_form"] = typed
                return try await RegistryPages(services: services).detail(
                    context, id: id, errors: errors, status: .unprocessableContent)
            }
        }
    }

    /// A step on a group from its page: back to the group, or the group's page with the error beside its field.
    func groupStep(
        _ request: Request, _ context: AppRequestContext, _ command: (Int64, Form) throws -> CareCommand
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await store.group(id, for: actor, today: today)
        let form = try await Form.read(request, context)
        do {
            try await commands.perform(actor, try command(id, form))
            return Response.redirect(to: CareURL.group(id).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var errors = views.formErrors(error, context)
            for key in ["name", "tag", "frequency_days"] where !form[key].isEmpty { errors["form_\(key)"] = form[key] }
            return try await group(context, id: id, errors: errors, status: .unprocessableContent)
        }
    }

    func home(
        _ context: AppRequestContext, overdueOnly: Bool, errors: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let words = { (key: String) in views.t(key, context) }
        let plan = try await store.plan(for: actor, today: today, overdueOnly: overdueOnly)
        let groups = try await store.groups(for: actor, today: today)
        var data = errors
        data["items"] = plan.items.map { CareViews.dueItem($0, words) }
        data["has_items"] = !plan.items.isEmpty
        data["overdue_count"] = plan.overdueCount
        data["has_overdue"] = plan.overdueCount > 0
        data["overdue_only"] = overdueOnly
        data["groups"] = groups.map { CareViews.group($0, words) }
        data["has_groups"] = !groups.isEmpty
        var communities: [[String: Any]] = []
        for grant in actor.grants where CarePolicy.capabilities(of: actor, at: grant.nodePath).contains(.plan) {
            guard let node = try await services.jurisdiction.node(grant.nodeID) else { continue }
            let nodes =
                node.kind.isCommunityLevel
                ? [node] : try await services.jurisdiction.descendants(of: node.path, kind: .community, limit: 200)
            for community in nodes {
                communities.append([
                    "value": community.id, "label": community.name,
                    "selected": "\(community.id)" == (errors["form_community"] as? String ?? ""),
                ])
            }
        }
        data["communities"] = communities
        data["can_plan"] = !communities.isEmpty
        data["tags"] = CareViews.tagChoices(errors["form_tag"] as? String ?? "", words)
        data["create_action"] = CareURL.groups.path
        return views.page(
            "registry/care", context, title: views.t("care_title", context), data: data, status: status,
            section: "care")
    }

    func group(
        _ context: AppRequestContext, id: Int64, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let detail = try await store.group(id, for: actor, today: today)
        let words = { (key: String) in views.t(key, context) }
        let canPlan = detail.capabilities.contains(.plan)
        var data = errors
        data["group"] = CareViews.group(detail.group, words)
        data["members"] = detail.members.map { item -> [String: Any] in
            var row = CareViews.dueItem(item, words)
            row["assign_action"] = CareURL.member(id, item.personID, "assign").path
            row["remove_action"] = CareURL.member(id, item.personID, "remove").path
            row["visitors"] = detail.visitors.map {
                ["value": $0.userID, "label": $0.name, "selected": $0.userID == item.visitorUserID] as [String: Any]
            }
            return row
        }
        data["has_members"] = !detail.members.isEmpty
        data["can_plan"] = canPlan
        data["can_fill"] = canPlan && detail.group.tag != nil
        data["edit_action"] = CareURL.groupStep(id, "edit").path
        data["fill_action"] = CareURL.groupStep(id, "fill").path
        data["add_action"] = CareURL.members(id).path
        data["form_name"] = errors["form_name"] ?? detail.group.name
        data["form_frequency_days"] = errors["form_frequency_days"] ?? "\(detail.group.frequencyDays)"
        data["tags"] = CareViews.tagChoices(
            errors["form_tag"] as? String ?? detail.group.tag?.rawValue ?? "", words)
        return views.page(
            "registry/care_group", context, title: detail.group.name, data: data, status: status, section: "care")
    }

    /// The home page's part for grid and community workers: the people overdue a visit, oldest first, and
    /// the floating residents whose residence permit ends within 30 days, each with its count; nil for others.
    func homeSection(_ actor: Actor, _ context: AppRequestContext) async throws -> [String: Any]? {
        // Without the personal-data seal nothing of the registry can be read (the registry pages say why).
        // For those who visit and plan (grid and community workers); administrators above read the care pages.
        guard actor.grants.contains(where: { $0.role == .gridWorker || $0.role == .communityWorker }),
            !RegistryPolicy.readablePaths(of: actor).isEmpty, services.db.personalDataBox != nil
        else { return nil }
        let words = { (key: String) in views.t(key, context) }
        let plan = try await store.plan(for: actor, today: today, overdueOnly: true, limit: 10)
        let permits = try await store.expiringPermits(for: actor, today: today, limit: 10)
        return [
            "overdue": plan.items.map { CareViews.dueItem($0, words) }, "overdue_count": plan.overdueCount,
            "has_overdue": plan.overdueCount > 0,
            "permits": permits.items.map {
                [
                    "href": RegistryURL.person($0.personID).path, "name": $0.name, "building": $0.building ?? "",
                    "permit_end": $0.permitEnd.description,
                    "days_left": words("care_permit_days_left").replacingOccurrences(of: "{0}", with: "\($0.daysLeft)"),
                ] as [String: Any]
            },
            "permit_count": permits.count, "has_permits": permits.count > 0,
        ]
    }
}
