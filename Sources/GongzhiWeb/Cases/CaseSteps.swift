import Foundation
import GongzhiDomain
import Hummingbird

/// One step of a case: its capability (which names its URL), and how its input becomes a command. The page and the
/// API register every step from this one list.
struct CaseStep: Sendable {
    let capability: CaseCapability
    let fromForm: @Sendable (Form, Date) throws -> CaseCommand
    let fromJSON: @Sendable (Request, AppRequestContext, Date) async throws -> CaseCommand

    static func make<I: Decodable & Sendable>(
        _ capability: CaseCapability, _ input: I.Type, _ command: @escaping @Sendable (I, Date) throws -> CaseCommand
    ) -> CaseStep {
        CaseStep(
            capability: capability, fromForm: { form, now in try command(try form.decode(I.self), now) },
            fromJSON: { request, context, now in
                try command(try await request.decodeInput(I.self, context: context), now)
            })
    }

    static func input<I: CaseStepInput>(_ capability: CaseCapability, _ input: I.Type) -> CaseStep {
        make(capability, input) { i, now in try i.command(now: now) }
    }

    /// Every step but photos (their body is the image itself).
    static let all: [CaseStep] = [
        input(.file, FileInput.self),
        make(.reject, NoteInput.self) { i, _ in .reject(reason: i.text) },
        make(.resolveAtOnce, NoteInput.self) { i, _ in .resolveAtOnce(result: i.text) },
        input(.dispatch, DispatchInput.self),
        make(.acceptHandling, EmptyInput.self) { _, _ in .acceptHandling },
        make(.returnCase, NoteInput.self) { i, _ in .returnCase(reason: i.text) },
        make(.reportBack, NoteInput.self) { i, _ in .reportBack(result: i.text) },
        input(.verify, VerifyInput.self),
        input(.rate, RateInput.self),
        input(.requestExtension, ExtensionInput.self),
        input(.decideExtension, DecisionInput.self),
        make(.escalate, NoteInput.self) { i, _ in .escalate(reason: i.text) },
        make(.referToDeliberation, NoteInput.self) { i, _ in .gridStep(.referToDeliberation, note: i.text) },
        make(.review, NoteInput.self) { i, _ in .gridStep(.review, note: i.text) },
        make(.followUp, NoteInput.self) { i, _ in .gridStep(.followUp, note: i.text) },
        input(.mediate, MediationInput.self),
        input(.merge, MergeInput.self),
        input(.setFacility, FacilityStepInput.self),
    ]
}

extension Request {
    /// The version a client says it acted on: `If-Match: "7"` (or `W/"7"`), for the optimistic lock.
    var ifMatchVersion: Int? {
        guard let value = headers[.ifMatch] else { return nil }
        return Int(
            value.replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
    }
}

extension Case {
    /// The ETag of this version of the case.
    var etag: String { "\"\(version)\"" }
}
