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
    }

    struct NewMediation: Decodable {
        var method: String
        var mediator: String
        var parties: String
        var summary: String
        var agreement: String?
        var outcome: String
    }

    struct Step: Decodable {
        var step: String
        var note: String?
        var categoryId: Int64?
        var unitId: Int64?
        var rating: String?
        var reopen: Bool?
        var expectedVersion: Int?
        var until: String?
        var into: String?
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/cases") { request, context in
            let actor = try context.requireActor()
            let q = request.uri.queryParameters
            var filter = CaseFilter()
            switch q["view"].map(String.init) ?? "mine" {
            case "area":
                guard let grant = actor.grants.filter({ $0.role.isStaff && $0.role != .departmentHandler })
                    .min(by: { $0.nodePath.count < $1.nodePath.count }) else { throw DomainError.forbidden }
                filter.scopePath = grant.nodePath
            case "unit": filter.unitIDs = Array(try await CaseSetupStore.memberships(services.db, userID: actor.userID))
            case "mine": filter.reporterUserID = actor.userID
            default: throw DomainError.invalid("case_view_unknown", field: "view")
            }
            if let s = q["status"] {
                guard let status = CaseStatus(rawValue: String(s)) else { throw DomainError.invalid("case_status_unknown", field: "status") }
                filter.statuses = [status]
            }
            filter.search = q["q"].map(String.init)
            filter.beforeID = q["cursor"].flatMap { Int64($0) }
            filter.limit = min(200, max(1, Int(q["limit"] ?? "50") ?? 50))
            let items = try await store.list(filter)
            // Unit handlers listing their work do not learn who reported it.
            let visible = filter.unitIDs == nil ? items : items.map { c -> Case in
                var c = c
                if c.reporterUserID != actor.userID { c.reporterUserID = nil }
                return c
            }
            return Page(items: visible, nextCursor: items.count == filter.limit ? items.last.map { "\($0.id)" } : nil)
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
            let created = try await commands.submit(actor, submission, idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
            return EditedResponse(status: .created, response: created)
        }
        api.get("/cases/:id") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            guard let (subject, path) = try await store.find(id) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
            guard CaseAccess.canRead(actor, subject, path: path, units: units) else { throw DomainError.outsideJurisdiction }
            let (visible, timeline) = CaseAccess.redacted(subject, try await store.events(of: id), for: actor, path: path)
            return CaseDetail(case: visible, timeline: timeline, mediations: try await store.mediations(of: id))
        }
        api.get("/cases/:id/photos") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            guard let (subject, path) = try await store.find(id) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
            guard CaseAccess.canRead(actor, subject, path: path, units: units) else { throw DomainError.outsideJurisdiction }
            return Page(items: try await store.photos(of: id), nextCursor: nil)
        }
        api.post("/cases/:id/photos") { request, context in
            // The body is the image itself; its bytes, not its Content-Type, decide whether it is accepted.
            let bytes = try await request.body.collect(upTo: PhotoRules.maxBytes + 1)
            let photo = try await commands.addPhoto(try context.requireActor(), caseID: try context.parameters.require("id", as: Int64.self),
                                                    bytes: bytes.getBytes(at: bytes.readerIndex, length: bytes.readableBytes) ?? [])
            return EditedResponse(status: .created, response: photo)
        }
        api.post("/cases/:id/mediations") { request, context in
            let body = try await request.decode(as: NewMediation.self, context: context)
            guard let method = MediationMethod(rawValue: body.method), let outcome = MediationOutcome(rawValue: body.outcome) else {
                throw DomainError.invalid("mediation_method_unknown", field: "method")
            }
            let session = try await commands.recordMediation(
                try context.requireActor(), caseID: try context.parameters.require("id", as: Int64.self),
                MediationSession(at: services.clock.now(), method: method, mediator: body.mediator, parties: body.parties,
                                 summary: body.summary, agreement: body.agreement ?? "", outcome: outcome))
            return EditedResponse(status: .created, response: session)
        }
        api.post("/cases/:id/actions") { request, context in
            let result = try await takeStep(request, context)
            let actor = try context.requireActor()
            guard let (_, path) = try await store.find(result.id) else { return result }
            return CaseAccess.redacted(result, [], for: actor, path: path).0
        }
    }

    func takeStep(_ request: Request, _ context: AppRequestContext) async throws -> Case {
        do {
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let body = try await request.decode(as: Step.self, context: context)
            switch body.step {
            case "merge":
                guard let (primary, _) = try await store.find(number: body.into ?? "") else { throw DomainError.invalid("merge_case_unknown", field: "into") }
                return try await commands.mergeDuplicate(actor, duplicateID: id, into: primary.id)
            case "request_extension":
                let until = try CaseMeasuresPage.day(body.until ?? "", field: "until").addingTimeInterval(18 * 3600)
                try await commands.requestExtension(actor, caseID: id, until: until, reason: body.note ?? "")
                guard let (updated, _) = try await store.find(id) else { throw DomainError.notFound }
                return updated
            case "approve_extension", "refuse_extension":
                return try await commands.decideExtension(actor, caseID: id, approve: body.step == "approve_extension", note: body.note ?? "")
            default: break
            }
            if let step = GridStep(rawValue: body.step) {
                return try await commands.gridStep(actor, caseID: id, step, note: body.note ?? "")
            }
            if body.step == "escalate" {
                return try await commands.escalate(actor, caseID: id, reason: body.note ?? "")
            }
            var form = Form(values: ["step": [body.step], "note": [body.note ?? ""], "rating": [body.rating ?? ""],
                                     "reopen": [body.reopen == true ? "1" : ""]])
            if let c = body.categoryId { form.values["category"] = ["\(c)"] }
            if let u = body.unitId { form.values["unit"] = ["\(u)"] }
            let action = try CasePages.action(from: form)
            if case .dispatch(let unit, _, _) = action {
                return try await commands.dispatchByRule(actor, caseID: id, unitID: unit == 0 ? nil : unit)
            }
            return try await commands.act(actor, caseID: id, action, expectedVersion: body.expectedVersion)
        }
    }
}
