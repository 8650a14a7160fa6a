import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension JurisdictionOutcome: ResponseEncodable {}
extension BodyOutcome: ResponseEncodable {}

/// The jurisdiction tree and its bodies in the JSON API: one route per step with the same input the page's form
/// decodes, calling the same `perform`; `If-Match` carries the version acted on and `ETag` answers with the new one.
struct JurisdictionAPI {
    let services: AppServices
    var store: JurisdictionStore { services.jurisdiction }
    var commands: JurisdictionCommands { services.jurisdictionCommands }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/nodes/:id") { request, context in
            let node = try await store.visible(
                try context.parameters.require("id", as: Int64.self), to: try context.requireActor())
            var response = try node.response(from: request, context: context)
            response.headers[.eTag] = node.etag
            return response
        }
        api.get("/nodes/:id/children") { request, context in
            let actor = try context.requireActor()
            let q = request.uri.queryParameters
            let children = try await store.children(
                of: try context.parameters.require("id", as: Int64.self), for: actor,
                includeClosed: q["closed"] == "true")
            let after = q["cursor"].flatMap { Int64($0) } ?? 0
            let limit = min(500, max(1, Int(q["limit"] ?? "100") ?? 100))
            let all = children.sorted { $0.id < $1.id }.filter { $0.id > after }
            let items = Array(all.prefix(limit))
            return Page(items: items, nextCursor: all.count > limit ? items.last.map { "\($0.id)" } : nil)
        }
        // A new node: a district at the top (no parentId), or the children step of its parent.
        api.post("/nodes") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(NewNodeInput.self, context: context)
            guard let parentID = input.parentId?.value else {
                guard input.kind == NodeKind.district.rawValue else {
                    throw DomainError.invalid("node_needs_parent", field: "parent")
                }
                let node = try await commands.createRoot(actor, name: input.name ?? "", code: input.code)
                return try created(node, request, context)
            }
            let outcome = try await commands.perform(
                actor, parentID, try input.command(), expectedVersion: request.ifMatchVersion)
            return try created(outcome.landing, request, context)
        }
        for step in NodeStep.all where step.name != .children {
            api.post(RouterPath(JurisdictionURL.nodeStepPattern(step.name))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                // Ids outside the caller's reach answer 404 before the body is read, whatever it holds.
                _ = try await store.visible(id, to: actor)
                let command = try await step.fromJSON(request, context)
                let outcome = try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
                var response = try EditedResponse(status: step.creates ? .created : .ok, response: outcome)
                    .response(from: request, context: context)
                response.headers[.eTag] = outcome.node.etag
                return response
            }
        }
        api.get("/nodes/:id/bodies") { _, context in
            let record = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            return Page(items: record.bodies, nextCursor: nil)
        }
        api.get("/bodies/:id") { request, context in
            let record = try await store.bodyRecord(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = try BodyDetail(
                body: record.body, duties: record.duties.map { BodyDetail.Duty(item: $0.item, minors: $0.minors) }
            ).response(from: request, context: context)
            response.headers[.eTag] = record.body.etag
            return response
        }
        for step in BodyStep.all {
            api.post(RouterPath(JurisdictionURL.bodyStepPattern(step.name))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                _ = try await store.visibleBody(id, to: actor)
                let command = try await step.fromJSON(request, context)
                let outcome = try await commands.perform(
                    actor, body: id, command, expectedVersion: request.ifMatchVersion)
                var response = try EditedResponse(status: step.creates ? .created : .ok, response: outcome)
                    .response(from: request, context: context)
                response.headers[.eTag] = outcome.body.etag
                return response
            }
        }
    }

    func created(_ node: Node, _ request: Request, _ context: AppRequestContext) throws -> Response {
        var response = try EditedResponse(status: .created, response: node).response(from: request, context: context)
        response.headers[.eTag] = node.etag
        return response
    }
}
