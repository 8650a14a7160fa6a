import Foundation
import GongzhiDomain
import SQLKit

/// A resolution to seed as it stands after its history: adopted at a held meeting, or from a closed online vote that
/// passed (deciding the topic the vote was put to, as `ResolutionCommands.adopt` does), with progress reports, review
/// rounds and their ratings, completion, and the follow-up scan run at `followUpAt`.
public struct ResolutionSeed: Sendable {
    public var communityID: Int64
    /// Nil for a resolution of an online vote with no meeting.
    public var meetingID: Int64?
    public var voteID: Int64?
    public var topicID: Int64?
    public var caseIDs: [Int64] = []
    public var text: String
    public var executors: [Executor]
    public var adoptedAt: Date
    public var deadline: CalendarDate
    public var progress: [(at: Date, byUserID: Int64?, note: String, evidence: [String], percentDone: Int)] = []
    public var completed: (at: Date, byUserID: Int64?, note: String, evidence: [String])?
    public var reviews: [(openedAt: Date, ratings: [(userID: Int64, rating: CaseRating, comment: String)])] = []
    public var followUpAt: Date?

    /// A resolution of the held meeting `meetingID`.
    public init(
        communityID: Int64, meetingID: Int64, text: String, executors: [Executor], adoptedAt: Date,
        deadline: CalendarDate
    ) {
        self.init(communityID, meetingID, nil, text, executors, adoptedAt, deadline)
    }

    /// A resolution of the closed online vote `voteID` (no meeting).
    public init(
        communityID: Int64, voteID: Int64, text: String, executors: [Executor], adoptedAt: Date,
        deadline: CalendarDate
    ) {
        self.init(communityID, nil, voteID, text, executors, adoptedAt, deadline)
    }

    private init(
        _ communityID: Int64, _ meetingID: Int64?, _ voteID: Int64?, _ text: String, _ executors: [Executor],
        _ adoptedAt: Date, _ deadline: CalendarDate
    ) {
        self.communityID = communityID
        self.meetingID = meetingID
        self.voteID = voteID
        self.text = text
        self.executors = executors
        self.adoptedAt = adoptedAt
        self.deadline = deadline
    }
}

/// The resolutions' fast path for seeding: command line only (`forbidden` otherwise), no per-row policy, notices or
/// audit; adoption, progress, reviews, completion and escalation still go through the domain's rules.
public struct ResolutionBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    @discardableResult
    public func add(_ seed: ResolutionSeed) async throws -> (id: Int64, number: String) {
        let source: ResolutionSource
        var outcome: DecisionOutcome?
        var topicID = seed.topicID
        var caseIDs = seed.caseIDs
        // The online vote's topic, decided by this resolution through the topics' own step.
        var votedTopic: Int64?
        if let voteID = seed.voteID {
            guard
                let v = try await tx.sql.raw("SELECT * FROM votes WHERE id = \(bind: voteID)").first().map(
                    VoteStore.decode),
                v.communityID == seed.communityID, v.meetingID == seed.meetingID,
                v.state == .closed || v.state == .published
            else { throw DomainError.invalid("resolution_vote_invalid", field: "vote") }
            source = .vote(voteID: voteID, meetingID: seed.meetingID)
            outcome = v.result?.outcome
            if seed.meetingID == nil, let t = v.topicID {
                guard topicID == nil || topicID == t,
                    let (row, context) = try await TopicStore.loaded(tx.sql, t, actor: tx.actor, now: seed.adoptedAt),
                    row.topic.state == .inVote, row.topic.voteID == voteID
                else { throw DomainError.invalid("resolution_topic_invalid", field: "topic") }
                topicID = t
                votedTopic = t
                caseIDs = Array(Set(caseIDs).union(context.linkedCaseIDs).union(row.topic.caseID.map { [$0] } ?? []))
                    .sorted()
            }
        } else if let meetingID = seed.meetingID {
            source = .consultation(meetingID: meetingID)
        } else {
            throw DomainError.invalid("resolution_source_required", field: "meeting")
        }
        var r = try Resolution.adopt(
            id: 0, number: "", communityID: seed.communityID, topicID: topicID, caseIDs: caseIDs,
            text: seed.text, source: source, outcome: outcome, executors: seed.executors,
            adoptedOn: CalendarDate(seed.adoptedAt), deadline: seed.deadline)
        enum Step {
            case progress(Int)
            case complete
            case review(Int)
            case followUp
        }
        var steps: [(Date, Step)] = seed.progress.indices.map { (seed.progress[$0].at, .progress($0)) }
        steps += seed.reviews.indices.map { (seed.reviews[$0].openedAt, .review($0)) }
        if let done = seed.completed { steps.append((done.at, .complete)) }
        if let at = seed.followUpAt { steps.append((at, .followUp)) }
        var events: [(action: String, at: Date, by: Int64?, note: String)] = [
            ("adopt", seed.adoptedAt, nil, "")
        ]
        var progressRows: [(ProgressUpdate)] = []
        var ratingRows: [ReviewRating] = []
        for (at, step) in steps.sorted(by: { $0.0 < $1.0 }) {
            let context = ResolutionContext(now: at)
            switch step {
            case .progress(let i):
                let p = seed.progress[i]
                let t = try ResolutionWorkflow.transition(
                    .reportProgress(note: p.note, evidence: p.evidence, percentDone: p.percentDone), of: r,
                    by: tx.actor,
                    in: context)
                r = t.next
                progressRows.append(
                    ProgressUpdate(
                        at: at, byUserID: p.byUserID, note: t.note, evidence: p.evidence, percentDone: p.percentDone))
                events.append((t.action, at, p.byUserID, t.note))
            case .complete:
                guard let c = seed.completed else { continue }
                let t = try ResolutionWorkflow.transition(
                    .complete(note: c.note, evidence: c.evidence), of: r, by: tx.actor, in: context)
                r = t.next
                progressRows.append(
                    ProgressUpdate(at: at, byUserID: c.byUserID, note: t.note, evidence: c.evidence, percentDone: 100))
                events.append((t.action, at, c.byUserID, t.note))
            case .review(let i):
                let t = try ResolutionWorkflow.transition(.openReview, of: r, by: tx.actor, in: context)
                r = t.next
                events.append((t.action, at, nil, t.note))
                for (n, rating) in seed.reviews[i].ratings.enumerated() {
                    ratingRows.append(
                        ReviewRating(
                            round: r.reviewRound, raterUserID: rating.userID, rating: rating.rating,
                            comment: rating.comment, at: at.addingTimeInterval(Double(n + 1) * 5400)))
                }
            case .followUp:
                guard let t = try? ResolutionWorkflow.transition(.escalateOverdue, of: r, by: tx.actor, in: context)
                else { continue }
                r = t.next
                events.append((t.action, at, nil, t.note))
            }
        }
        let last = events.map(\.at).max() ?? seed.adoptedAt
        let id = try await tx.sql.raw(
            """
            INSERT INTO resolutions (number, community_id, topic_id, meeting_id, vote_id, source, text, outcome, adopted_on,
              deadline, state, percent_done, last_progress_at, completed_on, review_round, last_review_on, next_review_on,
              escalation_level, escalated_at, created_at, updated_at, version)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: r.communityID), \(bind: r.topicID), \(bind: seed.meetingID),
              \(bind: seed.voteID), \(bind: seed.voteID == nil ? "consultation" : "vote"), \(bind: r.text),
              \(bind: try outcome.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }),
              \(bind: r.adoptedOn.description), \(bind: r.deadline.description),
              \(bind: r.state.rawValue), \(bind: r.percentDone), \(bind: r.lastProgressAt?.epochMillis),
              \(bind: r.completedOn?.description), \(bind: r.reviewRound), \(bind: r.lastReviewOn?.description),
              \(bind: ResolutionCommands.nextReviewOn(r)?.description), \(bind: r.escalationLevel),
              \(bind: r.escalationLevel > 0 ? seed.followUpAt?.epochMillis : nil), \(bind: seed.adoptedAt.epochMillis),
              \(bind: last.epochMillis), \(bind: events.count))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let number = ResolutionCommands.number(day: WorkCalendar.dayKey(seed.adoptedAt), id: id)
        try await tx.sql.raw("UPDATE resolutions SET number = \(bind: number) WHERE id = \(bind: id)").run()
        for (position, e) in r.executors.enumerated() {
            let (kind, ref) = ResolutionCommands.parts(e)
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for p in progressRows {
            try await tx.sql.raw(
                """
                INSERT INTO resolution_progress (resolution_id, community_id, at, by_user_id, note, evidence, percent_done)
                VALUES (\(bind: id), \(bind: r.communityID), \(bind: p.at.epochMillis), \(bind: p.byUserID), \(bind: p.note),
                  \(bind: String(decoding: try encoder.encode(p.evidence), as: UTF8.self)), \(bind: p.percentDone))
                """
            ).run()
        }
        for g in ratingRows {
            try await tx.sql.raw(
                """
                INSERT INTO resolution_ratings (resolution_id, community_id, round, user_id, rating, comment, at)
                VALUES (\(bind: id), \(bind: r.communityID), \(bind: g.round), \(bind: g.raterUserID), \(bind: g.rating.rawValue),
                  \(bind: g.comment), \(bind: g.at.epochMillis))
                ON CONFLICT (resolution_id, round, user_id) DO NOTHING
                """
            ).run()
        }
        for e in events {
            try await tx.sql.raw(
                """
                INSERT INTO resolution_events (resolution_id, community_id, at, actor_user_id, action, note)
                VALUES (\(bind: id), \(bind: r.communityID), \(bind: e.at.epochMillis), \(bind: e.by), \(bind: e.action), \(bind: e.note))
                """
            ).run()
        }
        if let votedTopic {
            // As of the adoption, with its timeline line and no notice or audit entry (the caller's batch has one).
            let at = Transaction(
                sql: tx.sql, backend: tx.backend, now: seed.adoptedAt, actor: tx.actor, personalData: tx.personalData)
            _ = try await TopicCommands.step(
                at, votedTopic, .decide(resolutionID: id, summary: String(r.text.prefix(2000))), expectedVersion: nil,
                channels: [], bulk: true)
        }
        return (id, number)
    }
}
