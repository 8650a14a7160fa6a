import Foundation
import GongzhiDomain
import SQLKit

/// One change in progress: the connection inside its transaction, the backend, the moment of the change and who
/// makes it. Audit entries, notices and idempotency keys take it, so they always land in the same transaction.
public struct Transaction: Sendable {
    public let sql: any SQLDatabase
    public let backend: Database.Backend
    public let now: Date
    public let actor: Actor
    /// The personal-data seal, when the server secret is set.
    let personalData: PersonalDataBox?

    /// The seal, or the reason nothing personal can be written now.
    func requirePersonalData() throws -> PersonalDataBox {
        guard let personalData else {
            throw CryptoFailure(description: "personal data needs the server secret (GONGZHI_SECRET)")
        }
        return personalData
    }

    /// The bulk helpers (`JurisdictionBulk`, `AccountBulk`, `CaseSetupBulk`, `CaseBulk`) skip the per-row policy, so
    /// only the operator on the command line, who holds the system's trust, may open them (issue 9).
    func requireCommandLine() throws(DomainError) {
        guard actor.isCommandLine else { throw DomainError.forbidden }
    }

    /// Appends the audit entry of this change, with the role that allowed it (none for the server itself).
    public func audit(_ record: AuditRecord, role: Role?) async throws {
        try await AuditLog.append(
            sql, backend: backend, actor: actor.principal == .system ? nil : actor,
            role: actor.principal == .system ? nil : role, at: now, record)
    }

    /// Appends the audit entries of a set-based change, one per record, chained under one acquisition of the head.
    public func audit(_ records: [AuditRecord], role: Role?) async throws {
        try await AuditLog.append(
            sql, backend: backend, actor: actor.principal == .system ? nil : actor,
            role: actor.principal == .system ? nil : role, at: now, records)
    }
}

extension Database {
    /// Runs one command: a transaction with its `Transaction` handle, committed when `body` returns. `alone` for a
    /// bulk command (see `transaction(alone:_:)`).
    public func command<R: Sendable>(
        _ actor: Actor, clock: Clock, alone: Bool = false, _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        let now = Date(epochMillis: clock.now().epochMillis)
        return try await transaction(alone: alone) { sql in
            try await body(
                Transaction(
                    sql: sql, backend: self.backend, now: now, actor: actor, personalData: self.personalDataBox))
        }
    }
}
