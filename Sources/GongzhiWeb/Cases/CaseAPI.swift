import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

extension Case: ResponseEncodable {}
extension CaseEvent: ResponseEncodable {}

struct CaseDetail: ResponseEncodable {
    var `case`: Case
    var timeline: [CaseEvent]
    var mediations: [MediationSession]
}
extension MediationSession: ResponseEncodable {}
extension CasePhoto: ResponseEncodable {}

/// The answer to a bulk step: one result per id, in the order asked.
struct BulkAnswer: ResponseEncodable {
    struct Result: Codable, Sendable {
        var id: Int64
        var ok: Bool
        /// The case's status and version after the step, when it was taken.
        var status: String?
        var version: Int?
        /// Why it was not: the problem's kind, its key and the message in the caller's language.
        var error: Problem?
    }
    struct Problem: Codable, Sendable {
        var kind: String
        var key: String
        var detail: String
    }
    var step: String
    var done: Int
    var refused: Int
    var results: [Result]
}

/// The JSON API for cases: the same commands as the pages.
struct CaseAPI {
    let services: AppServices
    var store: CaseStore { CaseStore(db: services.db) }
    var commands: CaseCommands { services.caseCommands }

    struct NewCase: Decodable {
        var title: String
        var description: String
        var placeId: Int64
        var categoryId: Int64?
        var kind: String?
        var channel: String?
        var `public`: Bool?
        var disputeGrade: String?
        /// Hotline and walk-in only: who called or came in (both, or neither for an anonymous caller).
        var callerName: String?
        var callerPhone: String?
        /// The code of the public facility the case is about.
        var facilityCode: String?
    }

    /// A bulk step: which step, on which cases, optionally at which versions (`{"12": 3}`).
    struct BulkInput: Decodable {
        var step: String
        var ids: [Int64]
        var versions: [String: Int]?
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        // One step on many cases, each through the same `perform` as a single step (policy and audit per case).
        api.post("/cases/bulk") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(BulkInput.self, context: context)
            guard let step = CaseBulkStep(rawValue: input.step) else {
                throw DomainError.invalid("case_bulk_step_unknown", field: "step")
            }
            guard !input.ids.isEmpty else { throw DomainError.invalid("case_bulk_none", field: "ids") }
            guard input.ids.count <= CaseBulkStep.maxCases else {
                throw DomainError.invalid("case_bulk_too_many", field: "ids", args: ["\(CaseBulkStep.maxCases)"])
            }
            var versions: [Int64: Int] = [:]
            for (key, value) in input.versions ?? [:] { if let id = Int64(key) { versions[id] = value } }
            let results = try await commands.performEach(actor, input.ids, step, versions: versions).map {
                id, outcome -> BulkAnswer.Result in
                switch outcome {
                case .done(let c):
                    return .init(id: id, ok: true, status: c.status.rawValue, version: c.version)
                case .refused(let error):
                    return .init(
                        id: id, ok: false,
                        error: .init(
                            kind: error.kind.rawValue, key: error.key,
                            detail: services.views.localizer.message(error, context.language)))
                }
            }
            let done = results.filter(\.ok).count
            return BulkAnswer(step: step.rawValue, done: done, refused: results.count - done, results: results)
        }
        api.get("/cases") { request, context in
            let actor = try context.requireActor()
            let q = request.uri.queryParameters
            guard let scope = CaseScope(rawValue: q["view"].map(String.init) ?? "mine") else {
                throw DomainError.invalid("case_view_unknown", field: "view")
            }
            var filter = CaseFilter(scope: scope)
            if let s = q["status"] {
                guard let status = CaseStatus(rawValue: String(s)) else {
                    throw DomainError.invalid("case_status_unknown", field: "status")
                }
                filter.statuses = [status]
            }
            filter.search = q["q"].map(String.init)
            filter.beforeID = q["cursor"].flatMap { Int64($0) }
            filter.limit = min(200, max(1, Int(q["limit"] ?? "50") ?? 50))
            let items = try await store.list(filter, for: actor, now: services.clock.now())
            // Written directly: the same bytes as `Page` through the response encoder, in a fraction of the time.
            return CaseListJSON.response(
                items, nextCursor: items.count == filter.limit ? items.last.map { "\($0.id)" } : nil)
        }
        api.post("/cases") { request, context in
            let actor = try context.requireActor()
            let body = try await request.decode(as: NewCase.self, context: context)
            var submission = CaseSubmission(
                kind: body.kind.flatMap(CaseKind.init(rawValue:)) ?? .appeal,
                channel: body.channel.flatMap(CaseChannel.init(rawValue:)) ?? .web,
                title: body.title, description: body.description, categoryID: body.categoryId, nodeID: body.placeId,
                isPublic: body.public ?? false)
            submission.disputeGrade = body.disputeGrade.flatMap(DisputeGrade.init(rawValue:))
            submission.facilityCode = body.facilityCode
            if body.callerName != nil || body.callerPhone != nil {
                submission.caller = try Caller.validate(name: body.callerName ?? "", phone: body.callerPhone ?? "")
            }
            let created = try await commands.submit(
                actor, submission, idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
            var response = try EditedResponse(status: .created, response: created).response(
                from: request, context: context)
            response.headers[.eTag] = created.etag
            return response
        }
        api.get("/cases/:id") { request, context in
            let record = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            var response = try CaseDetail(case: record.case, timeline: record.timeline, mediations: record.mediations)
                .response(from: request, context: context)
            response.headers[.eTag] = record.case.etag
            return response
        }
        api.get("/cases/:id/photos") { _, context in
            let photos = try await store.photos(
                of: try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            return Page(items: photos, nextCursor: nil)
        }
        api.post("/cases/:id/photos") { request, context in
            // The body is the image itself; its bytes, not its Content-Type, decide whether it is accepted.
            let id = try context.parameters.require("id", as: Int64.self)
            let actor = try context.requireActor()
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let bytes = try await request.body.collect(upTo: BodyLimits.upload)
            try await commands.perform(
                actor, id, .addPhoto(bytes: bytes.getBytes(at: bytes.readerIndex, length: bytes.readableBytes) ?? []),
                expectedVersion: request.ifMatchVersion)
            guard let photo = try await store.photos(of: id, for: actor, now: services.clock.now()).last else {
                throw DomainError.notFound
            }
            return EditedResponse(status: .created, response: photo)
        }
        // One route per step, with the same input the page's form decodes; `If-Match` carries the version acted on.
        for step in CaseStep.all {
            api.post(RouterPath(CaseURL.stepPattern(step.capability))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                // Ids outside the caller's reach answer 404 before the body is read, whatever it holds.
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let command = try await step.fromJSON(request, context, services.clock.now())
                try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
                let record = try await store.record(id, for: actor, now: services.clock.now())
                var response = try record.case.response(from: request, context: context)
                response.headers[.eTag] = record.case.etag
                return response
            }
        }
    }
}
