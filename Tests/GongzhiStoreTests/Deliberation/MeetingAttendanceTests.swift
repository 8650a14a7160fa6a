import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct MeetingAttendanceTests {
    static let day: TimeInterval = 86400

    /// A residents' meeting of the vote world's community, tomorrow.
    static func meeting(_ w: VoteWorld) async throws -> Meeting {
        try await MeetingCommands(db: w.db, clock: .fixed(VoteWorld.t0)).schedule(
            w.worker,
            MeetingPlan(
                communityID: w.tree.community.id, kind: .residentsMeeting, title: "加装电梯居民会议", place: "活动室",
                startsAt: VoteWorld.t0.addingTimeInterval(Self.day), noticeReason: "紧急"))
    }

    @Test func oneSignaturePerHouseholdRemovableUntilHeldAndItsCountIsTheQuorumsPresent() async throws {
        try await withTestDatabase { db in
            // given: 张三 and 李四 share household H1, 王五 is H2
            let w = try await VoteWorld.make(db)
            let m = try await Self.meeting(w)
            let before = MeetingCommands(db: db, clock: .fixed(VoteWorld.t0))
            let (zhang, li, wang) = (w.people[0], w.people[1], w.people[2])
            // when: 张三 signs on a households basis, then 王五
            _ = try await before.perform(w.worker, m.id, .signIn(personID: zhang, basis: .householdRepresentatives))
            _ = try await before.perform(w.worker, m.id, .signIn(personID: wang, basis: nil))
            // then: the refusals, each leaving the sheet as it was
            await #expect(throws: DomainError(.conflict, "attendance_signed_twice")) {
                _ = try await before.perform(w.worker, m.id, .signIn(personID: zhang, basis: nil))
            }
            await #expect(throws: DomainError.self) {
                _ = try await before.perform(w.worker, m.id, .signIn(personID: li, basis: nil))
            }
            await #expect(throws: DomainError.invalid("attendance_outside_scope", field: "person")) {
                _ = try await before.perform(w.worker, m.id, .signIn(personID: 987_654, basis: nil))
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await before.perform(w.voters[0], m.id, .signIn(personID: wang, basis: nil))
            }
            var record = try await MeetingStore(db: db).record(m.id, for: w.worker, now: VoteWorld.t0)
            #expect(record.attendance?.present == 2 && record.attendance?.basis == .householdRepresentatives)
            #expect(record.signatures.map(\.name) == ["张*", "王*"])
            #expect(record.signatures.allSatisfy { $0.recordedBy != nil && !$0.place.isEmpty })
            // A resident of the community reads the meeting, not the names on its sheet.
            let asResident = try await MeetingStore(db: db).record(m.id, for: w.voters[0], now: VoteWorld.t0)
            #expect(asResident.signatures.isEmpty && asResident.attendance?.present == 2)
            // when: 王五's signature was a mistake; 李四 may now not sign for H1 still, and 王五 is removed
            _ = try await before.perform(w.worker, m.id, .removeSignature(personID: wang))
            await #expect(throws: DomainError.invalid("attendance_signature_unknown", field: "person")) {
                _ = try await before.perform(w.worker, m.id, .removeSignature(personID: wang))
            }
            record = try await MeetingStore(db: db).record(m.id, for: w.worker, now: VoteWorld.t0)
            #expect(record.signatures.map(\.name) == ["张*"])
            #expect(record.timeline.map(\.action) == ["schedule", "remove_signature"])
            // and the meeting is held: the sheet's one household of 2 is the attendance, a typed 2 is refused
            let after = MeetingCommands(db: db, clock: .fixed(VoteWorld.t0.addingTimeInterval(Self.day + 3600)))
            await #expect(
                throws: DomainError.invalid("attendance_sheet_present_differs", field: "present", args: ["1"])
            ) {
                _ = try await after.perform(w.worker, m.id, .hold(basis: nil, entitled: 2, present: 2))
            }
            let held = try await after.perform(w.worker, m.id, .hold(basis: nil, entitled: 2, present: nil))
            #expect(held.present == 1 && held.basis == .householdRepresentatives && held.quorate == false)
            // then: the sheet is closed
            await #expect(throws: DomainError(.conflict, "attendance_meeting_closed")) {
                _ = try await after.perform(w.worker, m.id, .signIn(personID: wang, basis: nil))
            }
            await #expect(throws: DomainError(.conflict, "attendance_meeting_closed")) {
                _ = try await after.perform(w.worker, m.id, .removeSignature(personID: zhang))
            }
            // every signature and the removal are audited
            let audited = try await db.read { sql in
                try await sql.raw(
                    "SELECT action FROM audit_log WHERE object_type = 'meeting' AND object_id = \(bind: "\(m.id)") ORDER BY seq"
                ).all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(
                audited == [
                    "meeting.schedule", "meeting.sign_in", "meeting.sign_in", "meeting.remove_signature",
                    "meeting.hold",
                ])
        }
    }

    @Test func aSecondMemberOfASignedHouseholdIsRefusedAndAMinorOnAnAdultsBasis() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await VoteWorld.make(db)
            let households = try await Self.meeting(w)
            let adults = try await Self.meeting(w)
            let c = MeetingCommands(db: db, clock: .fixed(VoteWorld.t0))
            _ = try await c.perform(
                w.worker, households.id, .signIn(personID: w.people[0], basis: .householdRepresentatives))
            // when / then
            await #expect(throws: DomainError.self) {
                _ = try await c.perform(w.worker, households.id, .signIn(personID: w.people[1], basis: nil))
            }
            do {
                _ = try await c.perform(w.worker, households.id, .signIn(personID: w.people[1], basis: nil))
            } catch let error as DomainError {
                #expect(error.key == "attendance_household_signed")
            }
            await #expect(throws: DomainError.invalid("attendance_not_adult", field: "person", args: ["18"])) {
                _ = try await c.perform(w.worker, adults.id, .signIn(personID: w.child, basis: .adultResidents))
            }
            // On an adults' basis both members of H1 sign.
            _ = try await c.perform(w.worker, adults.id, .signIn(personID: w.people[0], basis: .adultResidents))
            _ = try await c.perform(w.worker, adults.id, .signIn(personID: w.people[1], basis: nil))
            let record = try await MeetingStore(db: db).record(adults.id, for: w.worker, now: VoteWorld.t0)
            #expect(record.attendance?.present == 2)
        }
    }

    @Test func clerksSigningPeopleInAtOnceFromPagesLoadedEarlierAllLand() async throws {
        try await withTestDatabase { db in
            // given: a sheet on an adults' basis with one signature, and the page's version from before it
            let w = try await VoteWorld.make(db)
            let m = try await Self.meeting(w)
            let c = MeetingCommands(db: db, clock: .fixed(VoteWorld.t0))
            _ = try await c.perform(
                w.worker, m.id, .signIn(personID: w.people[0], basis: .adultResidents), expectedVersion: m.version)
            // when: three more are signed in at once, each from a page loaded before any signature
            try await withThrowingTaskGroup(of: Void.self) { group in
                for person in w.people.dropFirst() {
                    group.addTask {
                        _ = try await c.perform(
                            w.worker, m.id, .signIn(personID: person, basis: nil), expectedVersion: m.version)
                    }
                }
                try await group.waitForAll()
            }
            // then: every signature is on the sheet once, each audited
            let record = try await MeetingStore(db: db).record(m.id, for: w.worker, now: VoteWorld.t0)
            #expect(record.attendance?.present == 4)
            #expect(Set(record.signatures.map(\.personID)) == Set(w.people))
            let signed = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM audit_log WHERE object_type = 'meeting' AND action = 'meeting.sign_in'
                      AND object_id = \(bind: "\(m.id)")
                    """
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(signed == 4)
            // but an edit of the meeting itself from that old page is still refused
            await #expect(throws: DomainError(.conflict, "meeting_changed_meanwhile")) {
                _ = try await c.perform(w.worker, m.id, .editMinutes(text: "纪要"), expectedVersion: m.version)
            }
        }
    }

    @Test func thePickerFindsPeopleOfTheCommunityByPartOfTheirNameMasked() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await VoteWorld.make(db)
            let m = try await Self.meeting(w)
            // when
            let found = try await MeetingStore(db: db).signInChoices(
                m.id, query: "王", for: w.worker, now: VoteWorld.t0)
            // then
            #expect(found.map(\.id) == [w.people[2]] && found.first?.name == "王*")
            await #expect(throws: DomainError.self) {
                _ = try await MeetingStore(db: db).signInChoices(m.id, query: "王", for: w.voters[0], now: VoteWorld.t0)
            }
        }
    }
}
