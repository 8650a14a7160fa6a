import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The number and tracking code a caller (hotline, walk-in) is told, shared by the page and the API.
struct TrackInput: Decodable, Sendable {
    var number: String?
    var code: String?
}

/// A caller's rating: the tracking pair and the same fields as the reporter's rating step.
struct TrackRateInput: Decodable, Sendable {
    var number: String?
    var code: String?
    var rating: String?
    var note: String?
    var reopen: LooseBool?
    var track: TrackInput { TrackInput(number: number, code: code) }
    func command(now: Date) throws -> CaseCommand {
        try RateInput(rating: rating, note: note, reopen: reopen).command(now: now)
    }
}

/// Following a case without an account: a caller gives the case number and tracking code and sees where the case
/// stands, then rates it once it is closed. Wrong pairs count against the address like failed log-ins.
struct CaseTrackPages {
    let services: AppServices
    var views: Views { services.views }
    var store: CaseStore { CaseStore(db: services.db) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(CaseURL.track.path)) { request, context in
            let data = fields(number: request.uri.queryParameters["number"].map(String.init) ?? "", [:], context)
            return views.page("cases/track", context, title: views.t("track_title", context), data: data)
        }
        router.post(RouterPath(CaseURL.track.path)) { request, context in
            let form = try await Form.read(request, context)
            let input = try form.decode(TrackInput.self)
            return try await show(input, context, extra: [:])
        }
        router.post(RouterPath(CaseURL.trackRate.path)) { request, context in
            let form = try await Form.read(request, context)
            let input = try form.decode(TrackRateInput.self)
            do {
                try await services.caseCommands.performAsCaller(
                    number: input.number ?? "", code: input.code ?? "", address: context.remoteAddress,
                    try input.command(now: services.clock.now()))
                return try await show(input.track, context, extra: ["rated": true])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await show(
                    input.track, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
    }

    /// The form's two fields; a refusal is shown beside the number (the code is never echoed back).
    func fields(number: String, _ errors: [String: Any], _ context: AppRequestContext) -> [String: Any] {
        [
            "field_number": FormField.text(
                "number", label: views.t("case_number", context), value: number,
                hint: views.t("track_number_hint", context), errors: errors, maxLength: 40, required: true),
            "field_code": FormField.text(
                "code", label: views.t("caller_code", context), hint: views.t("track_code_hint", context),
                errors: errors, maxLength: 8, required: true),
        ]
    }

    /// The case as its caller sees it, or the form again with the message beside the field.
    func show(
        _ input: TrackInput, _ context: AppRequestContext, extra: [String: Any],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var data = extra
        data["form_number"] = input.number ?? ""
        do {
            let record = try await store.tracked(
                number: input.number ?? "", code: input.code ?? "", address: context.remoteAddress,
                now: services.clock.now())
            let words: CaseViews.Words = { views.t($0, context) }
            data["case"] = CaseViews.facts(
                record.case, place: "", category: record.categoryName ?? "", unit: record.unitName ?? "",
                language: context.language, words: words)
            data["timeline"] = CaseViews.timeline(record.timeline, language: context.language, words: words)
            data["can_rate"] = record.capabilities.contains(.rate)
            data["form_code"] = input.code ?? ""
            data["ratings"] = CaseRating.allCases.enumerated().map { index, rating in
                [
                    "value": rating.rawValue, "label": views.t("case_rating_\(rating.rawValue)", context),
                    "first": index == 0,
                ] as [String: Any]
            }
            return views.page("cases/track", context, title: record.case.number, data: data, status: status)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .tooManyAttempts {
            data.merge(views.formErrors(error, context)) { $1 }
            data.merge(fields(number: input.number ?? "", data, context)) { $1 }
            let code: HTTPResponse.Status = error.kind == .tooManyAttempts ? .tooManyRequests : .unprocessableContent
            return views.page("cases/track", context, title: views.t("track_title", context), data: data, status: code)
        }
    }
}

/// The API of following a case as its caller and of a case's caller for staff.
struct CaseTrackAPI {
    let services: AppServices
    var store: CaseStore { CaseStore(db: services.db) }

    struct TrackedCase: ResponseEncodable {
        var `case`: Case
        var timeline: [CaseEvent]
        var canRate: Bool
    }

    struct CallerAnswer: ResponseEncodable {
        var name: String
        var phone: String
        var trackingCode: String?
    }

    struct RevealInput: Decodable, Sendable {
        var reason: String?
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post(RouterPath(String(CaseURL.apiTrack.path.dropFirst("/api/v1".count)))) { request, context in
            let input = try await request.decodeInput(TrackInput.self, context: context)
            return try await tracked(input, context)
        }
        api.post(RouterPath(String(CaseURL.apiTrackRate.path.dropFirst("/api/v1".count)))) { request, context in
            let input = try await request.decodeInput(TrackRateInput.self, context: context)
            try await services.caseCommands.performAsCaller(
                number: input.number ?? "", code: input.code ?? "", address: context.remoteAddress,
                try input.command(now: services.clock.now()))
            return try await tracked(input.track, context)
        }
        api.get("/cases/:id/caller") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            guard let view = try await store.caller(of: id, for: actor, now: services.clock.now()) else {
                throw DomainError.notFound
            }
            return CallerAnswer(name: view.masked.name, phone: view.masked.phone, trackingCode: view.trackingCode)
        }
        api.post("/cases/:id/caller/reveal") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let input = try await request.decodeInput(RevealInput.self, context: context)
            let caller = try await store.revealCaller(id, for: actor, reason: input.reason ?? "", clock: services.clock)
            return CallerAnswer(name: caller.name, phone: caller.phone, trackingCode: nil)
        }
    }

    func tracked(_ input: TrackInput, _ context: AppRequestContext) async throws -> TrackedCase {
        let record = try await store.tracked(
            number: input.number ?? "", code: input.code ?? "", address: context.remoteAddress,
            now: services.clock.now())
        return TrackedCase(
            case: record.case, timeline: record.timeline, canRate: record.capabilities.contains(.rate))
    }
}
