import Foundation
import GongzhiDomain
import Testing

@Suite struct ParticipationTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var window: VoteWindow { try! VoteWindow(opensAt: t0, closesAt: t0 + 3600) }

    @Test func eachVoterIsCountedOnceAcrossChannels() throws {
        // given persons 1 and 2 on the roll, person 1 voting online
        let roll = try VoterRoll.persons([1, 2])
        var ledger = ParticipationLedger()
        try ledger.admit(1, channel: .online, at: t0 + 10, window: window, roll: roll)
        // when person 1 asks for a paper ballot too
        // then
        #expect(throws: DomainError(.conflict, "vote_already_cast", args: ["person:1", "online"])) {
            try ledger.admit(1, channel: .paper, box: "A", at: t0 + 20, window: window, roll: roll)
        }
        try ledger.admit(2, channel: .paper, box: "A", at: t0 + 20, window: window, roll: roll)
        #expect(ledger.count == 2)
        #expect(ledger.paperCount(box: "A") == 1)
        #expect(ledger.count(.online) == 1)
    }

    @Test func oneVotePerHouseholdWhereTheBasisIsHouseholds() throws {
        // given household 7 with two adults
        let roll = try VoterRoll.households([(id: 7, adults: [1, 2]), (id: 8, adults: [3])])
        var ledger = ParticipationLedger()
        // when
        let first = try ledger.admit(1, channel: .online, at: t0, window: window, roll: roll)
        // then
        #expect(first.voter == .household(7))
        #expect(throws: DomainError(.conflict, "vote_already_cast", args: ["household:7", "online"])) {
            try ledger.admit(2, channel: .online, at: t0 + 1, window: window, roll: roll)
        }
    }

    @Test(arguments: [
        (-1.0, "vote_not_open"),
        (3600.0, "vote_closed"),  // at the very moment of closing
        (7200.0, "vote_closed"),
    ])
    func ballotsOutsideTheWindowAreRefused(offset: Double, key: String) throws {
        let roll = try VoterRoll.persons([1])
        var ledger = ParticipationLedger()
        #expect(throws: DomainError(.conflict, key)) {
            try ledger.admit(1, channel: .online, at: t0 + offset, window: window, roll: roll)
        }
    }

    @Test func theLastMillisecondBeforeClosingCounts() throws {
        let roll = try VoterRoll.persons([1])
        var ledger = ParticipationLedger()
        try ledger.admit(1, channel: .online, at: t0 + 3599.999, window: window, roll: roll)
        #expect(ledger.count == 1)
    }

    @Test func someoneOffTheRollIsRefused() throws {
        let roll = try VoterRoll.persons([1])
        var ledger = ParticipationLedger()
        #expect(throws: DomainError(.forbidden, "vote_not_on_roll")) {
            try ledger.admit(9, channel: .online, at: t0, window: window, roll: roll)
        }
        #expect(throws: DomainError.invalid("vote_paper_box_required", field: "box")) {
            try ledger.admit(1, channel: .paper, at: t0, window: window, roll: roll)
        }
    }

    @Test func aProxyVotesWithTheRecordedMandateOnly() throws {
        // given owner 1 (cast by person 11) who gave person 30 a written mandate
        let roll = try VoterRoll.owners(
            OwnersRoll(parts: [ExclusivePart(id: 1, holder: .owner(1), area: Area("90")!)]), casters: [.owner(1): [11]])
        let mandate = ProxyMandate(
            principal: .ownerHead(.owner(1)), proxyPersonID: 30, document: "委托书-0012",
            signedOn: CalendarDate("2026-05-01")!)
        let proxies = ProxyRules(allowed: true)
        var ledger = ParticipationLedger()
        // when / then without the mandate, and where proxies are not allowed
        #expect(throws: DomainError(.forbidden, "vote_proxy_mandate_missing", args: ["owner:1"])) {
            try ledger.admit(
                30, for: .ownerHead(.owner(1)), channel: .online, at: t0, window: window, roll: roll, proxies: proxies)
        }
        #expect(throws: DomainError(.conflict, "proxy_not_allowed")) {
            try ledger.admit(
                30, for: .ownerHead(.owner(1)), channel: .online, at: t0, window: window, roll: roll,
                mandates: [mandate])
        }
        let record = try ledger.admit(
            30, channel: .online, at: t0, window: window, roll: roll, proxies: proxies, mandates: [mandate])
        #expect(record.byProxy)
        #expect(record.voter == .ownerHead(.owner(1)))
        // and the owner cannot vote again in person
        #expect(throws: DomainError(.conflict, "vote_already_cast", args: ["owner:1", "online"])) {
            try ledger.admit(11, channel: .paper, box: "B", at: t0 + 5, window: window, roll: roll, proxies: proxies)
        }
    }

    @Test func aPersonInTwoHouseholdsCannotBeOnOneRoll() {
        #expect(throws: DomainError.invalid("roll_person_twice", args: ["person:2"])) {
            try VoterRoll.households([(id: 7, adults: [1, 2]), (id: 8, adults: [2])])
        }
        #expect(throws: DomainError.invalid("roll_entry_twice", args: ["person:1"])) { try VoterRoll.persons([1, 1]) }
    }

    @Test func aRollRoundTripsThroughJSON() throws {
        let roll = try VoterRoll.households([(id: 7, adults: [1, 2])])
        let decoded = try JSONDecoder().decode(VoterRoll.self, from: JSONEncoder().encode(roll))
        #expect(decoded == roll)
        #expect(decoded.keys(castableBy: 2) == [.household(7)])
    }
}

@Suite struct ProxyRulesTests {
    static let roll = try! VoterRoll.persons([1, 2, 3, 4, 5, 6])
    static let day = CalendarDate("2026-05-01")!

    static func mandate(_ principal: Int64, to proxy: Int64, document: String = "委托书") -> ProxyMandate {
        ProxyMandate(principal: .person(principal), proxyPersonID: proxy, document: document, signedOn: day)
    }

    @Test func aProxyMayHoldUpToTheCap() throws {
        // given a cap of 3
        let rules = ProxyRules(allowed: true, maxMandatesPerProxy: 3, proxyMustBeOnRoll: true)
        // when / then three pass, a fourth is refused
        try rules.validate([Self.mandate(1, to: 6), Self.mandate(2, to: 6), Self.mandate(3, to: 6)], roll: Self.roll)
        #expect(throws: DomainError.invalid("proxy_too_many_mandates", field: "proxy", args: ["person:6", "3"])) {
            try rules.validate(
                [Self.mandate(1, to: 6), Self.mandate(2, to: 6), Self.mandate(3, to: 6), Self.mandate(4, to: 6)],
                roll: Self.roll)
        }
    }

    @Test func brokenMandatesAreRefused() {
        let rules = ProxyRules(allowed: true, proxyMustBeOnRoll: true)
        let refused: [(ProxyMandate, ProxyMandate?, String, String)] = [
            (Self.mandate(1, to: 1), nil, "proxy_self", "proxy"),
            (Self.mandate(9, to: 2), nil, "proxy_principal_not_on_roll", "principal"),
            (Self.mandate(1, to: 2, document: " "), nil, "proxy_document_required", "document"),
            (Self.mandate(1, to: 99), nil, "proxy_not_on_roll", "proxy"),
            (Self.mandate(1, to: 2), Self.mandate(1, to: 3), "proxy_principal_twice", "principal"),
        ]
        for (first, second, key, field) in refused {
            let principal = (second ?? first).principal.label
            #expect(throws: DomainError.invalid(key, field: field, args: [principal])) {
                try rules.validate([first] + (second.map { [$0] } ?? []), roll: Self.roll)
            }
        }
        #expect(throws: DomainError(.conflict, "proxy_not_allowed")) {
            try ProxyRules.none.validate([Self.mandate(1, to: 2)], roll: Self.roll)
        }
    }
}
