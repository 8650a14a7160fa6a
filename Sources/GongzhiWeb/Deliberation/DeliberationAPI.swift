import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

extension Topic: ResponseEncodable {}
extension TopicComment: ResponseEncodable {}

/// A topic as the API answers it: the topic, how far it is from its threshold, what the caller may do, its
/// timeline, linked cases and discussion.
struct TopicDetail: ResponseEncodable {
    var topic: Topic
    var progress: CoSignatureProgress
    var capabilities: [String]
    var timeline: [TopicEvent]
    var cases: [TopicCase]
    var comments: [TopicComment]
}

/// The JSON API for topics: the same commands as the pages.
struct DeliberationAPI {
    let services: AppServices
    var store: TopicStore { TopicStore(db: services.db) }
    var commands: TopicCommands { services.topicCommands }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/topics") { request, context in
            let actor = try context.requireActor()
            let q = request.uri.queryParameters
            var filter = TopicFilter(mine: q["mine"] == "1" || q["mine"] == "true")
            if let s = q["state"] {
                guard let state = TopicState(rawValue: String(s)) else {
                    throw DomainError.invalid("topic_state_unknown", field: "state")
                }
                filter.state = state
            }
            filter.search = q["q"].map(String.init)
            filter.beforeID = q["cursor"].flatMap { Int64($0) }
            filter.limit = min(200, max(1, Int(q["limit"] ?? "50") ?? 50))
            let items = try await store.list(filter, for: actor)
            return Page(items: items, nextCursor: items.count == filter.limit ? items.last.map { "\($0.id)" } : nil)
        }
        api.post("/topics") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(RaiseInput.self, context: context)
            var topic = try await commands.raise(
                actor, try input.proposal(), idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
            if input.submit?.value == true, topic.state == .draft {
                topic = try await commands.perform(actor, topic.id, .submit, expectedVersion: topic.version)
            }
            var response = try EditedResponse(status: .created, response: topic).response(
                from: request, context: context)
            response.headers[.eTag] = topic.etag
            return response
        }
        api.get("/topics/:id") { request, context in
            let actor = try context.requireActor()
            let r = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: actor, now: services.clock.now())
            return try detail(r, request, context)
        }
        for step in TopicStep.all {
            api.post(RouterPath(DeliberationURL.stepPattern(step.capability, api: true))) { request, context in
                try await take(request, context) { actor, id in
                    let command = try step.fromData(try await request.stepData(context: context))
                    return try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
                }
            }
        }
        api.post(RouterPath(DeliberationURL.stepPattern(.linkCase, api: true))) { request, context in
            try await take(request, context) { actor, id in
                let input = try await request.decodeInput(TopicLinkCaseInput.self, context: context)
                return try await commands.linkCase(
                    actor, id, caseNumber: input.caseNumber ?? "", expectedVersion: request.ifMatchVersion)
            }
        }
        api.post("/topics/:id/comments") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let input = try await request.decodeInput(TopicCommentInput.self, context: context)
            let comment = try await commands.comment(actor, id, text: input.comment ?? "")
            return EditedResponse(status: .created, response: comment)
        }
        api.post("/topic-comments/:id/hide") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.topicID(ofComment: id, for: actor, now: services.clock.now())
            let input = try await request.decodeInput(TopicCommentInput.self, context: context)
            return try await commands.hideComment(actor, id, reason: input.reason ?? "")
        }
        api.post("/topic-comments/:id/report") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.topicID(ofComment: id, for: actor, now: services.clock.now())
            let input = try await request.decodeInput(TopicCommentInput.self, context: context)
            try await commands.reportComment(actor, id, reason: input.reason ?? "")
            return Response(status: .noContent)
        }
    }

    /// A step: ids outside the caller's reach answer 404 before the body is read; the answer is the topic after it.
    func take(
        _ request: Request, _ context: AppRequestContext, _ step: (Actor, Int64) async throws -> Topic
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        try await store.requireVisible(id, to: actor, now: services.clock.now())
        let next = try await step(actor, id)
        var response = try next.response(from: request, context: context)
        response.headers[.eTag] = next.etag
        return response
    }

    func detail(_ r: TopicRecord, _ request: Request, _ context: AppRequestContext) throws -> Response {
        var response = try TopicDetail(
            topic: r.topic, progress: r.progress, capabilities: r.capabilities.map(\.rawValue).sorted(),
            timeline: r.timeline, cases: r.cases, comments: r.comments
        ).response(from: request, context: context)
        response.headers[.eTag] = r.topic.etag
        return response
    }
}
