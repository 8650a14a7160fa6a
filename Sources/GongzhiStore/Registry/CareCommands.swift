import Foundation
import GongzhiDomain
import SQLKit

/// What a care command left: the group or visit it made or changed, how many members it added, and the case a
/// visit raised.
public struct CareOutcome: Sendable, Encodable {
    public var id: Int64
    public var added: Int?
    public var caseID: Int64?
    public var caseNumber: String?
}

/// The one writer of care groups, plans and visits: every step loads what it acts on, asks `CarePolicy`, checks the
/// values, writes and leaves an audit entry (never the findings: they are sealed personal data), in one transaction. A
/// visit that raises a case files it through the cases' writer (`CaseCommands.submit`) in the same transaction.
public struct CareCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock) {
        self.db = db
        self.clock = clock
    }

    @discardableResult
    public func perform(_ actor: Actor, _ command: CareCommand) async throws -> CareOutcome {
        if case .recordVisit(let person, let draft) = command, let title = draft.caseTitle {
            // The place of the case is the person's building; the visit is checked before anything is filed.
            let building = try await db.read { sql -> Int64 in
                guard let (place, _) = try await CareStore.personPlace(sql, person),
                    let row = try await sql.raw("SELECT building_id FROM registry_people WHERE id = \(bind: person)")
                        .first(), let building = try row.decode(column: "building_id", as: Int64?.self)
                else { throw DomainError.notFound }
                try CarePolicy.require(.visit, of: actor, at: place)
                return building
            }
            let filed = try await CaseCommands(db: db, clock: clock).submit(
                actor,
                CaseSubmission(
                    kind: .event, channel: .patrol, title: title, description: draft.caseDescription ?? title,
                    nodeID: building),
                idempotencyKey: nil,
                then: { tx, c in _ = try await Self.apply(tx, command, caseID: c.id) })
            let visit = try await db.read { sql in
                try await sql.raw("SELECT id FROM care_visits WHERE case_id = \(bind: filed.id)").first()?.decode(
                    column: "id", as: Int64.self)
            }
            return CareOutcome(id: visit ?? 0, caseID: filed.id, caseNumber: filed.number)
        }
        return try await db.command(actor, clock: clock) { tx in
            try await Self.apply(tx, command, caseID: nil)
        }
    }

    static func apply(_ tx: Transaction, _ command: CareCommand, caseID: Int64?) async throws -> CareOutcome {
        let sql = tx.sql
        let today = CalendarDate(tx.now)
        let now = tx.now.epochMillis
        switch command {
        case .createGroup(let community, let draft):
            guard let (path, _) = try await CareStore.node(sql, community),
                let node = try await JurisdictionStore.node(sql, community), node.kind.isCommunityLevel
            else { throw DomainError.invalid("care_community_unknown", field: "community") }
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            try await uniqueName(sql, community: community, draft.name, except: 0)
            let id = try await sql.raw(
                """
                INSERT INTO care_groups (community_id, name, tag, frequency_days, created_at, updated_at)
                VALUES (\(bind: community), \(bind: draft.name), \(bind: draft.tag?.rawValue), \(bind: draft.frequencyDays),
                  \(bind: now), \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await audit(tx, command, id: id, community: community, after: GroupSnapshot(draft), role: role)
            return CareOutcome(id: id)
        case .editGroup(let groupID, let draft):
            let (group, path) = try await requireGroup(tx, groupID, .plan, today: today)
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            try await uniqueName(sql, community: group.communityID, draft.name, except: groupID)
            try await sql.raw(
                """
                UPDATE care_groups SET name = \(bind: draft.name), tag = \(bind: draft.tag?.rawValue),
                  frequency_days = \(bind: draft.frequencyDays), version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: groupID)
                """
            ).run()
            if draft.frequencyDays != group.frequencyDays {
                // Every member's next visit follows the new frequency from their last visit.
                for row in try await sql.raw(
                    "SELECT person_id, added_on, last_visited_on FROM care_members WHERE group_id = \(bind: groupID)"
                ).all() {
                    let due = CareSchedule.nextDue(
                        lastVisit: try row.decode(column: "last_visited_on", as: String?.self).flatMap(
                            CalendarDate.init),
                        addedOn: CalendarDate(try row.decode(column: "added_on", as: String.self)) ?? today,
                        everyDays: draft.frequencyDays)
                    try await sql.raw(
                        """
                        UPDATE care_members SET next_due_on = \(bind: due.description) WHERE group_id = \(bind: groupID)
                        AND person_id = \(bind: try row.decode(column: "person_id", as: Int64.self))
                        """
                    ).run()
                }
            }
            try await audit(
                tx, command, id: groupID, community: group.communityID,
                before: GroupSnapshot(name: group.name, tag: group.tag?.rawValue, frequencyDays: group.frequencyDays),
                after: GroupSnapshot(draft), role: role)
            return CareOutcome(id: groupID)
        case .addMember(let groupID, let personID, let visitor):
            let (group, path) = try await requireGroup(tx, groupID, .plan, today: today)
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            guard let (place, community) = try await CareStore.personPlace(sql, personID),
                community == group.communityID,
                try await active(sql, personID)
            else { throw DomainError.invalid("care_person_unknown", field: "person_id") }
            if try await sql.raw(
                "SELECT 1 AS x FROM care_members WHERE group_id = \(bind: groupID) AND person_id = \(bind: personID)"
            ).first() != nil {
                throw DomainError(.conflict, "care_member_exists", field: "person_id")
            }
            var who = visitor
            if let visitor { try await requireVisitor(sql, visitor, community: path) }
            if who == nil { who = try await gridWorker(sql, of: place) }
            try await insertMember(sql, group: group, person: personID, visitor: who, today: today)
            try await audit(
                tx, command, id: groupID, community: group.communityID,
                after: ["person": "\(personID)", "visitor": who.map { "\($0)" } ?? ""], role: role)
            return CareOutcome(id: groupID, added: 1)
        case .addTagged(let groupID):
            let (group, path) = try await requireGroup(tx, groupID, .plan, today: today)
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            guard let tag = group.tag else { throw DomainError.invalid("care_group_has_no_tag", field: "tag") }
            let added = try await addTagged(sql, group: group, tag: tag, today: today)
            try await audit(
                tx, command, id: groupID, community: group.communityID, after: ["added": "\(added)"], role: role)
            return CareOutcome(id: groupID, added: added)
        case .removeMember(let groupID, let personID):
            let (group, path) = try await requireGroup(tx, groupID, .plan, today: today)
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            guard
                try await sql.raw(
                    "DELETE FROM care_members WHERE group_id = \(bind: groupID) AND person_id = \(bind: personID) RETURNING person_id"
                ).first() != nil
            else { throw DomainError.notFound }
            try await audit(
                tx, command, id: groupID, community: group.communityID, after: ["person": "\(personID)"], role: role)
            return CareOutcome(id: groupID)
        case .assign(let groupID, let personID, let visitor):
            let (group, path) = try await requireGroup(tx, groupID, .plan, today: today)
            let role = try CarePolicy.require(.plan, of: tx.actor, at: path)
            try await requireVisitor(sql, visitor, community: path)
            guard
                try await sql.raw(
                    """
                    UPDATE care_members SET visitor_user_id = \(bind: visitor) WHERE group_id = \(bind: groupID)
                    AND person_id = \(bind: personID) RETURNING person_id
                    """
                ).first() != nil
            else { throw DomainError.notFound }
            try await audit(
                tx, command, id: groupID, community: group.communityID,
                after: ["person": "\(personID)", "visitor": "\(visitor)"], role: role)
            return CareOutcome(id: groupID)
        case .recordVisit(let personID, let draft):
            guard let (place, community) = try await CareStore.personPlace(sql, personID) else {
                throw DomainError.notFound
            }
            try CarePolicy.require(.view, of: tx.actor, at: place)
            let role = try CarePolicy.require(.visit, of: tx.actor, at: place)
            guard try await active(sql, personID) else { throw DomainError.invalid("care_person_inactive") }
            let box = try tx.requirePersonalData()
            let id = try await sql.raw(
                """
                INSERT INTO care_visits (community_id, person_id, visitor_user_id, visited_on, method, findings_sealed,
                  follow_up, case_id, created_at)
                VALUES (\(bind: community), \(bind: personID), \(bind: tx.actor.storedUserID), \(bind: draft.visitedOn.description),
                  \(bind: draft.method.rawValue), \(bind: try box.seal(draft.findings)), \(bind: draft.followUp ? 1 : 0),
                  \(bind: caseID), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await visited(sql, person: personID, on: draft.visitedOn)
            try await tx.audit(
                AuditRecord(
                    action: command.action, objectType: "person", objectID: "\(personID)", communityID: community,
                    after: AuditJSON.encode(
                        VisitSnapshot(
                            visit: id, visitedOn: draft.visitedOn.description, method: draft.method.rawValue,
                            followUp: draft.followUp, caseID: caseID))),
                role: role)
            return CareOutcome(id: id, caseID: caseID)
        }
    }

    /// Each of the person's groups is next due a frequency after their latest visit.
    static func visited(_ sql: any SQLDatabase, person: Int64, on day: CalendarDate) async throws {
        for row in try await sql.raw(
            """
            SELECT m.group_id, m.last_visited_on, g.frequency_days FROM care_members m
            JOIN care_groups g ON g.id = m.group_id WHERE m.person_id = \(bind: person)
            """
        ).all() {
            let last = try row.decode(column: "last_visited_on", as: String?.self).flatMap(CalendarDate.init)
            let latest = max(last ?? day, day)
            let due = CareSchedule.nextDue(
                lastVisit: latest, addedOn: latest, everyDays: try row.decode(column: "frequency_days", as: Int.self))
            try await sql.raw(
                """
                UPDATE care_members SET last_visited_on = \(bind: latest.description), next_due_on = \(bind: due.description)
                WHERE group_id = \(bind: try row.decode(column: "group_id", as: Int64.self)) AND person_id = \(bind: person)
                """
            ).run()
        }
    }

    static func requireGroup(
        _ tx: Transaction, _ id: Int64, _ capability: CareCapability, today: CalendarDate
    ) async throws -> (CareGroupSummary, String) {
        guard let (group, path) = try await CareStore.groupRow(tx.sql, id, today: today) else {
            throw DomainError.notFound
        }
        try CarePolicy.require(.view, of: tx.actor, at: path)
        return (group, path)
    }

    static func uniqueName(_ sql: any SQLDatabase, community: Int64, _ name: String, except: Int64) async throws {
        if try await sql.raw(
            """
            SELECT id FROM care_groups WHERE community_id = \(bind: community) AND name = \(bind: name) AND id <> \(bind: except)
            """
        ).first() != nil {
            throw DomainError(.conflict, "care_group_name_taken", field: "name")
        }
    }

    static func active(_ sql: any SQLDatabase, _ person: Int64) async throws -> Bool {
        try await sql.raw(
            """
            SELECT id FROM registry_people WHERE id = \(bind: person) AND moved_out_on IS NULL AND anonymised_at IS NULL
            """
        ).first() != nil
    }

    /// A visitor must be a grid or community worker of the group's community (`care_visitor_unknown`).
    static func requireVisitor(_ sql: any SQLDatabase, _ user: Int64, community path: String) async throws {
        guard try await CareStore.visitors(sql, community: path).contains(where: { $0.userID == user }) else {
            throw DomainError.invalid("care_visitor_unknown", field: "visitor")
        }
    }

    /// The first grid worker (by account) of the grid the building at `place` stands in, who visits by default.
    static func gridWorker(_ sql: any SQLDatabase, of place: String) async throws -> Int64? {
        try await CareStore.gridWorkers(sql, of: place).min()
    }

    /// A new member is due a frequency after the person's latest visit (made for any group), or at once when never
    /// visited.
    static func insertMember(
        _ sql: any SQLDatabase, group: CareGroupSummary, person: Int64, visitor: Int64?, today: CalendarDate
    ) async throws {
        let last = try await sql.raw(
            "SELECT MAX(visited_on) AS last FROM care_visits WHERE person_id = \(bind: person)"
        ).first()?.decode(column: "last", as: String?.self).flatMap(CalendarDate.init)
        let due = CareSchedule.nextDue(lastVisit: last, addedOn: today, everyDays: group.frequencyDays)
        try await sql.raw(
            """
            INSERT INTO care_members (group_id, person_id, community_id, visitor_user_id, added_on, last_visited_on,
              next_due_on)
            VALUES (\(bind: group.id), \(bind: person), \(bind: group.communityID), \(bind: visitor), \(bind: today.description),
              \(bind: last?.description), \(bind: due.description))
            """
        ).run()
    }

    /// Adds the community's active people carrying `tag` who are not members yet, each visited by their grid's worker.
    static func addTagged(
        _ sql: any SQLDatabase, group: CareGroupSummary, tag: PersonTag, today: CalendarDate
    ) async throws -> Int {
        let rows = try await sql.raw(
            """
            SELECT p.id, b.path FROM registry_person_tags t JOIN registry_people p ON p.id = t.person_id
            JOIN nodes b ON b.id = p.building_id
            WHERE t.community_id = \(bind: group.communityID) AND t.tag = \(bind: tag.rawValue)
              AND p.moved_out_on IS NULL AND p.anonymised_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM care_members m WHERE m.group_id = \(bind: group.id) AND m.person_id = p.id)
            ORDER BY p.id
            """
        ).all()
        var workers: [String: Int64?] = [:]
        for row in rows {
            let place = try row.decode(column: "path", as: String.self)
            if workers[place] == nil { workers[place] = .some(try await gridWorker(sql, of: place)) }
            try await insertMember(
                sql, group: group, person: try row.decode(column: "id", as: Int64.self), visitor: workers[place] ?? nil,
                today: today)
        }
        return rows.count
    }

    static func audit(
        _ tx: Transaction, _ command: CareCommand, id: Int64, community: Int64, before: GroupSnapshot? = nil,
        after: some Encodable, role: Role
    ) async throws {
        try await tx.audit(
            AuditRecord(
                action: command.action, objectType: "care_group", objectID: "\(id)", communityID: community,
                before: before.map { AuditJSON.encode($0) }, after: AuditJSON.encode(after)),
            role: role)
    }
}

struct GroupSnapshot: Encodable {
    var name: String
    var tag: String?
    var frequencyDays: Int
    init(name: String, tag: String?, frequencyDays: Int) {
        self.name = name
        self.tag = tag
        self.frequencyDays = frequencyDays
    }
    init(_ draft: CareGroupDraft) {
        self.init(name: draft.name, tag: draft.tag?.rawValue, frequencyDays: draft.frequencyDays)
    }
}

/// A visit as the audit log keeps it: when, how, whether follow-up and which case; never what was found.
struct VisitSnapshot: Encodable {
    var visit: Int64
    var visitedOn: String
    var method: String
    var followUp: Bool
    var caseID: Int64?
}

/// Seeding care groups, members and visits for the demo (`GongzhiDemo`): the command line's transaction only, no
/// per-row policy or audit; the caller leaves one audit entry for the batch.
public struct CareBulk: Sendable {
    let tx: Transaction
    public init(_ tx: Transaction) throws {
        guard tx.actor.isCommandLine else { throw DomainError.forbidden }
        self.tx = tx
    }

    /// A group of the community, returning its id.
    public func group(community: Int64, _ draft: CareGroupDraft) async throws -> Int64 {
        let now = tx.now.epochMillis
        return try await tx.sql.raw(
            """
            INSERT INTO care_groups (community_id, name, tag, frequency_days, created_at, updated_at)
            VALUES (\(bind: community), \(bind: draft.name), \(bind: draft.tag?.rawValue), \(bind: draft.frequencyDays),
              \(bind: now), \(bind: now)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
    }

    /// Everyone of the community with the group's tag, each visited by their grid's worker; how many were added.
    public func addTagged(group id: Int64) async throws -> Int {
        let today = CalendarDate(tx.now)
        guard let (group, _) = try await CareStore.groupRow(tx.sql, id, today: today), let tag = group.tag else {
            return 0
        }
        return try await CareCommands.addTagged(tx.sql, group: group, tag: tag, today: today)
    }

    /// The members of a group with their visitor, for the caller to record visits for.
    public func members(group: Int64) async throws -> [(person: Int64, visitor: Int64?)] {
        try await tx.sql.raw(
            "SELECT person_id, visitor_user_id FROM care_members WHERE group_id = \(bind: group) ORDER BY person_id"
        ).all().map {
            (
                try $0.decode(column: "person_id", as: Int64.self),
                try $0.decode(column: "visitor_user_id", as: Int64?.self)
            )
        }
    }

    /// A visit made by `visitor`, moving the person's next due dates as the writer does.
    public func visit(person: Int64, by visitor: Int64?, _ draft: CareVisitDraft) async throws {
        let sql = tx.sql
        guard let (_, community) = try await CareStore.personPlace(sql, person) else { throw DomainError.notFound }
        try await sql.raw(
            """
            INSERT INTO care_visits (community_id, person_id, visitor_user_id, visited_on, method, findings_sealed,
              follow_up, created_at)
            VALUES (\(bind: community), \(bind: person), \(bind: visitor), \(bind: draft.visitedOn.description),
              \(bind: draft.method.rawValue), \(bind: try tx.requirePersonalData().seal(draft.findings)),
              \(bind: draft.followUp ? 1 : 0), \(bind: tx.now.epochMillis))
            """
        ).run()
        try await CareCommands.visited(sql, person: person, on: draft.visitedOn)
    }
}
