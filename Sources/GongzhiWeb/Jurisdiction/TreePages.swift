import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The jurisdiction tree browser: each node with its children, bodies, estates and history, and the forms
/// to change it for those allowed to.
struct TreePages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/nodes") { _, context in
            let actor = try context.requireActor()
            // Start at the highest node the user holds a role at.
            guard let top = actor.grants.min(by: { $0.nodePath.count < $1.nodePath.count }) else {
                throw DomainError.notFound
            }
            let roots = try await services.jurisdiction.roots()
            if actor.holds(.systemAdmin), roots.count != 1 {
                return views.page(
                    "jurisdiction/roots", context, title: views.t("nav_tree", context),
                    data: ["roots": roots.map { ["id": $0.id, "name": $0.name] }], section: "tree")
            }
            return Response.redirect(to: "/nodes/\(top.nodeID)")
        }
        router.get("/nodes/:id") { request, context in try await nodePage(request, context) }
        router.post("/nodes/:id/:verb") { request, context in try await change(request, context) }
        router.get("/nodes/:id/tree.csv") { _, context in try await export(context, bodies: false) }
        router.get("/nodes/:id/bodies.csv") { _, context in try await export(context, bodies: true) }
        router.get("/bodies/:id") { request, context in try await bodyPage(request, context) }
        router.post("/bodies/:id/duties") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                _ = try await services.bodyCommands.addDuty(
                    actor, bodyID: id, parentID: form.int("parent"), title: form["title"])
                return Response.redirect(to: "/bodies/\(id)")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await bodyPage(
                    request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
    }

    func nodePage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let node = try Access.requireView(actor, try await services.jurisdiction.node(id))
        let store = services.jurisdiction
        let lang = context.language
        let showClosed = request.uri.queryParameters["closed"] == "1"
        // Above the actor's own subtree only the way down to it shows, not the siblings.
        let children = try await store.children(of: id, includeClosed: showClosed)
            .filter { AccessPolicy.allows(actor, .viewTree, at: $0.node.path) }
        let childKinds = node.kind.childKinds.filter { AccessPolicy.allows(actor, .manageNode($0), at: node.path) }
        let canManage = AccessPolicy.allows(actor, .manageNode(node.kind), at: node.path)
        var data: [String: Any] = extra
        var nodeData: [String: Any] = [
            "id": node.id, "name": node.name, "kind": views.t("kind_\(node.kind.rawValue)", context),
            "closed": !node.isOpen, "closed_at": DateText.format(node.closedAt, lang),
        ]
        if let code = node.code { nodeData["code"] = code }  // an empty string would still open the section
        data["node"] = nodeData
        data["breadcrumbs"] = try await store.ancestors(of: node).filter {
            AccessPolicy.allows(actor, .viewTree, at: $0.path)
        }
        .map { ["id": $0.id, "name": $0.name] }
        data["children"] = children.map { child in
            [
                "id": child.node.id, "name": child.node.name, "code": child.node.code ?? "",
                "kind": views.t("kind_\(child.node.kind.rawValue)", context), "open_children": child.openChildren,
                "closed": !child.node.isOpen,
            ] as [String: Any]
        }
        data["has_children"] = !children.isEmpty
        data["can_export"] = AccessPolicy.allows(actor, .exportTree, at: node.path)
        data["show_closed"] = showClosed
        data["child_kinds"] = childKinds.map {
            ["value": $0.rawValue, "label": views.t("kind_\($0.rawValue)", context)]
        }
        data["can_add"] = !childKinds.isEmpty && node.isOpen
        data["can_manage"] = canManage && node.isOpen
        data["can_close"] = canManage && node.isOpen && children.allSatisfy { !$0.node.isOpen }
        data["history"] = try await store.history(of: id).map {
            [
                "at": DateText.format($0.at, lang), "action": views.t("history_\($0.action)", context),
                "detail": $0.detail,
            ]
        }
        if node.kind == .grid, canManage, node.isOpen {
            data["split_buildings"] = children.filter { $0.node.isOpen }.map {
                ["id": $0.node.id, "name": $0.node.name]
            }
            if let parentID = node.parentID {
                data["merge_grids"] = try await store.children(of: parentID).map(\.node).filter { $0.id != node.id }
                    .map { ["id": $0.id, "name": $0.name] }
            }
            data["grid_tools"] = true
        }
        if node.kind.isCommunityLevel {
            let bodies = try await store.bodies(of: node.id)
            data["community"] = true
            data["bodies"] = bodies.map {
                ["id": $0.id, "name": $0.name, "kind": views.t("body_\($0.kind.rawValue)", context)]
            }
            data["estates"] = try await store.estates(of: node.id).map { ["id": $0.id, "name": $0.name] }
            data["can_manage_bodies"] = AccessPolicy.allows(actor, .manageBodies, at: node.path) && node.isOpen
            data["body_kinds"] = BodyKind.allCases.map {
                ["value": $0.rawValue, "label": views.t("body_\($0.rawValue)", context)]
            }
        }
        if node.kind == .building, let estateID = node.estateID, let communityID = node.communityID {
            data["estate"] = try await store.estates(of: communityID).first { $0.id == estateID }?.name
        }
        data["can_import"] = AccessPolicy.allows(actor, .manageNode(.building), at: node.path) && node.isOpen
        return views.page("jurisdiction/node", context, title: node.name, data: data, status: status, section: "tree")
    }

    /// One handler for every form on the node page, so each posts back to the page it came from.
    func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let verb = context.parameters.get("verb") ?? ""
        let form = try await Form.read(request, context)
        let j = services.jurisdictionCommands
        do {
            var target = id
            switch verb {
            case "children":
                target = try await j.createNode(
                    actor, kind: try NodeKind.parse(form["kind"]), name: form["name"],
                    code: form["code"], parentID: id
                ).id
            case "rename": _ = try await j.rename(actor, nodeID: id, name: form["name"])
            case "move":
                guard let parent = form.int("parent") else {
                    throw DomainError.invalid("parent_required", field: "parent")
                }
                _ = try await j.move(actor, nodeID: id, to: parent)
            case "close": _ = try await j.close(actor, nodeID: id)
            case "split":
                var assignment: [Int64: GridChange.Side] = [:]
                for (key, values) in form.values where key.hasPrefix("b_") {
                    if let building = Int64(key.dropFirst(2)), let side = GridChange.Side(rawValue: values.first ?? "")
                    {
                        assignment[building] = side
                    }
                }
                target = try await j.splitGrid(
                    actor, gridID: id, names: (form["first_name"], form["second_name"]), assignment: assignment
                ).0.id
            case "merge":
                guard let other = form.int("other") else {
                    throw DomainError.invalid("merge_same_grid", field: "other")
                }
                target = try await j.mergeGrids(actor, id, other, name: form["name"]).id
            case "bodies":
                let body = try await services.bodyCommands.createBody(
                    actor, communityID: id, kind: try BodyKind.parse(form["kind"]), name: form["name"])
                return Response.redirect(to: "/bodies/\(body.id)")
            case "estates": _ = try await services.bodyCommands.createEstate(actor, communityID: id, name: form["name"])
            case "import":
                let count =
                    form["what"] == "bodies"
                    ? try await services.exchange.importBodies(actor, csv: form["csv"])
                    : try await services.exchange.importTree(actor, csv: form["csv"])
                return try await nodePage(
                    request, context, extra: ["notice": views.t("import_done", context, ["\(count)"])])
            default: throw DomainError.notFound
            }
            return Response.redirect(to: "/nodes/\(target)")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var extra = views.formErrors(error, context)
            extra["open_form"] = verb
            extra["form_name"] = form["name"]
            extra["form_csv"] = form["csv"]
            return try await nodePage(request, context, extra: extra, status: .unprocessableContent)
        }
    }

    func export(_ context: AppRequestContext, bodies: Bool) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let csv =
            bodies
            ? try await services.exchange.exportBodies(actor, rootID: id)
            : try await services.exchange.exportTree(actor, rootID: id)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(bodies ? "bodies" : "tree")-\(id).csv\"",
            ], body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    func bodyPage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        guard let body = try await services.jurisdiction.body(id) else { throw DomainError.notFound }
        let community = try Access.requireView(actor, try await services.jurisdiction.node(body.communityID))
        let duties = try await services.jurisdiction.duties(of: id)
        var data = extra
        data["body"] = ["id": body.id, "name": body.name, "kind": views.t("body_\(body.kind.rawValue)", context)]
        data["community"] = ["id": community.id, "name": community.name]
        data["duties"] = duties.map { d in
            ["id": d.major.id, "title": d.major.title, "minors": d.minors.map { ["title": $0.title] }] as [String: Any]
        }
        data["major_count"] = duties.count
        data["minor_count"] = duties.reduce(0) { $0 + $1.minors.count }
        data["can_edit"] = AccessPolicy.allows(actor, .manageBodies, at: community.path)
        return views.page("jurisdiction/body", context, title: body.name, data: data, status: status, section: "tree")
    }
}
