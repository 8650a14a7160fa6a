import Foundation

/// How a dispute is mediated (多元化解): people's, judicial, administrative or police mediation.
public enum MediationMethod: String, CaseIterable, Codable, Sendable { case people, judicial, administrative, police }

/// What a mediation session reached.
public enum MediationOutcome: String, CaseIterable, Codable, Sendable { case agreed, continuing, failed }

/// One mediation session of a dispute: who took part, how, and what was agreed.
public struct MediationSession: Codable, Equatable, Sendable {
    public var at: Date
    public var method: MediationMethod
    public var mediator: String
    public var parties: String
    public var summary: String
    public var agreement: String
    public var outcome: MediationOutcome

    public init(
        at: Date, method: MediationMethod, mediator: String, parties: String, summary: String, agreement: String,
        outcome: MediationOutcome
    ) {
        self.at = at
        self.method = method
        self.mediator = mediator
        self.parties = parties
        self.summary = summary
        self.agreement = agreement
        self.outcome = outcome
    }

    /// A session needs its mediator, parties and a summary; an agreement only when one was reached.
    public func validated() throws(DomainError) -> MediationSession {
        var s = self
        s.mediator = mediator.trimmingCharacters(in: .whitespacesAndNewlines)
        s.parties = parties.trimmingCharacters(in: .whitespacesAndNewlines)
        s.summary = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        s.agreement = agreement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !s.mediator.isEmpty, s.mediator.count <= 80 else {
            throw .invalid("mediation_mediator_required", field: "mediator")
        }
        guard !s.parties.isEmpty, s.parties.count <= 500 else {
            throw .invalid("mediation_parties_required", field: "parties")
        }
        guard !s.summary.isEmpty, s.summary.count <= 4000 else {
            throw .invalid("mediation_summary_required", field: "summary")
        }
        if s.outcome == .agreed, s.agreement.isEmpty {
            throw .invalid("mediation_agreement_required", field: "agreement")
        }
        return s
    }
}

extension DisputeGrade {
    /// 分级负责: ordinary disputes stay with the community, serious ones are watched by the subdistrict, major ones
    /// by the district, from the moment they are filed.
    public var watchLevel: Int {
        switch self {
        case .ordinary: 0
        case .serious: 1
        case .major: 2
        }
    }
}
