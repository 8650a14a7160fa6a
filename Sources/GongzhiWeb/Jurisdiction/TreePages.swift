import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The jurisdiction tree browser: each node with its children, bodies, estates and history, each body with its duty
/// list, and the forms to change them for those allowed to — one route per step, calling the same `perform` as the
/// API.
struct TreePages {
    let services: AppServices
    var views: Views { services.views }
    var store: JurisdictionStore { services.jurisdiction }
    var commands: JurisdictionCommands { services.jurisdictionCommands }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(JurisdictionURL.tree.path)) { _, context in
            let actor = try context.requireActor()
            // Start at the highest node the user holds a role at.
            guard let top = actor.grants.min(by: { $0.nodePath.count < $1.nodePath.count }) else {
                throw DomainError.notFound
            }
            let roots = try await store.roots()
            if actor.holds(.systemAdmin), roots.count != 1 {
                return views.page(
                    "jurisdiction/roots", context, title: views.t("nav_tree", context),
                    data: ["roots": roots.map { ["id": $0.id, "name": $0.name] }], section: "tree")
            }
            return Response.redirect(to: JurisdictionURL.node(top.nodeID).path)
        }
        router.get("/nodes/:id") { request, context in try await nodePage(request, context) }
        for step in NodeStep.all {
            router.post(RouterPath(JurisdictionURL.nodeStepPattern(step.name))) { request, context in
                try await take(step, request, context)
            }
        }
        router.post("/nodes/:id/import") { request, context in try await importRows(request, context) }
        router.get("/nodes/:id/tree.csv") { request, context in try await export(request, context, bodies: false) }
        router.get("/nodes/:id/bodies.csv") { request, context in try await export(request, context, bodies: true) }
        router.get("/bodies/:id") { request, context in try await bodyPage(request, context) }
        for step in BodyStep.all {
            router.post(RouterPath(JurisdictionURL.bodyStepPattern(step.name))) { request, context in
                try await take(step, request, context)
            }
        }
    }

    /// Takes one step on a node from its form, with the page's version as the optimistic lock; an error shows the
    /// node page again with the message beside the field.
    func take(_ step: NodeStep, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await Form.read(request, context)
        do {
            let outcome = try await commands.perform(
                actor, id, try step.fromForm(form), expectedVersion: form.int("version").map(Int.init))
            if let body = outcome.body { return Response.redirect(to: JurisdictionURL.body(body.id).path) }
            return Response.redirect(to: JurisdictionURL.node(outcome.landing.id).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var extra = views.formErrors(error, context)
            extra["open_form"] = step.name.rawValue
            return try await nodePage(request, context, extra: extra, status: .unprocessableContent)
        }
    }

    func take(_ step: BodyStep, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await Form.read(request, context)
        do {
            try await commands.perform(
                actor, body: id, try step.fromForm(form), expectedVersion: form.int("version").map(Int.init))
            return Response.redirect(to: JurisdictionURL.body(id).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await bodyPage(
                request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
        }
    }

    func nodePage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let showClosed = request.uri.queryParameters["closed"] == "1"
        let record = try await store.record(id, for: actor, includeClosed: showClosed)
        var data = extra
        data["page"] = JurisdictionViews.node(
            record, showClosed: showClosed, language: context.language, words: { views.t($0, context) })
        // Counts of the subtree for those who read its cases as area staff (two queries).
        if actor.areas.contains(where: { NodePath.isInside(record.node.path, $0.nodePath) }) {
            let now = services.clock.now()
            let monthStart = JurisdictionViews.monthStart(now)
            if let cases = try await CaseStore(db: services.db).counts(
                inside: record.node.path, kind: record.node.kind, for: actor, now: now, closedSince: monthStart)
            {
                let residents = try await AccountStore(db: services.db).residentAccounts(inside: record.node.path)
                data["area_counts"] = JurisdictionViews.areaCounts(
                    cases, residents: residents, nodeID: record.node.id, monthStart: monthStart)
            }
        }
        // Moving asks for a place by name, never an id: a search over the actor's areas, only nodes that may hold it.
        let query = request.uri.queryParameters["parent_q"].map(String.init) ?? ""
        data["parent_q"] = query
        if record.capabilities.contains(.move), !query.isEmpty {
            let node = record.node
            let found = try await store.search(inside: actor.grants.map(\.nodePath), query: query).filter {
                $0.kind.mayHold(node.kind) && $0.id != node.parentID && !NodePath.isInside($0.path, node.path)
            }
            let labels = try await store.pathLabels(found)
            data["parents"] = found.map { ["id": $0.id, "label": labels[$0.id] ?? $0.name] as [String: Any] }
            data["has_parents"] = !found.isEmpty
            data["searched"] = true
        }
        return views.page(
            "jurisdiction/node", context, title: record.node.name, data: data, status: status, section: "tree")
    }

    func bodyPage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let record = try await store.bodyRecord(try context.parameters.require("id", as: Int64.self), for: actor)
        var data = extra
        data["page"] = JurisdictionViews.body(record, words: { views.t($0, context) })
        return views.page(
            "jurisdiction/body", context, title: record.body.name, data: data, status: status, section: "tree")
    }

    func importRows(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        // Rows are read only for a node the caller may see: others get 404, as for a missing id.
        _ = try await store.visible(id, to: actor)
        let form = try await Form.read(request, context)
        do {
            let count =
                form["what"] == "bodies"
                ? try await services.exchange.importBodies(actor, csv: form["csv"])
                : try await services.exchange.importTree(actor, csv: form["csv"])
            return try await nodePage(
                request, context, extra: ["notice": views.t("import_done", context, ["\(count)"])])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var extra = views.formErrors(error, context)
            extra["form_csv"] = form["csv"]
            return try await nodePage(request, context, extra: extra, status: .unprocessableContent)
        }
    }

    /// The subtree or its bodies as CSV: UTF-8 as the import reads it, or GB18030 with `?encoding=gb18030`.
    func export(_ request: Request, _ context: AppRequestContext, bodies: Bool) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let csv =
            bodies
            ? try await services.exchange.exportBodies(actor, rootID: id)
            : try await services.exchange.exportTree(actor, rootID: id)
        return CSVEncoding(query: request.uri.queryParameters["encoding"]).response(
            csv, filename: "\(bodies ? "bodies" : "tree")-\(id).csv", bom: false)
    }
}
