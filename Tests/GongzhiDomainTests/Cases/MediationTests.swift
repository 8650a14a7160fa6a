import Foundation
import GongzhiDomain
import Testing

@Suite struct MediationSessionTests {
    func session(
        mediator: String = "调委会李主任", parties: String = "301户、401户", summary: String = "现场查看漏点",
        agreement: String = "", outcome: MediationOutcome = .continuing
    ) -> MediationSession {
        MediationSession(
            at: Date(timeIntervalSince1970: 1_800_000_000), method: .people, mediator: mediator, parties: parties,
            summary: summary, agreement: agreement, outcome: outcome)
    }

    @Test func theTextsAreTrimmed() throws {
        // given
        let raw = session(mediator: " 李主任 ", parties: "\n301户\n", summary: " 查看 ", agreement: " 修复 ", outcome: .agreed)
        // when
        let s = try raw.validated()
        // then
        #expect([s.mediator, s.parties, s.summary, s.agreement] == ["李主任", "301户", "查看", "修复"])
    }

    @Test func aSessionNeedsItsMediatorPartiesAndSummary() {
        // given / when / then
        #expect(throws: DomainError.invalid("mediation_mediator_required", field: "mediator")) {
            try session(mediator: " ").validated()
        }
        #expect(throws: DomainError.invalid("mediation_parties_required", field: "parties")) {
            try session(parties: "").validated()
        }
        #expect(throws: DomainError.invalid("mediation_summary_required", field: "summary")) {
            try session(summary: "\n").validated()
        }
    }

    @Test func theTextsHaveLimits() throws {
        // given / when / then
        _ = try session(
            mediator: String(repeating: "李", count: 80), parties: String(repeating: "户", count: 500),
            summary: String(repeating: "查", count: 4000)
        ).validated()
        #expect(throws: DomainError.invalid("mediation_mediator_required", field: "mediator")) {
            try session(mediator: String(repeating: "李", count: 81)).validated()
        }
        #expect(throws: DomainError.invalid("mediation_parties_required", field: "parties")) {
            try session(parties: String(repeating: "户", count: 501)).validated()
        }
        #expect(throws: DomainError.invalid("mediation_summary_required", field: "summary")) {
            try session(summary: String(repeating: "查", count: 4001)).validated()
        }
    }

    @Test func anAgreementIsRequiredOnlyWhenOneWasReached() throws {
        // given / when / then
        #expect(throws: DomainError.invalid("mediation_agreement_required", field: "agreement")) {
            try session(agreement: "  ", outcome: .agreed).validated()
        }
        _ = try session(outcome: .continuing).validated()
        _ = try session(outcome: .failed).validated()
        #expect(try session(agreement: "401户修复防水", outcome: .agreed).validated().agreement == "401户修复防水")
    }
}
