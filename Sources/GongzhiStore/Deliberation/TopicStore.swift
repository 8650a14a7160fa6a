import Foundation
import GongzhiDomain
import SQLKit

/// One line of a topic's timeline.
public struct TopicEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorUserID: Int64?
    public var actorName: String?
    public var action: String
    public var fromState: TopicState?
    public var toState: TopicState
    public var note: String
}

/// A case linked to a topic, as the topic page lists it (read through the case store).
public struct TopicCase: Codable, Equatable, Sendable {
    public var id: Int64
    public var number: String
    public var title: String
    public var status: CaseStatus
    /// The case the topic came from (the others were linked by an organiser).
    public var isOrigin: Bool
}

/// A topic in a list or on a case's page.
public struct TopicSummary: Codable, Equatable, Sendable {
    public var id: Int64
    public var number: String
    public var title: String
    public var state: TopicState
    public var version: Int
}

/// A topic as one actor may see it, with what they may do: the read model of the topic page and the API.
public struct TopicRecord: Sendable {
    public var topic: Topic
    public var capabilities: Set<TopicCapability>
    /// How far the topic is from its threshold now.
    public var progress: CoSignatureProgress
    public var timeline: [TopicEvent]
    public var cases: [TopicCase]
    /// The discussion; a hidden comment's text is left out for all but its moderators.
    public var comments: [TopicComment]
    public var mayComment: Bool
    public var mayModerate: Bool
    public var hasCoSigned: Bool
    public var isProposer: Bool
    /// The scope's name: the community, estate or building.
    public var scopeName: String
    public var proposerName: String?
    /// The governance body that raised it.
    public var bodyName: String?
    /// The comments this actor reported already.
    public var reportedCommentIDs: Set<Int64>
}

/// Which topics a list shows (inside what the actor may read).
public struct TopicFilter: Sendable, Equatable {
    public var state: TopicState?
    /// Only topics the actor raised or co-signed.
    public var mine = false
    /// Only this community's.
    public var communityID: Int64?
    public var search: String?
    public var beforeID: Int64?
    public var limit = 50
    public init(state: TopicState? = nil, mine: Bool = false) {
        self.state = state
        self.mine = mine
    }
}

/// Where a user lives (their home node), for "in the topic's scope".
struct TopicHome: Sendable {
    var nodeID: Int64
    var path: String
    var estateID: Int64?
    var communityID: Int64?

    func isInside(_ topic: Topic, scopePath: String) -> Bool {
        switch topic.scope.kind {
        case .community, .building: NodePath.isInside(path, scopePath)
        case .estate: estateID != nil && estateID == topic.scope.estateID
        }
    }
}

/// Reads of topics. Every public read takes the actor and answers only what they may read; ids they may not read
/// answer exactly like missing ones.
public struct TopicStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    // MARK: - facts for the policy

    static func home(_ sql: any SQLDatabase, of actor: Actor) async throws -> TopicHome? {
        guard let user = actor.storedUserID else { return nil }
        guard
            let row = try await sql.raw(
                """
                SELECT h.id, h.path, h.kind, h.estate_id, h.community_id FROM users u JOIN nodes h ON h.id = u.home_node_id
                WHERE u.id = \(bind: user)
                """
            ).first()
        else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        let kind = try row.decode(column: "kind", as: String.self)
        return TopicHome(
            nodeID: id, path: try row.decode(column: "path", as: String.self),
            estateID: try row.decode(column: "estate_id", as: Int64?.self),
            communityID: try row.decode(column: "community_id", as: Int64?.self)
                ?? (kind == NodeKind.community.rawValue || kind == NodeKind.village.rawValue ? id : nil))
    }

    /// The co-signature rules of a community in force at `now`: the latest row of each scope kind that has begun,
    /// or the shipped default for a kind without one.
    static func coSignatureRules(
        _ sql: any SQLDatabase, communityID: Int64, at now: Date
    ) async throws
        -> CoSignatureRules
    {
        var rules = CoSignatureRules.projectDefault
        let rows = try await sql.raw(
            """
            SELECT scope_kind, threshold, window_days FROM topic_cosign_rules
            WHERE community_id = \(bind: communityID) AND effective_from <= \(bind: now.epochMillis)
            ORDER BY effective_from
            """
        ).all()
        for row in rows {
            let rule = CoSignatureRule(
                threshold: try row.decode(column: "threshold", as: Int.self),
                windowDays: try row.decode(column: "window_days", as: Int.self))
            switch TopicScopeKind(rawValue: try row.decode(column: "scope_kind", as: String.self)) {
            case .community: rules.community = rule
            case .estate: rules.estate = rule
            case .building: rules.building = rule
            case nil: break
            }
        }
        return rules
    }

    /// The topic with what its policy needs: whether the actor co-signed, lives in its scope, the scope's rule and
    /// the linked cases.
    static func loaded(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date
    ) async throws -> (TopicRow, TopicContext)? {
        guard
            let row = try await sql.raw(
                """
                SELECT t.*, (SELECT COUNT(*) FROM topic_cosignatures s WHERE s.topic_id = t.id AND s.user_id = \(bind: actor.storedUserID ?? -1))
                  AS cosigned
                FROM topics t WHERE t.id = \(bind: id)
                """
            ).first()
        else { return nil }
        let t = try TopicRow.decode(row)
        let home = try await Self.home(sql, of: actor)
        let rules = try await Self.coSignatureRules(sql, communityID: t.topic.communityID, at: now)
        let linked = try await sql.raw("SELECT case_id FROM topic_cases WHERE topic_id = \(bind: id)").all().map {
            try $0.decode(column: "case_id", as: Int64.self)
        }
        let context = TopicContext(
            now: now, path: t.scopePath, coSignatureRule: rules.rule(for: t.topic.scope.kind),
            hasCoSigned: try row.decode(column: "cosigned", as: Int.self) > 0,
            actorInScope: home?.isInside(t.topic, scopePath: t.scopePath) ?? false, linkedCaseIDs: Set(linked))
        return (t, context)
    }

    // MARK: - one topic

    /// The topic page's read model: the topic with its facts, timeline, cases and discussion.
    public func record(_ id: Int64, for actor: Actor, now: Date) async throws -> TopicRecord {
        try await db.read { sql in
            guard let (row, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            let t = row.topic
            try TopicPolicy.require(.read, of: actor, on: t, in: context)
            let capabilities = TopicPolicy.capabilities(of: actor, on: t, in: context)
            let moderator = TopicCommentPolicy.mayModerate(actor, on: t, in: context)
            var comments = try await Self.comments(sql, of: id)
            if !moderator {
                comments = comments.map { c in
                    var c = c
                    if c.isHidden { c.body = "" }
                    return c
                }
            }
            let reported = try await sql.raw(
                """
                SELECT r.comment_id FROM topic_comment_reports r JOIN topic_comments c ON c.id = r.comment_id
                WHERE c.topic_id = \(bind: id) AND r.user_id = \(bind: actor.storedUserID ?? -1)
                """
            ).all().map { try $0.decode(column: "comment_id", as: Int64.self) }
            let names = try await sql.raw(
                """
                SELECT (SELECT u.display_name FROM users u WHERE u.id = \(bind: t.proposerUserID ?? -1)) AS proposer,
                  (SELECT b.name FROM bodies b WHERE b.id = \(bind: t.origin.bodyID ?? -1)) AS body_name,
                  (SELECT e.name FROM estates e WHERE e.id = \(bind: t.scope.estateID ?? -1)) AS estate_name,
                  (SELECT n.name FROM nodes n WHERE n.id = \(bind: t.scope.buildingID ?? t.communityID)) AS node_name
                """
            ).first()
            let estateName = try names?.decode(column: "estate_name", as: String?.self) ?? nil
            let nodeName = try names?.decode(column: "node_name", as: String?.self) ?? nil
            let proposerName = try names?.decode(column: "proposer", as: String?.self) ?? nil
            let bodyName = try names?.decode(column: "body_name", as: String?.self) ?? nil
            var cases: [TopicCase] = []
            for caseID in context.linkedCaseIDs.sorted() {
                guard let c = try await CaseStore.row(sql, caseID)?.value else { continue }
                cases.append(
                    TopicCase(id: c.id, number: c.number, title: c.title, status: c.status, isOrigin: c.id == t.caseID))
            }
            let mayComment = (try? TopicCommentPolicy.requireComment(actor, on: t, in: context)) != nil
            return TopicRecord(
                topic: t, capabilities: capabilities, progress: t.progress(at: now),
                timeline: try await Self.events(sql, of: id), cases: cases, comments: comments,
                mayComment: mayComment, mayModerate: moderator, hasCoSigned: context.hasCoSigned,
                isProposer: t.proposerUserID != nil && t.proposerUserID == actor.storedUserID,
                scopeName: estateName ?? nodeName ?? "", proposerName: proposerName, bodyName: bodyName,
                reportedCommentIDs: Set(reported))
        }
    }

    /// Whether the actor may read the topic (checked before a step's body is read): the same answer as its page.
    public func requireVisible(_ id: Int64, to actor: Actor, now: Date) async throws {
        try await db.read { sql in
            guard let (row, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try TopicPolicy.require(.read, of: actor, on: row.topic, in: context)
        }
    }

    /// The topic a comment belongs to, when the actor may read that topic.
    public func topicID(ofComment commentID: Int64, for actor: Actor, now: Date) async throws -> Int64 {
        let topicID = try await db.read { sql in
            try await sql.raw("SELECT topic_id FROM topic_comments WHERE id = \(bind: commentID)").first()?.decode(
                column: "topic_id", as: Int64.self)
        }
        guard let topicID else { throw DomainError.notFound }
        try await requireVisible(topicID, to: actor, now: now)
        return topicID
    }

    static func events(_ sql: any SQLDatabase, of topicID: Int64) async throws -> [TopicEvent] {
        try await sql.raw(
            """
            SELECT e.*, u.display_name FROM topic_events e LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE e.topic_id = \(bind: topicID) ORDER BY e.at, e.id
            """
        ).all().map { row in
            TopicEvent(
                at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                actorUserID: try row.decode(column: "actor_user_id", as: Int64?.self),
                actorName: try row.decode(column: "display_name", as: String?.self),
                action: try row.decode(column: "action", as: String.self),
                fromState: try row.decode(column: "from_state", as: String?.self).flatMap(TopicState.init(rawValue:)),
                toState: TopicState(rawValue: try row.decode(column: "to_state", as: String.self)) ?? .draft,
                note: try row.decode(column: "note", as: String.self))
        }
    }

    static func comments(_ sql: any SQLDatabase, of topicID: Int64) async throws -> [TopicComment] {
        try await sql.raw(
            """
            SELECT c.*, u.display_name FROM topic_comments c LEFT JOIN users u ON u.id = c.author_user_id
            WHERE c.topic_id = \(bind: topicID) ORDER BY c.id LIMIT 500
            """
        ).all().map(Self.decodeComment)
    }

    static func comment(_ sql: any SQLDatabase, _ id: Int64) async throws -> TopicComment? {
        try await sql.raw(
            """
            SELECT c.*, u.display_name FROM topic_comments c LEFT JOIN users u ON u.id = c.author_user_id
            WHERE c.id = \(bind: id)
            """
        ).first().map(Self.decodeComment)
    }

    static func decodeComment(_ row: any SQLRow) throws -> TopicComment {
        TopicComment(
            id: try row.decode(column: "id", as: Int64.self),
            topicID: try row.decode(column: "topic_id", as: Int64.self),
            authorUserID: try row.decode(column: "author_user_id", as: Int64?.self),
            authorName: try row.decode(column: "display_name", as: String?.self),
            body: try row.decode(column: "body", as: String.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            hiddenAt: try row.decode(column: "hidden_at", as: Int64?.self).map(Date.init(epochMillis:)),
            hiddenReason: try row.decode(column: "hidden_reason", as: String?.self),
            reports: try row.decode(column: "reports", as: Int.self))
    }

    // MARK: - lists

    /// What the actor may read, as SQL: their areas' subtrees, their own topics, and the submitted topics of the
    /// scope they live in.
    static func visibleClause(_ actor: Actor, home: TopicHome?) -> SQLQueryString {
        var clause = SQLQueryString("(proposer_user_id = \(bind: actor.storedUserID ?? -1)")
        for area in actor.areas {
            clause =
                clause
                + " OR (scope_path >= \(bind: area.nodePath) AND scope_path < \(bind: NodePath.upperBound(area.nodePath)))"
        }
        if let home {
            clause = clause + " OR (state <> 'draft' AND ("
            if let community = home.communityID {
                clause =
                    clause
                    + "(estate_id IS NULL AND building_id IS NULL AND community_id = \(bind: community)) OR "
            }
            if let estate = home.estateID {
                clause = clause + "(building_id IS NULL AND estate_id = \(bind: estate)) OR "
            }
            clause = clause + "building_id = \(bind: home.nodeID)))"
        }
        return clause + ")"
    }

    static func whereClause(_ f: TopicFilter, actor: Actor, home: TopicHome?, withState: Bool) -> SQLQueryString {
        var q = visibleClause(actor, home: home)
        if withState, let state = f.state { q = q + " AND state = \(bind: state.rawValue)" }
        if f.mine {
            let me = actor.storedUserID ?? -1
            q =
                q
                + " AND (proposer_user_id = \(bind: me) OR EXISTS (SELECT 1 FROM topic_cosignatures s WHERE s.topic_id = topics.id AND s.user_id = \(bind: me)))"
        }
        if let community = f.communityID { q = q + " AND community_id = \(bind: community)" }
        if let search = f.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let like =
                "%" + search.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            q = q + " AND (title LIKE \(bind: like) OR number LIKE \(bind: like))"
        }
        if withState, let before = f.beforeID { q = q + " AND id < \(bind: before)" }
        return q
    }

    /// Newest first, in pages (`beforeID` is the cursor), inside what the actor may read.
    public func list(_ filter: TopicFilter, for actor: Actor) async throws -> [Topic] {
        try await db.read { sql in
            let home = try await Self.home(sql, of: actor)
            let q =
                SQLQueryString("SELECT * FROM topics WHERE ")
                + Self.whereClause(filter, actor: actor, home: home, withState: true)
                + " ORDER BY id DESC LIMIT \(bind: max(1, min(200, filter.limit)))"
            return try await sql.raw(q).all().map { try TopicRow.decode($0).topic }
        }
    }

    /// Counts by state for the tabs above a list (the state filter and cursor ignored).
    public func counts(_ filter: TopicFilter, for actor: Actor) async throws -> [TopicState: Int] {
        try await db.read { sql in
            let home = try await Self.home(sql, of: actor)
            let q =
                SQLQueryString("SELECT state, COUNT(*) AS n FROM topics WHERE ")
                + Self.whereClause(filter, actor: actor, home: home, withState: false) + " GROUP BY state"
            var out: [TopicState: Int] = [:]
            for row in try await sql.raw(q).all() {
                if let s = TopicState(rawValue: try row.decode(column: "state", as: String.self)) {
                    out[s] = try row.decode(column: "n", as: Int.self)
                }
            }
            return out
        }
    }

    /// The topics a case is linked to that the actor may read, for the case's page: one query, with the reader's
    /// home beside each topic for "in its scope".
    public func topics(ofCase caseID: Int64, for actor: Actor, now: Date) async throws -> [TopicSummary] {
        try await db.read { sql in
            let rows = try await sql.raw(
                """
                SELECT t.*, h.id AS home_id, h.path AS home_path, h.estate_id AS home_estate
                FROM topic_cases tc JOIN topics t ON t.id = tc.topic_id
                LEFT JOIN users u ON u.id = \(bind: actor.storedUserID ?? -1) LEFT JOIN nodes h ON h.id = u.home_node_id
                WHERE tc.case_id = \(bind: caseID) ORDER BY t.id
                """
            ).all()
            var out: [TopicSummary] = []
            for row in rows {
                let r = try TopicRow.decode(row)
                let home = try row.decode(column: "home_id", as: Int64?.self).map { id in
                    TopicHome(
                        nodeID: id, path: (try? row.decode(column: "home_path", as: String.self)) ?? "",
                        estateID: try? row.decode(column: "home_estate", as: Int64?.self), communityID: nil)
                }
                let context = TopicContext(
                    now: now, path: r.scopePath, actorInScope: home?.isInside(r.topic, scopePath: r.scopePath) ?? false)
                guard (try? TopicPolicy.require(.read, of: actor, on: r.topic, in: context)) != nil else { continue }
                let t = r.topic
                out.append(TopicSummary(id: t.id, number: t.number, title: t.title, state: t.state, version: t.version))
            }
            return out
        }
    }

    /// Every co-signature rule row a community has set, newest first, for its organisers (`forbidden` for others):
    /// the rules in force and those starting later.
    public func ruleHistory(communityID: Int64, for actor: Actor) async throws -> [CoSignatureRuleRow] {
        try await db.read { sql in
            guard let community = try await JurisdictionStore.node(sql, communityID), community.kind.isCommunityLevel
            else { throw DomainError.notFound }
            _ = try TopicRaise.requireSetRules(
                actor, communityPath: community.path, rule: CoSignatureRules.projectDefault.community)
            return try await sql.raw(
                """
                SELECT scope_kind, effective_from, threshold, window_days FROM topic_cosign_rules
                WHERE community_id = \(bind: communityID) ORDER BY effective_from DESC, scope_kind LIMIT 200
                """
            ).all().compactMap { row in
                guard let kind = TopicScopeKind(rawValue: try row.decode(column: "scope_kind", as: String.self)) else {
                    return nil
                }
                return CoSignatureRuleRow(
                    kind: kind, from: Date(epochMillis: try row.decode(column: "effective_from", as: Int64.self)),
                    rule: CoSignatureRule(
                        threshold: try row.decode(column: "threshold", as: Int.self),
                        windowDays: try row.decode(column: "window_days", as: Int.self)))
            }
        }
    }

    /// The co-signature rules of a community in force at `now` (the raise form shows them).
    public func coSignatureRules(communityID: Int64, at now: Date) async throws -> CoSignatureRules {
        try await db.read { sql in try await Self.coSignatureRules(sql, communityID: communityID, at: now) }
    }

    /// The places the actor may raise a topic in: their home's community, estate and building, and the communities
    /// of their organiser grants.
    public func raisePlaces(for actor: Actor) async throws -> [RaisePlace] {
        try await db.read { sql in
            var out: [RaisePlace] = []
            if let home = try await Self.home(sql, of: actor), let community = home.communityID {
                if let c = try await JurisdictionStore.node(sql, community) {
                    out.append(
                        RaisePlace(kind: .community, communityID: c.id, estateID: nil, buildingID: nil, name: c.name))
                }
                if let estate = home.estateID, let e = try await JurisdictionStore.estate(sql, estate) {
                    out.append(
                        RaisePlace(kind: .estate, communityID: community, estateID: e.id, buildingID: nil, name: e.name)
                    )
                }
                if let b = try await JurisdictionStore.node(sql, home.nodeID), b.kind == .building {
                    out.append(
                        RaisePlace(
                            kind: .building, communityID: community, estateID: nil, buildingID: b.id, name: b.name))
                }
            }
            for grant in actor.grants where TopicPolicy.organiserRoles.contains(grant.role) {
                let rows = try await sql.raw(
                    """
                    SELECT id, name FROM nodes WHERE kind IN ('community', 'village') AND closed_at IS NULL
                      AND path >= \(bind: grant.nodePath) AND path < \(bind: NodePath.upperBound(grant.nodePath))
                    ORDER BY path LIMIT 300
                    """
                ).all()
                for row in rows {
                    let id = try row.decode(column: "id", as: Int64.self)
                    guard !out.contains(where: { $0.kind == .community && $0.communityID == id }) else { continue }
                    out.append(
                        RaisePlace(
                            kind: .community, communityID: id, estateID: nil, buildingID: nil,
                            name: try row.decode(column: "name", as: String.self)))
                }
            }
            return out
        }
    }
}

/// A place a topic may be raised in, for the raise form: `value` names it in the form.
public struct RaisePlace: Sendable, Equatable {
    public var kind: TopicScopeKind
    public var communityID: Int64
    public var estateID: Int64?
    public var buildingID: Int64?
    public var name: String

    /// `community:12`, `estate:3`, `building:40`.
    public var value: String {
        switch kind {
        case .community: "community:\(communityID)"
        case .estate: "estate:\(estateID ?? 0)"
        case .building: "building:\(buildingID ?? 0)"
        }
    }
}

/// One dated co-signature rule of a community.
public struct CoSignatureRuleRow: Sendable, Equatable, Codable {
    public var kind: TopicScopeKind
    public var from: Date
    public var rule: CoSignatureRule
}
