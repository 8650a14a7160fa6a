import Foundation
import GongzhiDomain
import SQLKit

/// The accounts' fast path for seeding and imports: users whose password was hashed beforehand, and their grants.
///
/// It skips what `AccountCommands.perform` does per account (the policy check, versions, one audit entry each), so it
/// is for the command line and importers only: it opens only on a transaction of `Actor.commandLine`
/// (`db.command(.commandLine, clock:)`) and refuses any other with `forbidden`. The caller writes one audit entry
/// for the whole batch. Usernames and the levels a role may be held at are still checked.
public struct AccountBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Hashes a password for `addUser`, outside the transaction: bcrypt is slow on purpose, and a transaction must not
    /// wait for it.
    public static func hashPassword(_ password: String, cost: UInt8 = 11) async throws -> String {
        try await Secrets.hashPassword(password, cost: cost)
    }

    /// Adds a user with a precomputed password hash (`hashPassword`); `home` is where a resident lives.
    public func addUser(
        username rawUsername: String, displayName: String, passwordHash: String, home: Node? = nil,
        mustChangePassword: Bool = false
    ) async throws -> User {
        let username = try UsernamePolicy.normalise(rawUsername)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await AccountCommands.insertUser(
            tx.sql, username: username, displayName: name.isEmpty ? username : name, hash: passwordHash, home: home,
            mustChange: mustChangePassword, at: tx.now)
    }

    /// Grants `role` at `node` to a user, as given by the command line.
    @discardableResult
    public func grant(_ role: Role, to userID: Int64, at node: Node) async throws -> RoleGrant {
        try AccountCommands.checkRolePlacement(role, node)
        return try await AccountCommands.insertGrant(
            tx.sql, userID: userID, role: role, node: node, by: nil, at: tx.now)
    }
}
