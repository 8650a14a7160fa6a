import Foundation
import GongzhiDomain
import SQLKit

/// One line of a resolution's timeline.
public struct ResolutionEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorName: String?
    public var action: String
    public var note: String
}

/// A progress report as its page lists it: who, when, how far, and the evidence (text and photo ids).
public struct ResolutionProgressLine: Codable, Equatable, Sendable {
    public var at: Date
    public var byName: String?
    public var note: String
    public var percentDone: Int
    public var evidence: [String]
    public var photoIDs: [Int64]
}

/// Who carries a resolution out, with a name to show.
public struct NamedExecutor: Codable, Equatable, Sendable {
    public var executor: Executor
    public var name: String
}

/// One review round counted.
public struct ReviewRound: Codable, Equatable, Sendable {
    public var round: Int
    public var summary: ReviewSummary
}

/// A resolution as one actor may see it: what it says, where it came from, who carries it out, its progress,
/// review rounds and escalation history, and what the actor may do.
public struct ResolutionRecord: Sendable {
    public var resolution: Resolution
    public var capabilities: Set<ResolutionCapability>
    public var executors: [NamedExecutor]
    public var progress: [ResolutionProgressLine]
    public var rounds: [ReviewRound]
    public var hasRatedThisRound: Bool
    public var timeline: [ResolutionEvent]
    public var cases: [TopicCase]
    public var topic: TopicSummary?
    public var meetingNumber: String?
    public var meetingTitle: String?
    public var communityName: String
    public var nextReviewOn: CalendarDate?
}

/// A resolution in a list.
public struct ResolutionSummary: Codable, Equatable, Sendable {
    public var id: Int64
    public var number: String
    public var communityID: Int64
    public var text: String
    public var state: ResolutionState
    public var deadline: CalendarDate
    public var percentDone: Int
    public var escalationLevel: Int
    public var overdue: Bool
    public var version: Int
}

/// Which resolutions a list shows (inside what the actor may read).
public struct ResolutionFilter: Sendable, Equatable {
    public var state: ResolutionState?
    public var overdueOnly = false
    /// Only those the actor carries out.
    public var mine = false
    public var communityID: Int64?
    public var beforeID: Int64?
    public var limit = 50
    public init(state: ResolutionState? = nil, overdueOnly: Bool = false, mine: Bool = false) {
        self.state = state
        self.overdueOnly = overdueOnly
        self.mine = mine
    }
}

/// A held meeting a resolution may be adopted from, with the topics it took up: the adoption form's choices.
public struct AdoptionMeeting: Sendable, Equatable {
    public var id: Int64
    public var communityID: Int64
    public var number: String
    public var title: String
    public var quorate: Bool
    public var topics: [TopicSummary]
}

/// Who may be named to carry a resolution out in a community: its workers, its bodies and the departments.
public struct ExecutorChoices: Sendable, Equatable {
    public var people: [(id: Int64, name: String)]
    public var bodies: [(id: Int64, name: String)]
    public var departments: [(id: Int64, name: String)]

    public static func == (a: ExecutorChoices, b: ExecutorChoices) -> Bool {
        a.people.map(\.id) == b.people.map(\.id) && a.bodies.map(\.id) == b.bodies.map(\.id)
            && a.departments.map(\.id) == b.departments.map(\.id)
    }
}

/// Reads of resolutions; every public read takes the actor, and ids they may not read answer like missing ones.
public struct ResolutionStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    static func decode(_ row: any SQLRow) throws -> Resolution {
        func day(_ column: String) throws -> CalendarDate? {
            try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init)
        }
        let meetingID = try row.decode(column: "meeting_id", as: Int64?.self)
        let voteID = try row.decode(column: "vote_id", as: Int64?.self)
        let source: ResolutionSource =
            if let voteID { .vote(voteID: voteID, meetingID: meetingID) } else {
                .consultation(meetingID: meetingID ?? 0)
            }
        let outcome = try row.decode(column: "outcome", as: String?.self).flatMap {
            try? JSONDecoder().decode(DecisionOutcome.self, from: Data($0.utf8))
        }
        var r = Resolution(
            id: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            topicID: try row.decode(column: "topic_id", as: Int64?.self),
            text: try row.decode(column: "text", as: String.self), source: source, outcome: outcome, executors: [],
            adoptedOn: try day("adopted_on") ?? CalendarDate(Date(timeIntervalSince1970: 0)),
            deadline: try day("deadline") ?? CalendarDate(Date(timeIntervalSince1970: 0)),
            state: ResolutionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .inProgress,
            version: try row.decode(column: "version", as: Int.self))
        r.percentDone = try row.decode(column: "percent_done", as: Int.self)
        r.lastProgressAt = try row.decode(column: "last_progress_at", as: Int64?.self).map(Date.init(epochMillis:))
        r.completedOn = try day("completed_on")
        r.reviewRound = try row.decode(column: "review_round", as: Int.self)
        r.lastReviewOn = try day("last_review_on")
        r.escalationLevel = try row.decode(column: "escalation_level", as: Int.self)
        return r
    }

    static func executors(_ sql: any SQLDatabase, of id: Int64) async throws -> [Executor] {
        try await sql.raw(
            "SELECT kind, ref_id FROM resolution_executors WHERE resolution_id = \(bind: id) ORDER BY position"
        ).all().compactMap { row in
            let ref = try row.decode(column: "ref_id", as: Int64.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "person": return .person(ref)
            case "body": return .body(ref)
            case "department": return .department(ref)
            default: return nil
            }
        }
    }

    /// The resolution with its executors, cases and the facts its policy needs.
    static func loaded(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date
    ) async throws -> (Resolution, ResolutionContext)? {
        let me = actor.storedUserID ?? -1
        guard
            let row = try await sql.raw(
                """
                SELECT r.*, n.path AS community_path,
                  (SELECT COUNT(*) FROM resolution_ratings g WHERE g.resolution_id = r.id AND g.round = r.review_round
                     AND g.user_id = \(bind: me)) AS rated,
                  (SELECT COUNT(*) FROM resolution_executors x WHERE x.resolution_id = r.id AND (
                     (x.kind = 'person' AND x.ref_id = \(bind: me))
                     OR (x.kind = 'department' AND EXISTS (SELECT 1 FROM unit_members um WHERE um.unit_id = x.ref_id AND um.user_id = \(bind: me)))
                     OR (x.kind = 'body' AND EXISTS (SELECT 1 FROM units u JOIN unit_members um ON um.unit_id = u.id
                          WHERE u.body_id = x.ref_id AND um.user_id = \(bind: me))))) AS executing
                FROM resolutions r JOIN nodes n ON n.id = r.community_id WHERE r.id = \(bind: id)
                """
            ).first()
        else { return nil }
        var r = try decode(row)
        r.executors = try await executors(sql, of: id)
        r.caseIDs = try await sql.raw(
            "SELECT case_id FROM resolution_cases WHERE resolution_id = \(bind: id) ORDER BY case_id"
        ).all().map { try $0.decode(column: "case_id", as: Int64.self) }
        let path = try row.decode(column: "community_path", as: String.self)
        let home = try await TopicStore.home(sql, of: actor)
        let context = ResolutionContext(
            now: now, hasRatedThisRound: try row.decode(column: "rated", as: Int.self) > 0, path: path,
            actorInCommunity: home.map { NodePath.isInside($0.path, path) } ?? false,
            actorIsExecutor: try row.decode(column: "executing", as: Int.self) > 0)
        return (r, context)
    }

    /// The resolution page's read model.
    public func record(_ id: Int64, for actor: Actor, now: Date) async throws -> ResolutionRecord {
        try await db.read { sql in
            guard let (r, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try ResolutionPolicy.require(.read, of: actor, on: r, in: context)
            var named: [NamedExecutor] = []
            for e in r.executors {
                let q: SQLQueryString =
                    switch e {
                    case .person(let ref): "SELECT display_name AS name FROM users WHERE id = \(bind: ref)"
                    case .body(let ref): "SELECT name FROM bodies WHERE id = \(bind: ref)"
                    case .department(let ref): "SELECT name FROM units WHERE id = \(bind: ref)"
                    }
                named.append(
                    NamedExecutor(
                        executor: e, name: try await sql.raw(q).first()?.decode(column: "name", as: String.self) ?? ""))
            }
            let photos = try await sql.raw(
                "SELECT id FROM resolution_photos WHERE resolution_id = \(bind: id) ORDER BY id"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            let progress = try await sql.raw(
                """
                SELECT p.*, u.display_name FROM resolution_progress p LEFT JOIN users u ON u.id = p.by_user_id
                WHERE p.resolution_id = \(bind: id) ORDER BY p.at, p.id
                """
            ).all().map { row in
                let evidence =
                    (try? JSONDecoder().decode(
                        [String].self, from: Data(try row.decode(column: "evidence", as: String.self).utf8))) ?? []
                let ids = evidence.compactMap { $0.hasPrefix("photo:") ? Int64($0.dropFirst(6)) : nil }
                return ResolutionProgressLine(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    byName: try row.decode(column: "display_name", as: String?.self),
                    note: try row.decode(column: "note", as: String.self),
                    percentDone: try row.decode(column: "percent_done", as: Int.self),
                    evidence: evidence.filter { !$0.hasPrefix("photo:") }, photoIDs: ids.filter(photos.contains))
            }
            var byRound: [Int: [ReviewRating]] = [:]
            for row in try await sql.raw(
                "SELECT round, user_id, rating, comment, at FROM resolution_ratings WHERE resolution_id = \(bind: id)"
            ).all() {
                let round = try row.decode(column: "round", as: Int.self)
                byRound[round, default: []].append(
                    ReviewRating(
                        round: round, raterUserID: try row.decode(column: "user_id", as: Int64.self),
                        rating: CaseRating(rawValue: try row.decode(column: "rating", as: String.self)) ?? .satisfied,
                        comment: try row.decode(column: "comment", as: String.self),
                        at: Date(epochMillis: try row.decode(column: "at", as: Int64.self))))
            }
            let rounds = (1...max(1, r.reviewRound)).filter { $0 <= r.reviewRound }.reversed().map {
                ReviewRound(round: $0, summary: ReviewSummary(byRound[$0] ?? []))
            }
            let timeline = try await sql.raw(
                """
                SELECT e.*, u.display_name FROM resolution_events e LEFT JOIN users u ON u.id = e.actor_user_id
                WHERE e.resolution_id = \(bind: id) ORDER BY e.at, e.id
                """
            ).all().map { row in
                ResolutionEvent(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    actorName: try row.decode(column: "display_name", as: String?.self),
                    action: try row.decode(column: "action", as: String.self),
                    note: try row.decode(column: "note", as: String.self))
            }
            var cases: [TopicCase] = []
            for caseID in r.caseIDs {
                guard let c = try await CaseStore.row(sql, caseID)?.value else { continue }
                cases.append(TopicCase(id: c.id, number: c.number, title: c.title, status: c.status, isOrigin: false))
            }
            var topic: TopicSummary?
            if let topicID = r.topicID,
                let t = try await sql.raw("SELECT * FROM topics WHERE id = \(bind: topicID)").first().map({
                    try TopicRow.decode($0).topic
                })
            {
                topic = TopicSummary(id: t.id, number: t.number, title: t.title, state: t.state, version: t.version)
            }
            let meeting = try await sql.raw(
                "SELECT number, title FROM meetings WHERE id = \(bind: r.source.meetingID ?? -1)"
            ).first()
            return ResolutionRecord(
                resolution: r, capabilities: ResolutionPolicy.capabilities(of: actor, on: r, in: context),
                executors: named, progress: progress, rounds: rounds, hasRatedThisRound: context.hasRatedThisRound,
                timeline: timeline, cases: cases, topic: topic,
                meetingNumber: try meeting?.decode(column: "number", as: String.self),
                meetingTitle: try meeting?.decode(column: "title", as: String.self),
                communityName: try await JurisdictionStore.node(sql, r.communityID)?.name ?? "",
                nextReviewOn: ResolutionCommands.nextReviewOn(r))
        }
    }

    /// Whether the actor may read the resolution (before a step's body is read).
    public func requireVisible(_ id: Int64, to actor: Actor, now: Date) async throws {
        try await db.read { sql in
            guard let (r, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try ResolutionPolicy.require(.read, of: actor, on: r, in: context)
        }
    }

    /// A photo's bytes, for those who may read its resolution.
    public func photoBytes(
        _ photoID: Int64, resolutionID: Int64, for actor: Actor, now: Date
    ) async throws -> (
        String, Data
    ) {
        try await requireVisible(resolutionID, to: actor, now: now)
        return try await db.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT content_type, bytes FROM resolution_photos WHERE id = \(bind: photoID) AND resolution_id = \(bind: resolutionID)
                    """
                ).first()
            else { throw DomainError.notFound }
            return (
                try row.decode(column: "content_type", as: String.self), try row.decode(column: "bytes", as: Data.self)
            )
        }
    }

    /// What the actor may read, as SQL over `resolutions r JOIN nodes n`: their areas' subtrees (staff), the
    /// community they live in, and what they carry out.
    static func visibleClause(_ actor: Actor, home: TopicHome?) -> SQLQueryString {
        let me = actor.storedUserID ?? -1
        var clause = SQLQueryString("(") + executingClause(me)
        for area in actor.areas {
            clause =
                clause
                + " OR (n.path >= \(bind: area.nodePath) AND n.path < \(bind: NodePath.upperBound(area.nodePath)))"
        }
        if let community = home?.communityID { clause = clause + " OR r.community_id = \(bind: community)" }
        return clause + ")"
    }

    static func executingClause(_ me: Int64) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM resolution_executors x WHERE x.resolution_id = r.id AND (
          (x.kind = 'person' AND x.ref_id = \(bind: me))
          OR (x.kind = 'department' AND EXISTS (SELECT 1 FROM unit_members um WHERE um.unit_id = x.ref_id AND um.user_id = \(bind: me)))
          OR (x.kind = 'body' AND EXISTS (SELECT 1 FROM units u JOIN unit_members um ON um.unit_id = u.id
               WHERE u.body_id = x.ref_id AND um.user_id = \(bind: me)))))
        """
    }

    static func summary(_ r: Resolution, today: CalendarDate) -> ResolutionSummary {
        ResolutionSummary(
            id: r.id, number: r.number, communityID: r.communityID, text: r.text, state: r.state,
            deadline: r.deadline, percentDone: r.percentDone, escalationLevel: r.escalationLevel,
            overdue: r.isOverdue(on: today), version: r.version)
    }

    /// Newest first, in pages (`beforeID` is the cursor), inside what the actor may read.
    public func list(_ filter: ResolutionFilter, for actor: Actor, now: Date) async throws -> [ResolutionSummary] {
        let today = CalendarDate(now)
        return try await db.read { sql in
            let home = try await TopicStore.home(sql, of: actor)
            var q =
                SQLQueryString("SELECT r.* FROM resolutions r JOIN nodes n ON n.id = r.community_id WHERE ")
                + Self.visibleClause(actor, home: home)
            if let state = filter.state { q = q + " AND r.state = \(bind: state.rawValue)" }
            if filter.overdueOnly {
                q = q + " AND r.state = 'inProgress' AND r.deadline < \(bind: today.description)"
            }
            if filter.mine { q = q + " AND " + Self.executingClause(actor.storedUserID ?? -1) }
            if let community = filter.communityID { q = q + " AND r.community_id = \(bind: community)" }
            if let before = filter.beforeID { q = q + " AND r.id < \(bind: before)" }
            q = q + " ORDER BY r.id DESC LIMIT \(bind: max(1, min(200, filter.limit)))"
            return try await sql.raw(q).all().map { Self.summary(try Self.decode($0), today: today) }
        }
    }

    /// The overdue resolutions the actor watches, the longest overdue first: community workers those of their
    /// area, the sub-district's administrators those escalated to them, the district's those escalated to the
    /// district, and executors their own.
    public func overdue(for actor: Actor, now: Date, limit: Int = 10) async throws -> [ResolutionSummary] {
        let today = CalendarDate(now)
        return try await db.read { sql in
            var clause = SQLQueryString("(") + Self.executingClause(actor.storedUserID ?? -1)
            for grant in actor.grants {
                let level: Int? =
                    switch grant.role {
                    case .communityWorker: 0
                    case .subdistrictAdmin: 1
                    case .districtAdmin: 2
                    default: nil
                    }
                guard let level else { continue }
                clause =
                    clause
                    + " OR (n.path >= \(bind: grant.nodePath) AND n.path < \(bind: NodePath.upperBound(grant.nodePath)) AND r.escalation_level >= \(bind: level))"
            }
            let q =
                SQLQueryString(
                    """
                    SELECT r.* FROM resolutions r JOIN nodes n ON n.id = r.community_id
                    WHERE r.state = 'inProgress' AND r.deadline < \(bind: today.description) AND
                    """) + clause + ") ORDER BY r.deadline, r.id LIMIT \(bind: max(1, min(100, limit)))"
            return try await sql.raw(q).all().map { Self.summary(try Self.decode($0), today: today) }
        }
    }

    /// `n.path` inside a node where the actor organises deliberation, as an open `(… OR …` the caller closes.
    static func organisedNodes(_ actor: Actor) -> SQLQueryString {
        var clause = SQLQueryString("(1 = 0")
        for grant in actor.grants where TopicPolicy.organiserRoles.contains(grant.role) {
            clause =
                clause
                + " OR (n.path >= \(bind: grant.nodePath) AND n.path < \(bind: NodePath.upperBound(grant.nodePath)))"
        }
        return clause
    }

    /// The held meetings of the communities the actor organises, newest first, with the topics each took up.
    public func adoptionMeetings(for actor: Actor) async throws -> [AdoptionMeeting] {
        try await db.read { sql in
            let clause = Self.organisedNodes(actor)
            let q =
                SQLQueryString(
                    "SELECT m.id, m.community_id, m.number, m.title, m.quorate FROM meetings m JOIN nodes n ON n.id = m.community_id WHERE m.state = 'held' AND "
                ) + clause + ") ORDER BY m.held_at DESC, m.id DESC LIMIT 100"
            var out: [AdoptionMeeting] = []
            for row in try await sql.raw(q).all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let topics = try await sql.raw(
                    "SELECT * FROM topics WHERE meeting_id = \(bind: id) AND state = 'inMeeting' ORDER BY id"
                ).all().map {
                    let t = try TopicRow.decode($0).topic
                    return TopicSummary(id: t.id, number: t.number, title: t.title, state: t.state, version: t.version)
                }
                out.append(
                    AdoptionMeeting(
                        id: id, communityID: try row.decode(column: "community_id", as: Int64.self),
                        number: try row.decode(column: "number", as: String.self),
                        title: try row.decode(column: "title", as: String.self),
                        quorate: try row.decode(column: "quorate", as: Int?.self) != 0, topics: topics))
            }
            return out
        }
    }

    /// The closed votes taken online with no meeting, in the communities the actor organises, whose result passed:
    /// each may make a resolution on its own (newest first).
    public func adoptionVotes(for actor: Actor) async throws -> [Vote] {
        try await db.read { sql in
            let clause = Self.organisedNodes(actor)
            let q =
                SQLQueryString(
                    """
                    SELECT v.* FROM votes v JOIN nodes n ON n.id = v.community_id
                    WHERE v.meeting_id IS NULL AND v.state IN ('closed', 'published') AND
                    """) + clause + ") ORDER BY v.closed_at DESC, v.id DESC LIMIT 100"
            return try await sql.raw(q).all().map(VoteStore.decode).filter { $0.result?.outcome?.passed == true }
        }
    }

    /// Who may be named to carry out a resolution of a community: its workers, its open bodies, and the
    /// departments set up at or above it.
    public func executorChoices(communityID: Int64) async throws -> ExecutorChoices {
        try await db.read { sql in
            guard let community = try await JurisdictionStore.node(sql, communityID) else {
                throw DomainError.notFound
            }
            func pairs(_ q: SQLQueryString) async throws -> [(id: Int64, name: String)] {
                try await sql.raw(q).all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self))
                }
            }
            let people = try await pairs(
                """
                SELECT DISTINCT u.id, u.display_name AS name FROM role_grants g JOIN users u ON u.id = g.user_id
                WHERE g.node_id = \(bind: communityID) AND g.role IN ('communityWorker', 'gridWorker', 'buildingHead')
                ORDER BY u.id LIMIT 200
                """)
            let bodies = try await pairs(
                """
                SELECT id, name FROM bodies WHERE community_id = \(bind: communityID) AND closed_at IS NULL
                ORDER BY position, id LIMIT 200
                """)
            let ancestors = NodePath.ids(community.path)
            let departments =
                ancestors.isEmpty
                ? []
                : try await sql.select().column("id").column("name").from("units").where("node_id", .in, ancestors)
                    .where("closed_at", .is, SQLLiteral.null).orderBy("id").limit(200).all().map {
                        (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self))
                    }
            return ExecutorChoices(people: people, bodies: bodies, departments: departments)
        }
    }
}
