import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Administrators' set-up for cases: categories, handling units and their members, routing rules, holidays.
struct CaseSetupPages {
    let services: AppServices
    var views: Views { services.views }
    var setup: CaseSetup { CaseSetup(db: services.db, clock: services.clock) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/admin/cases") { _, context in try await page(context) }
        router.post("/admin/cases/:verb") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                switch context.parameters.get("verb") {
                case "categories":
                    _ = try await setup.createCategory(
                        actor, nodeID: try adminNode(actor).id, parentID: form.int("parent"), name: form["name"])
                case "units":
                    guard let node = form.int("node") else { throw DomainError.invalid("node_required", field: "node") }
                    _ = try await setup.createUnit(actor, nodeID: node, name: form["name"])
                case "members":
                    guard let unit = form.int("unit") else { throw DomainError.invalid("unit_unknown", field: "unit") }
                    guard let user = try await services.accounts.user(username: form["username"].lowercased()) else {
                        throw DomainError.invalid("user_unknown", field: "username")
                    }
                    try await setup.addMember(actor, unitID: unit, userID: user.id)
                case "rules":
                    guard let node = form.int("node"), let category = form.int("category"), let unit = form.int("unit")
                    else {
                        throw DomainError.invalid("routing_rule_incomplete", field: "category")
                    }
                    _ = try await setup.setRule(
                        actor, nodeID: node, categoryID: category, unitID: unit,
                        respondHours: Int(form["respond_hours"]) ?? 0, resolveHours: Int(form["resolve_hours"]) ?? 0,
                        workingTime: form["working_time"] == "1")
                case "calendar":
                    try await setup.setCalendarDay(
                        actor, day: form["day"], isWorkday: form["is_workday"] == "1", note: form["note"])
                default: throw DomainError.notFound
                }
                return Response.redirect(to: "/admin/cases")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await page(context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
    }

    /// The highest node where the actor may configure cases.
    func adminNode(_ actor: Actor) throws -> RoleGrant {
        guard
            let grant = actor.grants.filter({ AccessPolicy.allows($0, .configureCases, at: $0.nodePath) })
                .min(by: { $0.nodePath.count < $1.nodePath.count })
        else { throw DomainError.forbidden }
        return grant
    }

    func page(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let top = try adminNode(actor)
        let db = services.db
        // The set-up of this jurisdiction: what is set at its nodes, and what it inherits from above (shown, used).
        var nodes: [[String: Any]] = []
        var scope = Set(NodePath.ids(top.nodePath))
        if let node = try await services.jurisdiction.node(top.nodeID) {
            nodes.append(["id": node.id, "label": node.name])
            for kind in [NodeKind.subdistrict, .town, .community, .village] where kind != node.kind {
                for n in try await services.jurisdiction.descendants(of: node.path, kind: kind, limit: 400) {
                    nodes.append(["id": n.id, "label": n.name])
                    scope.insert(n.id)
                }
            }
        }
        let categories = try await CaseSetupStore.categories(db).filter { scope.contains($0.nodeID) }
        let units = try await CaseSetupStore.units(db).filter { scope.contains($0.nodeID) }
        let members = try await CaseSetupStore.members(db)
        let catNames = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) })
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        let nodeNames = Dictionary(
            nodes.map { ($0["id"] as! Int64, $0["label"] as! String) }, uniquingKeysWith: { a, _ in a })
        var data = extra
        data["categories"] = categories.filter { $0.parentID == nil }.map { major in
            [
                "id": major.id, "name": major.name,
                "minors": categories.filter { $0.parentID == major.id }.map { ["name": $0.name] },
            ] as [String: Any]
        }
        data["category_options"] = categories.map { c in
            ["id": c.id, "label": c.parentID.flatMap { catNames[$0] }.map { "\($0) › \(c.name)" } ?? c.name]
        }
        data["units"] = units.map { u in
            [
                "id": u.id, "name": u.name, "node": nodeNames[u.nodeID] ?? "\(u.nodeID)",
                "members": members.filter { $0.0 == u.id }.map { ["name": $0.2] },
            ] as [String: Any]
        }
        data["rules"] = try await CaseSetupStore.rules(db).filter { scope.contains($0.nodeID) }.map { r in
            [
                "node": nodeNames[r.nodeID] ?? "\(r.nodeID)", "category": catNames[r.categoryID] ?? "",
                "unit": unitNames[r.unitID] ?? "",
                "respond": r.respondHours, "resolve": r.resolveHours,
                "time": views.t(r.workingTime ? "routing_working_time" : "routing_calendar_time", context),
            ] as [String: Any]
        }
        data["days"] = try await CaseSetupStore.calendarDays(db).map { d in
            ["day": d.0, "kind": views.t(d.1 ? "calendar_workday" : "calendar_holiday", context), "note": d.2]
        }
        data["nodes"] = nodes
        data["unit_options"] = units.map { ["id": $0.id, "label": $0.name] }
        return views.page(
            "cases/setup", context, title: views.t("case_setup_title", context), data: data, status: status,
            section: "case_setup")
    }
}
