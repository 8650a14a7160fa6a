import Foundation
import GongzhiDomain
import SQLKit

/// A meeting to schedule: which community, what kind, when and where; a notice shorter than the kind's rule needs
/// `noticeReason`.
public struct MeetingPlan: Sendable, Equatable {
    public var communityID: Int64
    public var kind: MeetingKind
    public var title: String
    public var place: String
    public var startsAt: Date
    public var noticeReason: String

    public init(
        communityID: Int64, kind: MeetingKind, title: String, place: String, startsAt: Date, noticeReason: String = ""
    ) {
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.place = place
        self.startsAt = startsAt
        self.noticeReason = noticeReason
    }
}

/// The meetings' one writer: `schedule` announces a meeting under the rule set in force that day, `perform` takes
/// every later step (its topics taken up through the topics' own step in the same transaction), each with its
/// version check, timeline line and audit entry.
public struct MeetingCommands: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock = .system, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    public func schedule(_ actor: Actor, _ plan: MeetingPlan) async throws -> Meeting {
        try await db.command(actor, clock: clock) { tx in
            guard let community = try await JurisdictionStore.node(tx.sql, plan.communityID),
                community.kind.isCommunityLevel, community.isOpen
            else { throw DomainError.invalid("meeting_community_invalid", field: "community") }
            let role = try MeetingPolicy.requireSchedule(actor, communityPath: community.path)
            let set = try DecisionRuleCatalogue.national.inForce(on: CalendarDate(tx.now))
            let rules = try set.rules(for: plan.kind)
            let (title, place, reason) = try MeetingWorkflow.checkSchedule(
                title: plan.title, place: plan.place, startsAt: plan.startsAt, noticeReason: plan.noticeReason,
                now: tx.now, rules: rules)
            let id = try await tx.sql.raw(
                """
                INSERT INTO meetings (number, community_id, kind, title, place, starts_at, announced_at, notice_reason,
                  rule_set_id, state, minutes, summary, created_by, updated_at, version)
                VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: community.id), \(bind: plan.kind.rawValue), \(bind: title),
                  \(bind: place), \(bind: plan.startsAt.epochMillis), \(bind: tx.now.epochMillis), \(bind: reason), \(bind: set.id),
                  'scheduled', \(bind: MeetingStore.encodeMinutes(Minutes(draft: ""))), '', \(bind: actor.storedUserID),
                  \(bind: tx.now.epochMillis), 1)
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            let number = Meeting.number(day: WorkCalendar.dayKey(tx.now), id: id)
            try await tx.sql.raw("UPDATE meetings SET number = \(bind: number) WHERE id = \(bind: id)").run()
            var m = Meeting(
                id: id, number: number, communityID: community.id, kind: plan.kind, title: title, place: place,
                startsAt: plan.startsAt, announcedAt: tx.now, noticeReason: reason, ruleSetID: set.id)
            m.version = 1
            try await Self.event(tx, m, action: "schedule", note: reason ?? "")
            let users = try await Notifications.usersHolding(tx.sql, ["communityWorker"], atNodes: [community.id])
            try await Notifications.notify(
                tx, users: Set(users), subject: Self.subject(m), kind: "meeting.schedule", channels: channels)
            try await tx.audit(
                AuditRecord(
                    action: "meeting.schedule", objectType: "meeting", objectID: "\(id)", communityID: community.id,
                    nodeID: community.id,
                    after: AuditJSON.encode([
                        "number": number, "kind": plan.kind.rawValue, "rule_set": set.id,
                        "starts_at": "\(plan.startsAt.epochMillis)", "short_notice": reason == nil ? "no" : "yes",
                    ])), role: role)
            return m
        }
    }

    /// Takes one step on a meeting (policy, version check, timeline, audit) in one transaction. Adding a topic takes
    /// it up (`TopicCommand.takeUp`); cancelling puts the meeting's topics back on the agenda (`postpone`).
    @discardableResult
    public func perform(
        _ actor: Actor, _ meetingID: Int64, _ command: MeetingCommand, expectedVersion: Int? = nil
    ) async throws -> Meeting {
        let channels = channels
        return try await db.command(actor, clock: clock) { tx in
            // On PostgreSQL the meeting's row is locked first, so steps taken at once (two clerks at the door) queue
            // and each sees the sheet the other left; SQLite's writer is one already.
            guard
                let (current, loadedContext) = try await MeetingStore.loaded(
                    tx.sql, meetingID, actor: actor, now: tx.now, lockFor: tx.backend)
            else { throw DomainError.notFound }
            var context = loadedContext
            if case .attach = command {
                context.attachmentCount = try await MeetingAttachmentRows.count(tx.sql, meetingID)
            }
            try MeetingPolicy.require(.read, of: actor, on: current, in: context)
            if let expectedVersion, !command.isSheetEntry, expectedVersion != current.version {
                throw DomainError(.conflict, "meeting_changed_meanwhile")
            }
            let role = try MeetingPolicy.require(command.capability, of: actor, on: current, in: context)
            let (nextValue, action, transitionNote) = try MeetingWorkflow.transition(
                command, of: current, by: actor, in: context)
            var next = nextValue
            var note = transitionNote
            // The attendance sheet's side rows, written once the meeting's version check has passed.
            var sheetWrite: ((Transaction) async throws -> Void)?
            var auditAfter = next.state.rawValue
            switch command {
            case .signIn(let personID, let basis):
                let box = try tx.requirePersonalData()
                // An unknown id answers like a person of another community: the sheet reveals nobody.
                let found = try await RegistryStore.row(tx.sql, personID, box: box)
                let signer = AttendanceSigner(
                    personID: personID, householdID: found?.person.householdID,
                    inScope: found.map {
                        $0.person.communityID == current.communityID && $0.person.movedOutOn == nil && !$0.anonymised
                    } ?? false,
                    age: found?.person.birthDate.age(on: CalendarDate(tx.now)) ?? 0)
                let sheet = try AttendanceSheet.signIn(
                    signer, basis: basis, on: context.attendance, state: current.state, rules: context.rules,
                    at: tx.now)
                let household = signer.householdID
                sheetWrite = { tx in
                    try await tx.sql.raw(
                        """
                        INSERT INTO meeting_attendance (meeting_id, community_id, person_id, household_id, household_key,
                          signed_at, recorded_by)
                        VALUES (\(bind: meetingID), \(bind: current.communityID), \(bind: personID), \(bind: household),
                          \(bind: sheet.basis.countsHouseholds ? household : nil), \(bind: tx.now.epochMillis),
                          \(bind: actor.storedUserID))
                        """
                    ).run()
                    try await tx.sql.raw(
                        "UPDATE meetings SET attendance_basis = \(bind: sheet.basis.rawValue) WHERE id = \(bind: meetingID)"
                    ).run()
                }
                auditAfter = "person:\(personID)"
            case .removeSignature(let personID):
                guard let sheet = context.attendance else {
                    throw DomainError.invalid("attendance_signature_unknown", field: "person")
                }
                let left = try sheet.removing(personID)
                sheetWrite = { tx in
                    try await tx.sql.raw(
                        "DELETE FROM meeting_attendance WHERE meeting_id = \(bind: meetingID) AND person_id = \(bind: personID)"
                    ).run()
                    if left.present == 0 {
                        try await tx.sql.raw(
                            "UPDATE meetings SET attendance_basis = NULL WHERE id = \(bind: meetingID)"
                        )
                        .run()
                    }
                }
                auditAfter = "person:\(personID)"
            case .attach(let rawName, let bytes):
                // The timeline and the audit entry name the file and its size, never its bytes.
                let checked = try MeetingAttachmentRules.check(
                    name: rawName, bytes: bytes, existing: context.attachmentCount)
                sheetWrite = { tx in
                    _ = try await MeetingAttachmentRows.insert(
                        tx.sql, meetingID: meetingID, communityID: current.communityID, name: checked.name,
                        contentType: checked.contentType, bytes: bytes, by: actor.storedUserID, at: tx.now)
                }
                auditAfter = AuditJSON.encode([
                    "name": checked.name, "type": checked.contentType, "size": "\(bytes.count)",
                ])
            case .removeAttachment(let attachmentID):
                guard let found = try await MeetingAttachmentRows.find(tx.sql, attachmentID, meetingID: meetingID)
                else { throw DomainError.invalid("meeting_attachment_unknown", field: "attachment") }
                sheetWrite = { tx in
                    try await tx.sql.raw(
                        "DELETE FROM meeting_attachments WHERE id = \(bind: attachmentID) AND meeting_id = \(bind: meetingID)"
                    ).run()
                }
                note = found.name
                auditAfter = AuditJSON.encode([
                    "attachment": "\(attachmentID)", "name": found.name, "size": "\(found.size)",
                ])
            case .addTopic(let topicID):
                guard
                    let topic = try await tx.sql.raw("SELECT * FROM topics WHERE id = \(bind: topicID)").first().map(
                        TopicRow.decode),
                    topic.topic.communityID == current.communityID
                else { throw DomainError.invalid("meeting_topic_unknown", field: "topic") }
                _ = try await TopicCommands.step(
                    tx, topicID, .takeUp(meetingID: meetingID), expectedVersion: nil, channels: channels)
            case .cancel(let reason):
                let taken = try await tx.sql.raw(
                    "SELECT id FROM topics WHERE meeting_id = \(bind: meetingID) AND state = 'inMeeting' ORDER BY id"
                ).all().map { try $0.decode(column: "id", as: Int64.self) }
                for id in taken {
                    _ = try await TopicCommands.step(
                        tx, id, .postpone(reason: reason), expectedVersion: nil, channels: channels)
                }
            default: break
            }
            let saved = try await tx.sql.raw(
                """
                UPDATE meetings SET state = \(bind: next.state.rawValue), basis = \(bind: next.basis?.rawValue),
                  entitled = \(bind: next.entitled), present = \(bind: next.present),
                  quorate = \(bind: next.quorate.map { $0 ? 1 : 0 }), held_at = \(bind: next.heldAt?.epochMillis),
                  minutes = \(bind: MeetingStore.encodeMinutes(next.minutes)), summary = \(bind: next.summary),
                  cancel_reason = \(bind: next.cancelReason), updated_at = \(bind: tx.now.epochMillis), version = version + 1
                WHERE id = \(bind: meetingID) AND version = \(bind: current.version) RETURNING id
                """
            ).first()
            guard saved != nil else { throw DomainError(.conflict, "meeting_changed_meanwhile") }
            next.version = current.version + 1
            try await sheetWrite?(tx)
            // Each signature is audited; the timeline keeps the removals, not every signature of a full hall.
            if case .signIn = command {} else { try await Self.event(tx, next, action: action, note: note) }
            if case .publishMinutes = command {
                let users = try await TopicNotices.users(
                    tx.sql, [.organisers],
                    of: Topic(
                        id: 0, number: "", scope: TopicScope(communityID: next.communityID), origin: .resident,
                        proposerUserID: nil, title: "", body: "", createdAt: tx.now))
                try await Notifications.notify(
                    tx, users: users, subject: Self.subject(next), kind: "meeting.publish_minutes", channels: channels)
            }
            try await tx.audit(
                AuditRecord(
                    action: "meeting.\(action)", objectType: "meeting", objectID: "\(meetingID)",
                    communityID: current.communityID, nodeID: current.communityID, before: current.state.rawValue,
                    after: auditAfter,
                    result: next.quorate.map { $0 ? "quorate" : "not_quorate" } ?? "ok"),
                role: role)
            return next
        }
    }

    static func event(_ tx: Transaction, _ m: Meeting, action: String, note: String) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO meeting_events (meeting_id, community_id, at, actor_user_id, action, note)
            VALUES (\(bind: m.id), \(bind: m.communityID), \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID),
              \(bind: action), \(bind: note))
            """
        ).run()
    }

    static func subject(_ m: Meeting) -> NoticeSubject {
        NoticeSubject(kind: "meeting", id: m.id, communityID: m.communityID, title: m.number + " " + m.title)
    }
}
