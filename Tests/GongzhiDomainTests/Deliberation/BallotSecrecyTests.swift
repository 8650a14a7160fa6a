import Foundation
import GongzhiDomain
import Testing

@Suite struct BallotSecrecyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var window: VoteWindow { try! VoteWindow(opensAt: t0, closesAt: t0 + 3600) }
    let bytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x01, 0x23]

    @Test func secrecySwitchesOneWayOnly() throws {
        // given an open vote showing its running results
        let open = SecrecySetting(secrecy: .open, resultsBeforeClose: true)
        // when it goes secret
        let secret = try open.changed(to: .secret, resultsBeforeClose: true)
        // then its results are hidden, existing choices lose their voter, and it never goes back
        #expect(secret.secrecy == .secret)
        #expect(!secret.resultsBeforeClose)
        #expect(secret.requiresUnlinking(from: open))
        #expect(throws: DomainError(.conflict, "secrecy_one_way")) {
            try secret.changed(to: .open, resultsBeforeClose: false)
        }
    }

    @Test func hiddenResultsAreNotShownAgainBeforeTheClose() throws {
        let hidden = try SecrecySetting(secrecy: .open, resultsBeforeClose: true).changed(
            to: .open, resultsBeforeClose: false)
        #expect(throws: DomainError(.conflict, "results_visibility_one_way")) {
            try hidden.changed(to: .open, resultsBeforeClose: true)
        }
    }

    @Test(arguments: [
        (BallotSecrecy.secret, true, 0.0, false),  // a secret ballot hides its results whatever was asked
        (.secret, false, 3599.0, false),
        (.secret, false, 3600.0, true),  // from the close on
        (.open, true, 10.0, true),
        (.open, false, 10.0, false),
    ])
    func resultsAreHiddenBeforeTheClose(secrecy: BallotSecrecy, before: Bool, offset: Double, visible: Bool) {
        let setting = SecrecySetting(secrecy: secrecy, resultsBeforeClose: before)
        #expect(setting.resultsVisible(at: t0 + offset, window: window) == visible)
    }

    @Test func aSecretChoiceRecordCarriesNoVoter() throws {
        // given an admitted participation
        let roll = try VoterRoll.persons([1])
        let participation = try Participation.admit(
            1, channel: .online, at: t0 + 5, window: window, roll: roll, proxies: .none, mandate: nil,
            existing: { _ in nil })
        let spec = try PollSpec(kind: .proposal)
        // when
        let secret = try SecretBallotDesign.records(
            of: .proposal(.yes), spec: spec, participation: participation, secrecy: .secret, receiptBytes: bytes)
        let open = try SecretBallotDesign.records(
            of: .proposal(.yes), spec: spec, participation: participation, secrecy: .open, receiptBytes: bytes)
        // then
        #expect(secret.choice.voter == nil)
        #expect(secret.participation.voter == .person(1))
        #expect(open.choice.voter == .person(1))
        try SecretBallotDesign.checkUnlinked(secret.choice, secrecy: .secret)
        #expect(throws: DomainError(.conflict, "secret_choice_linked")) {
            try SecretBallotDesign.checkUnlinked(open.choice, secrecy: .secret)
        }
        #expect(throws: DomainError.invalid("poll_ballot_invalid", field: "ballot")) {
            try SecretBallotDesign.records(
                of: .consent(.object), spec: spec, participation: participation, secrecy: .secret, receiptBytes: bytes)
        }
    }

    @Test func aReceiptCodeReadsBackAsTheVoterTypesIt() throws {
        // given
        let code = try ReceiptCode(randomBytes: bytes)
        // when
        let typed = code.description.lowercased().replacingOccurrences(of: "1", with: "l")
        // then
        #expect(code.symbols.count == 17)
        #expect(code.description.split(separator: "-").map(\.count) == [4, 4, 4, 4, 1])
        #expect(ReceiptCode(typed) == code)
        #expect(ReceiptCode(code.symbols) == code)
        let json = try JSONEncoder().encode(code)
        #expect(try JSONDecoder().decode(ReceiptCode.self, from: json) == code)
    }

    @Test func aMistypedReceiptSymbolIsCaught() throws {
        // given
        let code = try ReceiptCode(randomBytes: bytes)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        // when every single symbol is changed to every other
        var caught = 0
        var tried = 0
        for i in 0..<16 {
            for replacement in alphabet where replacement != Array(code.symbols)[i] {
                var symbols = Array(code.symbols)
                symbols[i] = replacement
                tried += 1
                if ReceiptCode(String(symbols)) == nil { caught += 1 }
            }
        }
        // then each is refused
        #expect(caught == tried)
        #expect(throws: DomainError(.invalid, "receipt_entropy_short")) { try ReceiptCode(randomBytes: [1, 2, 3]) }
        #expect(ReceiptCode("ABC") == nil)
    }
}
