import Foundation
import GongzhiDomain
import SQLKit

/// A topic to seed as it stands after its history: the state it reached, who co-signed and when, its linked cases and
/// its discussion. Times are given, not computed, because the history is in the past.
public struct TopicSeed: Sendable {
    public var placeKind: TopicScopeKind
    /// The community's or building's node id, or the estate's id.
    public var placeID: Int64
    public var origin: TopicOrigin
    public var proposerUserID: Int64?
    public var title: String
    public var body: String
    public var state: TopicState
    public var createdAt: Date
    /// When it went out for co-signatures (nil for a draft).
    public var submittedAt: Date?
    /// The rule it was submitted under.
    public var rule: CoSignatureRule
    /// Who co-signed, and when.
    public var coSigners: [(userID: Int64, at: Date)] = []
    /// When it went on the agenda; with `placedByOrganiser`, by the organiser's hand rather than the threshold.
    public var agendaAt: Date?
    public var placedByOrganiser = false
    public var archiveReason: TopicArchiveReason?
    public var archivedAt: Date?
    public var caseIDs: [Int64] = []
    /// The meeting that took it up (for a topic in a meeting or decided), and what it decided, when.
    public var meetingID: Int64?
    public var takenUpAt: Date?
    public var decidedAt: Date?
    public var decision = ""
    /// The discussion: who wrote what, when, and the moderator's reason where it was hidden.
    public var comments: [(userID: Int64, text: String, at: Date, hiddenReason: String?)] = []

    public init(
        placeKind: TopicScopeKind, placeID: Int64, origin: TopicOrigin = .resident, proposerUserID: Int64?,
        title: String, body: String, state: TopicState, createdAt: Date, rule: CoSignatureRule
    ) {
        self.placeKind = placeKind
        self.placeID = placeID
        self.origin = origin
        self.proposerUserID = proposerUserID
        self.title = title
        self.body = body
        self.state = state
        self.createdAt = createdAt
        self.rule = rule
    }
}

/// The topics' fast path for seeding and imports. It skips what `TopicCommands` does per step (the policy, notices
/// and one audit entry each), so it opens only on a transaction of `Actor.commandLine` and refuses any other with
/// `forbidden`; the caller writes one audit entry for the batch. Title and body are still checked, the state must be
/// one the history leads to, and the timeline is written from the seed's times.
public struct TopicBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Sets a community's co-signature rule for a scope kind from `from` on.
    public func setRule(
        _ rule: CoSignatureRule, for kind: TopicScopeKind, in communityID: Int64, from: Date
    )
        async throws
    {
        guard rule.threshold >= 0, rule.windowDays > 0 else {
            throw DomainError.invalid("topic_cosign_rule_invalid", field: "threshold")
        }
        try await tx.sql.raw(
            """
            INSERT INTO topic_cosign_rules (community_id, scope_kind, effective_from, threshold, window_days, set_by, set_at)
            VALUES (\(bind: communityID), \(bind: kind.rawValue), \(bind: from.epochMillis), \(bind: rule.threshold),
              \(bind: rule.windowDays), NULL, \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    /// Writes the topic, its co-signatures, cases, comments and timeline; returns its id and number.
    @discardableResult
    public func add(_ seed: TopicSeed) async throws -> (id: Int64, number: String) {
        let (title, body) = try Topic.validate(title: seed.title, body: seed.body)
        let (scope, path) = try await TopicCommands.resolve(tx.sql, seed.placeKind, seed.placeID)
        let reached = seed.coSigners.count >= seed.rule.threshold
        switch seed.state {
        // A topic goes into an online vote when the vote is drafted on it (`VoteBulk.draft`), not by its seed.
        case .inVote: throw DomainError.invalid("topic_seed_history_mismatch")
        case .draft: guard seed.submittedAt == nil else { throw DomainError.invalid("topic_seed_history_mismatch") }
        case .collecting:
            guard seed.submittedAt != nil, !reached else {
                throw DomainError.invalid("topic_seed_history_mismatch")
            }
        case .onAgenda, .inMeeting, .decided:
            guard seed.agendaAt != nil, reached || seed.placedByOrganiser else {
                throw DomainError.invalid("topic_seed_history_mismatch")
            }
            guard seed.state == .onAgenda || (seed.meetingID != nil && seed.takenUpAt != nil),
                seed.state != .decided || (seed.decidedAt != nil && !seed.decision.isEmpty)
            else { throw DomainError.invalid("topic_seed_history_mismatch") }
        case .archived:
            guard seed.archiveReason != nil, seed.archivedAt != nil else {
                throw DomainError.invalid("topic_seed_history_mismatch")
            }
        }
        var t = Topic(
            id: 0, number: "", scope: scope, origin: seed.origin, proposerUserID: seed.proposerUserID, title: title,
            body: body, state: seed.state, createdAt: seed.createdAt,
            coSignatureThreshold: seed.submittedAt == nil ? 0 : seed.rule.threshold,
            collectUntil: seed.submittedAt.map { $0.addingTimeInterval(TimeInterval(seed.rule.windowDays) * 86400) },
            coSignatures: seed.coSigners.count)
        t.submittedAt = seed.submittedAt
        t.agendaAt = seed.agendaAt
        t.placedByOrganiser = seed.placedByOrganiser
        t.archiveReason = seed.archiveReason
        t.archivedAt = seed.archivedAt
        t.meetingID = seed.state == .inMeeting || seed.state == .decided ? seed.meetingID : nil
        t.decidedAt = seed.state == .decided ? seed.decidedAt : nil
        let sql = tx.sql
        let id = try await sql.raw(
            """
            INSERT INTO topics (number, community_id, estate_id, building_id, scope_path, origin, origin_body_id, origin_case_id,
              proposer_user_id, title, body, state, created_at, submitted_at, threshold, collect_until, co_signatures,
              placed_by_organiser, agenda_at, meeting_id, decided_at, archive_reason, archived_at, updated_at, version)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: scope.communityID), \(bind: scope.estateID), \(bind: scope.buildingID),
              \(bind: path), \(bind: t.origin.rawKind), \(bind: t.origin.bodyID), \(bind: t.caseID), \(bind: t.proposerUserID),
              \(bind: title), \(bind: body), \(bind: t.state.rawValue), \(bind: t.createdAt.epochMillis),
              \(bind: t.submittedAt?.epochMillis), \(bind: t.coSignatureThreshold), \(bind: t.collectUntil?.epochMillis),
              \(bind: t.coSignatures), \(bind: t.placedByOrganiser ? 1 : 0), \(bind: t.agendaAt?.epochMillis),
              \(bind: t.meetingID), \(bind: t.decidedAt?.epochMillis), \(bind: t.archiveReason?.rawValue),
              \(bind: t.archivedAt?.epochMillis),
              \(bind: (t.archivedAt ?? t.decidedAt ?? t.agendaAt ?? t.submittedAt ?? t.createdAt).epochMillis), 1)
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let number = TopicRaise.number(day: WorkCalendar.dayKey(seed.createdAt), id: id)
        try await sql.raw("UPDATE topics SET number = \(bind: number) WHERE id = \(bind: id)").run()
        func event(_ action: String, _ from: TopicState?, _ to: TopicState, _ at: Date, _ note: String) async throws {
            try await sql.raw(
                """
                INSERT INTO topic_events (topic_id, community_id, at, actor_user_id, action, from_state, to_state, note)
                VALUES (\(bind: id), \(bind: scope.communityID), \(bind: at.epochMillis), NULL, \(bind: action),
                  \(bind: from?.rawValue), \(bind: to.rawValue), \(bind: note))
                """
            ).run()
        }
        try await event("raise", nil, .draft, seed.createdAt, "")
        var state = TopicState.draft
        if let submitted = seed.submittedAt {
            try await event("submit", .draft, .collecting, submitted, "0/\(seed.rule.threshold)")
            state = .collecting
        }
        for (n, signer) in seed.coSigners.enumerated() {
            try await sql.raw(
                """
                INSERT INTO topic_cosignatures (topic_id, community_id, user_id, at)
                VALUES (\(bind: id), \(bind: scope.communityID), \(bind: signer.userID), \(bind: signer.at.epochMillis))
                """
            ).run()
            let to: TopicState = n + 1 >= seed.rule.threshold && !seed.placedByOrganiser ? .onAgenda : state
            try await event(TopicCapability.coSign.rawValue, state, to, signer.at, "\(n + 1)/\(seed.rule.threshold)")
            state = to
        }
        if seed.placedByOrganiser, let agenda = seed.agendaAt {
            try await event(TopicCapability.placeOnAgenda.rawValue, state, .onAgenda, agenda, "")
            state = .onAgenda
        }
        if let meeting = t.meetingID, let at = seed.takenUpAt {
            try await event(TopicCapability.takeUp.rawValue, state, .inMeeting, at, "\(meeting)")
            state = .inMeeting
        }
        if let at = t.decidedAt {
            try await event(TopicCapability.decide.rawValue, state, .decided, at, seed.decision)
            state = .decided
        }
        if let reason = seed.archiveReason, let at = seed.archivedAt {
            let action: TopicCapability =
                reason == .expired ? .expire : reason == .withdrawn ? .withdraw : .archive
            try await event(action.rawValue, state, .archived, at, "")
        }
        for caseID in seed.caseIDs {
            try await sql.raw(
                """
                INSERT INTO topic_cases (topic_id, community_id, case_id, linked_at, linked_by)
                VALUES (\(bind: id), \(bind: scope.communityID), \(bind: caseID), \(bind: seed.createdAt.epochMillis), NULL)
                """
            ).run()
        }
        for c in seed.comments {
            let text = try TopicComment.validate(c.text)
            try await sql.raw(
                """
                INSERT INTO topic_comments (topic_id, community_id, author_user_id, body, created_at, hidden_at, hidden_reason)
                VALUES (\(bind: id), \(bind: scope.communityID), \(bind: c.userID), \(bind: text), \(bind: c.at.epochMillis),
                  \(bind: c.hiddenReason == nil ? nil : c.at.epochMillis), \(bind: c.hiddenReason))
                """
            ).run()
        }
        return (id, number)
    }
}
