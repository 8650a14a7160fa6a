import Foundation
import GongzhiDomain
import Testing

@Suite struct MeetingRulesTests {
    static let set2026 = DecisionRuleSet.national2026
    static let residents = try! set2026.rules(for: .residentsMeeting)
    static let assembly = try! set2026.rules(for: .representativesAssembly)

    @Test(arguments: [
        // basis, entitled, present, yes, quorate, passed
        (CountBasis.adultResidents, 200, 100, 100, false, false),  // exactly half present is no quorum
        (.adultResidents, 200, 101, 51, true, true),
        (.adultResidents, 200, 101, 50, true, false),  // 50 of 101 is not more than half
        (.adultResidents, 200, 102, 51, true, false),  // exactly half of those present fails
        (.householdRepresentatives, 80, 41, 21, true, true),
        (.householdRepresentatives, 80, 40, 40, false, false),
    ])
    func aResidentsMeetingNeedsMoreThanHalfPresentAndMoreThanHalfOfThem(
        basis: CountBasis, entitled: Int, present: Int, yes: Int, quorate: Bool, passed: Bool
    ) throws {
        // when
        let outcome = try Self.residents.decide(
            on: basis, entitled: entitled, present: present, yes: yes, ruleSetID: Self.set2026.id)
        // then
        #expect(outcome.isQuorate == quorate)
        #expect(outcome.passed == passed)
        #expect(outcome.checks.map(\.kind) == [.attendance, .majority])
        #expect(outcome.ruleSetID == "national-2026")
    }

    @Test func aFailedResultSaysWhyWithItsArithmetic() throws {
        // given half the adults present
        let outcome = try Self.residents.decide(
            on: .adultResidents, entitled: 200, present: 100, yes: 90, ruleSetID: "national-2026")
        // then
        #expect(outcome.reason == DomainError(.conflict, "vote_attendance_short", args: ["100/200 = 50.0%", "> 1/2"]))
        #expect(outcome.check(.majority)?.isMet == true)
    }

    @Test func groupRepresentativesAreNoLongerABasisFrom2026() throws {
        #expect(
            throws: DomainError.invalid("meeting_basis_not_allowed", field: "basis", args: ["groupRepresentatives"])
        ) {
            try Self.residents.decide(on: .groupRepresentatives, entitled: 30, present: 20, yes: 20, ruleSetID: "x")
        }
        let old = try DecisionRuleSet.national2021.rules(for: .residentsMeeting)
        #expect(try old.decide(on: .groupRepresentatives, entitled: 30, present: 16, yes: 9, ruleSetID: "x").passed)
    }

    @Test(arguments: [(10, 11, 5), (10, 5, 6), (-1, 0, 0)])
    func impossibleCountsAreRefused(entitled: Int, present: Int, yes: Int) {
        #expect(throws: DomainError.invalid("meeting_count_invalid", field: "present")) {
            try Self.residents.decide(
                on: .adultResidents, entitled: entitled, present: present, yes: yes, ruleSetID: "x")
        }
    }

    @Test(arguments: [
        // members, representatives, present, yes, passed, failing check
        (30, 24, 20, 11, true, CheckKind?.none),  // 4/5 representatives, exactly 2/3 present
        (30, 23, 30, 30, false, .composition),  // 23/30 < 4/5
        (30, 24, 19, 19, false, .attendance),  // 19/30 < 2/3
        (30, 24, 20, 10, false, .majority),  // exactly half of those present
    ])
    func theRepresentativesAssemblyChecksItsMakeUpQuorumAndMajority(
        members: Int, representatives: Int, present: Int, yes: Int, passed: Bool, failing: CheckKind?
    ) throws {
        // when
        let outcome = try Self.assembly.decide(
            on: .members, entitled: members, present: present, yes: yes,
            composition: (members: members, representatives: representatives), ruleSetID: "national-2026")
        // then
        #expect(outcome.passed == passed)
        #expect(outcome.failures.first?.kind == failing)
        #expect(outcome.checks.map(\.kind) == [.composition, .attendance, .majority])
    }

    @Test(arguments: [
        ("2026-03-31", "2026-09-30", false),
        ("2026-03-31", "2026-10-01", true),
        ("2026-08-31", "2027-02-28", false),  // six months after 31 August ends with February
        ("2026-08-31", "2027-03-01", true),
        ("2027-08-31", "2028-02-29", false),
    ])
    func theAssemblyIsOverdueSixMonthsAfterItsLastMeeting(last: String, today: String, overdue: Bool) {
        #expect(
            Self.assembly.isNextMeetingOverdue(lastMeeting: CalendarDate(last)!, today: CalendarDate(today)!) == overdue
        )
    }

    @Test func kindsWithoutARhythmAreNeverOverdue() {
        #expect(Self.residents.nextMeetingDue(after: CalendarDate("2020-01-01")!) == nil)
        #expect(
            !Self.residents.isNextMeetingOverdue(
                lastMeeting: CalendarDate("2020-01-01")!, today: CalendarDate("2026-01-01")!))
    }

    @Test(arguments: [
        ("2026-03-01", "2026-03-11", nil as String?, nil as [String]?),  // exactly 10 days
        ("2026-03-01", "2026-03-10", nil, ["10", "9"]),
        ("2026-03-01", "2026-03-05", "暴雨抢险", nil),  // shorter with the special reason recorded
        ("2026-03-01", "2026-03-05", "  ", ["10", "4"]),
    ])
    func aResidentsMeetingIsAnnouncedTenDaysBefore(
        announced: String, meeting: String, reason: String?, refusal: [String]?
    ) {
        // given
        let notice = Self.residents.notice!
        // when
        let check = {
            try notice.check(
                announcedOn: CalendarDate(announced)!, meetingOn: CalendarDate(meeting)!, specialReason: reason)
        }
        // then
        if let refusal {
            #expect(throws: DomainError.invalid("meeting_notice_too_short", field: "announced_on", args: refusal)) {
                try check()
            }
        } else {
            #expect(throws: Never.self) { try check() }
        }
    }

    @Test func anOwnersAssemblyNoticeCannotBeShortened() throws {
        let owners = try Self.set2026.rules(for: .ownersAssembly)
        #expect(throws: DomainError.invalid("meeting_notice_too_short", field: "announced_on", args: ["15", "14"])) {
            try owners.notice!.check(
                announcedOn: CalendarDate("2026-03-01")!, meetingOn: CalendarDate("2026-03-15")!,
                specialReason: "急需维修")
        }
        #expect(throws: DomainError.invalid("meeting_notice_after_meeting", field: "announced_on")) {
            try owners.notice!.check(announcedOn: CalendarDate("2026-03-02")!, meetingOn: CalendarDate("2026-03-01")!)
        }
    }

    @Test(arguments: [
        (CountBasis.adultResidents, 100, 1000, true),  // exactly 1/10 obliges the committee
        (.adultResidents, 99, 1000, false),
        (.residentsRepresentatives, 10, 30, true),  // 1/3 of representatives
        (.residentsRepresentatives, 9, 30, false),
    ])
    func aRequestOfOneTenthObligesTheCommitteeToConvene(basis: CountBasis, signatures: Int, total: Int, obliged: Bool) {
        #expect(Self.residents.conveneCheck(signatures: signatures, of: total, on: basis)?.isMet == obliged)
    }

    @Test func consultationsDoNotDecideByMajority() throws {
        let council = try Self.set2026.rules(for: .council)
        #expect(throws: DomainError(.conflict, "meeting_rule_not_majority", args: ["council"])) {
            try council.decide(on: .members, entitled: 10, present: 10, yes: 10, ruleSetID: "x")
        }
        #expect(try Self.set2026.rules(for: .hearing).invitees.contains(.experts))
        #expect(try Self.set2026.rules(for: .jointMeeting).invitees.contains(.residentUnits))
    }

    @Test func oneSignaturePerHouseholdWhereTheBasisIsHouseholds() throws {
        // given
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let sheet = try AttendanceSheet(basis: .householdRepresentatives).signed(1, household: 7, at: t0)
        // when / then
        #expect(throws: DomainError(.conflict, "attendance_household_signed", args: ["7"])) {
            try sheet.signed(2, household: 7, at: t0)
        }
        #expect(throws: DomainError.invalid("attendance_household_required", field: "household")) {
            try sheet.signed(3, household: nil, at: t0)
        }
        #expect(try sheet.signed(3, household: 8, at: t0).present == 2)
        // on adults, two members of one household both count, but nobody twice
        let adults = try AttendanceSheet(basis: .adultResidents).signed(1, household: 7, at: t0).signed(
            2, household: 7, at: t0)
        #expect(adults.present == 2)
        #expect(throws: DomainError(.conflict, "attendance_signed_twice")) {
            try adults.signed(1, household: 7, at: t0)
        }
    }

    @Test func publishedMinutesChangeOnlyByARecordedAmendment() throws {
        // given published minutes
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let draft = try Minutes(draft: "初稿").edited("到会 52 人，议定加装电梯。")
        let published = try draft.published(at: t0)
        // when editing, amending without a reason, without a change, and properly
        #expect(throws: DomainError(.conflict, "minutes_published_amend_instead")) { try published.edited("改") }
        #expect(throws: DomainError.invalid("minutes_amendment_reason_required", field: "reason")) {
            try published.amended("到会 53 人，议定加装电梯。", reason: " ", by: 5, at: t0)
        }
        #expect(throws: DomainError.invalid("minutes_amendment_unchanged", field: "text")) {
            try published.amended("到会 52 人，议定加装电梯。", reason: "核对", by: 5, at: t0)
        }
        let amended = try published.amended("到会 53 人，议定加装电梯。", reason: "签到表漏记一人", by: 5, at: t0 + 60)
        // then the published text stays and the amendment records what it read before
        #expect(amended.text == "到会 52 人，议定加装电梯。")
        #expect(amended.currentText == "到会 53 人，议定加装电梯。")
        #expect(
            amended.amendments == [
                MinutesAmendment(
                    number: 1, at: t0 + 60, byUserID: 5, reason: "签到表漏记一人", previousText: "到会 52 人，议定加装电梯。",
                    newText: "到会 53 人，议定加装电梯。")
            ])
        #expect(throws: DomainError(.conflict, "minutes_not_published")) {
            try draft.amended("x", reason: "y", by: 5, at: t0)
        }
        #expect(throws: DomainError(.conflict, "minutes_already_published")) { try published.published(at: t0) }
    }
}
