import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct MeetingAttachmentsTests {
    static let day: TimeInterval = 86400
    static let pdf = Array("%PDF-1.4\n%会议通知\n".utf8)

    @Test func organisersAttachResidentsReadOnceThePublishedMinutesFixTheRecord() async throws {
        try await withTestDatabase { db in
            // given: a residents' meeting tomorrow
            let w = try await DeliberationWorld.make(db)
            let start = DeliberationWorld.t0.addingTimeInterval(Self.day)
            let before = MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0))
            let after = MeetingCommands(db: db, clock: .fixed(start.addingTimeInterval(3600)))
            let m = try await before.schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .residentsMeeting, title: "居民会议", place: "活动室",
                    startsAt: start, noticeReason: "紧急"))
            let store = MeetingStore(db: db)
            // when: the organiser attaches the notice and a mistaken file, and removes the mistaken one
            let attached = try await before.perform(
                w.worker, m.id, .attach(name: " 会议通知.pdf ", bytes: Self.pdf), expectedVersion: m.version)
            #expect(attached.version == m.version + 1)
            _ = try await before.perform(w.worker, m.id, .attach(name: "错传.pdf", bytes: Self.pdf))
            var listed = try await store.record(m.id, for: w.worker, now: start).attachments
            #expect(listed.map(\.name) == ["会议通知.pdf", "错传.pdf"])
            #expect(listed[0].contentType == "application/pdf" && listed[0].size == Self.pdf.count)
            #expect(listed[0].uploadedAt == DeliberationWorld.t0 && listed[0].uploadedBy != nil)
            _ = try await before.perform(w.worker, m.id, .removeAttachment(attachmentID: listed[1].id))
            // then: refusals leave the record as it was
            await #expect(throws: DomainError.invalid("meeting_attachment_type_refused", field: "file")) {
                _ = try await before.perform(
                    w.worker, m.id, .attach(name: "通知.pdf", bytes: Array("<html></html>".utf8)))
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await before.perform(w.neighbours[0], m.id, .attach(name: "通知.pdf", bytes: Self.pdf))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await before.perform(w.outsider, m.id, .attach(name: "通知.pdf", bytes: Self.pdf))
            }
            await #expect(throws: DomainError.invalid("meeting_attachment_unknown", field: "attachment")) {
                _ = try await before.perform(w.worker, m.id, .removeAttachment(attachmentID: listed[1].id))
            }
            listed = try await store.record(m.id, for: w.worker, now: start).attachments
            #expect(listed.map(\.name) == ["会议通知.pdf"])
            let file = try await store.attachment(listed[0].id, meetingID: m.id, for: w.worker, now: start)
            #expect(file.name == "会议通知.pdf" && file.contentType == "application/pdf" && [UInt8](file.bytes) == Self.pdf)
            // and a resident reads neither the list nor the file before the minutes are published
            #expect(try await store.record(m.id, for: w.neighbours[0], now: start).attachments.isEmpty)
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.attachment(listed[0].id, meetingID: m.id, for: w.neighbours[0], now: start)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await store.attachment(listed[0].id, meetingID: m.id, for: w.outsider, now: start)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await store.attachments(m.id, for: w.outsider, now: start)
            }

            // when: it is held and its minutes published
            _ = try await after.perform(
                w.worker, m.id, .hold(basis: .householdRepresentatives, entitled: 100, present: 60))
            _ = try await after.perform(w.worker, m.id, .editMinutes(text: "会议讨论了加装电梯。"))
            _ = try await after.perform(w.worker, m.id, .publishMinutes(summary: "同意推进加装电梯。"))
            // then: the resident reads them, and nothing is removed any more
            #expect(try await store.attachments(m.id, for: w.neighbours[0], now: start).map(\.name) == ["会议通知.pdf"])
            let read = try await store.attachment(listed[0].id, meetingID: m.id, for: w.neighbours[0], now: start)
            #expect([UInt8](read.bytes) == Self.pdf)
            await #expect(throws: DomainError(.conflict, "meeting_attachment_record_fixed")) {
                _ = try await after.perform(w.worker, m.id, .removeAttachment(attachmentID: listed[0].id))
            }
            // an attachment of another meeting is not found through this one
            await #expect(throws: DomainError.notFound) {
                _ = try await store.attachment(listed[0].id + 1000, meetingID: m.id, for: w.worker, now: start)
            }
            // and each step left a timeline line and an audit entry naming the file and its size, never its bytes
            let timeline = try await store.record(m.id, for: w.worker, now: start).timeline
            #expect(
                timeline.filter { $0.action.contains("attach") }.map { "\($0.action):\($0.note)" } == [
                    "attach:会议通知.pdf", "attach:错传.pdf", "remove_attachment:错传.pdf",
                ])
            let audited = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT action, after_state FROM audit_log WHERE object_type = 'meeting'
                      AND object_id = \(bind: "\(m.id)") AND action LIKE '%attach%' ORDER BY seq
                    """
                ).all().map {
                    "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "after_state", as: String.self))"
                }
            }
            #expect(audited.count == 3)
            #expect(audited[0].hasPrefix("meeting.attach ") && audited[0].contains("会议通知.pdf"))
            #expect(audited[0].contains("\"size\":\"\(Self.pdf.count)\""))
            #expect(audited[2].hasPrefix("meeting.remove_attachment ") && audited[2].contains("错传.pdf"))
            #expect(!audited.joined().contains("PDF-1.4"))
            // and the rows carry the meeting's community
            let communities = try await db.read { sql in
                try await sql.raw("SELECT community_id FROM meeting_attachments").all().map {
                    try $0.decode(column: "community_id", as: Int64.self)
                }
            }
            #expect(communities == [w.tree.community.id])
        }
    }

    @Test func aCancelledMeetingTakesNoFiles() async throws {
        try await withTestDatabase { db in
            let w = try await DeliberationWorld.make(db)
            let commands = MeetingCommands(db: db, clock: .fixed(DeliberationWorld.t0))
            let m = try await commands.schedule(
                w.worker,
                MeetingPlan(
                    communityID: w.tree.community.id, kind: .council, title: "议事会", place: "活动室",
                    startsAt: DeliberationWorld.t0.addingTimeInterval(2 * Self.day)))
            _ = try await commands.perform(w.worker, m.id, .cancel(reason: "改期"))
            await #expect(
                throws: DomainError(.conflict, "meeting_step_out_of_order", args: ["attach", "cancelled"])
            ) {
                _ = try await commands.perform(w.worker, m.id, .attach(name: "通知.pdf", bytes: Self.pdf))
            }
        }
    }
}
