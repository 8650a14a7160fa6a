import Foundation
import GongzhiDomain
import SQLKit

/// A resident's correction request as the resident and the grid worker see it.
public struct CorrectionItem: Sendable, Equatable, Encodable {
    public var id: Int64
    public var personID: Int64
    /// The person's name (the resident's own, or the record's for the staff who read it).
    public var person: String
    public var building: String?
    public var field: CorrectionField
    public var note: String
    public var status: CorrectionStatus
    public var reason: String?
    public var askedAt: Date
    public var answeredAt: Date?
}

/// Residents' corrections to their own record (issue 12 item 9): a resident who claimed their record asks
/// (`ask`); the request reaches the grid workers of their grid, who answer it once (`answer`, the one writer of
/// answers): applied by amending the record through the registry's writer in the same transaction, or declined with a
/// reason. Each step is audited (never the note: it is sealed) and tells the other side.
public struct RegistryCorrections: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    /// The signed-in resident asks for a correction of their claimed record (`correction_no_record` without one).
    @discardableResult
    public func ask(_ actor: Actor, _ request: CorrectionRequest) async throws -> Int64 {
        guard actor.principal == .user, let userID = actor.storedUserID else { throw DomainError.forbidden }
        return try await db.command(actor, clock: clock) { tx in
            let sql = tx.sql
            guard
                let row = try await sql.raw(
                    """
                    SELECT a.person_id, p.community_id, b.path, p.name_sealed FROM registry_person_accounts a
                    JOIN registry_people p ON p.id = a.person_id LEFT JOIN nodes b ON b.id = p.building_id
                    WHERE a.user_id = \(bind: userID) AND p.anonymised_at IS NULL
                    """
                ).first()
            else { throw DomainError.invalid("correction_no_record", field: "field") }
            let person = try row.decode(column: "person_id", as: Int64.self)
            let community = try row.decode(column: "community_id", as: Int64.self)
            let box = try tx.requirePersonalData()
            let id = try await sql.raw(
                """
                INSERT INTO registry_corrections (community_id, person_id, author_user_id, field, note_sealed, created_at)
                VALUES (\(bind: community), \(bind: person), \(bind: userID), \(bind: request.field.rawValue),
                  \(bind: try box.seal(request.note)), \(bind: tx.now.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await tx.audit(
                AuditRecord(
                    action: "registry.correction.ask", objectType: "person", objectID: "\(person)",
                    communityID: community,
                    after: AuditJSON.encode(["correction": "\(id)", "field": request.field.rawValue])),
                role: actor.grants.first { $0.role == .resident }?.role ?? actor.grants.first?.role)
            let place = try row.decode(column: "path", as: String?.self) ?? "/"
            let workers = try await CareStore.gridWorkers(sql, of: place)
            let name = PersonalDataMask.name(try box.open(try row.decode(column: "name_sealed", as: String.self)))
            try await Notifications.notify(
                tx, users: Set(workers),
                subject: NoticeSubject(kind: "person", id: person, communityID: community, title: name),
                kind: "registry.correction_asked", channels: channels)
            return id
        }
    }

    /// The resident's own requests, newest first.
    public func mine(for actor: Actor) async throws -> [CorrectionItem] {
        guard actor.principal == .user, let userID = actor.storedUserID else { throw DomainError.forbidden }
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            try await sql.raw(
                SQLQueryString("SELECT c.*, p.name_sealed, b.name AS building_name") + Self.from
                    + " WHERE c.author_user_id = \(bind: userID) ORDER BY c.id DESC LIMIT 100"
            ).all().map { try Self.item($0, box: box) }
        }
    }

    /// The requests of the people the actor keeps or reads (a grid worker their grid), by status, newest first, with
    /// the count of each status.
    public func list(
        status: CorrectionStatus, for actor: Actor
    ) async throws -> (items: [CorrectionItem], counts: [String: Int]) {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            let communities = try await RegistryStore.communities(sql, inside: paths)
            guard !communities.isEmpty else { return ([], [:]) }
            let scope =
                SQLQueryString(" WHERE ") + RegistryStore.inList("c.community_id", communities) + " AND ("
                + RegistryStore.inside("b.path", paths) + ")"
            var counts: [String: Int] = [:]
            for row in try await sql.raw(
                SQLQueryString("SELECT c.status, COUNT(*) AS n") + Self.from + scope + " GROUP BY c.status"
            ).all() {
                counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            let items = try await sql.raw(
                SQLQueryString("SELECT c.*, p.name_sealed, b.name AS building_name") + Self.from + scope
                    + " AND c.status = \(bind: status.rawValue) ORDER BY c.id DESC LIMIT 200"
            ).all().map { try Self.item($0, box: box) }
            return (items, counts)
        }
    }

    /// One request, for a reader of the person's record.
    public func request(_ id: Int64, for actor: Actor) async throws -> CorrectionItem {
        let box = try db.requirePersonalDataBox()
        return try await db.read { sql in
            guard
                let row = try await sql.raw(
                    SQLQueryString("SELECT c.*, p.name_sealed, b.name AS building_name, b.path") + Self.from
                        + " WHERE c.id = \(bind: id)"
                ).first()
            else { throw DomainError.notFound }
            try RegistryPolicy.require(.view, of: actor, at: try row.decode(column: "path", as: String?.self) ?? "/")
            return try Self.item(row, box: box)
        }
    }

    /// The grid worker's answer, once: applied by amending the record through the registry's writer (with the
    /// record's version the form started from), or declined with a reason; the resident is told.
    public func answer(
        _ actor: Actor, request id: Int64, _ answer: CorrectionAnswer, expectedVersion: Int? = nil
    ) async throws {
        try await db.command(actor, clock: clock) { tx in
            guard
                let row = try await tx.sql.raw(
                    """
                    SELECT c.*, b.path FROM registry_corrections c JOIN registry_people p ON p.id = c.person_id
                    LEFT JOIN nodes b ON b.id = p.building_id WHERE c.id = \(bind: id)
                    """
                ).first()
            else { throw DomainError.notFound }
            let place = try row.decode(column: "path", as: String?.self) ?? "/"
            try RegistryPolicy.require(.view, of: actor, at: place)
            let role = try RegistryPolicy.require(.edit, of: actor, at: place)
            try CorrectionAnswer.requirePending(
                CorrectionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending)
            let person = try row.decode(column: "person_id", as: Int64.self)
            let community = try row.decode(column: "community_id", as: Int64.self)
            var reason: String?
            switch answer {
            case .apply(let draft):
                _ = try await RegistryCommands.apply(
                    tx, person: person, .amend(draft), expectedVersion: expectedVersion, checked: true)
            case .decline(let text): reason = text
            }
            try await tx.sql.raw(
                """
                UPDATE registry_corrections SET status = \(bind: answer.status.rawValue), reason = \(bind: reason),
                  handler_user_id = \(bind: actor.storedUserID), answered_at = \(bind: tx.now.epochMillis)
                WHERE id = \(bind: id)
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: answer.action, objectType: "person", objectID: "\(person)", communityID: community,
                    after: AuditJSON.encode(["correction": "\(id)", "reason": reason ?? ""])),
                role: role)
            try await Notifications.notify(
                tx, users: [try row.decode(column: "author_user_id", as: Int64.self)],
                subject: NoticeSubject(kind: "my_record", id: person, communityID: community, title: ""),
                kind: reason == nil ? "registry.correction_applied" : "registry.correction_declined",
                channels: channels)
        }
    }

    static let from = SQLQueryString(
        """
         FROM registry_corrections c JOIN registry_people p ON p.id = c.person_id
         LEFT JOIN nodes b ON b.id = p.building_id
        """)

    static func item(_ row: any SQLRow, box: PersonalDataBox) throws -> CorrectionItem {
        CorrectionItem(
            id: try row.decode(column: "id", as: Int64.self),
            personID: try row.decode(column: "person_id", as: Int64.self),
            person: try box.open(try row.decode(column: "name_sealed", as: String.self)),
            building: try row.decode(column: "building_name", as: String?.self),
            field: CorrectionField(rawValue: try row.decode(column: "field", as: String.self)) ?? .other,
            note: try box.open(try row.decode(column: "note_sealed", as: String.self)),
            status: CorrectionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            reason: try row.decode(column: "reason", as: String?.self),
            askedAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            answeredAt: try row.decode(column: "answered_at", as: Int64?.self).map { Date(epochMillis: $0) })
    }
}
