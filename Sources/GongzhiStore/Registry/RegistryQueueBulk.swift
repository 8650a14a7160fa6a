import Foundation
import GongzhiDomain
import SQLKit

/// The command line's way to fill the registry's two queues (the demo): a grid worker's amendment waiting in the
/// review queue, and a resident's claimed record with a correction asked for. Each goes through the same rows the
/// writers make (the amendment through the registry's writer, the note sealed), without the per-row audit entry,
/// which the caller records once for the run.
extension RegistryBulk {
    /// Changes a person's phone as `authorUserID` (a grid worker) would, and queues the change for review.
    public static func amendForReview(
        _ tx: Transaction, person id: Int64, phone: String, authorUserID: Int64, today: CalendarDate
    ) async throws {
        try tx.requireCommandLine()
        let box = try tx.requirePersonalData()
        guard let before = try await RegistryStore.row(tx.sql, id, box: box) else { throw DomainError.notFound }
        var form = PersonForm(before.person, householdNumber: before.householdNumber)
        form.phone = phone
        _ = try await RegistryCommands.apply(
            tx, person: id, .amend(try form.draft(today: today)), expectedVersion: nil, checked: false)
        guard let after = try await RegistryStore.row(tx.sql, id, box: box) else { throw DomainError.notFound }
        try await tx.sql.raw(
            """
            INSERT INTO registry_reviews (community_id, person_id, action, before_json, after_json, author_user_id, created_at)
            VALUES (\(bind: after.person.communityID), \(bind: id), 'amend',
              \(bind: AuditJSON.encode(PersonAuditSnapshot(before.person))), \(bind: AuditJSON.encode(PersonAuditSnapshot(after.person))),
              \(bind: authorUserID), \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    /// Binds a resident's account to their record, as claiming it with the ID number and phone would.
    public static func claim(_ tx: Transaction, person id: Int64, userID: Int64) async throws {
        try tx.requireCommandLine()
        guard
            let community = try await tx.sql.raw("SELECT community_id FROM registry_people WHERE id = \(bind: id)")
                .first()?.decode(column: "community_id", as: Int64.self)
        else { throw DomainError.notFound }
        try await tx.sql.raw(
            """
            INSERT INTO registry_person_accounts (person_id, community_id, user_id, bound_at)
            VALUES (\(bind: id), \(bind: community), \(bind: userID), \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    /// A correction the resident bound to `person` asks for, waiting for their grid worker.
    public static func askCorrection(
        _ tx: Transaction, person id: Int64, userID: Int64, _ request: CorrectionRequest
    ) async throws {
        try tx.requireCommandLine()
        let box = try tx.requirePersonalData()
        guard
            let community = try await tx.sql.raw("SELECT community_id FROM registry_people WHERE id = \(bind: id)")
                .first()?.decode(column: "community_id", as: Int64.self)
        else { throw DomainError.notFound }
        try await tx.sql.raw(
            """
            INSERT INTO registry_corrections (community_id, person_id, author_user_id, field, note_sealed, created_at)
            VALUES (\(bind: community), \(bind: id), \(bind: userID), \(bind: request.field.rawValue),
              \(bind: try box.seal(request.note)), \(bind: tx.now.epochMillis))
            """
        ).run()
    }
}

extension RegistryBulk {
    /// The ids of the first people registered in a building (still living there), for the demo's queues.
    public static func people(_ tx: Transaction, in buildingID: Int64, limit: Int) async throws -> [Int64] {
        try tx.requireCommandLine()
        return try await tx.sql.raw(
            """
            SELECT id FROM registry_people WHERE building_id = \(bind: buildingID) AND moved_out_on IS NULL
            ORDER BY id LIMIT \(bind: limit)
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
    }
}

/// The command line's fast way to register many people (the demo): the import's batch writer — every row checked as
/// the writer checks it, sealed on every core, written with multi-row inserts — with the ids handed back. A
/// building's houses must be registered before its people are added.
public struct RegistryPeopleBulk {
    var batch: RegistryPeopleBatch
    var count = 0

    public init(_ tx: Transaction, today: CalendarDate) throws {
        try tx.requireCommandLine()
        batch = try RegistryPeopleBatch(tx, today: today)
    }

    /// Queues a person and returns its ticket; `id(_:)` gives the person's id once `flush` has written it.
    public mutating func add(_ draft: PersonDraft, building: Node) async throws -> Int {
        count += 1
        try await batch.add(line: count, draft, building: building)
        try requireWritten()
        return count
    }

    /// Writes what is queued.
    public mutating func flush() async throws {
        try await batch.flush()
        try requireWritten()
    }

    public func id(_ ticket: Int) -> Int64? { batch.written[ticket] }

    /// A row the database refused (an ID number registered before) fails the run, as in the writer.
    func requireWritten() throws {
        if let problem = batch.problems.first {
            throw DomainError(.conflict, problem.key, field: problem.field, args: problem.args)
        }
    }
}
