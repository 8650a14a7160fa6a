import Foundation
import GongzhiDomain
import SQLKit

/// One line of a meeting's timeline.
public struct MeetingEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorName: String?
    public var action: String
    public var note: String
}

/// A meeting as one actor may see it: the meeting, its kind's rules (invitees, notice, quorum, decision) as data,
/// its agenda of topics, the quorum's arithmetic once held, and what the actor may do.
public struct MeetingRecord: Sendable {
    public var meeting: Meeting
    public var rules: MeetingRules
    public var capabilities: Set<MeetingCapability>
    public var topics: [TopicSummary]
    /// Topics of the community on the agenda, which the organiser may add (empty for others).
    public var candidates: [TopicSummary]
    public var quorum: ThresholdCheck?
    public var timeline: [MeetingEvent]
    public var communityName: String
    /// The attendance sheet (nil while nobody has signed) and, for the meeting's organisers only, its signatures.
    public var attendance: AttendanceSheet?
    public var signatures: [AttendanceLine]
    /// The bases a sheet may be kept on (its first signature chooses one).
    public var sheetBases: [CountBasis]
    /// The files kept with its record, for who may read them (`MeetingPolicy.mayReadAttachments`; empty otherwise).
    public var attachments: [MeetingAttachment]
}

/// Reads of meetings; every public read takes the actor.
public struct MeetingStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The rules of a kind in a named rule set (the set a meeting was announced under).
    static func rules(_ kind: MeetingKind, ruleSetID: String) throws(DomainError) -> MeetingRules {
        guard let set = DecisionRuleCatalogue.national.sets.first(where: { $0.id == ruleSetID }) else {
            throw DomainError(.conflict, "rule_set_none_in_force", args: [ruleSetID])
        }
        return try set.rules(for: kind)
    }

    static func decode(_ row: any SQLRow) throws -> Meeting {
        var m = Meeting(
            id: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            kind: MeetingKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .council,
            title: try row.decode(column: "title", as: String.self),
            place: try row.decode(column: "place", as: String.self),
            startsAt: Date(epochMillis: try row.decode(column: "starts_at", as: Int64.self)),
            announcedAt: Date(epochMillis: try row.decode(column: "announced_at", as: Int64.self)),
            noticeReason: try row.decode(column: "notice_reason", as: String?.self),
            ruleSetID: try row.decode(column: "rule_set_id", as: String.self),
            state: MeetingState(rawValue: try row.decode(column: "state", as: String.self)) ?? .scheduled,
            version: try row.decode(column: "version", as: Int.self))
        m.basis = try row.decode(column: "basis", as: String?.self).flatMap(CountBasis.init(rawValue:))
        m.entitled = try row.decode(column: "entitled", as: Int?.self)
        m.present = try row.decode(column: "present", as: Int?.self)
        m.quorate = try row.decode(column: "quorate", as: Int?.self).map { $0 == 1 }
        m.heldAt = try row.decode(column: "held_at", as: Int64?.self).map(Date.init(epochMillis:))
        m.minutes = try minutesDecoder().decode(
            Minutes.self, from: Data(try row.decode(column: "minutes", as: String.self).utf8))
        m.summary = try row.decode(column: "summary", as: String.self)
        m.cancelReason = try row.decode(column: "cancel_reason", as: String?.self)
        return m
    }

    static func encodeMinutes(_ minutes: Minutes) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: (try? encoder.encode(minutes)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func minutesDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }

    /// The meeting with its community's path and the facts its policy needs.
    static func loaded(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date, lockFor backend: Database.Backend? = nil
    ) async throws -> (Meeting, MeetingContext)? {
        guard
            let row = try await sql.raw(
                """
                SELECT m.*, n.path AS community_path FROM meetings m JOIN nodes n ON n.id = m.community_id
                WHERE m.id = \(bind: id)
                """ + (backend == .postgres ? " FOR UPDATE OF m" : "")
            ).first()
        else { return nil }
        let m = try decode(row)
        let path = try row.decode(column: "community_path", as: String.self)
        let home = try await TopicStore.home(sql, of: actor)
        var sheet: AttendanceSheet?
        if let basis = try row.decode(column: "attendance_basis", as: String?.self).flatMap(CountBasis.init(rawValue:))
        {
            sheet = try await MeetingAttendanceRows.sheet(sql, id, basis: basis)
        }
        let context = MeetingContext(
            now: now, path: path, actorInCommunity: home.map { NodePath.isInside($0.path, path) } ?? false,
            rules: try rules(m.kind, ruleSetID: m.ruleSetID), attendance: sheet)
        return (m, context)
    }

    public func record(_ id: Int64, for actor: Actor, now: Date) async throws -> MeetingRecord {
        try await db.read { sql in
            guard let (m, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try MeetingPolicy.require(.read, of: actor, on: m, in: context)
            let capabilities = MeetingPolicy.capabilities(of: actor, on: m, in: context)
            func summaries(_ q: SQLQueryString) async throws -> [TopicSummary] {
                try await sql.raw(q).all().map {
                    let t = try TopicRow.decode($0).topic
                    return TopicSummary(id: t.id, number: t.number, title: t.title, state: t.state, version: t.version)
                }
            }
            let topics = try await summaries("SELECT * FROM topics WHERE meeting_id = \(bind: id) ORDER BY id")
            let candidates =
                capabilities.contains(.addTopic)
                ? try await summaries(
                    """
                    SELECT * FROM topics WHERE community_id = \(bind: m.communityID) AND state = 'onAgenda' ORDER BY agenda_at, id LIMIT 200
                    """) : []
            let timeline = try await sql.raw(
                """
                SELECT e.*, u.display_name FROM meeting_events e LEFT JOIN users u ON u.id = e.actor_user_id
                WHERE e.meeting_id = \(bind: id) ORDER BY e.at, e.id
                """
            ).all().map { row in
                MeetingEvent(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    actorName: try row.decode(column: "display_name", as: String?.self),
                    action: try row.decode(column: "action", as: String.self),
                    note: try row.decode(column: "note", as: String.self))
            }
            let name = try await JurisdictionStore.node(sql, m.communityID)?.name ?? ""
            // The signatures are personal data: only the meeting's organisers see them listed.
            let signatures =
                context.attendance != nil && MeetingPolicy.organiser(actor, context.path) != nil
                ? try await MeetingAttendanceRows.lines(sql, id, box: try db.requirePersonalDataBox()) : []
            let attachments =
                MeetingPolicy.mayReadAttachments(actor, m, in: context)
                ? try await MeetingAttachmentRows.list(sql, id) : []
            return MeetingRecord(
                meeting: m, rules: context.rules, capabilities: capabilities, topics: topics, candidates: candidates,
                quorum: MeetingWorkflow.quorumCheck(m, rules: context.rules), timeline: timeline, communityName: name,
                attendance: context.attendance, signatures: signatures,
                sheetBases: AttendanceSheet.bases(context.rules),
                attachments: attachments)
        }
    }

    /// Whether the actor may read the meeting (before a step's body is read).
    public func requireVisible(_ id: Int64, to actor: Actor, now: Date) async throws {
        try await db.read { sql in
            guard let (m, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try MeetingPolicy.require(.read, of: actor, on: m, in: context)
        }
    }

    /// Meetings the actor may read, the latest first: those of their areas' communities and of the community
    /// they live in.
    public func list(for actor: Actor, limit: Int = 100) async throws -> [Meeting] {
        try await db.read { sql in
            var clause = SQLQueryString("(1 = 0")
            for area in actor.areas {
                clause =
                    clause
                    + " OR (n.path >= \(bind: area.nodePath) AND n.path < \(bind: NodePath.upperBound(area.nodePath)))"
            }
            if let home = try await TopicStore.home(sql, of: actor), let community = home.communityID {
                clause = clause + " OR m.community_id = \(bind: community)"
            }
            let q =
                SQLQueryString("SELECT m.* FROM meetings m JOIN nodes n ON n.id = m.community_id WHERE ") + clause
                + ") ORDER BY m.starts_at DESC, m.id DESC LIMIT \(bind: max(1, min(500, limit)))"
            return try await sql.raw(q).all().map(Self.decode)
        }
    }

    /// The communities the actor may schedule meetings in.
    public func communities(for actor: Actor) async throws -> [(id: Int64, name: String)] {
        try await db.read { sql in
            var out: [(id: Int64, name: String)] = []
            for grant in actor.grants where TopicPolicy.organiserRoles.contains(grant.role) {
                for row in try await sql.raw(
                    """
                    SELECT id, name FROM nodes WHERE kind IN ('community', 'village') AND closed_at IS NULL
                      AND path >= \(bind: grant.nodePath) AND path < \(bind: NodePath.upperBound(grant.nodePath))
                    ORDER BY path LIMIT 300
                    """
                ).all() {
                    let id = try row.decode(column: "id", as: Int64.self)
                    if !out.contains(where: { $0.id == id }) {
                        out.append((id, try row.decode(column: "name", as: String.self)))
                    }
                }
            }
            return out
        }
    }
}

/// A community whose meetings of a kind are overdue by the rules' interval: when it last held one (nil: never).
public struct AssemblyOverdue: Sendable, Equatable {
    public var communityID: Int64
    public var communityName: String
    public var lastHeld: CalendarDate?
    public var due: CalendarDate?
}

extension MeetingStore {
    /// The communities the actor organises meetings in (`TopicPolicy.organiserRoles`) whose kinds with a maximum
    /// interval (the representatives' assembly: six months under the 2025 law) are overdue today, by the rule set in
    /// force: for the home page (issue 13). One query; the rule is the domain's.
    public func overdueAssemblies(for actor: Actor, now: Date) async throws -> [AssemblyOverdue] {
        let today = CalendarDate(now)
        let rules = try DecisionRuleCatalogue.national.inForce(on: today).meetings.filter {
            $0.maximumIntervalMonths != nil
        }
        let grants = actor.grants.filter { TopicPolicy.organiserRoles.contains($0.role) }
        guard !grants.isEmpty, !rules.isEmpty else { return [] }
        var out: [AssemblyOverdue] = []
        for rule in rules {
            guard let months = rule.maximumIntervalMonths else { continue }
            let rows = try await db.read { sql in
                var q = SQLQueryString(
                    """
                    SELECT c.id, c.name, (SELECT MAX(m.held_at) FROM meetings m WHERE m.community_id = c.id
                      AND m.kind = \(bind: rule.kind.rawValue) AND m.state = 'held') AS last_held
                    FROM nodes c WHERE c.kind = 'community' AND c.closed_at IS NULL AND (
                    """)
                // Only terms an index answers (no `1 = 0` to start the list), so SQLite reads the communities
                // through the path index and the id instead of scanning every node (3 ms of each home page).
                for (i, grant) in grants.enumerated() {
                    q += i == 0 ? "" : " OR "
                    q += "(c.path >= \(bind: grant.nodePath) AND c.path < \(bind: NodePath.upperBound(grant.nodePath)))"
                    if let community = grant.communityID { q += " OR c.id = \(bind: community)" }
                }
                return try await sql.raw(q + ") ORDER BY c.path").all()
            }
            for row in rows {
                let last = try row.decode(column: "last_held", as: Int64?.self).map {
                    CalendarDate(Date(epochMillis: $0))
                }
                guard AssemblyInterval.isOverdue(lastHeld: last, months: months, today: today) else { continue }
                out.append(
                    AssemblyOverdue(
                        communityID: try row.decode(column: "id", as: Int64.self),
                        communityName: try row.decode(column: "name", as: String.self), lastHeld: last,
                        due: AssemblyInterval.due(after: last, months: months)))
            }
        }
        return out
    }
}
