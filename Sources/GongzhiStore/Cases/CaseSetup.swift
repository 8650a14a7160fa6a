import Foundation
import GongzhiDomain
import SQLKit

public struct CaseCategory: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var nodeID: Int64
    public var parentID: Int64?
    public var name: String
}

/// A department (职能部门) or a governance body that takes dispatched cases, with the users who handle them.
public struct HandlingUnit: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var nodeID: Int64
    public var communityID: Int64?
    public var bodyID: Int64?
    public var name: String
}

public struct RoutingRule: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var nodeID: Int64
    public var categoryID: Int64
    public var unitID: Int64
    public var respondHours: Int
    public var resolveHours: Int
    public var workingTime: Bool
}

/// What administrators set up before cases can flow: categories, units and their members, routing rules and
/// the holiday calendar.
public struct CaseSetup: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    public func createCategory(
        _ actor: Actor, nodeID: Int64, parentID: Int64?, name rawName: String
    ) async throws -> CaseCategory {
        let name = try TreeRules.validName(rawName)
        let now = clock.now()
        return try await db.transaction { sql in
            let node = try await loadNode(sql, nodeID)
            let role = try Authorize.check(actor, .configureCases, at: node.path)
            let id = try await uniqueName(sql) {
                try await sql.raw(
                    """
                    INSERT INTO case_categories (node_id, parent_id, name) VALUES (\(bind: nodeID), \(bind: parentID), \(bind: name)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            }
            let category = CaseCategory(id: id, nodeID: nodeID, parentID: parentID, name: name)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "case_category.create", objectType: "case_category", objectID: "\(id)", nodeID: nodeID,
                    after: AuditJSON.encode(category)))
            return category
        }
    }

    public func createUnit(
        _ actor: Actor, nodeID: Int64, name rawName: String, bodyID: Int64? = nil
    ) async throws -> HandlingUnit {
        let name = try TreeRules.validName(rawName)
        let now = clock.now()
        return try await db.transaction { sql in
            let node = try await loadNode(sql, nodeID)
            let role = try Authorize.check(actor, .configureCases, at: node.path)
            let id = try await uniqueName(sql) {
                try await sql.raw(
                    """
                    INSERT INTO units (node_id, community_id, body_id, name, created_at)
                    VALUES (\(bind: nodeID), \(bind: node.communityID), \(bind: bodyID), \(bind: name), \(bind: now.epochMillis)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            }
            let unit = HandlingUnit(id: id, nodeID: nodeID, communityID: node.communityID, bodyID: bodyID, name: name)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "unit.create", objectType: "unit", objectID: "\(id)", communityID: node.communityID,
                    nodeID: nodeID,
                    after: AuditJSON.encode(unit)))
            return unit
        }
    }

    public func addMember(_ actor: Actor, unitID: Int64, userID: Int64) async throws {
        let now = clock.now()
        try await db.transaction { sql in
            guard let unit = try await CaseSetupStore.unit(sql, unitID) else { throw DomainError.notFound }
            let node = try await loadNode(sql, unit.nodeID)
            let role = try Authorize.check(actor, .configureCases, at: node.path)
            _ = try await AccountStore.userInside(sql, actor, userID)
            do {
                try await sql.raw(
                    "INSERT INTO unit_members (unit_id, user_id) VALUES (\(bind: unitID), \(bind: userID))"
                ).run()
            } catch  where isUniqueViolation(error) {
                throw DomainError(.conflict, "unit_member_exists")
            }
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "unit.add_member", objectType: "unit", objectID: "\(unitID)", communityID: unit.communityID,
                    nodeID: unit.nodeID, after: "\(userID)"))
        }
    }

    /// Sets (or replaces) the rule for a category within a subtree; the deepest matching rule wins.
    public func setRule(
        _ actor: Actor, nodeID: Int64, categoryID: Int64, unitID: Int64, respondHours: Int, resolveHours: Int,
        workingTime: Bool
    ) async throws -> RoutingRule {
        try Self.checkHours(respond: respondHours, resolve: resolveHours)
        let now = clock.now()
        return try await db.transaction { sql in
            let node = try await loadNode(sql, nodeID)
            let role = try Authorize.check(actor, .configureCases, at: node.path)
            guard try await CaseSetupStore.unit(sql, unitID) != nil else {
                throw DomainError.invalid("unit_unknown", field: "unit")
            }
            guard try await sql.raw("SELECT id FROM case_categories WHERE id = \(bind: categoryID)").first() != nil
            else {
                throw DomainError.invalid("category_unknown", field: "category")
            }
            try await sql.raw(
                "DELETE FROM routing_rules WHERE node_id = \(bind: nodeID) AND category_id = \(bind: categoryID)"
            ).run()
            let id = try await sql.raw(
                """
                INSERT INTO routing_rules (node_id, category_id, unit_id, respond_hours, resolve_hours, working_time)
                VALUES (\(bind: nodeID), \(bind: categoryID), \(bind: unitID), \(bind: respondHours), \(bind: resolveHours), \(bind: workingTime ? 1 : 0))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            let rule = RoutingRule(
                id: id, nodeID: nodeID, categoryID: categoryID, unitID: unitID, respondHours: respondHours,
                resolveHours: resolveHours, workingTime: workingTime)
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "routing_rule.set", objectType: "routing_rule", objectID: "\(id)", nodeID: nodeID,
                    after: AuditJSON.encode(rule)))
            return rule
        }
    }

    /// A rule's deadlines: a response within 30 days, a resolution within a year and not before the response.
    static func checkHours(respond: Int, resolve: Int) throws(DomainError) {
        guard (1...720).contains(respond), (1...8760).contains(resolve), resolve >= respond else {
            throw DomainError.invalid("routing_hours_invalid", field: "resolve_hours")
        }
    }

    /// Marks a day as a holiday (false) or a made-up working day (true).
    public func setCalendarDay(_ actor: Actor, day: String, isWorkday: Bool, note: String) async throws {
        guard day.count == 10, day.split(separator: "-").count == 3 else {
            throw DomainError.invalid("calendar_day_invalid", field: "day")
        }
        guard
            let role: Role = actor.holds(.systemAdmin)
                ? .systemAdmin : actor.holds(.districtAdmin) ? .districtAdmin : nil
        else { throw DomainError.forbidden }
        let now = clock.now()
        try await db.transaction { sql in
            try await sql.raw("DELETE FROM calendar_days WHERE day = \(bind: day)").run()
            try await sql.raw(
                "INSERT INTO calendar_days (day, is_workday, note) VALUES (\(bind: day), \(bind: isWorkday ? 1 : 0), \(bind: note))"
            ).run()
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "calendar.set", objectType: "calendar_day", objectID: day,
                    after: isWorkday ? "workday" : "holiday"))
        }
    }
}

/// Reads of the case set-up.
public enum CaseSetupStore {
    static func unit(_ sql: any SQLDatabase, _ id: Int64) async throws -> HandlingUnit? {
        try await sql.raw("SELECT * FROM units WHERE id = \(bind: id)").first().map(decodeUnit)
    }

    public static func categories(_ db: Database) async throws -> [CaseCategory] {
        try await db.read { sql in
            try await sql.raw(
                "SELECT * FROM case_categories WHERE closed_at IS NULL ORDER BY parent_id IS NOT NULL, position, id"
            ).all().map { row in
                CaseCategory(
                    id: try row.decode(column: "id", as: Int64.self),
                    nodeID: try row.decode(column: "node_id", as: Int64.self),
                    parentID: try row.decode(column: "parent_id", as: Int64?.self),
                    name: try row.decode(column: "name", as: String.self))
            }
        }
    }

    public static func units(_ db: Database, inside path: String? = nil) async throws -> [HandlingUnit] {
        try await db.read { sql in
            try await sql.raw("SELECT u.* FROM units u WHERE u.closed_at IS NULL ORDER BY u.node_id, u.name").all().map(
                decodeUnit)
        }
    }

    /// The open units a case placed at `path` may be dispatched to: those set up at the case's own node or above it
    /// (its district, sub-district or community), never another jurisdiction's.
    public static func units(usableAt path: String, _ db: Database) async throws -> [HandlingUnit] {
        try await db.read { sql in try await usableUnits(sql, at: path) }
    }

    static func usableUnits(_ sql: any SQLDatabase, at path: String) async throws -> [HandlingUnit] {
        let ancestors = NodePath.ids(path)
        guard !ancestors.isEmpty else { return [] }
        return try await sql.select().column("*").from("units").where("node_id", .in, ancestors)
            .where("closed_at", .is, SQLLiteral.null).orderBy("node_id").orderBy("name").all().map(decodeUnit)
    }

    static func usableUnitIDs(_ sql: any SQLDatabase, at path: String) async throws -> Set<Int64> {
        Set(try await usableUnits(sql, at: path).map(\.id))
    }

    /// Units the user handles cases for.
    public static func memberships(_ db: Database, userID: Int64) async throws -> Set<Int64> {
        try await db.read { sql in try await memberships(sql, userID: userID) }
    }

    static func memberships(_ sql: any SQLDatabase, userID: Int64) async throws -> Set<Int64> {
        Set(
            try await sql.raw("SELECT unit_id FROM unit_members WHERE user_id = \(bind: userID)").all()
                .map { try $0.decode(column: "unit_id", as: Int64.self) })
    }

    /// The deepest rule whose node contains `path` for this category (or its parent category).
    static func rule(_ sql: any SQLDatabase, categoryID: Int64, path: String) async throws -> RoutingRule? {
        let ancestors = NodePath.ids(path)
        guard !ancestors.isEmpty else { return nil }
        let parent = try await sql.raw("SELECT parent_id FROM case_categories WHERE id = \(bind: categoryID)").first()?
            .decode(column: "parent_id", as: Int64?.self)
        let categories = [categoryID] + (parent.map { [$0] } ?? [])
        let rows = try await sql.select().column("*").from("routing_rules")
            .where("category_id", .in, categories).where("node_id", .in, ancestors).all()
        let rules = try rows.map(decodeRule)
        // Own category before parent category; deeper node before shallower.
        return rules.max { a, b in
            let ka = (a.categoryID == categoryID ? 1 : 0, ancestors.firstIndex(of: a.nodeID) ?? 0)
            let kb = (b.categoryID == categoryID ? 1 : 0, ancestors.firstIndex(of: b.nodeID) ?? 0)
            return ka < kb
        }
    }

    static func calendar(_ sql: any SQLDatabase) async throws -> WorkCalendar {
        var overrides: [String: Bool] = [:]
        for row in try await sql.raw("SELECT day, is_workday FROM calendar_days").all() {
            overrides[try row.decode(column: "day", as: String.self)] =
                try row.decode(column: "is_workday", as: Int.self) != 0
        }
        return WorkCalendar(overrides: overrides)
    }

    static func decodeRule(_ row: any SQLRow) throws -> RoutingRule {
        RoutingRule(
            id: try row.decode(column: "id", as: Int64.self),
            nodeID: try row.decode(column: "node_id", as: Int64.self),
            categoryID: try row.decode(column: "category_id", as: Int64.self),
            unitID: try row.decode(column: "unit_id", as: Int64.self),
            respondHours: try row.decode(column: "respond_hours", as: Int.self),
            resolveHours: try row.decode(column: "resolve_hours", as: Int.self),
            workingTime: try row.decode(column: "working_time", as: Int.self) != 0)
    }

    static func decodeUnit(_ row: any SQLRow) throws -> HandlingUnit {
        HandlingUnit(
            id: try row.decode(column: "id", as: Int64.self), nodeID: try row.decode(column: "node_id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64?.self),
            bodyID: try row.decode(column: "body_id", as: Int64?.self),
            name: try row.decode(column: "name", as: String.self))
    }
}

extension CaseSetupStore {
    public static func rules(_ db: Database) async throws -> [RoutingRule] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM routing_rules ORDER BY node_id, category_id").all().map(decodeRule)
        }
    }

    /// Members of every unit, as (unit id, user id, display name).
    public static func members(_ db: Database) async throws -> [(Int64, Int64, String)] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT m.unit_id, u.id, u.display_name FROM unit_members m JOIN users u ON u.id = m.user_id ORDER BY m.unit_id, u.display_name
                """
            ).all().map {
                (
                    try $0.decode(column: "unit_id", as: Int64.self), try $0.decode(column: "id", as: Int64.self),
                    try $0.decode(column: "display_name", as: String.self)
                )
            }
        }
    }

    public static func calendarDays(_ db: Database) async throws -> [(String, Bool, String)] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM calendar_days ORDER BY day").all().map {
                (
                    try $0.decode(column: "day", as: String.self),
                    try $0.decode(column: "is_workday", as: Int.self) != 0,
                    try $0.decode(column: "note", as: String.self)
                )
            }
        }
    }
}
