import Foundation
import GongzhiDomain
import SQLKit

/// The caller a hotline or walk-in case was filed for: sealed on the way in, shown masked to those who may know who
/// reported the case, in full only with a stated reason (audited), and the tracking code that lets the caller follow
/// and rate the case without an account.
enum CaseCallers {
    static func insert(_ tx: Transaction, caseID: Int64, communityID: Int64, caller: Caller) async throws {
        let box = try tx.requirePersonalData()
        try await tx.sql.raw(
            """
            INSERT INTO case_callers (case_id, community_id, name_sealed, phone_sealed, phone_index, recorded_by, created_at)
            VALUES (\(bind: caseID), \(bind: communityID), \(bind: try box.seal(caller.name)), \(bind: try box.seal(caller.phone)),
              \(bind: try box.index(caller.phone)), \(bind: tx.actor.storedUserID), \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    static func load(_ sql: any SQLDatabase, caseID: Int64, box: PersonalDataBox) async throws -> Caller? {
        guard
            let row = try await sql.raw(
                "SELECT name_sealed, phone_sealed FROM case_callers WHERE case_id = \(bind: caseID)"
            ).first()
        else { return nil }
        return Caller(
            name: try box.open(try row.decode(column: "name_sealed", as: String.self)),
            phone: try box.open(try row.decode(column: "phone_sealed", as: String.self)))
    }
}

/// What staff see of a caller: masked, with the code to tell them again.
public struct CallerView: Sendable, Equatable {
    public var masked: Caller
    public var trackingCode: String
    public init(masked: Caller, trackingCode: String) {
        self.masked = masked
        self.trackingCode = trackingCode
    }
}

extension CaseStore {
    /// The caller of a case, masked, for those who may see who reported it; nil when none was recorded.
    public func caller(of caseID: Int64, for actor: Actor, now: Date) async throws -> CallerView? {
        guard let box = db.personalDataBox else { return nil }
        return try await db.read { sql in
            guard let (row, context) = try await Self.loaded(sql, caseID, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try CasePolicy.require(.read, of: actor, on: row.value, in: context)
            guard CasePolicy.capabilities(of: actor, on: row.value, in: context).contains(.seeReporter),
                let caller = try await CaseCallers.load(sql, caseID: caseID, box: box)
            else { return nil }
            return CallerView(masked: caller.masked, trackingCode: try box.trackingCode(caseID: caseID))
        }
    }

    /// The caller in full, for calling them back: only with a reason, and the view is audited with it.
    public func revealCaller(
        _ caseID: Int64, for actor: Actor, reason rawReason: String, clock: Clock
    ) async throws
        -> Caller
    {
        let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(reason.count) else {
            throw DomainError.invalid("caller_reason_required", field: "reason")
        }
        return try await db.command(actor, clock: clock) { tx in
            guard let (row, context) = try await Self.loaded(tx.sql, caseID, actor: actor, now: tx.now) else {
                throw DomainError.notFound
            }
            try CasePolicy.require(.read, of: actor, on: row.value, in: context)
            let role = try CasePolicy.require(.seeReporter, of: actor, on: row.value, in: context)
            guard let caller = try await CaseCallers.load(tx.sql, caseID: caseID, box: try tx.requirePersonalData())
            else { throw DomainError.notFound }
            try await tx.audit(
                AuditRecord(
                    action: "case.caller.view", objectType: "case", objectID: "\(caseID)",
                    communityID: row.value.communityID, nodeID: row.value.nodeID,
                    after: AuditJSON.encode(["fields": "name,phone", "reason": reason])),
                role: role)
            return caller
        }
    }

    /// The case a caller follows: its number and tracking code must match (compared in constant time); anything
    /// else is "not found", whether the number exists or not.
    static func trackedCaseID(
        _ sql: any SQLDatabase, number: String, code: String, box: PersonalDataBox
    ) async throws
        -> Int64
    {
        let number = number.trimmingCharacters(in: .whitespaces).uppercased()
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard !number.isEmpty, !code.isEmpty,
            let row = try await sql.raw(
                """
                SELECT c.id FROM cases c JOIN case_callers k ON k.case_id = c.id WHERE c.number = \(bind: number)
                """
            ).first()
        else { throw DomainError.notFound }
        let id = try row.decode(column: "id", as: Int64.self)
        let expected = Array(try box.trackingCode(caseID: id).utf8)
        let given = Array(code.utf8)
        guard constantTimeEqual(given, expected) else {
            throw DomainError.notFound
        }
        return id
    }

    /// `trackedCaseID`, throttled like log-in: each wrong pair counts as a failed log-in of the address, and an
    /// address with too many is refused for a while, so codes cannot be guessed at speed.
    static func trackedCaseID(
        _ db: Database, number: String, code: String, address: String, now: Date,
        throttle: LoginThrottle = LoginThrottle()
    ) async throws -> Int64 {
        guard let box = db.personalDataBox else { throw DomainError.notFound }
        let since = now.addingTimeInterval(-throttle.addressWindow).epochMillis
        let (failures, id) = try await db.read { sql in
            let failures = try await sql.raw(
                "SELECT COUNT(*) AS n FROM login_failures WHERE address = \(bind: address) AND at > \(bind: since)"
            ).first()!.decode(column: "n", as: Int.self)
            if throttle.addressBlocked(recentFailures: failures) { return (failures, Int64?.none) }
            do {
                return (failures, try await Self.trackedCaseID(sql, number: number, code: code, box: box))
            } catch let error as DomainError where error.kind == .notFound { return (failures, nil) }
        }
        if throttle.addressBlocked(recentFailures: failures) {
            throw DomainError(.tooManyAttempts, "track_address_blocked")
        }
        guard let id else {
            try await db.transaction { sql in
                try await sql.raw(
                    "INSERT INTO login_failures (address, username, at) VALUES (\(bind: address), '#track', \(bind: now.epochMillis))"
                ).run()
            }
            throw DomainError.invalid("track_not_found", field: "number")
        }
        return id
    }

    /// The case page's read model as the caller sees it: after the number and code are checked, the same record
    /// with the caller's capabilities (read, and rate once it is closed).
    public func tracked(number: String, code: String, address: String, now: Date) async throws -> CaseRecord {
        let id = try await Self.trackedCaseID(db, number: number, code: code, address: address, now: now)
        var record = try await record(id, for: .caller, now: now, callerProven: true)
        // Staff names are not the caller's business; the steps and notes are.
        record.timeline = record.timeline.map { e in
            var e = e
            (e.actorUserID, e.actorName) = (nil, nil)
            return e
        }
        return record
    }
}

extension CaseCommands {
    /// A step the caller takes on their case (rating it), after the number and tracking code are checked.
    @discardableResult
    public func performAsCaller(
        number: String, code: String, address: String, _ command: CaseCommand
    ) async throws
        -> Case
    {
        let id = try await CaseStore.trackedCaseID(db, number: number, code: code, address: address, now: clock.now())
        return try await perform(.caller, id, command, expectedVersion: nil, callerProven: true)
    }
}
