import Foundation
import GongzhiDomain
import SQLKit

/// One line of a case's timeline.
public struct CaseEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorUserID: Int64?
    /// The display name of who took the step; nil for the server, or where the reporter stays anonymous.
    public var actorName: String?
    public var action: String
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus
    public var note: String
    /// Taken by the case's reporter (who may be anonymous to the reader).
    public var byReporter = false
}

/// Which cases a list shows: those of the actor's areas (every staff grant), of the units they handle cases for,
/// or those they reported.
public enum CaseScope: String, CaseIterable, Sendable { case area, unit, mine }

/// What a case list asks for; every filter is optional and all are combined.
public struct CaseFilter: Sendable, Equatable {
    public var scope: CaseScope = .mine
    /// Narrows the list to one subtree (a grid, a community) inside the scope.
    public var within: String?
    public var statuses: [CaseStatus] = []
    public var categoryID: Int64?
    /// Any of these categories (Open311 `service_code=1,2`).
    public var categoryIDs: [Int64] = []
    /// Filed at or after `createdFrom` and at or before `createdUntil`.
    public var createdFrom: Date?
    public var createdUntil: Date?
    public var overdueAt: Date?
    public var search: String?
    /// Only cases escalated at least this far.
    public var minEscalation: Int?
    /// 定期评事: closed cases not yet looked at in a periodic review.
    public var awaitingReview = false
    /// 民主议事: cases sent to deliberation.
    public var sentToDeliberation = false
    /// Closed appeals the reporter has not rated yet.
    public var awaitingRating = false
    public var gridID: Int64?
    /// Open cases due before this moment but not yet overdue at `dueSoonFrom` (near their deadline).
    public var dueBefore: Date?
    public var dueSoonFrom: Date?
    public var beforeID: Int64?
    /// Only these cases (the rows a list's user selected).
    public var ids: [Int64] = []
    /// Closed at or after this moment (closed this month).
    public var closedFrom: Date?
    /// Only cases about this public facility.
    public var facilityID: Int64?
    public var limit = 50
    public init(scope: CaseScope = .mine) { self.scope = scope }
}

/// A case as one actor may see it, with what they may do next: the read model of the case page and the API.
public struct CaseRecord: Sendable {
    /// The case, without its reporter for those who may not know who reported it.
    public var `case`: Case
    public var path: String
    public var capabilities: Set<CaseCapability>
    public var timeline: [CaseEvent]
    public var pendingExtension: ExtensionRequest?
    public var photoIDs: [Int64]
    public var mediations: [MediationSession]
    /// The names of the case's category and unit, read with the case.
    public var categoryName: String?
    public var unitName: String?
    /// Residents who said it is their problem too.
    public var supporters = 0
    /// "王（wang）": the reporting account, for those who may know who reported the case.
    public var reporterName: String?
}

public struct FollowState: Sendable, Equatable {
    public var steps: Set<CaseCapability> = []
    public var following = false
    public var supporting = false
    public var supporters = 0
}

/// A case in a list, with the bulk steps the reader may take on it.
public struct ListedCase: Sendable {
    public var `case`: Case
    public var bulkSteps: Set<CaseBulkStep>
}

/// A public case as Open311 shows it: no reporter, with the names of its category, unit and place.
public struct PublicCase: Sendable {
    public var `case`: Case
    /// The materialised path of the case's place.
    public var path: String
    public var categoryName: String?
    public var unitName: String?
    public var placeName: String?
    public var updatedAt: Date
    /// The note of the last step that explains the status (rejection, report back, verification).
    public var statusNotes: String
    /// The content type of the case's first photo, if it has one.
    public var photoType: String?
    /// Residents who said it is their problem too.
    public var supporters = 0
}

/// Reads of cases. Every public read takes the actor and answers only what they may see; ids they may not see
/// answer exactly like missing ones.
public struct CaseStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The id of the case with this number (for linking it elsewhere; the caller checks who may see it).
    static func id(_ sql: any SQLDatabase, number: String) async throws -> Int64? {
        try await sql.raw("SELECT id FROM cases WHERE number = \(bind: number)").first()?.decode(
            column: "id", as: Int64.self)
    }

    static func row(_ sql: any SQLDatabase, _ id: Int64) async throws -> CaseRow? {
        try await sql.raw("SELECT * FROM cases WHERE id = \(bind: id)").first().map(CaseRow.decode)
    }

    /// The case with the facts its policy needs, in one query: the actor's membership of its unit, the pending
    /// extension request, the photo count and who reported back last.
    static func loaded(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date
    ) async throws -> (CaseRow, CaseContext)? {
        try await loadedWithNames(sql, id, actor: actor, now: now).map { ($0.0, $0.1) }
    }

    /// `loaded`, plus the category's and unit's names and the photos' ids, still in one query.
    static func loadedWithNames(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date
    ) async throws
        -> (
            CaseRow, CaseContext, categoryName: String?, unitName: String?, photoIDs: [Int64], reporterName: String?
        )?
    {
        let photoIDs: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "(SELECT string_agg(CAST(p.id AS TEXT), ',' ORDER BY p.id) FROM case_photos p WHERE p.case_id = c.id)"
            : "(SELECT group_concat(p.id) FROM (SELECT id FROM case_photos WHERE case_id = c.id ORDER BY id) p)"
        guard
            let row = try await sql.raw(
                """
                SELECT c.*, \(photoIDs) AS photo_ids,
                  (SELECT k.name FROM case_categories k WHERE k.id = c.category_id) AS category_name,
                  (SELECT u.name FROM units u WHERE u.id = c.unit_id) AS unit_name,
                  (SELECT COUNT(*) FROM unit_members m WHERE m.unit_id = c.unit_id AND m.user_id = \(bind: actor.userID)) AS in_unit,
                  (SELECT COUNT(*) FROM case_photos p WHERE p.case_id = c.id) AS photo_count,
                  (SELECT f.following FROM case_followers f WHERE f.case_id = c.id AND f.user_id = \(bind: actor.userID)) AS following,
                  (SELECT f.supporter FROM case_followers f WHERE f.case_id = c.id AND f.user_id = \(bind: actor.userID)) AS supporting,
                  (SELECT u.community_id FROM users u WHERE u.id = \(bind: actor.userID)) AS actor_home,
                  (SELECT COUNT(*) FROM case_followers f WHERE f.case_id = c.id AND f.supporter = 1) AS supporters,
                  (SELECT r.display_name FROM users r WHERE r.id = c.reporter_user_id) AS reporter_display,
                  (SELECT r.username FROM users r WHERE r.id = c.reporter_user_id) AS reporter_username,
                  (SELECT e.actor_user_id FROM case_events e WHERE e.case_id = c.id AND e.action = 'report_back' ORDER BY e.id DESC LIMIT 1)
                    AS reported_back_by,
                  (SELECT x.until FROM case_extension_requests x WHERE x.case_id = c.id AND x.decided_at IS NULL ORDER BY x.id DESC LIMIT 1)
                    AS ext_until,
                  (SELECT x.reason FROM case_extension_requests x WHERE x.case_id = c.id AND x.decided_at IS NULL ORDER BY x.id DESC LIMIT 1)
                    AS ext_reason
                FROM cases c WHERE c.id = \(bind: id)
                """
            ).first()
        else { return nil }
        let c = try CaseRow.decode(row)
        var context = CaseContext(now: now, path: c.nodePath)
        if try row.decode(column: "in_unit", as: Int.self) > 0, let unit = c.unitId { context.units = [unit] }
        context.photoCount = try row.decode(column: "photo_count", as: Int.self)
        context.reportedBackBy = try row.decode(column: "reported_back_by", as: Int64?.self)
        context.following = try row.decode(column: "following", as: Int?.self) == 1
        context.supporting = try row.decode(column: "supporting", as: Int?.self) == 1
        context.actorHomeCommunityID = try row.decode(column: "actor_home", as: Int64?.self)
        context.supporters = try row.decode(column: "supporters", as: Int.self)
        if let until = try row.decode(column: "ext_until", as: Int64?.self) {
            context.pendingExtension = ExtensionRequest(
                until: Date(epochMillis: until), reason: try row.decode(column: "ext_reason", as: String?.self) ?? "")
        }
        let photos = (try row.decode(column: "photo_ids", as: String?.self) ?? "").split(separator: ",").compactMap {
            Int64($0)
        }
        return (
            c, context, try row.decode(column: "category_name", as: String?.self),
            try row.decode(column: "unit_name", as: String?.self), photos,
            try row.decode(column: "reporter_display", as: String?.self).map { name in
                "\(name)（\((try? row.decode(column: "reporter_username", as: String?.self)) ?? "")）"
            }
        )
    }

    /// The context of a command: the loaded facts, plus the routing rule's answer for a dispatch without deadlines
    /// or a reopening, and the case to merge into.
    static func context(
        _ sql: any SQLDatabase, for actor: Actor, on subject: Case, base: CaseContext, command: CaseCommand
    ) async throws -> CaseContext {
        var context = base
        var needsRouting = false
        switch command {
        case .dispatch(_, let respondBy, let resolveBy):
            needsRouting = respondBy == nil || resolveBy == nil
            context.usableUnits = try await CaseSetupStore.usableUnitIDs(sql, at: base.path)
        case .rate(_, _, let reopen): needsRouting = reopen
        case .merge(let number):
            context.mergeTarget = try await sql.raw(
                "SELECT * FROM cases WHERE number = \(bind: number.trimmingCharacters(in: .whitespaces))"
            )
            .first().map { try CaseRow.decode($0).value }
        case .setFacility(let code):
            let folded = HalfWidth.fold(code).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            if !folded.isEmpty,
                let id = try await RegistryStore.facilityID(sql, code: folded, community: subject.communityID)
            {
                context.facilityTarget = CaseFacilityTarget(id: id, code: folded)
            }
        default: break
        }
        if needsRouting, let category = subject.categoryID,
            let rule = try await CaseSetupStore.rule(sql, categoryID: category, path: base.path)
        {
            let calendar = try await CaseSetupStore.calendar(sql)
            context.routing = RoutedDispatch(
                unitID: rule.unitID,
                respondBy: calendar.deadline(from: base.now, hours: rule.respondHours, working: rule.workingTime),
                resolveBy: calendar.deadline(from: base.now, hours: rule.resolveHours, working: rule.workingTime))
        }
        return context
    }

    /// The case page's read model in two queries (three for a dispute): the case with its facts, names and photos, and
    /// the timeline with who took each step; the reporter removed for those who may not know.
    public func record(_ id: Int64, for actor: Actor, now: Date) async throws -> CaseRecord {
        try await record(id, for: actor, now: now, callerProven: false)
    }

    func record(_ id: Int64, for actor: Actor, now: Date, callerProven: Bool) async throws -> CaseRecord {
        try await db.read { sql in
            guard
                let (row, loadedContext, categoryName, unitName, photoIDs, reporterName) =
                    try await Self.loadedWithNames(
                        sql, id, actor: actor, now: now)
            else {
                throw DomainError.notFound
            }
            var context = loadedContext
            context.callerProven = callerProven
            var subject = row.value
            try CasePolicy.require(.read, of: actor, on: subject, in: context)
            let capabilities = CasePolicy.capabilities(of: actor, on: subject, in: context)
            var timeline = try await Self.events(sql, of: id).map { e in
                var e = e
                e.byReporter = e.actorUserID != nil && e.actorUserID == subject.reporterUserID
                return e
            }
            if !capabilities.contains(.seeReporter), let reporter = subject.reporterUserID {
                subject.reporterUserID = nil
                timeline = timeline.map { e in
                    var e = e
                    if e.actorUserID == reporter { (e.actorUserID, e.actorName) = (nil, nil) }
                    return e
                }
            }
            let mediations = subject.kind == .dispute ? try await Self.mediations(sql, of: id) : []
            return CaseRecord(
                case: subject, path: row.nodePath, capabilities: capabilities, timeline: timeline,
                pendingExtension: context.pendingExtension, photoIDs: photoIDs, mediations: mediations,
                categoryName: categoryName, unitName: unitName, supporters: context.supporters,
                reporterName: capabilities.contains(.seeReporter) ? reporterName : nil)
        }
    }

    /// Where the actor stands with a case they follow or may follow: the following steps (follow, unfollow, "my
    /// problem too") open to them, and the supporters' count.
    public func followState(_ id: Int64, for actor: Actor, now: Date) async throws -> FollowState {
        try await db.read { sql in
            guard let (row, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                return FollowState()
            }
            return FollowState(
                steps: CasePolicy.capabilities(of: actor, on: row.value, in: context).filter(\.reachesPublicCases),
                following: context.following, supporting: context.supporting, supporters: context.supporters)
        }
    }

    /// The number of a public case, for sending someone who may not read the case to its public page.
    public func publicNumber(of id: Int64) async throws -> String? {
        try await db.read { sql in
            try await sql.raw("SELECT number FROM cases WHERE id = \(bind: id) AND is_public = 1").first()?
                .decode(column: "number", as: String.self)
        }
    }

    /// Whether the actor may see the case (for serving its photos): the same answer as the case page.
    public func requireVisible(_ id: Int64, to actor: Actor, now: Date) async throws {
        try await db.read { sql in
            guard let (row, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try CasePolicy.require(.read, of: actor, on: row.value, in: context)
        }
    }

    static func events(_ sql: any SQLDatabase, of caseID: Int64) async throws -> [CaseEvent] {
        try await sql.raw(
            """
            SELECT e.*, u.display_name FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE e.case_id = \(bind: caseID) ORDER BY e.at, e.id
            """
        ).all().map { row in
            CaseEvent(
                at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                actorUserID: try row.decode(column: "actor_user_id", as: Int64?.self),
                actorName: try row.decode(column: "display_name", as: String?.self),
                action: try row.decode(column: "action", as: String.self),
                fromStatus: try row.decode(column: "from_status", as: String?.self).flatMap(CaseStatus.init(rawValue:)),
                toStatus: CaseStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .submitted,
                note: try row.decode(column: "note", as: String.self))
        }
    }

    static func mediations(_ sql: any SQLDatabase, of caseID: Int64) async throws -> [MediationSession] {
        try await sql.raw("SELECT * FROM mediation_sessions WHERE case_id = \(bind: caseID) ORDER BY at, id").all().map
        { row in
            MediationSession(
                at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                method: MediationMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .people,
                mediator: try row.decode(column: "mediator", as: String.self),
                parties: try row.decode(column: "parties", as: String.self),
                summary: try row.decode(column: "summary", as: String.self),
                agreement: try row.decode(column: "agreement", as: String.self),
                outcome: MediationOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .continuing)
        }
    }

    /// Newest first, in pages (`beforeID` is the cursor), inside what the actor may see.
    public func list(_ filter: CaseFilter, for actor: Actor, now: Date = Date()) async throws -> [Case] {
        try await listed(filter, for: actor, now: now).map(\.case)
    }

    /// `list`, with the bulk steps the actor may take on each case: those whose rule needs nothing but the case and
    /// its place (filing, dispatching), so the list draws its buttons from the policy as the case page does.
    public func listed(_ filter: CaseFilter, for actor: Actor, now: Date = Date()) async throws -> [ListedCase] {
        let q: SQLQueryString
        if db.backend == .sqlite, let search = filter.search, let phrase = Self.ftsPhrase(search) {
            // The full-text index is read newest first and stops at the page: `id IN (matches)` would gather every
            // match (100,000 for a common word at a million cases) before the first row came out.
            var rest = filter
            rest.search = nil
            let clause = try Self.scopeClause(rest.scope, actor) + " AND " + Self.whereClause(rest, backend: db.backend)
            q =
                SQLQueryString(
                    """
                    SELECT * FROM (SELECT cases.* FROM cases_fts JOIN cases ON cases.id = cases_fts.rowid
                    WHERE cases_fts MATCH \(bind: phrase) AND
                    """) + clause
                + " ORDER BY cases_fts.rowid DESC LIMIT \(bind: filter.limit))"
                + " UNION SELECT * FROM cases WHERE number = \(bind: search.trimmingCharacters(in: .whitespaces)) AND "
                + clause + " ORDER BY id DESC LIMIT \(bind: filter.limit)"
        } else {
            let clause =
                try Self.scopeClause(filter.scope, actor) + " AND " + Self.whereClause(filter, backend: db.backend)
            q = SQLQueryString("SELECT * FROM cases WHERE ") + clause + " ORDER BY id DESC LIMIT \(bind: filter.limit)"
        }
        return try await db.read { sql in
            return try await sql.raw(q).all().map { row in
                let r = try CaseRow.decode(row)
                var c = r.value
                let context = CaseContext(now: now, path: r.nodePath)
                if (try? CasePolicy.require(.seeReporter, of: actor, on: c, in: context)) == nil {
                    c.reporterUserID = nil
                }
                let steps = CaseBulkStep.allCases.filter {
                    (try? CasePolicy.require($0.capability, of: actor, on: c, in: context)) != nil
                }
                return ListedCase(case: c, bulkSteps: Set(steps))
            }
        }
    }

    /// Counts by status for the tabs above a list (the status filter itself is ignored).
    public func counts(_ filter: CaseFilter, for actor: Actor) async throws -> [CaseStatus: Int] {
        var f = filter
        f.statuses = []
        f.beforeID = nil
        let query: SQLQueryString
        if let kept = try Self.keptCountsClause(f, actor) {
            query =
                SQLQueryString("SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM case_counts WHERE ") + kept
                + " GROUP BY status"
        } else {
            let clause = try Self.scopeClause(f.scope, actor) + " AND " + Self.whereClause(f, backend: db.backend)
            query = SQLQueryString("SELECT status, COUNT(*) AS n FROM cases WHERE ") + clause + " GROUP BY status"
        }
        return try await db.read { sql in
            var out: [CaseStatus: Int] = [:]
            for row in try await sql.raw(query).all() {
                if let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                    out[status] = try row.decode(column: "n", as: Int.self)
                }
            }
            return out
        }
    }

    /// A public case by its number, for Open311 and public pages: never a private one.
    public func publicCase(number: String) async throws -> Case? {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM cases WHERE number = \(bind: number) AND is_public = 1").first().map {
                row in
                var c = try CaseRow.decode(row).value
                c.reporterUserID = nil
                return c
            }
        }
    }

    /// Public cases only, without reporters, for Open311 and public pages.
    public func publicList(_ filter: CaseFilter) async throws -> [Case] {
        try await publicRequests(filter).map(\.case)
    }

    /// Public cases newest first, filtered in SQL before the page is cut, each with the names an Open311 answer
    /// shows (category, unit, place), when it last changed, its last public note and its first photo: one query.
    public func publicRequests(_ filter: CaseFilter, offset: Int = 0) async throws -> [PublicCase] {
        let inner =
            SQLQueryString("SELECT * FROM cases WHERE is_public = 1 AND ")
            + Self.whereClause(filter, backend: db.backend)
            + " ORDER BY id DESC LIMIT \(bind: filter.limit) OFFSET \(bind: max(0, offset))"
        return try await publicRead(inner)
    }

    /// Public cases by their numbers (unknown and private ones left out), in one query.
    public func publicRequests(numbers: [String]) async throws -> [PublicCase] {
        let numbers = Array(numbers.prefix(1000))
        guard !numbers.isEmpty else { return [] }
        var inner = SQLQueryString("SELECT * FROM cases WHERE is_public = 1 AND number IN (")
        for (i, n) in numbers.enumerated() { inner = inner + SQLQueryString(i > 0 ? ", " : "") + "\(bind: n)" }
        return try await publicRead(inner + ") ORDER BY id DESC")
    }

    /// One public case by its number with its category, unit and place names; nil for a private or unknown number.
    public func publicRequest(number: String) async throws -> PublicCase? {
        let number = number.trimmingCharacters(in: .whitespaces).uppercased()
        return try await publicRead("SELECT * FROM cases WHERE is_public = 1 AND number = \(bind: number)").first
    }

    func publicRead(_ inner: SQLQueryString) async throws -> [PublicCase] {
        try await db.read { sql in
            let q =
                SQLQueryString(
                    """
                    SELECT c.*, cat.name AS category_name, u.name AS unit_name, n.name AS place_name,
                      (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id) AS last_event_at,
                      (SELECT e.note FROM case_events e WHERE e.case_id = c.id AND e.action IN ('reject', 'verify', 'resolve_at_once', 'report_back')
                        ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status_notes,
                      (SELECT p.content_type FROM case_photos p WHERE p.case_id = c.id ORDER BY p.id LIMIT 1) AS photo_type,
                      (SELECT COUNT(*) FROM case_followers f WHERE f.case_id = c.id AND f.supporter = 1) AS supporters
                    FROM (
                    """) + inner + """
                    ) c LEFT JOIN case_categories cat ON cat.id = c.category_id LEFT JOIN units u ON u.id = c.unit_id
                    LEFT JOIN nodes n ON n.id = c.node_id ORDER BY c.id DESC
                    """
            return try await sql.raw(q).all().map { row in
                let r = try CaseRow.decode(row)
                var c = r.value
                c.reporterUserID = nil
                return PublicCase(
                    case: c, path: r.nodePath, categoryName: try row.decode(column: "category_name", as: String?.self),
                    unitName: try row.decode(column: "unit_name", as: String?.self),
                    placeName: try row.decode(column: "place_name", as: String?.self),
                    updatedAt: try row.decode(column: "last_event_at", as: Int64?.self).map(Date.init(epochMillis:))
                        ?? c.createdAt,
                    statusNotes: try row.decode(column: "status_notes", as: String?.self) ?? "",
                    photoType: try row.decode(column: "photo_type", as: String?.self),
                    supporters: try row.decode(column: "supporters", as: Int.self))
            }
        }
    }

    /// The timeline of a public case, without who took each step.
    public func publicTimeline(of c: Case) async throws -> [CaseEvent] {
        guard c.isPublic else { return [] }
        return try await db.read { sql in
            try await Self.events(sql, of: c.id).map { e in
                var e = e
                (e.actorUserID, e.actorName) = (nil, nil)
                return e
            }
        }
    }

    /// Cases of every area the actor works in, of their units, or their own.
    static func scopeClause(_ scope: CaseScope, _ actor: Actor) throws(DomainError) -> SQLQueryString {
        switch scope {
        case .area:
            let areas = actor.areas
            guard !areas.isEmpty else { throw .forbidden }
            var q = SQLQueryString("(")
            for (i, grant) in areas.enumerated() {
                if i > 0 { q = q + " OR " }
                let range =
                    "node_path >= \(bind: grant.nodePath) AND node_path < \(bind: NodePath.upperBound(grant.nodePath))"
                    as SQLQueryString
                // Inside one community the (community, status, id) index serves the list in order; a path range
                // would leave SQLite to walk every case newest first or sort the community's history.
                switch grant.communityID {
                case .some(let community) where community == grant.nodeID:
                    q = q + "(community_id = \(bind: community))"
                case .some(let community):
                    q = q + "(community_id = \(bind: community) AND " + range + ")"
                case .none:
                    q = q + "(" + range + ")"
                }
            }
            return q + ")"
        case .unit:
            return "unit_id IN (SELECT unit_id FROM unit_members WHERE user_id = \(bind: actor.userID))"
        case .mine:
            return "reporter_user_id = \(bind: actor.storedUserID ?? -1)"
        }
    }

    /// The rows of `case_counts` that add up to the counts of an unfiltered area list, or nil when the filter or a
    /// grant below a community needs the cases themselves counted. A grant at or above a community takes the
    /// counts of every community inside it.
    static func keptCountsClause(_ f: CaseFilter, _ actor: Actor) throws(DomainError) -> SQLQueryString? {
        var bare = CaseFilter(scope: .area)
        bare.limit = f.limit
        guard f == bare else { return nil }
        let areas = actor.areas
        guard !areas.isEmpty else { throw .forbidden }
        var q = SQLQueryString("(")
        for (i, grant) in areas.enumerated() {
            if i > 0 { q = q + " OR " }
            switch grant.communityID {
            case .some(let community) where community == grant.nodeID:
                q = q + "community_id = \(bind: community)"
            case .some:
                return nil
            case .none:
                q =
                    q
                        + """
                        community_id IN (SELECT id FROM nodes WHERE kind IN ('community','village')
                          AND path >= \(bind: grant.nodePath) AND path < \(bind: NodePath.upperBound(grant.nodePath)))
                        """
            }
        }
        return q + ")"
    }

    static func whereClause(_ f: CaseFilter, backend: Database.Backend) -> SQLQueryString {
        var q = SQLQueryString("1 = 1")
        if let path = f.within {
            q = q + " AND node_path >= \(bind: path) AND node_path < \(bind: NodePath.upperBound(path))"
        }
        if !f.statuses.isEmpty {
            q = q + " AND status IN (\(unsafeRaw: f.statuses.map { "'\($0.rawValue)'" }.joined(separator: ",")))"
        }
        if let c = f.categoryID { q = q + " AND category_id = \(bind: c)" }
        if let facility = f.facilityID { q = q + " AND facility_id = \(bind: facility)" }
        if !f.categoryIDs.isEmpty {
            q = q + " AND category_id IN ("
            for (i, c) in f.categoryIDs.enumerated() { q = q + SQLQueryString(i > 0 ? ", " : "") + "\(bind: c)" }
            q = q + ")"
        }
        if let from = f.createdFrom { q = q + " AND created_at >= \(bind: from.epochMillis)" }
        if let until = f.createdUntil { q = q + " AND created_at <= \(bind: until.epochMillis)" }
        if let now = f.overdueAt {
            // `+resolve_by` keeps SQLite on the newest-first indexes: sorting every overdue case of a district by id
            // costs far more than walking open cases newest first until a page of overdue ones is found.
            q = q + " AND status IN ('dispatched','handling','reportedBack') AND +resolve_by < \(bind: now.epochMillis)"
        }
        if let s = f.search?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            q = q + " AND " + Self.textMatch(s, backend: backend)
        }
        if let level = f.minEscalation { q = q + " AND escalation_level >= \(bind: level)" }
        if f.awaitingReview {
            q =
                q
                + " AND status = 'closed' AND NOT EXISTS (SELECT 1 FROM case_grid_steps g WHERE g.case_id = cases.id AND g.step = 'review')"
        }
        if f.sentToDeliberation {
            q =
                q
                + " AND EXISTS (SELECT 1 FROM case_grid_steps g WHERE g.case_id = cases.id AND g.step = 'referToDeliberation')"
        }
        if f.awaitingRating { q = q + " AND status = 'closed' AND rating IS NULL AND kind = 'appeal'" }
        if let grid = f.gridID { q = q + " AND grid_id = \(bind: grid)" }
        if let before = f.dueBefore, let from = f.dueSoonFrom {
            q =
                q
                + " AND status IN ('dispatched','handling','reportedBack') AND resolve_by >= \(bind: from.epochMillis) AND resolve_by < \(bind: before.epochMillis)"
        }
        if let before = f.beforeID { q = q + " AND id < \(bind: before)" }
        if !f.ids.isEmpty {
            q = q + " AND id IN ("
            for (i, id) in f.ids.enumerated() { q = q + SQLQueryString(i > 0 ? ", " : "") + "\(bind: id)" }
            q = q + ")"
        }
        if let from = f.closedFrom { q = q + " AND closed_at >= \(bind: from.epochMillis)" }
        return q
    }

    /// The search helper: trigram indexes on both backends for three characters or more (FTS5 on SQLite,
    /// pg_trgm on PostgreSQL); shorter Chinese words such as "路灯" fall back to a substring scan.
    /// The FTS5 phrase for a search of three characters or more (the trigram index's shortest), else nil.
    static func ftsPhrase(_ text: String) -> String? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
            .replacingOccurrences(of: "_", with: "")
        guard cleaned.count >= 3 else { return nil }
        return "\"" + cleaned.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func textMatch(_ text: String, backend: Database.Backend) -> SQLQueryString {
        let cleaned = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
        let like = "%" + cleaned + "%"
        if cleaned.count >= 3 {
            switch backend {
            case .sqlite:
                let phrase = ftsPhrase(text) ?? ""
                return
                    "(id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH \(bind: phrase)) OR number = \(bind: text))"
            case .postgres:
                return "((title || ' ' || description) ILIKE \(bind: like) OR number = \(bind: text))"
            }
        }
        return "(title LIKE \(bind: like) OR description LIKE \(bind: like) OR number = \(bind: text))"
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
    /// The open statuses as an SQL list: an `IN` the (community, status, …) index can serve, where `NOT IN` scans.
    static let openStatuses = CaseStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",")

    /// Open, overdue and escalated cases per grid of every area the actor works in.
    public func openByGrid(for actor: Actor, now: Date) async throws -> [GridLoad] {
        // Open cases per grid from the kept counts; overdue and escalated ones counted per grid through the partial
        // indexes `cases_grid_overdue` and `cases_grid_escalated`, instead of reading a community's open cases.
        guard let kept = try Self.keptCountsClause(CaseFilter(scope: .area), actor) else {
            return try await openByGridFromCases(for: actor, now: now)
        }
        let head: SQLQueryString = """
            SELECT g.grid_id, g.open,
              (SELECT COUNT(*) FROM cases c WHERE c.community_id = g.community_id AND c.grid_id = g.grid_id
                AND c.status IN ('dispatched','handling','reportedBack') AND c.resolve_by < \(bind: now.epochMillis)) AS overdue,
              (SELECT COUNT(*) FROM cases c WHERE c.community_id = g.community_id AND c.grid_id = g.grid_id
                AND c.escalation_level > 0 AND c.status IN (\(unsafeRaw: Self.openStatuses))) AS escalated
            FROM (SELECT community_id, grid_id, CAST(SUM(n) AS BIGINT) AS open FROM case_counts WHERE
            """
        let tail: SQLQueryString =
            " AND status IN (\(unsafeRaw: Self.openStatuses)) AND grid_id <> 0 GROUP BY community_id, grid_id) g WHERE g.open > 0"
        return try await db.read { sql in
            try await sql.raw(head + kept + tail).all().map(Self.gridLoad)
        }
    }

    static func gridLoad(_ row: any SQLRow) throws -> GridLoad {
        GridLoad(
            gridID: try row.decode(column: "grid_id", as: Int64.self),
            open: try row.decode(column: "open", as: Int.self),
            overdue: try row.decode(column: "overdue", as: Int?.self) ?? 0,
            escalated: try row.decode(column: "escalated", as: Int?.self) ?? 0)
    }

    /// The grid view counted from the cases themselves: for a grant below a community, and for tests.
    func openByGridFromCases(for actor: Actor, now: Date) async throws -> [GridLoad] {
        let scope = try Self.scopeClause(.area, actor)
        return try await db.read { sql in
            try await sql.raw(
                """
                SELECT grid_id, COUNT(*) AS open,
                  SUM(CASE WHEN resolve_by < \(bind: now.epochMillis) AND status IN ('dispatched','handling','reportedBack') THEN 1 ELSE 0 END) AS overdue,
                  SUM(CASE WHEN escalation_level > 0 THEN 1 ELSE 0 END) AS escalated
                FROM cases WHERE
                """ + scope
                    + " AND status IN (\(unsafeRaw: Self.openStatuses)) AND grid_id IS NOT NULL GROUP BY grid_id"
            ).all().map(Self.gridLoad)
        }
    }
}

/// Cases of one area of the tree, for its node page.
public struct AreaCaseCounts: Sendable, Equatable {
    /// Not closed or rejected (`CaseStatus.isOpen`).
    public var open: Int
    /// In a unit's hands past their resolution deadline (the list's "overdue" filter).
    public var overdue: Int
    /// Closed at or after the given moment (the start of this month).
    public var closedSince: Int
    public init(open: Int, overdue: Int, closedSince: Int) {
        self.open = open
        self.overdue = overdue
        self.closedSince = closedSince
    }
}

extension CaseStore {
    /// Open, overdue and recently closed cases inside the subtree at `path` (a node of `kind`), counting only those
    /// the actor reads as area staff (the same cases the area's list shows); nil for an actor who reads no area.
    /// For a community or a node above it, inside one of the actor's areas, the counts come from the kept counts
    /// and two partial indexes (`cases_community_overdue`, `cases_closed_at`), so a district's page does not read its
    /// whole history: open cases from `case_counts`, overdue ones from the entries of cases in units' hands, closed
    /// ones from this month's closings. Otherwise (a grid or building, or an area below the node) from the cases.
    public func counts(
        inside path: String, kind: NodeKind, for actor: Actor, now: Date, closedSince: Date
    ) async throws
        -> AreaCaseCounts?
    {
        guard !actor.areas.isEmpty else { return nil }
        guard !(kind == .grid || kind == .building),
            actor.areas.contains(where: { NodePath.isInside(path, $0.nodePath) })
        else {
            return try await countsFromCases(inside: path, for: actor, now: now, closedSince: closedSince)
        }
        let communities: SQLQueryString = """
            community_id IN (SELECT id FROM nodes WHERE kind IN ('community','village')
              AND path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path)))
            """
        var q: SQLQueryString = "SELECT (SELECT CAST(SUM(n) AS BIGINT) FROM case_counts WHERE "
        q += communities + " AND status IN (\(unsafeRaw: Self.openStatuses))) AS open,"
        q += " (SELECT COUNT(*) FROM cases WHERE " + communities
        q +=
            " AND status IN ('dispatched','handling','reportedBack') AND resolve_by < \(bind: now.epochMillis)) AS overdue,"
        q += " (SELECT COUNT(*) FROM cases WHERE " + communities
        q += " AND status = 'closed' AND closed_at >= \(bind: closedSince.epochMillis)) AS closed"
        let query = q
        return try await db.read { sql in try Self.areaCounts(try await sql.raw(query).first()) }
    }

    /// `counts(inside:…)` counted from the cases themselves: below a community, and for tests.
    func countsFromCases(
        inside path: String, for actor: Actor, now: Date, closedSince: Date
    ) async throws -> AreaCaseCounts {
        let scope = try Self.scopeClause(.area, actor)
        return try await db.read { sql in
            let row = try await sql.raw(
                """
                SELECT SUM(CASE WHEN status IN (\(unsafeRaw: Self.openStatuses)) THEN 1 ELSE 0 END) AS open,
                  SUM(CASE WHEN status IN ('dispatched','handling','reportedBack') AND resolve_by < \(bind: now.epochMillis) THEN 1 ELSE 0 END) AS overdue,
                  SUM(CASE WHEN status = 'closed' AND closed_at >= \(bind: closedSince.epochMillis) THEN 1 ELSE 0 END) AS closed
                FROM cases WHERE node_path >= \(bind: path) AND node_path < \(bind: NodePath.upperBound(path)) AND
                """ + scope
            ).first()
            return try Self.areaCounts(row)
        }
    }

    static func areaCounts(_ row: (any SQLRow)?) throws -> AreaCaseCounts {
        AreaCaseCounts(
            open: try row?.decode(column: "open", as: Int?.self) ?? 0,
            overdue: try row?.decode(column: "overdue", as: Int?.self) ?? 0,
            closedSince: try row?.decode(column: "closed", as: Int?.self) ?? 0)
    }
}

/// A case as a map draws it: where, what state, and which grid and community it counts towards.
public struct CaseMapPoint: Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var title: String
    public var status: CaseStatus
    public var point: GeoPoint
    public var resolveBy: Date?
    public var escalationLevel: Int
    public var gridID: Int64?
    public var communityID: Int64
}

extension CaseStore {
    /// The cases of a filter that have a point, newest first, read in one statement with only what a map needs.
    public func mapPoints(_ filter: CaseFilter, for actor: Actor) async throws -> [CaseMapPoint] {
        let clause = try Self.scopeClause(filter.scope, actor) + " AND " + Self.whereClause(filter, backend: db.backend)
        return try await points(clause, limit: filter.limit)
    }

    /// The public cases that have a point (for the public map; callers coarsen the points before drawing them).
    public func publicMapPoints(inside path: String? = nil, limit: Int = 5000) async throws -> [CaseMapPoint] {
        guard let path else { return try await points("is_public = 1", limit: limit) }
        return try await points(
            "is_public = 1 AND node_path >= \(bind: path) AND node_path < \(bind: NodePath.upperBound(path))",
            limit: limit)
    }

    func points(_ clause: SQLQueryString, limit: Int) async throws -> [CaseMapPoint] {
        try await db.read { sql in
            let q =
                SQLQueryString(
                    """
                    SELECT id, number, title, status, latitude, longitude, resolve_by, escalation_level, grid_id, community_id
                    FROM cases WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND 
                    """) + clause + " ORDER BY id DESC LIMIT \(bind: limit)"
            return try await sql.raw(q).all().map { row in
                CaseMapPoint(
                    id: try row.decode(column: "id", as: Int64.self),
                    number: try row.decode(column: "number", as: String.self),
                    title: try row.decode(column: "title", as: String.self),
                    status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted,
                    point: GeoPoint(
                        lat: try row.decode(column: "latitude", as: Double.self),
                        lng: try row.decode(column: "longitude", as: Double.self)),
                    resolveBy: try row.decode(column: "resolve_by", as: Int64?.self).map(Date.init(epochMillis:)),
                    escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
                    gridID: try row.decode(column: "grid_id", as: Int64?.self),
                    communityID: try row.decode(column: "community_id", as: Int64.self))
            }
        }
    }
}
