import Foundation
import GongzhiDomain
import SQLKit

/// A care group as its list and page show it, with how many members it has and how many are overdue.
public struct CareGroupSummary: Sendable, Equatable, Encodable {
    public var id: Int64
    public var communityID: Int64
    public var community: String
    public var name: String
    public var tag: PersonTag?
    public var frequencyDays: Int
    public var members: Int
    public var overdue: Int
    public var version: Int
}

/// Someone who may be asked to visit: a grid or community worker of the community.
public struct CareVisitor: Sendable, Equatable, Encodable {
    public var userID: Int64
    public var name: String
}

/// One person in a plan: who they are (the name, the place), when they were last visited and are next due, who visits
/// them and in which groups.
public struct CareDueItem: Sendable, Equatable, Encodable {
    public var personID: Int64
    public var name: String
    public var building: String?
    public var room: String?
    public var lastVisitedOn: CalendarDate?
    public var nextDueOn: CalendarDate
    public var overdue: Bool
    /// Days past due (0 when not overdue).
    public var daysOverdue: Int
    public var visitorUserID: Int64?
    public var visitor: String?
    public var groups: [String]
}

/// A plan: the people due, soonest (most overdue) first, with the count of the overdue ones.
public struct CarePlan: Sendable, Encodable {
    public var items: [CareDueItem]
    public var overdueCount: Int
}

/// A group with its members (each as a plan line) and the workers who may visit them.
public struct CareGroupDetail: Sendable, Encodable {
    public var group: CareGroupSummary
    public var members: [CareDueItem]
    public var visitors: [CareVisitor]
    public var capabilities: [CareCapability]
}

/// A visit as a person's page and the API show it.
public struct CareVisitRecord: Sendable, Equatable, Encodable {
    public var id: Int64
    public var personID: Int64
    public var visitedOn: CalendarDate
    public var method: VisitMethod
    public var findings: String
    public var followUp: Bool
    public var caseID: Int64?
    public var caseNumber: String?
    public var visitorUserID: Int64?
    public var visitor: String?
    public var recordedAt: Date
}

/// A person's care: the groups they belong to (with when next due), their visits newest first, what the reader may
/// do, and the community's other groups a planner may add them to.
public struct PersonCare: Sendable, Encodable {
    public var personID: Int64
    public var memberships: [Membership]
    public var visits: [CareVisitRecord]
    public var capabilities: [CareCapability]
    public var joinable: [CareGroupSummary]
    /// Whether the reader may open the groups (they see the person's community whole).
    public var groupsVisible: Bool

    public struct Membership: Sendable, Equatable, Encodable {
        public var groupID: Int64
        public var group: String
        public var frequencyDays: Int
        public var nextDueOn: CalendarDate
        public var overdue: Bool
        public var visitor: String?
    }
}

/// A floating resident whose residence permit ends soon, for their grid's worker.
public struct PermitExpiry: Sendable, Equatable, Encodable {
    public var personID: Int64
    public var name: String
    public var building: String?
    public var permitEnd: CalendarDate
    public var daysLeft: Int
}

/// Reads of care groups, plans and visits, each inside what the actor may see (`CarePolicy`, on the registry's
/// grants): a grid worker their grid, a community worker the community.
public struct CareStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The groups of the communities the actor may see whole (community workers and above), by name.
    public func groups(for actor: Actor, today: CalendarDate) async throws -> [CareGroupSummary] {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        return try await db.read { sql in
            var q = SQLQueryString(
                """
                SELECT g.*, n.name AS community_name, n.path AS community_path,
                  (SELECT COUNT(*) FROM care_members m WHERE m.group_id = g.id) AS member_count,
                  (SELECT COUNT(*) FROM care_members m WHERE m.group_id = g.id AND m.next_due_on < \(bind: today.description)) AS overdue_count
                FROM care_groups g JOIN nodes n ON n.id = g.community_id WHERE (
                """)
            q = q + RegistryStore.inside("n.path", paths) + ") ORDER BY n.path, g.name"
            return try await sql.raw(q).all().map(Self.group)
        }
    }

    /// One group with its members, or "not found" outside the actor's view of its community.
    public func group(_ id: Int64, for actor: Actor, today: CalendarDate) async throws -> CareGroupDetail {
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            guard let (group, path) = try await Self.groupRow(sql, id, today: today) else { throw DomainError.notFound }
            try CarePolicy.require(.view, of: actor, at: path)
            let scope = SQLQueryString(
                " WHERE m.group_id = \(bind: id) AND p.moved_out_on IS NULL AND p.anonymised_at IS NULL")
            let members = try await Self.planItems(sql, scope, overdueOnly: false, limit: 1000, today: today, box: box)
            return CareGroupDetail(
                group: group, members: members, visitors: try await Self.visitors(sql, community: path),
                capabilities: CareCapability.allCases.filter {
                    CarePolicy.capabilities(of: actor, at: path).contains($0)
                })
        }
    }

    /// The actor's plan: the people they are to visit, soonest due first. A grid worker (who plans nowhere) sees the
    /// people of their grid assigned to them or to no one; a planner, or an administrator above, sees everyone's.
    public func plan(
        for actor: Actor, today: CalendarDate, overdueOnly: Bool = false, limit: Int = 200
    ) async throws -> CarePlan {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try db.requirePersonalDataBox()
        let mine = !CarePolicy.plansAnywhere(actor) && actor.grants.contains { $0.role == .gridWorker }
        return try await db.read { sql in
            let communities = try await RegistryStore.communities(sql, inside: paths)
            guard !communities.isEmpty else { return CarePlan(items: [], overdueCount: 0) }
            var scope = SQLQueryString(" WHERE ") + RegistryStore.inList("m.community_id", communities) + " AND ("
            scope = scope + RegistryStore.inside("b.path", paths) + ")"
            scope = scope + " AND p.moved_out_on IS NULL AND p.anonymised_at IS NULL"
            if mine, let user = actor.storedUserID {
                scope = scope + " AND (m.visitor_user_id = \(bind: user) OR m.visitor_user_id IS NULL)"
            }
            let items = try await Self.planItems(
                sql, scope, overdueOnly: overdueOnly, limit: max(1, min(limit, 1000)), today: today, box: box)
            let count =
                SQLQueryString("SELECT COUNT(DISTINCT m.person_id) AS n FROM \(unsafeRaw: Self.planPeopleFrom)") + scope
                + " AND m.next_due_on < \(bind: today.description)"
            let overdue = try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
            return CarePlan(items: items, overdueCount: overdue)
        }
    }

    /// A person's groups and visits, or "not found" outside the actor's view.
    public func care(of personID: Int64, for actor: Actor, today: CalendarDate) async throws -> PersonCare {
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            guard let (place, community) = try await Self.personPlace(sql, personID) else {
                throw DomainError.notFound
            }
            try CarePolicy.require(.view, of: actor, at: place)
            let memberships = try await sql.raw(
                """
                SELECT m.group_id, g.name, g.frequency_days, m.next_due_on, u.display_name FROM care_members m
                JOIN care_groups g ON g.id = m.group_id LEFT JOIN users u ON u.id = m.visitor_user_id
                WHERE m.person_id = \(bind: personID) ORDER BY g.name
                """
            ).all().map { row in
                let due = CalendarDate(try row.decode(column: "next_due_on", as: String.self))!
                return PersonCare.Membership(
                    groupID: try row.decode(column: "group_id", as: Int64.self),
                    group: try row.decode(column: "name", as: String.self),
                    frequencyDays: try row.decode(column: "frequency_days", as: Int.self), nextDueOn: due,
                    overdue: CareSchedule.isOverdue(due, today: today),
                    visitor: try row.decode(column: "display_name", as: String?.self))
            }
            let visits = try await Self.visits(sql, person: personID, box: box)
            let capabilities = CarePolicy.capabilities(of: actor, at: place)
            var joinable: [CareGroupSummary] = []
            let communityPath = try await Self.node(sql, community)?.0 ?? "/"
            let groupsVisible = CarePolicy.capabilities(of: actor, at: communityPath).contains(.view)
            if CarePolicy.capabilities(of: actor, at: communityPath).contains(.plan) {
                let member = Set(memberships.map(\.groupID))
                joinable = try await sql.raw(
                    """
                    SELECT g.*, n.name AS community_name, n.path AS community_path, 0 AS member_count, 0 AS overdue_count
                    FROM care_groups g JOIN nodes n ON n.id = g.community_id WHERE g.community_id = \(bind: community)
                    ORDER BY g.name
                    """
                ).all().map(Self.group).filter { !member.contains($0.id) }
            }
            return PersonCare(
                personID: personID, memberships: memberships, visits: visits,
                capabilities: CareCapability.allCases.filter { capabilities.contains($0) }, joinable: joinable,
                groupsVisible: groupsVisible)
        }
    }

    /// Floating residents of the actor's grid (or community) whose permit ends within `PermitReminder.days` days,
    /// soonest first, with how many there are.
    public func expiringPermits(
        for actor: Actor, today: CalendarDate, limit: Int = 20
    ) async throws -> (items: [PermitExpiry], count: Int) {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { return ([], 0) }
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            let communities = try await RegistryStore.communities(sql, inside: paths)
            guard !communities.isEmpty else { return ([], 0) }
            var scope = SQLQueryString(" WHERE ") + RegistryStore.inList("p.community_id", communities) + " AND ("
            scope = scope + RegistryStore.inside("b.path", paths) + ")"
            scope =
                scope
                    + """
                     AND p.residence = 'floating' AND p.moved_out_on IS NULL AND p.anonymised_at IS NULL
                     AND p.permit_end >= \(bind: today.description) AND p.permit_end <= \(bind: today.adding(days: PermitReminder.days).description)
                    """
            let rows = try await sql.raw(
                SQLQueryString(
                    "SELECT p.id, p.name_sealed, p.permit_end, b.name AS building_name FROM registry_people p JOIN nodes b ON b.id = p.building_id"
                ) + scope + " ORDER BY p.permit_end, p.id LIMIT \(bind: limit)"
            ).all()
            let items = try rows.map { row in
                let end = CalendarDate(try row.decode(column: "permit_end", as: String.self))!
                return PermitExpiry(
                    personID: try row.decode(column: "id", as: Int64.self),
                    name: try box.open(try row.decode(column: "name_sealed", as: String.self)),
                    building: try row.decode(column: "building_name", as: String?.self), permitEnd: end,
                    daysLeft: CareSchedule.days(from: today, to: end))
            }
            let count =
                try await sql.raw(
                    SQLQueryString(
                        "SELECT COUNT(*) AS n FROM registry_people p JOIN nodes b ON b.id = p.building_id") + scope
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            return (items, count)
        }
    }

    // MARK: - Helpers the writer shares

    /// The members with only what a plan's scope filters on (the person's state and building).
    static let planPeopleFrom = """
        care_members m JOIN registry_people p ON p.id = m.person_id JOIN nodes b ON b.id = p.building_id
        """

    static let planFrom = """
        care_members m JOIN registry_people p ON p.id = m.person_id JOIN nodes b ON b.id = p.building_id
        LEFT JOIN registry_houses r ON r.id = p.house_id LEFT JOIN users u ON u.id = m.visitor_user_id
        JOIN care_groups g ON g.id = m.group_id
        """

    /// The people of a plan within `scope` (a `WHERE` over `m`, `p` and `b`), soonest due first: first the page's
    /// people, grouped by person alone so that a community of thousands of members is sorted on two narrow columns
    /// (grouped with their sealed names and addresses this took 9 ms of a community worker's home page), then the
    /// names, places, visitors and groups of that page only.
    static func planItems(
        _ sql: any SQLDatabase, _ scope: SQLQueryString, overdueOnly: Bool, limit: Int, today: CalendarDate,
        box: PersonalDataBox
    ) async throws -> [CareDueItem] {
        var page =
            SQLQueryString(
                """
                SELECT m.person_id, MIN(m.next_due_on) AS due FROM \(unsafeRaw: planPeopleFrom)
                """) + scope
        // A person is overdue when any of their visits is; the earliest due date is then an overdue one.
        if overdueOnly { page += " AND m.next_due_on < \(bind: today.description)" }
        page += " GROUP BY m.person_id ORDER BY due, m.person_id LIMIT \(bind: limit)"
        let ids = try await sql.raw(page).all().map { try $0.decode(column: "person_id", as: Int64.self) }
        guard !ids.isEmpty else { return [] }
        var details =
            SQLQueryString(
                """
                SELECT m.person_id, m.next_due_on, m.last_visited_on, m.visitor_user_id, u.display_name, p.name_sealed,
                  b.name AS building_name, r.unit AS house_unit, r.room AS house_room FROM \(unsafeRaw: planFrom)
                """) + scope
        details += " AND " + RegistryStore.inList("m.person_id", ids)
        var people: [Int64: PlanRow] = [:]
        for row in try await sql.raw(details).all() {
            let id = try row.decode(column: "person_id", as: Int64.self)
            let visit = PlanRow(
                due: try row.decode(column: "next_due_on", as: String.self),
                lastVisit: try row.decode(column: "last_visited_on", as: String?.self),
                visitorID: try row.decode(column: "visitor_user_id", as: Int64?.self),
                visitor: try row.decode(column: "display_name", as: String?.self),
                nameSealed: try row.decode(column: "name_sealed", as: String.self),
                building: try row.decode(column: "building_name", as: String?.self),
                unit: try row.decode(column: "house_unit", as: String?.self),
                room: try row.decode(column: "house_room", as: String?.self))
            people[id] = people[id].map { $0.merged(with: visit) } ?? visit
        }
        var groups: [Int64: [String]] = [:]
        for row in try await sql.raw(
            SQLQueryString(
                "SELECT m.person_id, g.name FROM care_members m JOIN care_groups g ON g.id = m.group_id WHERE "
            ) + RegistryStore.inList("m.person_id", ids) + " ORDER BY g.name"
        ).all() {
            groups[try row.decode(column: "person_id", as: Int64.self), default: []].append(
                try row.decode(column: "name", as: String.self))
        }
        return try ids.compactMap { id in
            guard let person = people[id], let due = CalendarDate(person.due) else { return nil }
            let overdue = CareSchedule.isOverdue(due, today: today)
            return CareDueItem(
                personID: id, name: try box.open(person.nameSealed), building: person.building,
                room: person.room.map { room in person.unit.flatMap { $0.isEmpty ? nil : "\($0)-\(room)" } ?? room },
                lastVisitedOn: person.lastVisit.flatMap(CalendarDate.init),
                nextDueOn: due, overdue: overdue, daysOverdue: overdue ? CareSchedule.days(from: due, to: today) : 0,
                visitorUserID: person.visitorID, visitor: person.visitor, groups: groups[id] ?? [])
        }
    }

    /// One person's visits in a plan, folded as the plan shows them: the earliest due date, the latest visit, and
    /// the lowest visitor id and name (a person visited by two workers shows one of them).
    struct PlanRow {
        var due: String
        var lastVisit: String?
        var visitorID: Int64?
        var visitor: String?
        let nameSealed: String
        let building: String?
        let unit: String?
        let room: String?

        func merged(with other: PlanRow) -> PlanRow {
            var out = self
            out.due = Swift.min(due, other.due)
            out.lastVisit = [lastVisit, other.lastVisit].compactMap { $0 }.max()
            out.visitorID = [visitorID, other.visitorID].compactMap { $0 }.min()
            out.visitor = [visitor, other.visitor].compactMap { $0 }.min()
            return out
        }
    }

    static func group(_ row: any SQLRow) throws -> CareGroupSummary {
        CareGroupSummary(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            community: try row.decode(column: "community_name", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            tag: try row.decode(column: "tag", as: String?.self).flatMap(PersonTag.init(rawValue:)),
            frequencyDays: try row.decode(column: "frequency_days", as: Int.self),
            members: try row.decode(column: "member_count", as: Int.self),
            overdue: try row.decode(column: "overdue_count", as: Int.self),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// A group with its community's path (where the policy looks).
    static func groupRow(
        _ sql: any SQLDatabase, _ id: Int64, today: CalendarDate
    ) async throws -> (CareGroupSummary, String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT g.*, n.name AS community_name, n.path AS community_path,
                  (SELECT COUNT(*) FROM care_members m WHERE m.group_id = g.id) AS member_count,
                  (SELECT COUNT(*) FROM care_members m WHERE m.group_id = g.id AND m.next_due_on < \(bind: today.description)) AS overdue_count
                FROM care_groups g JOIN nodes n ON n.id = g.community_id WHERE g.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return (try group(row), try row.decode(column: "community_path", as: String.self))
    }

    /// A person's place (their building's path) and community.
    static func personPlace(_ sql: any SQLDatabase, _ id: Int64) async throws -> (String, Int64)? {
        guard
            let row = try await sql.raw(
                """
                SELECT b.path, p.community_id FROM registry_people p LEFT JOIN nodes b ON b.id = p.building_id
                WHERE p.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return (
            try row.decode(column: "path", as: String?.self) ?? "/",
            try row.decode(column: "community_id", as: Int64.self)
        )
    }

    static func node(_ sql: any SQLDatabase, _ id: Int64) async throws -> (String, String)? {
        guard let row = try await sql.raw("SELECT path, name FROM nodes WHERE id = \(bind: id)").first() else {
            return nil
        }
        return (try row.decode(column: "path", as: String.self), try row.decode(column: "name", as: String.self))
    }

    /// Everyone holding the grid worker's role at the grid the building at `place` stands in (one of its ancestors,
    /// whose path is a prefix of the building's): who visits, and who hears of permits and corrections.
    static func gridWorkers(_ sql: any SQLDatabase, of place: String) async throws -> [Int64] {
        let parts = place.split(separator: "/")
        let ancestors = (1...max(1, parts.count)).map { "/" + parts.prefix($0).joined(separator: "/") + "/" }
        return try await sql.raw(
            SQLQueryString(
                """
                SELECT DISTINCT g.user_id FROM role_grants g JOIN nodes n ON n.id = g.node_id
                WHERE g.role = 'gridWorker' AND n.kind = 'grid' AND n.path IN (
                """) + RegistryStore.binds(ancestors) + ")"
        ).all().map { try $0.decode(column: "user_id", as: Int64.self) }
    }

    /// The grid and community workers of the community at `path`, by name.
    static func visitors(_ sql: any SQLDatabase, community path: String) async throws -> [CareVisitor] {
        try await sql.raw(
            """
            SELECT DISTINCT u.id, u.display_name FROM role_grants g JOIN nodes n ON n.id = g.node_id JOIN users u ON u.id = g.user_id
            WHERE g.role IN ('gridWorker', 'communityWorker') AND n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path))
            ORDER BY u.display_name, u.id
            """
        ).all().map {
            CareVisitor(
                userID: try $0.decode(column: "id", as: Int64.self),
                name: try $0.decode(column: "display_name", as: String.self))
        }
    }

    static func visits(_ sql: any SQLDatabase, person: Int64, box: PersonalDataBox) async throws -> [CareVisitRecord] {
        try await sql.raw(
            """
            SELECT v.*, c.number AS case_number, u.display_name FROM care_visits v LEFT JOIN cases c ON c.id = v.case_id
            LEFT JOIN users u ON u.id = v.visitor_user_id WHERE v.person_id = \(bind: person)
            ORDER BY v.visited_on DESC, v.id DESC LIMIT 200
            """
        ).all().map { row in
            CareVisitRecord(
                id: try row.decode(column: "id", as: Int64.self), personID: person,
                visitedOn: CalendarDate(try row.decode(column: "visited_on", as: String.self))!,
                method: VisitMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .elsewhere,
                findings: try box.open(try row.decode(column: "findings_sealed", as: String.self)),
                followUp: try row.decode(column: "follow_up", as: Int.self) != 0,
                caseID: try row.decode(column: "case_id", as: Int64?.self),
                caseNumber: try row.decode(column: "case_number", as: String?.self),
                visitorUserID: try row.decode(column: "visitor_user_id", as: Int64?.self),
                visitor: try row.decode(column: "display_name", as: String?.self),
                recordedAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)))
        }
    }
}
