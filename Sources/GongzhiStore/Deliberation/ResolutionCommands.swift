import Foundation
import GongzhiDomain
import SQLKit

/// A resolution to adopt: the held meeting that made it and/or the closed vote it cites (a purely online vote needs
/// no meeting), the topic it decides (for an online vote, the vote's own topic, which may be left out), its text,
/// who carries it out and by when.
public struct ResolutionDraft: Sendable, Equatable {
    /// Nil for a resolution made by a vote taken online with no meeting.
    public var meetingID: Int64?
    public var voteID: Int64?
    public var topicID: Int64?
    public var text: String
    public var executors: [Executor]
    public var deadline: CalendarDate

    public init(
        meetingID: Int64?, voteID: Int64? = nil, topicID: Int64? = nil, text: String, executors: [Executor],
        deadline: CalendarDate
    ) {
        self.meetingID = meetingID
        self.voteID = voteID
        self.topicID = topicID
        self.text = text
        self.executors = executors
        self.deadline = deadline
    }
}

/// The resolutions' one writer: `adopt` records a resolution of a held meeting or of an online vote (deciding its
/// topic and linking the topic's cases), `perform` takes every later step with its version check, side rows, timeline line, notices and
/// audit entry in one transaction, and the follow-up scans escalate overdue resolutions and open review rounds.
public struct ResolutionCommands: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock = .system, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    /// "JY20261124-000003": the day of adoption and the id.
    static func number(day: String, id: Int64) -> String {
        "JY" + day.replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }

    /// The day the next review round is due, or nil once the round after completion was opened.
    public static func nextReviewOn(_ r: Resolution) -> CalendarDate? {
        if r.state == .completed, let done = r.completedOn, let last = r.lastReviewOn, last >= done { return nil }
        return ResolutionFollowUp.nextReviewDue(r)
    }

    // MARK: - adopt

    public func adopt(_ actor: Actor, _ draft: ResolutionDraft) async throws -> Resolution {
        let channels = channels
        return try await db.command(actor, clock: clock) { tx in
            var meeting: Meeting?
            var meetingContext: MeetingContext?
            if let meetingID = draft.meetingID {
                guard let loaded = try await MeetingStore.loaded(tx.sql, meetingID, actor: actor, now: tx.now) else {
                    throw DomainError.invalid("resolution_meeting_not_held", field: "meeting")
                }
                (meeting, meetingContext) = (loaded.0, loaded.1)
            } else if draft.voteID == nil {
                throw DomainError.invalid("resolution_source_required", field: "meeting")
            }
            // A vote: closed, of the meeting's community and (if it names one) of this meeting, or taken online with
            // no meeting; its decision with the arithmetic is what the resolution cites (the domain refuses one that
            // failed or was not quorate under its own participation rule).
            var vote: Vote?
            var voteContext: VoteContext?
            if let voteID = draft.voteID {
                guard let (v, context) = try await VoteStore.loaded(tx.sql, voteID, actor: actor, now: tx.now),
                    (try? VotePolicy.require(.read, of: actor, on: v, in: context)) != nil,
                    meeting.map({ v.communityID == $0.communityID && (v.meetingID == nil || v.meetingID == $0.id) })
                        ?? (v.meetingID == nil)
                else { throw DomainError.invalid("resolution_vote_invalid", field: "vote") }
                (vote, voteContext) = (v, context)
            }
            let communityID = meeting?.communityID ?? vote!.communityID
            let path = meetingContext?.path ?? voteContext!.path
            let role = try ResolutionPolicy.requireAdopt(actor, communityPath: path)
            let source: ResolutionSource =
                draft.voteID.map { .vote(voteID: $0, meetingID: meeting?.id) } ?? .consultation(meetingID: meeting!.id)
            try ResolutionPolicy.checkSource(
                source, meeting: meeting,
                quorum: meeting.flatMap { m in
                    meetingContext.flatMap { MeetingWorkflow.quorumCheck(m, rules: $0.rules) }
                },
                communityID: communityID)
            var outcome: DecisionOutcome?
            if let vote {
                guard vote.state == .closed || vote.state == .published else {
                    throw DomainError.invalid("resolution_vote_not_closed", field: "vote")
                }
                outcome = vote.result?.outcome
            }
            var caseIDs: [Int64] = []
            // A resolution of an online vote decides the topic the vote was put to, and no other.
            var topicID = draft.topicID
            if meeting == nil, let vote, let voteTopic = vote.topicID {
                guard topicID == nil || topicID == voteTopic else {
                    throw DomainError.invalid("resolution_topic_invalid", field: "topic")
                }
                topicID = voteTopic
            }
            if let topicID {
                // A topic taken up by this meeting, or put to this online vote.
                guard let (row, topicContext) = try await TopicStore.loaded(tx.sql, topicID, actor: actor, now: tx.now)
                else { throw DomainError.invalid("resolution_topic_invalid", field: "topic") }
                let topic = row.topic
                let decidable =
                    meeting.map { topic.meetingID == $0.id && topic.state == .inMeeting }
                    ?? (vote != nil && topic.voteID == vote?.id && topic.state == .inVote)
                guard decidable else { throw DomainError.invalid("resolution_topic_invalid", field: "topic") }
                caseIDs = topicContext.linkedCaseIDs.union(topic.caseID.map { [$0] } ?? []).sorted()
            }
            try await Self.checkExecutors(tx.sql, draft.executors, communityID: communityID)
            let today = CalendarDate(tx.now)
            var r = try Resolution.adopt(
                id: 0, number: "", communityID: communityID, topicID: topicID, caseIDs: caseIDs,
                text: draft.text, source: source, outcome: outcome, executors: draft.executors, adoptedOn: today,
                deadline: draft.deadline)
            let id = try await tx.sql.raw(
                """
                INSERT INTO resolutions (number, community_id, topic_id, meeting_id, vote_id, source, text, outcome, adopted_on,
                  deadline, state, next_review_on, created_by, created_at, updated_at, version)
                VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: r.communityID), \(bind: r.topicID), \(bind: meeting?.id),
                  \(bind: draft.voteID), \(bind: draft.voteID == nil ? "consultation" : "vote"), \(bind: r.text),
                  \(bind: try outcome.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }),
                  \(bind: today.description), \(bind: r.deadline.description), \(bind: r.state.rawValue),
                  \(bind: ResolutionFollowUp.nextReviewDue(r).description), \(bind: actor.storedUserID), \(bind: tx.now.epochMillis),
                  \(bind: tx.now.epochMillis), 1)
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            r.id = id
            r.number = Self.number(day: WorkCalendar.dayKey(tx.now), id: id)
            try await tx.sql.raw("UPDATE resolutions SET number = \(bind: r.number) WHERE id = \(bind: id)").run()
            for (position, e) in r.executors.enumerated() {
                let (kind, ref) = Self.parts(e)
                try await tx.sql.raw(
                    """
                    INSERT INTO resolution_executors (resolution_id, community_id, kind, ref_id, position)
                    VALUES (\(bind: id), \(bind: r.communityID), \(bind: kind), \(bind: ref), \(bind: position))
                    """
                ).run()
            }
            for caseID in caseIDs {
                try await tx.sql.raw(
                    """
                    INSERT INTO resolution_cases (resolution_id, community_id, case_id)
                    VALUES (\(bind: id), \(bind: r.communityID), \(bind: caseID))
                    """
                ).run()
            }
            // The topic is decided by this resolution, through the topics' own step.
            if let topicID = r.topicID {
                _ = try await TopicCommands.step(
                    tx, topicID, .decide(resolutionID: id, summary: String(r.text.prefix(2000))), expectedVersion: nil,
                    channels: channels)
            }
            try await Self.event(tx, r, action: "adopt", note: meeting?.number ?? vote?.number ?? "")
            try await Notifications.notify(
                tx, users: try await Self.users(tx.sql, [.executors, .organisers], of: r),
                subject: Self.subject(r), kind: "resolution.adopt", channels: channels)
            try await tx.audit(
                AuditRecord(
                    action: "resolution.adopt", objectType: "resolution", objectID: "\(id)",
                    communityID: r.communityID, nodeID: r.communityID,
                    after: AuditJSON.encode([
                        "number": r.number, "meeting": meeting?.number ?? "", "vote": vote?.number ?? "",
                        "deadline": r.deadline.description,
                        "cases": "\(caseIDs.count)",
                    ])), role: role)
            return r
        }
    }

    static func parts(_ e: Executor) -> (String, Int64) {
        switch e {
        case .person(let id): ("person", id)
        case .body(let id): ("body", id)
        case .department(let id): ("department", id)
        }
    }

    /// Executors must exist: a user, a body of the community, a department (`resolution_executor_unknown`).
    static func checkExecutors(_ sql: any SQLDatabase, _ executors: [Executor], communityID: Int64) async throws {
        for e in executors {
            let q: SQLQueryString =
                switch e {
                case .person(let id): "SELECT id FROM users WHERE id = \(bind: id)"
                case .body(let id):
                    "SELECT id FROM bodies WHERE id = \(bind: id) AND community_id = \(bind: communityID) AND closed_at IS NULL"
                case .department(let id): "SELECT id FROM units WHERE id = \(bind: id) AND closed_at IS NULL"
                }
            guard try await sql.raw(q).first() != nil else {
                throw DomainError.invalid("resolution_executor_unknown", field: "executors")
            }
        }
    }

    // MARK: - perform

    /// Takes one step on a resolution. Photos are evidence of progress or completion: checked by their bytes,
    /// stored in the same transaction and named in the report's evidence.
    @discardableResult
    public func perform(
        _ actor: Actor, _ id: Int64, _ command: ResolutionCommand, photos: [[UInt8]] = [],
        expectedVersion: Int? = nil
    ) async throws -> Resolution {
        let types = try photos.map { bytes throws(DomainError) in try PhotoRules.contentType(of: bytes) }
        guard photos.count <= PhotoRules.maxPerCase else {
            throw DomainError.invalid("photo_too_many", field: "photo", args: ["\(PhotoRules.maxPerCase)"])
        }
        let channels = channels
        return try await db.command(actor, clock: clock) { tx in
            try await Self.step(
                tx, id, command, photos: Array(zip(types, photos)), expectedVersion: expectedVersion,
                channels: channels)
        }
    }

    static func step(
        _ tx: Transaction, _ id: Int64, _ given: ResolutionCommand, photos: [(String, [UInt8])],
        expectedVersion: Int?, channels: [String]
    ) async throws -> Resolution {
        let actor = tx.actor
        guard let (current, context) = try await ResolutionStore.loaded(tx.sql, id, actor: actor, now: tx.now) else {
            throw DomainError.notFound
        }
        if actor.principal == .user { try ResolutionPolicy.require(.read, of: actor, on: current, in: context) }
        if let expectedVersion, expectedVersion != current.version {
            throw DomainError(.conflict, "resolution_changed_meanwhile")
        }
        let role = try ResolutionPolicy.require(given.capability, of: actor, on: current, in: context)
        var command = given
        if !photos.isEmpty {
            guard current.state.isOpen else { throw DomainError(.conflict, "resolution_completed") }
            var ids: [String] = []
            for (type, bytes) in photos {
                let photoID = try await tx.sql.raw(
                    """
                    INSERT INTO resolution_photos (resolution_id, community_id, content_type, bytes, size, uploaded_by, created_at)
                    VALUES (\(bind: id), \(bind: current.communityID), \(bind: type), \(bind: Data(bytes)), \(bind: bytes.count),
                      \(bind: actor.storedUserID), \(bind: tx.now.epochMillis))
                    RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
                ids.append("photo:\(photoID)")
            }
            switch given {
            case .reportProgress(let note, let evidence, let percent):
                command = .reportProgress(note: note, evidence: evidence + ids, percentDone: percent)
            case .complete(let note, let evidence): command = .complete(note: note, evidence: evidence + ids)
            default: break
            }
        }
        let transition = try ResolutionWorkflow.transition(command, of: current, by: actor, in: context)
        var next = transition.next
        let saved = try await tx.sql.raw(
            """
            UPDATE resolutions SET state = \(bind: next.state.rawValue), percent_done = \(bind: next.percentDone),
              last_progress_at = \(bind: next.lastProgressAt?.epochMillis), completed_on = \(bind: next.completedOn?.description),
              review_round = \(bind: next.reviewRound), last_review_on = \(bind: next.lastReviewOn?.description),
              next_review_on = \(bind: nextReviewOn(next)?.description), escalation_level = \(bind: next.escalationLevel),
              escalated_at = \(bind: next.escalationLevel != current.escalationLevel ? tx.now.epochMillis : nil),
              updated_at = \(bind: tx.now.epochMillis), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: current.version) RETURNING id
            """
        ).first()
        guard saved != nil else { throw DomainError(.conflict, "resolution_changed_meanwhile") }
        next.version = current.version + 1
        for effect in transition.effects {
            switch effect {
            case .progress(let update):
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try await tx.sql.raw(
                    """
                    INSERT INTO resolution_progress (resolution_id, community_id, at, by_user_id, note, evidence, percent_done)
                    VALUES (\(bind: id), \(bind: next.communityID), \(bind: update.at.epochMillis), \(bind: update.byUserID),
                      \(bind: update.note), \(bind: String(decoding: try encoder.encode(update.evidence), as: UTF8.self)),
                      \(bind: update.percentDone))
                    """
                ).run()
            case .rating(let rating):
                let inserted = try await tx.sql.raw(
                    """
                    INSERT INTO resolution_ratings (resolution_id, community_id, round, user_id, rating, comment, at)
                    VALUES (\(bind: id), \(bind: next.communityID), \(bind: rating.round), \(bind: rating.raterUserID),
                      \(bind: rating.rating.rawValue), \(bind: rating.comment), \(bind: rating.at.epochMillis))
                    ON CONFLICT (resolution_id, round, user_id) DO NOTHING RETURNING user_id
                    """
                ).first()
                guard inserted != nil else { throw DomainError(.conflict, "resolution_rated_twice") }
            }
        }
        // 决议落实 closes the loop back to the cases the topic came from.
        if case .complete = command {
            for caseID in next.caseIDs {
                try await CaseCommands.closeLoop(tx, caseID: caseID, resolution: next, note: transition.note)
            }
        }
        // A rating is not a step of the resolution's own: it counts in the round, not on the timeline.
        if case .rate = command {
        } else {
            try await event(tx, next, action: transition.action, note: transition.note)
        }
        try await Notifications.notify(
            tx, users: try await users(tx.sql, transition.audience, of: next), subject: subject(next),
            kind: "resolution.\(transition.action)", channels: channels)
        try await tx.audit(
            AuditRecord(
                action: "resolution.\(transition.action)", objectType: "resolution", objectID: "\(id)",
                communityID: next.communityID, nodeID: next.communityID, before: transition.auditBefore,
                after: transition.auditAfter, result: transition.auditResult), role: role)
        return next
    }

    static func event(_ tx: Transaction, _ r: Resolution, action: String, note: String) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO resolution_events (resolution_id, community_id, at, actor_user_id, action, note)
            VALUES (\(bind: r.id), \(bind: r.communityID), \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID),
              \(bind: action), \(bind: note))
            """
        ).run()
    }

    static func subject(_ r: Resolution) -> NoticeSubject {
        NoticeSubject(
            kind: "resolution", id: r.id, communityID: r.communityID, title: r.number + " " + String(r.text.prefix(40)))
    }

    /// The users a transition's audience names.
    static func users(
        _ sql: any SQLDatabase, _ audience: Set<ResolutionAudience>, of r: Resolution
    ) async throws -> Set<Int64> {
        var users = Set<Int64>()
        func ids(_ q: SQLQueryString, _ column: String = "user_id") async throws -> [Int64] {
            try await sql.raw(q).all().map { try $0.decode(column: column, as: Int64.self) }
        }
        for member in audience {
            switch member {
            case .executors:
                for e in r.executors {
                    switch e {
                    case .person(let id): users.insert(id)
                    case .department(let unit):
                        users.formUnion(try await ids("SELECT user_id FROM unit_members WHERE unit_id = \(bind: unit)"))
                    case .body(let body):
                        users.formUnion(
                            try await ids(
                                """
                                SELECT um.user_id FROM units u JOIN unit_members um ON um.unit_id = u.id WHERE u.body_id = \(bind: body)
                                """))
                    }
                }
            case .organisers:
                users.formUnion(
                    try await Notifications.usersHolding(sql, ["communityWorker"], atNodes: [r.communityID]))
            case .residents:
                // A notice per household of a community would be a broadcast: those who rated it before hear of it,
                // the rest read it on the community's page.
                users.formUnion(
                    try await ids("SELECT DISTINCT user_id FROM resolution_ratings WHERE resolution_id = \(bind: r.id)")
                )
            case .caseReporters:
                users.formUnion(
                    try await ids(
                        """
                        SELECT c.reporter_user_id FROM resolution_cases rc JOIN cases c ON c.id = rc.case_id
                        WHERE rc.resolution_id = \(bind: r.id) AND c.reporter_user_id IS NOT NULL
                        """, "reporter_user_id"))
            case .watchers(let level):
                guard let community = try await JurisdictionStore.node(sql, r.communityID) else { continue }
                let kinds = Escalation.watcherKinds(level: level).map(\.rawValue)
                let ancestors = NodePath.ids(community.path)
                guard !ancestors.isEmpty else { continue }
                let nodes = try await sql.select().column("id").from("nodes").where("id", .in, ancestors).where(
                    "kind", .in, kinds
                ).all().map { try $0.decode(column: "id", as: Int64.self) }
                users.formUnion(
                    try await Notifications.usersHolding(sql, ["subdistrictAdmin", "districtAdmin"], atNodes: nodes))
            }
        }
        return users
    }

    // MARK: - follow-up (追踪督事, 定期评事)

    /// Raises every overdue resolution to the level its deadline calls for, and opens every review round that is
    /// due, in batches. Safe on several instances: each step goes through `perform` with the version it saw, so a
    /// resolution moves once.
    @discardableResult
    public func followUp(batch: Int = 500) async throws -> (escalated: Int, reviewsOpened: Int) {
        let today = CalendarDate(clock.now())
        let escalated = try await scan(
            """
            state = 'inProgress' AND deadline < \(bind: today.description) AND escalation_level < \(bind: ResolutionFollowUp.maxLevel)
            """, command: .escalateOverdue, batch: batch)
        let reviews = try await scan(
            "next_review_on IS NOT NULL AND next_review_on <= \(bind: today.description)", command: .openReview,
            batch: batch)
        return (escalated, reviews)
    }

    func scan(_ condition: SQLQueryString, command: ResolutionCommand, batch: Int) async throws -> Int {
        var moved = 0
        var after: Int64 = 0
        while true {
            let from = after
            let due = try await db.read { sql in
                try await sql.raw(
                    SQLQueryString("SELECT id, version FROM resolutions WHERE ") + condition
                        + " AND id > \(bind: from) ORDER BY id LIMIT \(bind: batch)"
                ).all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "version", as: Int.self))
                }
            }
            for (id, version) in due {
                do {
                    try await perform(.system, id, command, expectedVersion: version)
                    moved += 1
                } catch let error as DomainError where error.kind == .conflict {
                    // Not due at its level after all, or another instance moved it first.
                }
            }
            guard due.count == batch, let last = due.last else { return moved }
            after = last.0
        }
    }
}

extension CaseCommands {
    /// A resolution behind a case was carried out: the case's timeline says so, its reporter hears of it, and a
    /// case still waiting in the community (submitted or filed, as cases sent to deliberation are) is closed with
    /// the resolution as its result, so its reporter can rate it. Cases further round the loop keep their state.
    static func closeLoop(_ tx: Transaction, caseID: Int64, resolution r: Resolution, note: String) async throws {
        guard let row = try await CaseStore.row(tx.sql, caseID) else { return }
        let current = row.value
        let result = r.number + " " + (note.isEmpty ? String(r.text.prefix(200)) : note)
        var next = current
        if [.submitted, .filed].contains(current.status) {
            next = try CaseWorkflow.transition(
                .resolveAtOnce(result: String(result.prefix(2000))), of: current, by: tx.actor,
                in: CaseContext(now: tx.now, path: row.nodePath)
            ).next
            guard try await CaseRow.save(tx.sql, next, expecting: current.version, at: tx.now) else {
                throw DomainError(.conflict, "case_changed_meanwhile")
            }
            next.version = current.version + 1
        }
        try await event(tx, next, action: "resolution_completed", from: current.status, note: result)
        try await Notifications.notify(
            tx, users: try await CaseNotices.users(tx.sql, [.reporter], of: next, path: row.nodePath),
            subject: CaseNotices.subject(next), kind: "case.resolution_completed", channels: [])
        try await tx.audit(
            AuditRecord(
                action: "case.resolution_completed", objectType: "case", objectID: "\(caseID)",
                communityID: current.communityID, nodeID: current.nodeID, before: current.status.rawValue,
                after: next.status.rawValue, result: r.number), role: nil)
    }
}
