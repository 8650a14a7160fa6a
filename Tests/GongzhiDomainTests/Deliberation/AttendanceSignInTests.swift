import Foundation
import GongzhiDomain
import Testing

@Suite struct AttendanceSignInTests {
    static let now = MeetingWorkflowTests.now
    static let residents = MeetingWorkflowTests.rules(.residentsMeeting)

    static func adult(_ id: Int64, household: Int64?, inScope: Bool = true) -> AttendanceSigner {
        AttendanceSigner(personID: id, householdID: household, inScope: inScope, age: 40)
    }

    @Test func theFirstSignatureChoosesTheBasisAndAHouseholdSignsOnce() throws {
        // given: a residents' meeting, signed on a households basis by 1 (household 10)
        let first = try AttendanceSheet.signIn(
            Self.adult(1, household: 10), basis: .householdRepresentatives, on: nil, state: .scheduled,
            rules: Self.residents, at: Self.now)
        // when / then: another member of household 10 is refused, a second signature of 1 too
        #expect(throws: DomainError(.conflict, "attendance_household_signed", args: ["10"])) {
            try AttendanceSheet.signIn(
                Self.adult(2, household: 10), basis: nil, on: first, state: .scheduled, rules: Self.residents,
                at: Self.now)
        }
        #expect(throws: DomainError(.conflict, "attendance_signed_twice")) {
            try AttendanceSheet.signIn(
                Self.adult(1, household: 10), basis: nil, on: first, state: .scheduled, rules: Self.residents,
                at: Self.now)
        }
        // the sheet keeps its basis: another basis is refused, none is fine
        #expect(
            throws: DomainError.invalid(
                "attendance_basis_invalid", field: "basis", args: ["householdRepresentatives"])
        ) {
            try AttendanceSheet.signIn(
                Self.adult(3, household: 11), basis: .adultResidents, on: first, state: .scheduled,
                rules: Self.residents, at: Self.now)
        }
        let second = try AttendanceSheet.signIn(
            Self.adult(3, household: 11), basis: nil, on: first, state: .scheduled, rules: Self.residents, at: Self.now)
        #expect(second.present == 2 && second.basis == .householdRepresentatives)
    }

    @Test func refusalsOutsideTheScopeAfterTheMeetingAndForMinorsOnAnAdultsBasis() throws {
        #expect(throws: DomainError.invalid("attendance_outside_scope", field: "person")) {
            try AttendanceSheet.signIn(
                Self.adult(1, household: 10, inScope: false), basis: nil, on: nil, state: .scheduled,
                rules: Self.residents, at: Self.now)
        }
        #expect(throws: DomainError(.conflict, "attendance_meeting_closed")) {
            try AttendanceSheet.signIn(
                Self.adult(1, household: 10), basis: nil, on: nil, state: .held, rules: Self.residents, at: Self.now)
        }
        #expect(throws: DomainError.invalid("attendance_not_adult", field: "person", args: ["18"])) {
            try AttendanceSheet.signIn(
                AttendanceSigner(personID: 4, householdID: 10, inScope: true, age: 17), basis: .adultResidents,
                on: nil, state: .scheduled, rules: Self.residents, at: Self.now)
        }
        // A representatives' assembly counts its members: a residents' basis is not one of its bases.
        #expect(throws: DomainError.invalid("attendance_basis_invalid", field: "basis", args: ["adultResidents"])) {
            try AttendanceSheet.signIn(
                Self.adult(1, household: 10), basis: .adultResidents, on: nil, state: .scheduled,
                rules: MeetingWorkflowTests.rules(.representativesAssembly), at: Self.now)
        }
        // A kind without a quorum keeps one signature per person, households or not.
        let dialogue = MeetingWorkflowTests.rules(.dialogue)
        let one = try AttendanceSheet.signIn(
            Self.adult(1, household: 10), basis: nil, on: nil, state: .scheduled, rules: dialogue, at: Self.now)
        let two = try AttendanceSheet.signIn(
            Self.adult(2, household: 10), basis: nil, on: one, state: .scheduled, rules: dialogue, at: Self.now)
        #expect(two.present == 2 && two.basis == .adultResidents)
    }

    @Test func aMistakenSignatureIsRemovedAndTheSheetCountFeedsTheHeldAttendance() throws {
        // given: two households signed
        var sheet = AttendanceSheet(basis: .householdRepresentatives)
        sheet = try sheet.signed(1, household: 10, at: Self.now)
        sheet = try sheet.signed(3, household: 11, at: Self.now)
        // when
        let left = try sheet.removing(3)
        // then
        #expect(left.present == 1)
        #expect(throws: DomainError.invalid("attendance_signature_unknown", field: "person")) { try left.removing(3) }
        #expect(
            try MeetingWorkflow.heldAttendance(basis: nil, present: nil, sheet: sheet) == (.householdRepresentatives, 2)
        )
        #expect(
            try MeetingWorkflow.heldAttendance(basis: .householdRepresentatives, present: 2, sheet: sheet).present == 2)
        #expect(throws: DomainError.invalid("attendance_sheet_present_differs", field: "present", args: ["2"])) {
            try MeetingWorkflow.heldAttendance(basis: nil, present: 5, sheet: sheet)
        }
        #expect(throws: DomainError.invalid("meeting_count_invalid", field: "present")) {
            try MeetingWorkflow.heldAttendance(basis: nil, present: nil, sheet: nil)
        }
        #expect(
            try MeetingWorkflow.heldAttendance(basis: .adultResidents, present: 7, sheet: nil) == (.adultResidents, 7))
    }
}
