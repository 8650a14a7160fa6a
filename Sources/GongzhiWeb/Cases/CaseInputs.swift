import Foundation
import GongzhiDomain

/// One decodable input per step of a case, shared by the form and the JSON API: both decode the same type and
/// turn it into the same `CaseCommand` (`CaseRoutes` pairs each step with its input).
protocol CaseStepInput: Decodable, Sendable {
    func command(now: Date) throws -> CaseCommand
}

struct FileInput: CaseStepInput {
    var category: LooseInt?
    func command(now: Date) throws -> CaseCommand { .file(categoryID: category?.value) }
}

/// The steps that take only a note: reject, resolve at once, return, report back, escalate and the grid steps.
struct NoteInput: Decodable, Sendable {
    var note: String?
    var text: String { note ?? "" }
}

struct DispatchInput: CaseStepInput {
    var unit: LooseInt?
    func command(now: Date) throws -> CaseCommand { .dispatch(unitID: unit?.value) }
}

struct EmptyInput: Decodable, Sendable {}

struct VerifyInput: CaseStepInput {
    var passed: LooseBool
    var note: String?
    func command(now: Date) throws -> CaseCommand { .verify(passed: passed.value, note: note ?? "") }
}

struct RateInput: CaseStepInput {
    var rating: String?
    var note: String?
    var reopen: LooseBool?
    func command(now: Date) throws -> CaseCommand {
        guard let rating = rating.flatMap(CaseRating.init(rawValue:)) else {
            throw DomainError.invalid("case_rating_required", field: "rating")
        }
        return .rate(rating, comment: note ?? "", reopen: reopen?.value ?? false)
    }
}

struct ExtensionInput: CaseStepInput {
    /// The day (YYYY-MM-DD) the work will be done by; the deadline is the end of that working day.
    var until: String?
    var note: String?
    func command(now: Date) throws -> CaseCommand {
        let day = try CaseMeasuresPage.day(until ?? "", field: "until")
        return .requestExtension(until: day.addingTimeInterval(18 * 3600), reason: note ?? "")
    }
}

struct DecisionInput: CaseStepInput {
    var approve: LooseBool
    var note: String?
    func command(now: Date) throws -> CaseCommand { .decideExtension(approve: approve.value, note: note ?? "") }
}

struct MediationInput: CaseStepInput {
    var method: String?
    var mediator: String?
    var parties: String?
    var summary: String?
    var agreement: String?
    var outcome: String?
    func command(now: Date) throws -> CaseCommand {
        guard let method = MediationMethod(rawValue: method ?? "") else {
            throw DomainError.invalid("mediation_method_unknown", field: "method")
        }
        guard let outcome = MediationOutcome(rawValue: outcome ?? "") else {
            throw DomainError.invalid("mediation_method_unknown", field: "outcome")
        }
        return .mediate(
            MediationSession(
                at: now, method: method, mediator: mediator ?? "", parties: parties ?? "", summary: summary ?? "",
                agreement: agreement ?? "", outcome: outcome))
    }
}

/// The facility a case is about, by its code; empty clears it.
struct FacilityStepInput: CaseStepInput {
    var facility: String?
    func command(now: Date) throws -> CaseCommand { .setFacility(code: facility ?? "") }
}

struct MergeInput: CaseStepInput {
    var into: String?
    func command(now: Date) throws -> CaseCommand {
        .merge(intoNumber: (into ?? "").trimmingCharacters(in: .whitespaces))
    }
}
