import Foundation
import GongzhiDomain
import SQLKit

/// Account settings a deployment may change.
public struct AccountSettings: Sendable {
    public var bcryptCost: UInt8
    public var throttle: LoginThrottle
    public var sessions: SessionPolicy
    /// Seals second-factor secrets; without it (e.g. the command line) second factors cannot be set up.
    public var secretBox: SecretBox?
    /// Staff without a confirmed second factor may neither create nor use API tokens.
    public var requireStaffSecondFactor: Bool
    public init(
        bcryptCost: UInt8 = 11, throttle: LoginThrottle = .init(), sessions: SessionPolicy = .init(),
        secretBox: SecretBox? = nil,
        requireStaffSecondFactor: Bool = false
    ) {
        self.bcryptCost = bcryptCost
        self.throttle = throttle
        self.sessions = sessions
        self.secretBox = secretBox
        self.requireStaffSecondFactor = requireStaffSecondFactor
    }
}

/// Creating accounts, granting roles, signing in and out, API tokens.
public struct AccountCommands: Sendable {
    let db: Database
    let clock: Clock
    public let settings: AccountSettings

    public init(db: Database, clock: Clock = .system, settings: AccountSettings = .init()) {
        self.db = db
        self.clock = clock
        self.settings = settings
    }

    // MARK: - perform

    /// Does one thing to an existing account: loads it with its roles, asks `AccountPolicy.require`, applies the
    /// command, raises the version (refused when the account is no longer at `expectedVersion`, when given) and
    /// writes the audit entry with the role that allowed it — all in one transaction. Repeating a state (disabling
    /// a disabled account) changes and audits nothing.
    @discardableResult
    public func perform(
        _ actor: Actor, _ userID: Int64, _ command: AccountCommand, expectedVersion: Int? = nil
    ) async throws -> AccountRecord {
        var hash: String?
        if case .resetPassword(let password) = command {
            // Outside users answer "not found", and refusals come, before the password is even looked at.
            let record = try await db.read { sql in try await AccountStore.record(sql, userID) }
            guard let record else { throw DomainError.notFound }
            try AccountPolicy.require(command.capability, of: actor, on: record.user, in: record.context)
            try PasswordPolicy.check(password, username: record.user.username)
            hash = try await Secrets.hashPassword(password, cost: settings.bcryptCost)
        }
        let newHash = hash
        return try await db.command(actor, clock: clock) { tx in
            guard let record = try await AccountStore.record(tx.sql, userID) else { throw DomainError.notFound }
            var context = record.context
            try AccountPolicy.require(.view, of: actor, on: record.user, in: context)
            var node: Node?
            if case .grant(_, let nodeID) = command {
                node = try await loadNode(tx.sql, nodeID)
                context.nodePath = node?.path
            }
            if case .revoke(let grantID) = command, !record.grants.contains(where: { $0.id == grantID }) {
                throw DomainError.notFound
            }
            if let expectedVersion, expectedVersion != record.user.version {
                throw DomainError(.conflict, "user_changed_meanwhile")
            }
            let role = try AccountPolicy.require(command.capability, of: actor, on: record.user, in: context)
            guard
                let entry = try await apply(command, to: record, node: node, hash: newHash, tx)
            else { return record }
            guard
                try await tx.sql.raw(
                    """
                    UPDATE users SET version = version + 1 WHERE id = \(bind: userID) AND version = \(bind: record.user.version)
                    RETURNING version
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "user_changed_meanwhile") }
            try await tx.audit(entry, role: role)
            guard let next = try await AccountStore.record(tx.sql, userID) else { throw DomainError.notFound }
            return next
        }
    }

    /// Writes what the command changes and names its audit entry; nil when there is nothing to change.
    func apply(
        _ command: AccountCommand, to record: AccountRecord, node: Node?, hash: String?, _ tx: Transaction
    ) async throws -> AuditRecord? {
        let user = record.user
        let principal = tx.actor.principal.rawValue
        func entry(_ communityID: Int64?, _ nodeID: Int64?, before: String?, after: String?) -> AuditRecord {
            AuditRecord(
                action: command.auditAction, objectType: "user", objectID: "\(user.id)", communityID: communityID,
                nodeID: nodeID, before: before, after: after)
        }
        switch command {
        case .grant(let role, _):
            guard let node else { throw DomainError.notFound }
            try Self.checkRolePlacement(role, node)
            let grant = try await Self.insertGrant(
                tx.sql, userID: user.id, role: role, node: node, by: tx.actor.userID, at: tx.now)
            return entry(node.communityID, node.id, before: nil, after: AuditJSON.encode(grant))
        case .revoke(let grantID):
            guard let grant = record.grants.first(where: { $0.id == grantID }) else { throw DomainError.notFound }
            let communityID = try await tx.sql.raw("SELECT community_id FROM role_grants WHERE id = \(bind: grantID)")
                .first()?.decode(column: "community_id", as: Int64?.self)
            try await tx.sql.raw("DELETE FROM role_grants WHERE id = \(bind: grantID)").run()
            return entry(
                communityID, grant.nodeID,
                before: AuditJSON.encode(["grant": "\(grantID)", "role": grant.role.rawValue]),
                after: nil)
        case .resetPassword:
            guard let hash else { throw DomainError.invalid("form_malformed", field: "password") }
            try await tx.sql.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = 1, failed_logins = 0, locked_until = NULL
                WHERE id = \(bind: user.id)
                """
            ).run()
            try await Self.endAccess(tx.sql, userID: user.id, at: tx.now)
            return entry(user.communityID, nil, before: nil, after: AuditJSON.encode(["principal": principal]))
        case .requirePasswordChange:
            guard !user.mustChangePassword else { return nil }
            try await tx.sql.raw("UPDATE users SET must_change_password = 1 WHERE id = \(bind: user.id)").run()
            return entry(user.communityID, nil, before: nil, after: AuditJSON.encode(["principal": principal]))
        case .disable, .enable:
            let disable = command == .disable
            guard (user.disabledAt == nil) == disable else { return nil }
            if disable {
                try await tx.sql.raw(
                    "UPDATE users SET disabled_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: user.id)"
                ).run()
                try await Self.endAccess(tx.sql, userID: user.id, at: tx.now)
            } else {
                try await tx.sql.raw(
                    "UPDATE users SET disabled_at = NULL, failed_logins = 0, locked_until = NULL WHERE id = \(bind: user.id)"
                ).run()
            }
            return entry(
                user.communityID, nil, before: AuditJSON.encode(["disabled": disable ? "no" : "yes"]),
                after: AuditJSON.encode(["disabled": disable ? "yes" : "no", "principal": principal]))
        }
    }

    // MARK: - Creating accounts

    /// A staff account created by an administrator (or by the command line), with its first role.
    public func createUser(
        _ actor: Actor, username rawUsername: String, displayName rawDisplay: String, password: String,
        role: Role, nodeID: Int64
    ) async throws -> User {
        let username = try UsernamePolicy.normalise(rawUsername)
        let displayName = try User.validDisplayName(rawDisplay)
        try PasswordPolicy.check(password, username: username)
        let hash = try await Secrets.hashPassword(password, cost: settings.bcryptCost)
        return try await db.command(actor, clock: clock) { tx in
            let node = try await loadNode(tx.sql, nodeID)
            let actingRole = try AccountPolicy.require(
                .create(role), of: actor, on: nil, in: AccountContext(nodePath: node.path))
            try Self.checkRolePlacement(role, node)
            let user = try await Self.insertUser(
                tx.sql, username: username, displayName: displayName, hash: hash,
                home: nil, mustChange: false, at: tx.now)
            let grant = try await Self.insertGrant(
                tx.sql, userID: user.id, role: role, node: node, by: actor.userID, at: tx.now)
            try await tx.audit(
                AuditRecord(
                    action: "user.create", objectType: "user", objectID: "\(user.id)", communityID: node.communityID,
                    nodeID: node.id,
                    after: AuditJSON.encode([
                        "username": username, "role": role.rawValue, "node": "\(node.id)", "grant": "\(grant.id)",
                        "principal": actor.principal.rawValue,
                    ])),
                role: actingRole)
            return user
        }
    }

    /// A resident signs up and is bound to their building.
    public func signUpResident(
        username rawUsername: String, displayName rawDisplay: String, password: String, buildingID: Int64
    ) async throws -> User {
        let username = try UsernamePolicy.normalise(rawUsername)
        let displayName = try User.validDisplayName(rawDisplay)
        try PasswordPolicy.check(password, username: username)
        let hash = try await Secrets.hashPassword(password, cost: settings.bcryptCost)
        return try await db.command(.system, clock: clock) { tx in
            guard let building = try await JurisdictionStore.node(tx.sql, buildingID), building.kind == .building,
                building.isOpen
            else { throw DomainError.invalid("building_required", field: "building") }
            let user = try await Self.insertUser(
                tx.sql, username: username, displayName: displayName, hash: hash,
                home: building, mustChange: false, at: tx.now)
            _ = try await Self.insertGrant(
                tx.sql, userID: user.id, role: .resident, node: building, by: nil, at: tx.now)
            // The new resident is the actor of their own sign-up.
            try await tx.acting(as: Actor(userID: user.id, username: username, grants: [])).audit(
                AuditRecord(
                    action: "user.sign_up", objectType: "user", objectID: "\(user.id)",
                    communityID: building.communityID,
                    nodeID: building.id, after: AuditJSON.encode(["username": username])),
                role: .resident)
            return user
        }
    }

    // MARK: - One's own password

    public func changePassword(userID: Int64, current: String, new: String) async throws {
        let row = try await db.read { sql in
            try await sql.raw("SELECT username, password_hash FROM users WHERE id = \(bind: userID)").first()
        }
        guard let row else { throw DomainError.notFound }
        let username = try row.decode(column: "username", as: String.self)
        guard try await Secrets.verifyPassword(current, hash: try row.decode(column: "password_hash", as: String.self))
        else {
            throw DomainError.invalid("password_current_wrong", field: "current_password")
        }
        guard current != new else { throw DomainError.invalid("password_unchanged", field: "password") }
        try PasswordPolicy.check(new, username: username)
        let hash = try await Secrets.hashPassword(new, cost: settings.bcryptCost)
        try await db.command(.system, clock: clock) { tx in
            try await tx.sql.raw(
                "UPDATE users SET password_hash = \(bind: hash), must_change_password = 0 WHERE id = \(bind: userID)"
            ).run()
            let actor = try await AccountStore.ownActor(tx.sql, userID: userID, username: username)
            try await tx.acting(as: actor).audit(
                AuditRecord(action: "user.change_password", objectType: "user", objectID: "\(userID)"),
                role: actor.ownRole)
        }
    }

    // MARK: - Sessions

    public struct SignIn: Sendable {
        public var user: User
        public var sessionToken: String
        /// The session opens only after a TOTP code (`completeSecondFactor`).
        public var needsSecondFactor: Bool
    }

    /// Checks the password, subject to throttling, and opens a session with a new id.
    public func logIn(username rawUsername: String, password: String, address: String) async throws -> SignIn {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock.now()
        let throttle = settings.throttle
        let (row, recentFailures, unknownLocked) = try await db.read { sql in
            let since = now.addingTimeInterval(-throttle.addressWindow).epochMillis
            let failures = try await sql.raw(
                "SELECT COUNT(*) AS n FROM login_failures WHERE address = \(bind: address) AND at > \(bind: since)"
            ).first()!.decode(column: "n", as: Int.self)
            let row = try await sql.raw("SELECT * FROM users WHERE username = \(bind: username)").first()
            var unknownLocked = false
            if row == nil { unknownLocked = try await Self.unknownUsernameLocked(sql, username, throttle, now) }
            return (row, failures, unknownLocked)
        }
        if throttle.addressBlocked(recentFailures: recentFailures) {
            await AuditLog.recordRefusal(
                db, actor: nil, at: now,
                AuditRecord(
                    action: "auth.login_refused", objectType: "address", objectID: address, result: "too_many_attempts")
            )
            throw DomainError(.tooManyAttempts, "login_address_blocked")
        }
        let user = try row.map(AccountStore.decodeUser)
        let hash = try row?.decode(column: "password_hash", as: String.self) ?? Secrets.decoyHash
        let passwordOK = try await Secrets.verifyPassword(password, hash: hash)
        // An unknown username is locked exactly like an account after the same failures, so the answer does not
        // tell whether the username exists.
        if unknownLocked || user?.lockedUntil.map({ $0 > now }) == true {
            try await refuseLocked(user)
        }
        guard let user, passwordOK, user.disabledAt == nil else {
            let counted = try await db.command(.system, clock: clock) { tx -> Bool in
                let sql = tx.sql
                if let user {
                    guard
                        try await Self.countFailure(sql, userID: user.id, throttle: throttle, now: now)
                            != .alreadyLocked
                    else { return false }
                } else if try await Self.unknownUsernameLocked(sql, username, throttle, now) {
                    return false
                }
                try await sql.raw(
                    "INSERT INTO login_failures (address, username, at) VALUES (\(bind: address), \(bind: username), \(bind: now.epochMillis))"
                ).run()
                try await tx.audit(
                    AuditRecord(
                        action: "auth.login_failed", objectType: "user", objectID: user.map { "\($0.id)" } ?? "unknown",
                        communityID: user?.communityID, result: "bad_credentials"),
                    role: nil)
                return true
            }
            // Locked by a parallel guess between the read above and this failure: answered like any locked account.
            if !counted { try await refuseLocked(user) }
            throw DomainError(.unauthenticated, "login_failed")
        }
        let token = Secrets.token(prefix: "s_")
        let pending = try row?.decode(column: "totp_enabled_at", as: Int64?.self) != nil
        try await db.command(.system, clock: clock) { tx in
            let sql = tx.sql
            try await sql.raw(
                """
                INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, address, second_factor_pending)
                VALUES (\(bind: Secrets.sha256Hex(token)), \(bind: user.id), \(bind: now.epochMillis), \(bind: now.epochMillis), \(bind: address),
                  \(bind: pending ? 1 : 0))
                """
            ).run()
            try await sql.raw(
                "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = \(bind: now.epochMillis) WHERE id = \(bind: user.id)"
            ).run()
            let actor = try await AccountStore.ownActor(sql, userID: user.id, username: user.username)
            try await tx.acting(as: actor).audit(
                AuditRecord(
                    action: "auth.login", objectType: "user", objectID: "\(user.id)", communityID: user.communityID),
                role: actor.ownRole)
        }
        return SignIn(user: user, sessionToken: token, needsSecondFactor: pending)
    }

    /// The actor behind a session cookie, or nil when the session is unknown, ended, idle too long or too old.
    /// The last-seen time is written at most once a minute, so reading pages does not queue on the writer.
    public func authenticateSession(_ token: String) async throws -> (Actor, User)? {
        let now = clock.now()
        let policy = settings.sessions
        let hash = Secrets.sha256Hex(token)
        // One connection lease, two queries: the session with its user, then the user's roles.
        let found = try await db.read { sql -> (User, Int64, Int64, [RoleGrant])? in
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.created_at AS session_created_at, s.last_seen_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: hash) AND s.ended_at IS NULL AND s.second_factor_pending = 0 AND u.disabled_at IS NULL
                    """
                ).first()
            else { return nil }
            let user = try AccountStore.decodeUser(row)
            return (
                user, try row.decode(column: "session_created_at", as: Int64.self),
                try row.decode(column: "last_seen_at", as: Int64.self), try await AccountStore.grants(sql, user.id)
            )
        }
        guard let (user, created, lastSeen, grants) = found,
            policy.isAlive(createdAt: Date(epochMillis: created), lastSeenAt: Date(epochMillis: lastSeen), now: now)
        else { return nil }
        if now.epochMillis - lastSeen > 60_000 {
            try await db.transaction { sql in
                try await sql.raw(
                    "UPDATE sessions SET last_seen_at = \(bind: now.epochMillis) WHERE token_hash = \(bind: hash)"
                ).run()
            }
        }
        return (Actor(userID: user.id, username: user.username, grants: grants), user)
    }

    public func logOut(sessionToken: String) async throws {
        try await db.command(.system, clock: clock) { tx in
            let (sql, now) = (tx.sql, tx.now)
            let hash = Secrets.sha256Hex(sessionToken)
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.user_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: hash) AND s.ended_at IS NULL
                    """
                ).first()
            else { return }
            let userID = try row.decode(column: "user_id", as: Int64.self)
            try await sql.raw(
                "UPDATE sessions SET ended_at = \(bind: now.epochMillis) WHERE token_hash = \(bind: hash)"
            ).run()
            let actor = try await AccountStore.ownActor(
                sql, userID: userID, username: try row.decode(column: "username", as: String.self))
            try await tx.acting(as: actor).audit(
                AuditRecord(action: "auth.logout", objectType: "user", objectID: "\(userID)"), role: actor.ownRole)
        }
    }

    // MARK: - API tokens

    /// Creates a bearer token for the actor (or, from the command line only, for `owner`); the secret is
    /// returned once and stored only as a hash.
    public func createToken(
        _ actor: Actor, name rawName: String, owner: Int64? = nil
    ) async throws -> (APIToken, String) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 60 else { throw DomainError.invalid("token_name_invalid", field: "name") }
        let ownerID = owner ?? actor.userID
        let secret = Secrets.token(prefix: "gz_")
        let prefix = String(secret.prefix(9))
        return try await db.command(actor, clock: clock) { tx in
            guard let record = try await AccountStore.record(tx.sql, ownerID), record.user.disabledAt == nil else {
                throw DomainError.notFound
            }
            let role = try AccountPolicy.require(.createToken, of: actor, on: record.user, in: record.context)
            try checkTokenUse(record.user, grants: record.grants)
            let id = try await tx.sql.raw(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
                VALUES (\(bind: ownerID), \(bind: name), \(bind: Secrets.sha256Hex(secret)), \(bind: prefix), \(bind: tx.now.epochMillis))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await tx.audit(
                AuditRecord(
                    action: "token.create", objectType: "api_token", objectID: "\(id)",
                    after: AuditJSON.encode(["name": name, "prefix": prefix, "user": "\(ownerID)"])),
                role: role)
            return (
                APIToken(
                    id: id, userID: ownerID, name: name, prefix: prefix, createdAt: tx.now, lastUsedAt: nil,
                    revokedAt: nil), secret
            )
        }
    }

    /// Revokes one of the actor's own tokens; anyone else's answers "not found".
    public func revokeToken(_ actor: Actor, tokenID: Int64) async throws {
        try await db.command(actor, clock: clock) { tx in
            guard
                let row = try await tx.sql.raw(
                    "SELECT user_id, revoked_at FROM api_tokens WHERE id = \(bind: tokenID)"
                ).first(),
                try row.decode(column: "user_id", as: Int64.self) == actor.userID,
                let record = try await AccountStore.record(tx.sql, actor.userID)
            else { throw DomainError.notFound }
            let role = try AccountPolicy.require(.revokeToken, of: actor, on: record.user, in: record.context)
            guard try row.decode(column: "revoked_at", as: Int64?.self) == nil else { return }
            try await tx.sql.raw(
                "UPDATE api_tokens SET revoked_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: tokenID)"
            ).run()
            try await tx.audit(
                AuditRecord(action: "token.revoke", objectType: "api_token", objectID: "\(tokenID)"), role: role)
        }
    }

    /// The actor behind a bearer token, or nil when it is unknown, revoked or its account disabled. Throws
    /// "forbidden" while the owner must change their password, or lacks a second factor the deployment requires.
    public func authenticateToken(_ secret: String) async throws -> Actor? {
        let now = clock.now()
        let hash = Secrets.sha256Hex(secret)
        let found = try await db.read { sql -> (User, Int64?, [RoleGrant])? in
            guard
                let row = try await sql.raw(
                    """
                    SELECT t.last_used_at AS token_last_used_at, u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL AND u.disabled_at IS NULL
                    """
                ).first()
            else { return nil }
            let user = try AccountStore.decodeUser(row)
            return (
                user, try row.decode(column: "token_last_used_at", as: Int64?.self),
                try await AccountStore.grants(sql, user.id)
            )
        }
        guard let (user, lastUsed, grants) = found else { return nil }
        try checkTokenUse(user, grants: grants)
        if now.epochMillis - (lastUsed ?? 0) > 60_000 {
            try await db.transaction { sql in
                try await sql.raw(
                    "UPDATE api_tokens SET last_used_at = \(bind: now.epochMillis) WHERE token_hash = \(bind: hash)"
                ).run()
            }
        }
        return Actor(userID: user.id, username: user.username, grants: grants)
    }

    func refuseLocked(_ user: User?) async throws -> Never {
        await AuditLog.recordRefusal(
            db, actor: nil, at: clock.now(),
            AuditRecord(
                action: "auth.login_refused", objectType: "user", objectID: user.map { "\($0.id)" } ?? "unknown",
                communityID: user?.communityID, result: "locked"))
        throw DomainError(.tooManyAttempts, "login_account_locked")
    }

    // MARK: - Shared steps

    enum FailureOutcome: Equatable { case counted, lockedNow, alreadyLocked }

    /// Counts one failed log-in (password or second factor) in a single statement, so parallel wrong guesses
    /// lock the account exactly like sequential ones. Nothing is counted while the account is locked.
    static func countFailure(
        _ sql: any SQLDatabase, userID: Int64, throttle: LoginThrottle, now: Date
    ) async throws -> FailureOutcome {
        let max = throttle.maxFailuresPerAccount
        let until = now.addingTimeInterval(throttle.lockDuration).epochMillis
        guard
            let row = try await sql.raw(
                """
                UPDATE users SET
                  failed_logins = CASE WHEN failed_logins + 1 >= \(bind: max) THEN 0 ELSE failed_logins + 1 END,
                  locked_until = CASE WHEN failed_logins + 1 >= \(bind: max) THEN \(bind: until) ELSE NULL END
                WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: now.epochMillis))
                RETURNING locked_until
                """
            ).first()
        else { return .alreadyLocked }
        return try row.decode(column: "locked_until", as: Int64?.self) == nil ? .counted : .lockedNow
    }

    /// The lock a real account would have after the failures recorded for a username nobody holds: every
    /// `maxFailuresPerAccount`-th failure locks it for the lock time.
    static func unknownUsernameLocked(
        _ sql: any SQLDatabase, _ username: String, _ throttle: LoginThrottle, _ now: Date
    ) async throws -> Bool {
        let max = throttle.maxFailuresPerAccount
        let n = try await sql.raw("SELECT COUNT(*) AS n FROM login_failures WHERE username = \(bind: username)")
            .first()!
            .decode(column: "n", as: Int.self)
        guard max > 0, n >= max else { return false }
        guard
            let row = try await sql.raw(
                """
                SELECT at FROM login_failures WHERE username = \(bind: username) ORDER BY at, id LIMIT 1 OFFSET \(bind: n - n % max - 1)
                """
            ).first()
        else { return false }
        return Date(epochMillis: try row.decode(column: "at", as: Int64.self)).addingTimeInterval(throttle.lockDuration)
            > now
    }

    /// Ends every session and revokes every API token of an account.
    static func endAccess(_ sql: any SQLDatabase, userID: Int64, at now: Date) async throws {
        try await sql.raw(
            "UPDATE sessions SET ended_at = \(bind: now.epochMillis) WHERE user_id = \(bind: userID) AND ended_at IS NULL"
        ).run()
        try await sql.raw(
            "UPDATE api_tokens SET revoked_at = \(bind: now.epochMillis) WHERE user_id = \(bind: userID) AND revoked_at IS NULL"
        ).run()
    }

    /// Staff must have a confirmed second factor, when the deployment says so, to create or use an API token;
    /// nobody who must still change their password may.
    func checkTokenUse(_ user: User, grants: [RoleGrant]) throws(DomainError) {
        if user.mustChangePassword { throw DomainError(.forbidden, "password_change_required") }
        if settings.requireStaffSecondFactor, !user.secondFactorEnabled, grants.contains(where: { $0.role.isStaff }) {
            throw DomainError(.forbidden, "second_factor_required")
        }
    }

    static func checkRolePlacement(_ role: Role, _ node: Node) throws(DomainError) {
        guard node.isOpen else { throw .invalid("parent_closed", field: "node") }
        guard role.allowedNodeKinds.contains(node.kind) else {
            throw .invalid("role_not_at_node_kind", field: "node", args: [role.rawValue, node.kind.rawValue])
        }
    }

    static func insertUser(
        _ sql: any SQLDatabase, username: String, displayName: String, hash: String, home: Node?, mustChange: Bool,
        at: Date
    ) async throws -> User {
        let id: Int64
        do {
            id = try await sql.raw(
                """
                INSERT INTO users (username, display_name, password_hash, home_node_id, community_id, must_change_password, created_at)
                VALUES (\(bind: username), \(bind: displayName), \(bind: hash), \(bind: home?.id), \(bind: home?.communityID),
                  \(bind: mustChange ? 1 : 0), \(bind: at.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        } catch  where isUniqueViolation(error) {
            throw DomainError(.conflict, "username_taken", field: "username")
        }
        return User(
            id: id, username: username, displayName: displayName, homeNodeID: home?.id, communityID: home?.communityID,
            createdAt: Date(epochMillis: at.epochMillis), mustChangePassword: mustChange)
    }

    static func insertGrant(
        _ sql: any SQLDatabase, userID: Int64, role: Role, node: Node, by: Int64?, at: Date
    ) async throws -> RoleGrant {
        do {
            let id = try await sql.raw(
                """
                INSERT INTO role_grants (user_id, role, node_id, community_id, granted_by, granted_at)
                VALUES (\(bind: userID), \(bind: role.rawValue), \(bind: node.id), \(bind: node.communityID),
                  \(bind: by == 0 ? nil : by), \(bind: at.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            return RoleGrant(
                id: id, userID: userID, role: role, nodeID: node.id, nodePath: node.path, nodeName: node.name,
                communityID: node.communityID)
        } catch  where isUniqueViolation(error) {
            throw DomainError(.conflict, "role_already_held", field: "role")
        }
    }
}
