import Crypto
import Foundation
import GongzhiDomain
import HummingbirdOTP
import SQLKit

/// Sealing of second-factor secrets with a key kept outside the database (derived from the server secret).
public struct SecretBox: Sendable {
    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(serverSecret: String) {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(serverSecret.utf8)),
            info: Data("gongzhi second factor".utf8), outputByteCount: 32)
        keyBytes = key.withUnsafeBytes { Data($0) }
    }

    func seal(_ text: String) throws -> String {
        try AES.GCM.seal(Data(text.utf8), using: key).combined!.base64EncodedString()
    }

    /// Fails on any altered byte (GCM tag), so a tampered secret is never used.
    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else {
            throw DomainError.invalid("totp_code_wrong", field: "code")
        }
        return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
    }
}

/// TOTP codes: six digits, 30-second steps, one step of clock drift either way, each step usable once.
enum TOTPCheck {
    static func step(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) / 30 }

    /// The time step the code belongs to, if it is valid and newer than `lastStep`.
    static func matchingStep(secret: String, code: String, now: Date, lastStep: Int64?) -> Int64? {
        let digits = code.filter(\.isNumber)
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        for offset in [0, -1, 1] {
            let date = now.addingTimeInterval(Double(offset * 30))
            if totp.compute(date: date) == value {
                let s = step(date)
                return (lastStep.map { s > $0 } ?? true) ? s : nil
            }
        }
        return nil
    }
}

extension AccountCommands {
    /// Starts enrolment: a new secret, sealed in the database, shown once to the user (text and otpauth URL).
    public func beginSecondFactor(_ actor: Actor) async throws -> (secret: String, url: String) {
        guard let box = settings.secretBox else { throw DomainError.invalid("totp_unavailable") }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var rng = SystemRandomNumberGenerator()
        let secret = String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
        let sealed = try box.seal(secret)
        try await db.transaction { sql in
            guard
                let row = try await sql.raw("SELECT totp_enabled_at FROM users WHERE id = \(bind: actor.userID)")
                    .first()
            else {
                throw DomainError.notFound
            }
            guard try row.decode(column: "totp_enabled_at", as: Int64?.self) == nil else {
                throw DomainError(.conflict, "totp_already_enabled")
            }
            try await sql.raw("UPDATE users SET totp_secret = \(bind: sealed) WHERE id = \(bind: actor.userID)").run()
        }
        let url = TOTP(secret: secret).createAuthenticatorURL(label: "Gongzhi:\(actor.username)", issuer: "Gongzhi")
        return (secret, url)
    }

    /// Finishes enrolment when the user types a code from their authenticator.
    public func confirmSecondFactor(_ actor: Actor, code: String) async throws {
        try await db.command(actor, clock: clock) { tx in
            let (sql, now) = (tx.sql, tx.now)
            let (secret, lastStep) = try await loadSecret(sql, userID: actor.userID)
            guard let step = TOTPCheck.matchingStep(secret: secret, code: code, now: now, lastStep: lastStep) else {
                throw DomainError.invalid("totp_code_wrong", field: "code")
            }
            try await sql.raw(
                """
                UPDATE users SET totp_enabled_at = \(bind: now.epochMillis), totp_last_step = \(bind: step) WHERE id = \(bind: actor.userID)
                """
            ).run()
            try await tx.audit(
                AuditRecord(action: "user.second_factor_on", objectType: "user", objectID: "\(actor.userID)"),
                role: actor.ownRole)
        }
    }

    public func disableSecondFactor(_ actor: Actor, code: String) async throws {
        try await db.command(actor, clock: clock) { tx in
            let (sql, now) = (tx.sql, tx.now)
            let (secret, lastStep) = try await loadSecret(sql, userID: actor.userID)
            guard TOTPCheck.matchingStep(secret: secret, code: code, now: now, lastStep: lastStep) != nil else {
                throw DomainError.invalid("totp_code_wrong", field: "code")
            }
            try await sql.raw(
                "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = \(bind: actor.userID)"
            ).run()
            try await tx.audit(
                AuditRecord(action: "user.second_factor_off", objectType: "user", objectID: "\(actor.userID)"),
                role: actor.ownRole)
        }
    }

    /// Completes a log-in that is waiting for its second factor. Wrong codes count as failed log-ins.
    public func completeSecondFactor(sessionToken: String, code: String) async throws -> User {
        let now = clock.now()
        let hash = Secrets.sha256Hex(sessionToken)
        let throttle = settings.throttle
        let outcome: Result<User, DomainError> = try await db.command(.system, clock: clock) { tx in
            let sql = tx.sql
            guard
                let row = try await sql.raw(
                    """
                    SELECT u.*, s.created_at AS session_created_at FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: hash) AND s.ended_at IS NULL AND s.second_factor_pending = 1
                    """
                ).first()
            else { return .failure(DomainError(.unauthenticated, "login_required")) }
            let user = try AccountStore.decodeUser(row)
            if let lockedUntil = user.lockedUntil, lockedUntil > now {
                return .failure(DomainError(.tooManyAttempts, "login_account_locked"))
            }
            guard
                now.timeIntervalSince(Date(epochMillis: try row.decode(column: "session_created_at", as: Int64.self)))
                    < 300
            else {
                return .failure(DomainError(.unauthenticated, "login_required"))
            }
            let (secret, lastStep) = try await loadSecret(sql, userID: user.id)
            let actor = try await AccountStore.ownActor(sql, userID: user.id, username: user.username)
            guard let step = TOTPCheck.matchingStep(secret: secret, code: code, now: now, lastStep: lastStep) else {
                let outcome = try await Self.countFailure(sql, userID: user.id, throttle: throttle, now: now)
                guard outcome != .alreadyLocked else {
                    return .failure(DomainError(.tooManyAttempts, "login_account_locked"))
                }
                try await tx.acting(as: actor).audit(
                    AuditRecord(
                        action: "auth.second_factor_failed", objectType: "user", objectID: "\(user.id)",
                        result: "bad_code"),
                    role: actor.ownRole)
                return .failure(
                    outcome == .counted
                        ? DomainError.invalid("totp_code_wrong", field: "code")
                        : DomainError(.tooManyAttempts, "login_account_locked"))
            }
            try await sql.raw(
                "UPDATE sessions SET second_factor_pending = 0, last_seen_at = \(bind: now.epochMillis) WHERE token_hash = \(bind: hash)"
            ).run()
            try await sql.raw(
                "UPDATE users SET totp_last_step = \(bind: step), failed_logins = 0 WHERE id = \(bind: user.id)"
            ).run()
            try await tx.acting(as: actor).audit(
                AuditRecord(action: "auth.second_factor", objectType: "user", objectID: "\(user.id)"),
                role: actor.ownRole)
            return .success(user)
        }
        return try outcome.get()
    }

    /// Whether the user has a confirmed second factor.
    public func hasSecondFactor(userID: Int64) async throws -> Bool {
        try await db.read { sql in
            try await sql.raw("SELECT totp_enabled_at FROM users WHERE id = \(bind: userID)").first()?
                .decode(column: "totp_enabled_at", as: Int64?.self) != nil
        }
    }

    func loadSecret(_ sql: any SQLDatabase, userID: Int64) async throws -> (String, Int64?) {
        guard let box = settings.secretBox else { throw DomainError.invalid("totp_unavailable") }
        guard
            let row = try await sql.raw("SELECT totp_secret, totp_last_step FROM users WHERE id = \(bind: userID)")
                .first(),
            let sealed = try row.decode(column: "totp_secret", as: String?.self)
        else { throw DomainError.invalid("totp_not_started") }
        return (try box.open(sealed), try row.decode(column: "totp_last_step", as: Int64?.self))
    }
}
