import Foundation
import GongzhiDomain
import SQLKit

/// One line of a case's timeline.
public struct CaseEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorUserID: Int64?
    public var action: String
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus
    public var note: String
}

/// What a case list asks for; every filter is optional and all are combined.
public struct CaseFilter: Sendable, Equatable {
    public var scopePath: String?
    public var statuses: [CaseStatus] = []
    public var categoryID: Int64?
    public var unitIDs: [Int64]?
    public var reporterUserID: Int64?
    public var overdueAt: Date?
    public var search: String?
    /// Only cases escalated at least this far.
    public var minEscalation: Int?
    /// 定期评事: closed cases not yet looked at in a periodic review.
    public var awaitingReview = false
    /// 民主议事: cases sent to deliberation.
    public var sentToDeliberation = false
    public var gridID: Int64?
    /// Open cases due before this moment but not yet overdue at `dueSoonFrom` (near their deadline).
    public var dueBefore: Date?
    public var dueSoonFrom: Date?
    public var beforeID: Int64?
    public var limit = 50
    public init() {}
}

/// Reads of cases. Callers decide visibility with `CaseAccess`.
public struct CaseStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    public func find(_ id: Int64) async throws -> (Case, String)? {
        try await db.read { sql in try await Self.find(sql, id) }
    }

    static func find(_ sql: any SQLDatabase, _ id: Int64) async throws -> (Case, String)? {
        guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: id)").first() else { return nil }
        return (try decode(row), try row.decode(column: "node_path", as: String.self))
    }

    public func find(number: String) async throws -> (Case, String)? {
        try await db.read { sql in
            guard let row = try await sql.raw("SELECT * FROM cases WHERE number = \(bind: number)").first() else { return nil }
            return (try Self.decode(row), try row.decode(column: "node_path", as: String.self))
        }
    }

    public func events(of caseID: Int64) async throws -> [CaseEvent] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM case_events WHERE case_id = \(bind: caseID) ORDER BY at, id").all().map { row in
                CaseEvent(at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                          actorUserID: try row.decode(column: "actor_user_id", as: Int64?.self),
                          action: try row.decode(column: "action", as: String.self),
                          fromStatus: try row.decode(column: "from_status", as: String?.self).flatMap(CaseStatus.init(rawValue:)),
                          toStatus: CaseStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .submitted,
                          note: try row.decode(column: "note", as: String.self))
            }
        }
    }

    /// Newest first, in pages (`beforeID` is the cursor).
    public func list(_ filter: CaseFilter) async throws -> [Case] {
        try await db.read { sql in
            var q = Self.whereClause(filter, backend: db.backend)
            q = SQLQueryString("SELECT * FROM cases WHERE ") + q + " ORDER BY id DESC LIMIT \(bind: filter.limit)"
            return try await sql.raw(q).all().map(Self.decode)
        }
    }

    /// Counts by status for the tabs above a list (the status filter itself is ignored).
    public func counts(_ filter: CaseFilter) async throws -> [CaseStatus: Int] {
        var f = filter
        f.statuses = []
        f.beforeID = nil
        let clause = Self.whereClause(f, backend: db.backend)
        return try await db.read { sql in
            var out: [CaseStatus: Int] = [:]
            for row in try await sql.raw(SQLQueryString("SELECT status, COUNT(*) AS n FROM cases WHERE ") + clause + " GROUP BY status").all() {
                if let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                    out[status] = try row.decode(column: "n", as: Int.self)
                }
            }
            return out
        }
    }

    static func whereClause(_ f: CaseFilter, backend: Database.Backend) -> SQLQueryString {
        var q = SQLQueryString("1 = 1")
        if let path = f.scopePath { q = q + " AND node_path >= \(bind: path) AND node_path < \(bind: NodePath.upperBound(path))" }
        if !f.statuses.isEmpty { q = q + " AND status IN (\(unsafeRaw: f.statuses.map { "'\($0.rawValue)'" }.joined(separator: ",")))" }
        if let c = f.categoryID { q = q + " AND category_id = \(bind: c)" }
        if let units = f.unitIDs { q = q + " AND unit_id IN (\(unsafeRaw: units.isEmpty ? "NULL" : units.map(String.init).joined(separator: ",")))" }
        if let r = f.reporterUserID { q = q + " AND reporter_user_id = \(bind: r)" }
        if let now = f.overdueAt {
            q = q + " AND status IN ('dispatched','handling','reportedBack') AND resolve_by < \(bind: now.epochMillis)"
        }
        if let s = f.search?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            q = q + " AND " + Self.textMatch(s, backend: backend)
        }
        if let level = f.minEscalation { q = q + " AND escalation_level >= \(bind: level)" }
        if f.awaitingReview { q = q + " AND status = 'closed' AND reviewed_at IS NULL" }
        if f.sentToDeliberation { q = q + " AND deliberation_at IS NOT NULL" }
        if let grid = f.gridID { q = q + " AND grid_id = \(bind: grid)" }
        if let before = f.dueBefore, let from = f.dueSoonFrom {
            q = q + " AND status IN ('dispatched','handling','reportedBack') AND resolve_by >= \(bind: from.epochMillis) AND resolve_by < \(bind: before.epochMillis)"
        }
        if let before = f.beforeID { q = q + " AND id < \(bind: before)" }
        return q
    }

    /// The search helper: trigram indexes on both backends for three characters or more (FTS5 on SQLite,
    /// pg_trgm on PostgreSQL); shorter Chinese words such as "路灯" fall back to a substring scan.
    static func textMatch(_ text: String, backend: Database.Backend) -> SQLQueryString {
        let cleaned = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
        let like = "%" + cleaned + "%"
        if cleaned.count >= 3 {
            switch backend {
            case .sqlite:
                let phrase = "\"" + cleaned.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                return "(id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH \(bind: phrase)) OR number = \(bind: text))"
            case .postgres:
                return "((title || ' ' || description) ILIKE \(bind: like) OR number = \(bind: text))"
            }
        }
        return "(title LIKE \(bind: like) OR description LIKE \(bind: like) OR number = \(bind: text))"
    }

    static func decode(_ row: any SQLRow) throws -> Case {
        var c = Case(
            id: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self),
            kind: CaseKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .appeal,
            channel: CaseChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .web,
            status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted,
            title: try row.decode(column: "title", as: String.self), description: try row.decode(column: "description", as: String.self),
            categoryID: try row.decode(column: "category_id", as: Int64?.self), communityID: try row.decode(column: "community_id", as: Int64.self),
            nodeID: try row.decode(column: "node_id", as: Int64.self), reporterUserID: try row.decode(column: "reporter_user_id", as: Int64?.self),
            isPublic: try row.decode(column: "is_public", as: Int.self) != 0, unitID: try row.decode(column: "unit_id", as: Int64?.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            respondBy: try row.decode(column: "respond_by", as: Int64?.self).map(Date.init(epochMillis:)),
            resolveBy: try row.decode(column: "resolve_by", as: Int64?.self).map(Date.init(epochMillis:)),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMillis:)),
            rating: try row.decode(column: "rating", as: String?.self).flatMap(CaseRating.init(rawValue:)),
            reopenCount: try row.decode(column: "reopen_count", as: Int.self))
        c.escalationLevel = try row.decode(column: "escalation_level", as: Int.self)
        c.latitude = try row.decode(column: "latitude", as: Double?.self)
        c.longitude = try row.decode(column: "longitude", as: Double?.self)
        c.disputeGrade = try row.decode(column: "dispute_grade", as: String?.self).flatMap(DisputeGrade.init(rawValue:))
        return c
    }
}

/// Who may read a case: staff whose subtree holds it, members of the unit it is dispatched to, its reporter.
public enum CaseAccess {
    /// Whether the actor may know who reported the case: its reporter and the staff of its area.
    public static func seesReporter(_ actor: Actor, _ subject: Case, path: String) -> Bool {
        subject.reporterUserID == actor.userID
            || actor.grants.contains { $0.role.isStaff && $0.role != .departmentHandler && NodePath.isInside(path, $0.nodePath) }
    }

    /// The case and timeline as this actor may see them: the reporter removed for everyone else.
    public static func redacted(_ subject: Case, _ events: [CaseEvent], for actor: Actor, path: String) -> (Case, [CaseEvent]) {
        guard !seesReporter(actor, subject, path: path), let reporter = subject.reporterUserID else { return (subject, events) }
        var c = subject
        c.reporterUserID = nil
        return (c, events.map { e in
            var e = e
            if e.actorUserID == reporter { e.actorUserID = nil }
            return e
        })
    }

    public static func canRead(_ actor: Actor, _ subject: Case, path: String, units: Set<Int64>) -> Bool {
        if subject.reporterUserID == actor.userID { return true }
        if let unit = subject.unitID, units.contains(unit) { return true }
        return actor.grants.contains { $0.role.isStaff && $0.role != .departmentHandler && NodePath.isInside(path, $0.nodePath) }
    }
}

/// Open cases per grid, for the grid view.
public struct GridLoad: Sendable, Equatable {
    public var gridID: Int64
    public var open: Int
    public var overdue: Int
    public var escalated: Int
    public init(gridID: Int64, open: Int, overdue: Int, escalated: Int) {
        self.gridID = gridID
        self.open = open
        self.overdue = overdue
        self.escalated = escalated
    }
}

extension CaseStore {
    public func openByGrid(scopePath: String, now: Date) async throws -> [GridLoad] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT grid_id, COUNT(*) AS open,
                  SUM(CASE WHEN resolve_by < \(bind: now.epochMillis) AND status IN ('dispatched','handling','reportedBack') THEN 1 ELSE 0 END) AS overdue,
                  SUM(CASE WHEN escalation_level > 0 THEN 1 ELSE 0 END) AS escalated
                FROM cases WHERE node_path >= \(bind: scopePath) AND node_path < \(bind: NodePath.upperBound(scopePath))
                AND status NOT IN ('closed','rejected') AND grid_id IS NOT NULL GROUP BY grid_id
                """).all().map { row in
                GridLoad(gridID: try row.decode(column: "grid_id", as: Int64.self), open: try row.decode(column: "open", as: Int.self),
                         overdue: try row.decode(column: "overdue", as: Int?.self) ?? 0, escalated: try row.decode(column: "escalated", as: Int?.self) ?? 0)
            }
        }
    }
}
