import Foundation
import GongzhiDomain
import Testing

@Suite struct DecisionRuleSetTests {
    let catalogue = DecisionRuleCatalogue.national

    @Test(arguments: [
        ("2021-01-01", "national-2021"),
        ("2025-12-31", "national-2021"),
        ("2026-01-01", "national-2026"),
        ("2026-11-24", "national-2026"),
    ])
    func theSetInForceOnTheDayConvenedIsPicked(day: String, id: String) throws {
        // when
        let set = try catalogue.inForce(on: CalendarDate(day)!)
        // then
        #expect(set.id == id)
    }

    @Test func beforeTheFirstSetNothingIsInForce() {
        #expect(throws: DomainError(.conflict, "rule_set_none_in_force", args: ["2020-12-31"])) {
            try catalogue.inForce(on: CalendarDate("2020-12-31")!)
        }
    }

    @Test func theChangeOn2026_01_01BringsTheNewResidentsMeetingRules() throws {
        // given the day before and the day the revised law took effect
        let old = try catalogue.inForce(on: CalendarDate("2025-12-31")!).rules(for: .residentsMeeting)
        let new = try catalogue.inForce(on: CalendarDate("2026-01-01")!).rules(for: .residentsMeeting)
        // then the 2025 text adds a 10-day notice, drops group representatives and lowers the request to 1/10
        #expect(old.notice == nil)
        #expect(new.notice?.minimumDays == 10)
        #expect(old.quorum?.bases.contains(.groupRepresentatives) == true)
        #expect(new.quorum?.bases == [.adultResidents, .householdRepresentatives])
        #expect(old.conveneOnRequest.first { $0.basis == .adultResidents }?.threshold == .atLeast(.oneFifth))
        #expect(new.conveneOnRequest.first { $0.basis == .adultResidents }?.threshold == .atLeast(.oneTenth))
        #expect(new.basis.map(\.article) == ["26", "27"])
        #expect(new.basis[0].version == "2025-10-28")
    }

    @Test func theRepresentativesAssemblyExistsOnlyFrom2026() throws {
        // given
        let old = try catalogue.inForce(on: CalendarDate("2025-12-31")!)
        // when / then
        #expect(
            throws: DomainError(
                .conflict, "meeting_kind_not_in_rule_set", args: ["representativesAssembly", "national-2021"])
        ) {
            try old.rules(for: .representativesAssembly)
        }
        let assembly = try catalogue.inForce(on: CalendarDate("2026-01-01")!).rules(for: .representativesAssembly)
        #expect(assembly.quorum?.threshold == .atLeast(.twoThirds))
        #expect(assembly.composition?.representatives == .atLeast(.fourFifths))
        #expect(assembly.maximumIntervalMonths == 6)
    }

    @Test func everyMeetingKindHasRulesUnder2026() throws {
        let set = try catalogue.inForce(on: CalendarDate("2026-06-01")!)
        for kind in MeetingKind.allCases {
            let rules = try set.rules(for: kind)
            #expect(!rules.invitees.isEmpty)
            #expect(!rules.basis.isEmpty)
            if kind.isConsultation { #expect(rules.decision == .consultation) }
        }
    }

    @Test func aRegionsOverlayReplacesTheNationalSetThereOnly() throws {
        // given a province's set starting the same day as the national one
        var sichuan = DecisionRuleSet.national2026
        sichuan.id = "sichuan-2026"
        sichuan.region = "51"
        let catalogue = try DecisionRuleCatalogue(sets: [.national2021, .national2026, sichuan])
        // when / then
        #expect(try catalogue.inForce(on: CalendarDate("2026-03-01")!, region: "51").id == "sichuan-2026")
        #expect(try catalogue.inForce(on: CalendarDate("2026-03-01")!, region: "44").id == "national-2026")
        #expect(try catalogue.inForce(on: CalendarDate("2026-03-01")!).id == "national-2026")
        #expect(try catalogue.inForce(on: CalendarDate("2025-03-01")!, region: "51").id == "national-2021")
    }

    @Test func twoSetsStartingTheSameDayAreRefused() {
        var copy = DecisionRuleSet.national2026
        copy.id = "national-2026b"
        #expect(throws: DomainError.invalid("rule_set_same_day", args: ["national-2026b", "2026-01-01"])) {
            try DecisionRuleCatalogue(sets: [.national2026, copy])
        }
        #expect(throws: DomainError.invalid("rule_set_id_twice", args: ["national-2026"])) {
            try DecisionRuleCatalogue(sets: [.national2026, .national2026])
        }
    }

    @Test func aRuleSetIsDataThatRoundTripsThroughJSON() throws {
        // given
        let catalogue = DecisionRuleCatalogue.national
        // when
        let decoded = try JSONDecoder().decode(DecisionRuleCatalogue.self, from: JSONEncoder().encode(catalogue))
        // then
        #expect(decoded == catalogue)
    }
}
