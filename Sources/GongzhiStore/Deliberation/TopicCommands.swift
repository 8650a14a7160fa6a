import Foundation
import GongzhiDomain
import SQLKit

/// A topic someone raises: where (a community, an estate or a building, by `placeKind` and `placeID`), from whom
/// (`origin`: a resident, a party member or a governance body) and what.
public struct TopicProposal: Sendable, Equatable {
    public var placeKind: TopicScopeKind
    /// The community's or building's node id, or the estate's id.
    public var placeID: Int64
    public var origin: TopicOrigin
    public var title: String
    public var body: String

    public init(placeKind: TopicScopeKind, placeID: Int64, origin: TopicOrigin = .resident, title: String, body: String)
    {
        self.placeKind = placeKind
        self.placeID = placeID
        self.origin = origin
        self.title = title
        self.body = body
    }

    /// What an idempotency key is bound to: a retry must send the same request.
    var fingerprint: String {
        Secrets.sha256Hex(
            [placeKind.rawValue, "\(placeID)", origin.rawKind, "\(origin.bodyID ?? 0)", title, body].map {
                "\($0.utf8.count):\($0)"
            }.joined(separator: "|"))
    }
}

/// The deliberation module's one writer for topics: `raise` creates a draft, `perform` takes every later step; the
/// discussion's comments, hiding and reports, the expiry scan and the case referral go through the same
/// transaction shape (policy, version check, timeline, notices, audit).
public struct TopicCommands: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock = .system, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    // MARK: - raise

    /// Raises a topic as a draft (its proposer then edits or submits it). With an `idempotencyKey`, a repeat of the
    /// same request returns the topic the first one created.
    public func raise(_ actor: Actor, _ proposal: TopicProposal, idempotencyKey: String? = nil) async throws -> Topic {
        let key = idempotencyKey?.trimmingCharacters(in: .whitespaces).prefix(200).description
        let scope = "topic.raise"
        if let key, !key.isEmpty, let first = try await Idempotency.find(db, scope: scope, actor: actor, key: key) {
            return try await replay(first, proposal)
        }
        let (title, body) = try Topic.validate(title: proposal.title, body: proposal.body)
        do {
            return try await db.command(actor, clock: clock) { tx in
                let (topicScope, path) = try await Self.resolve(tx.sql, proposal.placeKind, proposal.placeID)
                let home = try await TopicStore.home(tx.sql, of: actor)
                var probe = Topic(
                    id: 0, number: "", scope: topicScope, origin: proposal.origin, proposerUserID: actor.storedUserID,
                    title: title, body: body, createdAt: tx.now)
                let role = try TopicRaise.require(
                    actor, origin: proposal.origin, scopePath: path,
                    actorInScope: home?.isInside(probe, scopePath: path) ?? false)
                if let bodyID = proposal.origin.bodyID {
                    guard let b = try await JurisdictionStore.body(tx.sql, bodyID),
                        b.communityID == topicScope.communityID,
                        b.closedAt == nil
                    else { throw DomainError.invalid("topic_body_unknown", field: "origin") }
                }
                probe = try await Self.insert(tx, probe, path: path)
                try await Self.event(tx, probe, action: "raise", from: nil, note: "")
                try await tx.audit(
                    AuditRecord(
                        action: "topic.raise", objectType: "topic", objectID: "\(probe.id)",
                        communityID: probe.communityID, nodeID: topicScope.buildingID ?? topicScope.communityID,
                        after: AuditJSON.encode([
                            "number": probe.number, "origin": proposal.origin.rawKind,
                            "scope": topicScope.kind.rawValue,
                        ])), role: role)
                if let key, !key.isEmpty {
                    try await Idempotency.record(
                        tx, scope: scope, key: key, fingerprint: proposal.fingerprint, result: "\(probe.id)")
                }
                return probe
            }
        } catch is IdempotentReplay {
            guard let key, let first = try await Idempotency.find(db, scope: scope, actor: actor, key: key) else {
                throw DomainError(.conflict, "topic_changed_meanwhile")
            }
            return try await replay(first, proposal)
        }
    }

    func replay(_ first: Idempotency.Entry, _ proposal: TopicProposal) async throws -> Topic {
        guard first.fingerprint.isEmpty || first.fingerprint == proposal.fingerprint else {
            throw DomainError.invalid("idempotency_key_reused", field: "idempotency_key")
        }
        guard let id = Int64(first.result),
            let row = try await db.read({ sql in
                try await sql.raw("SELECT * FROM topics WHERE id = \(bind: id)").first().map(TopicRow.decode)
            })
        else { throw DomainError.notFound }
        return row.topic
    }

    /// The scope a proposal names and the path its policy checks: `topic_place_invalid` for an unknown or closed place.
    static func resolve(
        _ sql: any SQLDatabase, _ kind: TopicScopeKind, _ id: Int64
    ) async throws -> (TopicScope, String) {
        switch kind {
        case .community, .building:
            guard let node = try await JurisdictionStore.node(sql, id), node.isOpen,
                kind == .building ? node.kind == .building : node.kind.isCommunityLevel
            else { throw DomainError.invalid("topic_place_invalid", field: "place") }
            let community = node.kind.isCommunityLevel ? node.id : node.communityID
            guard let community else { throw DomainError.invalid("topic_place_invalid", field: "place") }
            return (TopicScope(communityID: community, buildingID: kind == .building ? node.id : nil), node.path)
        case .estate:
            guard let estate = try await JurisdictionStore.estate(sql, id),
                let community = try await JurisdictionStore.node(sql, estate.communityID), community.isOpen
            else { throw DomainError.invalid("topic_place_invalid", field: "place") }
            return (TopicScope(communityID: community.id, estateID: estate.id), community.path)
        }
    }

    /// Writes a new topic row (as the given draft, with its number) and returns it with its id.
    static func insert(_ tx: Transaction, _ t: Topic, path: String) async throws -> Topic {
        let temp = "tmp-\(UUID().uuidString)"
        let id = try await tx.sql.raw(
            """
            INSERT INTO topics (number, community_id, estate_id, building_id, scope_path, origin, origin_body_id, origin_case_id,
              proposer_user_id, title, body, state, created_at, updated_at, version)
            VALUES (\(bind: temp), \(bind: t.communityID), \(bind: t.scope.estateID), \(bind: t.scope.buildingID), \(bind: path),
              \(bind: t.origin.rawKind), \(bind: t.origin.bodyID), \(bind: t.caseID), \(bind: t.proposerUserID), \(bind: t.title),
              \(bind: t.body), \(bind: t.state.rawValue), \(bind: tx.now.epochMillis), \(bind: tx.now.epochMillis), 1)
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var created = t
        created.id = id
        created.number = TopicRaise.number(day: WorkCalendar.dayKey(tx.now), id: id)
        created.createdAt = tx.now
        created.version = 1
        try await tx.sql.raw("UPDATE topics SET number = \(bind: created.number) WHERE id = \(bind: id)").run()
        return created
    }

    // MARK: - perform

    /// Takes one step on a topic: loads it, asks `TopicPolicy.require`, applies `TopicWorkflow.transition`, and saves
    /// the next state (only if the topic is still at `expectedVersion`, when given), the side rows, the timeline
    /// line, the notices and the audit entry, in one transaction. A co-signature taken without a version is tried
    /// again when another co-signature landed first.
    @discardableResult
    public func perform(
        _ actor: Actor, _ topicID: Int64, _ command: TopicCommand, expectedVersion: Int? = nil
    ) async throws -> Topic {
        var attempt = 0
        while true {
            do {
                return try await performOnce(actor, topicID, command, expectedVersion: expectedVersion)
            } catch let error as DomainError
                where error.key == "topic_changed_meanwhile" && command == .coSign && expectedVersion == nil
                && attempt < 5
            {
                attempt += 1
            }
        }
    }

    func performOnce(
        _ actor: Actor, _ topicID: Int64, _ command: TopicCommand, expectedVersion: Int?
    ) async throws -> Topic {
        let channels = channels
        return try await db.command(actor, clock: clock) { tx in
            try await Self.step(tx, topicID, command, expectedVersion: expectedVersion, channels: channels)
        }
    }

    /// One step inside a transaction: `perform`'s body, and what a meeting's own steps call for its topics (a
    /// meeting taking a topic up, or putting its topics back on the agenda when it is cancelled) and a vote's draft
    /// (putting its topic to the vote). A bulk helper's step (`bulk`, command line only) writes the topic and its
    /// timeline line but no notices and no audit entry: its caller leaves one entry for the batch.
    static func step(
        _ tx: Transaction, _ topicID: Int64, _ command: TopicCommand, expectedVersion: Int?, channels: [String],
        bulk: Bool = false
    ) async throws -> Topic {
        if bulk { try tx.requireCommandLine() }
        let actor = tx.actor
        guard let (row, context) = try await TopicStore.loaded(tx.sql, topicID, actor: actor, now: tx.now) else {
            throw DomainError.notFound
        }
        let current = row.topic
        // Who may not even read the topic learns nothing; who acted on an older version is told it changed first.
        if actor.principal == .user { try TopicPolicy.require(.read, of: actor, on: current, in: context) }
        if let expectedVersion, expectedVersion != current.version {
            throw DomainError(.conflict, "topic_changed_meanwhile")
        }
        let role = try TopicPolicy.require(command.capability, of: actor, on: current, in: context)
        if case .linkCase(let caseID) = command {
            guard let linked = try await CaseStore.row(tx.sql, caseID)?.value,
                linked.communityID == current.communityID
            else { throw DomainError.invalid("topic_case_unknown", field: "case") }
        }
        let transition = try TopicWorkflow.transition(command, of: current, by: actor, in: context)
        var next = transition.next
        guard try await TopicRow.save(tx.sql, next, expecting: current.version, at: tx.now) else {
            throw DomainError(.conflict, "topic_changed_meanwhile")
        }
        next.version = current.version + 1
        for effect in transition.effects { try await Self.apply(effect, tx, next) }
        try await Self.event(tx, next, action: transition.action, from: current.state, note: transition.note)
        if bulk { return next }
        let users = try await TopicNotices.users(tx.sql, transition.audience, of: next)
        try await Notifications.notify(
            tx, users: users, subject: TopicNotices.subject(next), kind: "topic.\(transition.action)",
            channels: channels)
        try await tx.audit(
            AuditRecord(
                action: "topic.\(transition.action)", objectType: "topic", objectID: "\(topicID)",
                communityID: current.communityID, nodeID: current.scope.buildingID ?? current.communityID,
                before: transition.auditBefore, after: transition.auditAfter, result: transition.auditResult),
            role: role)
        return next
    }

    static func apply(_ effect: TopicEffect, _ tx: Transaction, _ t: Topic) async throws {
        switch effect {
        case .coSignature(let userID):
            let inserted = try await tx.sql.raw(
                """
                INSERT INTO topic_cosignatures (topic_id, community_id, user_id, at)
                VALUES (\(bind: t.id), \(bind: t.communityID), \(bind: userID), \(bind: tx.now.epochMillis))
                ON CONFLICT (topic_id, user_id) DO NOTHING RETURNING user_id
                """
            ).first()
            guard inserted != nil else { throw DomainError(.conflict, "topic_cosign_twice") }
        case .linkCase(let caseID):
            try await linkCase(tx, topic: t, caseID: caseID)
        }
    }

    static func linkCase(_ tx: Transaction, topic t: Topic, caseID: Int64) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO topic_cases (topic_id, community_id, case_id, linked_at, linked_by)
            VALUES (\(bind: t.id), \(bind: t.communityID), \(bind: caseID), \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID))
            ON CONFLICT (topic_id, case_id) DO NOTHING
            """
        ).run()
    }

    static func event(_ tx: Transaction, _ t: Topic, action: String, from: TopicState?, note: String) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO topic_events (topic_id, community_id, at, actor_user_id, action, from_state, to_state, note)
            VALUES (\(bind: t.id), \(bind: t.communityID), \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID),
              \(bind: action), \(bind: from?.rawValue), \(bind: t.state.rawValue), \(bind: note))
            """
        ).run()
    }

    /// Links a case, named by its number, to a topic: the organiser's "link another case".
    @discardableResult
    public func linkCase(
        _ actor: Actor, _ topicID: Int64, caseNumber: String, expectedVersion: Int? = nil
    ) async throws -> Topic {
        let number = caseNumber.trimmingCharacters(in: .whitespaces).uppercased()
        guard !number.isEmpty else { throw DomainError.invalid("topic_case_unknown", field: "case") }
        guard let caseID = try await db.read({ sql in try await CaseStore.id(sql, number: number) }) else {
            throw DomainError.invalid("topic_case_unknown", field: "case")
        }
        return try await perform(actor, topicID, .linkCase(caseID: caseID), expectedVersion: expectedVersion)
    }

    // MARK: - rules

    /// Sets a community's co-signature rule for one scope kind from `from` on (default: now). Running topics keep
    /// the rule they were submitted under; topics submitted from then on take the new one.
    public func setCoSignatureRule(
        _ actor: Actor, communityID: Int64, kind: TopicScopeKind, rule: CoSignatureRule, from: Date? = nil
    ) async throws {
        try await db.command(actor, clock: clock) { tx in
            guard let community = try await JurisdictionStore.node(tx.sql, communityID), community.kind.isCommunityLevel
            else { throw DomainError.notFound }
            let role = try TopicRaise.requireSetRules(actor, communityPath: community.path, rule: rule)
            let start = from ?? tx.now
            try await tx.sql.raw(
                """
                INSERT INTO topic_cosign_rules (community_id, scope_kind, effective_from, threshold, window_days, set_by, set_at)
                VALUES (\(bind: communityID), \(bind: kind.rawValue), \(bind: start.epochMillis), \(bind: rule.threshold),
                  \(bind: rule.windowDays), \(bind: actor.storedUserID), \(bind: tx.now.epochMillis))
                ON CONFLICT (community_id, scope_kind, effective_from) DO UPDATE SET threshold = excluded.threshold,
                  window_days = excluded.window_days, set_by = excluded.set_by, set_at = excluded.set_at
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: "topic.set_cosign_rule", objectType: "community", objectID: "\(communityID)",
                    communityID: communityID, nodeID: communityID,
                    after: AuditJSON.encode([
                        "scope": kind.rawValue, "threshold": "\(rule.threshold)", "window_days": "\(rule.windowDays)",
                        "from": "\(start.epochMillis)",
                    ])), role: role)
        }
    }

    // MARK: - expiry

    /// Archives every collecting topic whose window has ended below its threshold, in batches. Safe on several
    /// instances at once: each goes through `perform` with the version it was seen at, so a topic moves once.
    @discardableResult
    public func expireDue(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        var moved = 0
        var after: Int64 = 0
        while true {
            let from = after
            let due = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT id, version FROM topics WHERE state = 'collecting' AND collect_until <= \(bind: now.epochMillis)
                      AND co_signatures < threshold AND id > \(bind: from) ORDER BY id LIMIT \(bind: batch)
                    """
                ).all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "version", as: Int.self))
                }
            }
            for (id, version) in due {
                do {
                    try await perform(.system, id, .expire, expectedVersion: version)
                    moved += 1
                } catch let error as DomainError where error.kind == .conflict {
                    // Another instance archived it first, or a last co-signature moved it on.
                }
            }
            guard due.count == batch, let last = due.last else { return moved }
            after = last.0
        }
    }

    // MARK: - discussion

    /// Adds a comment to a topic's discussion.
    @discardableResult
    public func comment(_ actor: Actor, _ topicID: Int64, text: String) async throws -> TopicComment {
        let body = try TopicComment.validate(text)
        return try await db.command(actor, clock: clock) { tx in
            guard let (row, context) = try await TopicStore.loaded(tx.sql, topicID, actor: actor, now: tx.now) else {
                throw DomainError.notFound
            }
            let t = row.topic
            let role = try TopicCommentPolicy.requireComment(actor, on: t, in: context)
            let id = try await tx.sql.raw(
                """
                INSERT INTO topic_comments (topic_id, community_id, author_user_id, body, created_at)
                VALUES (\(bind: t.id), \(bind: t.communityID), \(bind: actor.storedUserID), \(bind: body), \(bind: tx.now.epochMillis))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            if let proposer = t.proposerUserID {
                try await Notifications.notify(
                    tx, users: [proposer], subject: TopicNotices.subject(t), kind: "topic.comment", channels: channels)
            }
            try await tx.audit(
                AuditRecord(
                    action: "topic.comment", objectType: "topic_comment", objectID: "\(id)", communityID: t.communityID,
                    nodeID: t.scope.buildingID ?? t.communityID, after: "\(t.id)"), role: role)
            guard let created = try await TopicStore.comment(tx.sql, id) else { throw DomainError.notFound }
            return created
        }
    }

    /// Hides a comment, saying why; its text stays on record for the moderators.
    @discardableResult
    public func hideComment(_ actor: Actor, _ commentID: Int64, reason: String) async throws -> TopicComment {
        try await db.command(actor, clock: clock) { tx in
            let (comment, t, context) = try await Self.loadComment(tx, commentID)
            let (role, text) = try TopicCommentPolicy.requireHide(actor, comment, on: t, in: context, reason: reason)
            try await tx.sql.raw(
                """
                UPDATE topic_comments SET hidden_at = \(bind: tx.now.epochMillis), hidden_by = \(bind: actor.storedUserID),
                  hidden_reason = \(bind: text) WHERE id = \(bind: commentID) AND hidden_at IS NULL
                """
            ).run()
            if let author = comment.authorUserID {
                try await Notifications.notify(
                    tx, users: [author], subject: TopicNotices.subject(t), kind: "topic.comment_hidden",
                    channels: channels)
            }
            try await tx.audit(
                AuditRecord(
                    action: "topic.comment_hide", objectType: "topic_comment", objectID: "\(commentID)",
                    communityID: t.communityID, nodeID: t.scope.buildingID ?? t.communityID, after: "\(t.id)",
                    result: "hidden"), role: role)
            guard let hidden = try await TopicStore.comment(tx.sql, commentID) else { throw DomainError.notFound }
            return hidden
        }
    }

    /// Reports a comment as improper (once per reader); the organisers hear of it.
    public func reportComment(_ actor: Actor, _ commentID: Int64, reason: String) async throws {
        try await db.command(actor, clock: clock) { tx in
            let (comment, t, context) = try await Self.loadComment(tx, commentID)
            let role = try TopicCommentPolicy.requireReport(actor, comment, on: t, in: context)
            let text = try TopicWorkflow.optionalText(reason)
            let inserted = try await tx.sql.raw(
                """
                INSERT INTO topic_comment_reports (comment_id, community_id, user_id, at, reason)
                VALUES (\(bind: commentID), \(bind: t.communityID), \(bind: actor.userID), \(bind: tx.now.epochMillis), \(bind: text))
                ON CONFLICT (comment_id, user_id) DO NOTHING RETURNING comment_id
                """
            ).first()
            guard inserted != nil else { throw DomainError(.conflict, "topic_comment_reported_already") }
            try await tx.sql.raw("UPDATE topic_comments SET reports = reports + 1 WHERE id = \(bind: commentID)").run()
            let users = try await TopicNotices.users(tx.sql, [.organisers], of: t)
            try await Notifications.notify(
                tx, users: users, subject: TopicNotices.subject(t), kind: "topic.comment_reported", channels: channels)
            try await tx.audit(
                AuditRecord(
                    action: "topic.comment_report", objectType: "topic_comment", objectID: "\(commentID)",
                    communityID: t.communityID, nodeID: t.scope.buildingID ?? t.communityID), role: role)
        }
    }

    static func loadComment(_ tx: Transaction, _ commentID: Int64) async throws -> (TopicComment, Topic, TopicContext) {
        guard let comment = try await TopicStore.comment(tx.sql, commentID),
            let (row, context) = try await TopicStore.loaded(tx.sql, comment.topicID, actor: tx.actor, now: tx.now)
        else { throw DomainError.notFound }
        try TopicPolicy.require(.read, of: tx.actor, on: row.topic, in: context)
        return (comment, row.topic, context)
    }

    // MARK: - cases sent to deliberation

    /// A case sent to deliberation (民主议事) becomes a topic of its community, or joins the open topic it is linked
    /// to already: the case's reporter is its proposer, and it goes out for co-signatures at once under the
    /// community's rule. Runs inside the case step's transaction; the returned topic is the one the case now shows.
    @discardableResult
    static func referCase(_ tx: Transaction, _ c: Case, note: String) async throws -> Topic {
        let open = try await tx.sql.raw(
            """
            SELECT t.* FROM topics t JOIN topic_cases tc ON tc.topic_id = t.id
            WHERE tc.case_id = \(bind: c.id) AND t.state <> 'archived' ORDER BY t.id LIMIT 1
            """
        ).first().map(TopicRow.decode)
        if let open { return open.topic }
        guard let community = try await JurisdictionStore.node(tx.sql, c.communityID) else {
            throw DomainError.notFound
        }
        let title = String(c.title.prefix(Topic.maxTitle))
        let extra = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = String(((extra.isEmpty ? "" : extra + "\n\n") + c.description).prefix(Topic.maxBody))
        let draft = try await insert(
            tx,
            Topic(
                id: 0, number: "", scope: TopicScope(communityID: c.communityID), origin: .fromCase(caseID: c.id),
                proposerUserID: c.reporterUserID, title: title, body: body.isEmpty ? title : body, createdAt: tx.now),
            path: community.path)
        try await linkCase(tx, topic: draft, caseID: c.id)
        try await event(tx, draft, action: "raise", from: nil, note: c.number)
        let rules = try await TopicStore.coSignatureRules(tx.sql, communityID: c.communityID, at: tx.now)
        let submit = try TopicWorkflow.transition(
            .submit, of: draft, by: tx.actor,
            in: TopicContext(now: tx.now, path: community.path, coSignatureRule: rules.community))
        var next = submit.next
        guard try await TopicRow.save(tx.sql, next, expecting: draft.version, at: tx.now) else {
            throw DomainError(.conflict, "topic_changed_meanwhile")
        }
        next.version = draft.version + 1
        try await event(tx, next, action: submit.action, from: draft.state, note: submit.note)
        let users = try await TopicNotices.users(tx.sql, submit.audience.union([.proposer]), of: next)
        try await Notifications.notify(
            tx, users: users, subject: TopicNotices.subject(next), kind: "topic.from_case", channels: [])
        try await tx.audit(
            AuditRecord(
                action: "topic.raise", objectType: "topic", objectID: "\(next.id)", communityID: next.communityID,
                nodeID: next.communityID, after: AuditJSON.encode(["number": next.number, "case": c.number]),
                result: "from_case"), role: nil)
        return next
    }
}

/// Who hears of a topic's step: the audience its transition names, turned into users here.
enum TopicNotices {
    static func subject(_ t: Topic) -> NoticeSubject {
        NoticeSubject(kind: "topic", id: t.id, communityID: t.communityID, title: t.number + " " + t.title)
    }

    static func users(_ sql: any SQLDatabase, _ audience: Set<TopicAudience>, of t: Topic) async throws -> Set<Int64> {
        var users = Set<Int64>()
        func ids(_ q: SQLQueryString, _ column: String) async throws -> [Int64] {
            try await sql.raw(q).all().map { try $0.decode(column: column, as: Int64.self) }
        }
        for member in audience {
            switch member {
            case .proposer:
                if let p = t.proposerUserID { users.insert(p) }
            case .coSigners:
                users.formUnion(
                    try await ids("SELECT user_id FROM topic_cosignatures WHERE topic_id = \(bind: t.id)", "user_id"))
            case .organisers:
                users.formUnion(
                    try await Notifications.usersHolding(sql, ["communityWorker"], atNodes: [t.communityID]))
            case .scopeResidents:
                // A building's or estate's residents hear of it one by one; a whole community's topic is news on its
                // list and home page instead (a notice per household of a community would be a broadcast).
                if let building = t.scope.buildingID {
                    users.formUnion(try await ids("SELECT id FROM users WHERE home_node_id = \(bind: building)", "id"))
                } else if let estate = t.scope.estateID {
                    users.formUnion(
                        try await ids(
                            """
                            SELECT u.id FROM users u JOIN nodes n ON n.id = u.home_node_id WHERE n.estate_id = \(bind: estate)
                            """, "id"))
                }
            case .caseReporters:
                users.formUnion(
                    try await ids(
                        """
                        SELECT c.reporter_user_id FROM topic_cases tc JOIN cases c ON c.id = tc.case_id
                        WHERE tc.topic_id = \(bind: t.id) AND c.reporter_user_id IS NOT NULL
                        """, "reporter_user_id"))
            }
        }
        return users
    }
}
