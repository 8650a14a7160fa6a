import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HummingbirdOTP
import SQLKit
import Testing

@Suite struct SecondFactorTests {
    let password = "correct horse battery staple"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func commands(_ db: Database, at date: Date) -> AccountCommands {
        AccountCommands(
            db: db, clock: .fixed(date),
            settings: AccountSettings(
                bcryptCost: 4, secretBox: SecretBox(serverSecret: String(repeating: "k", count: 40))))
    }

    func enrolled(_ db: Database) async throws -> (Actor, String) {
        let tree = try await SmallTree.make(db)
        let c = commands(db, at: now)
        let user = try await c.createUser(
            .root, username: "staff", displayName: "员", password: password, role: .communityWorker,
            nodeID: tree.community.id)
        let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
        let (secret, url) = try await c.beginSecondFactor(actor)
        #expect(url.hasPrefix("otpauth://totp/"))
        try await c.confirmSecondFactor(actor, code: String(format: "%06d", TOTP(secret: secret).compute(date: now)))
        return (actor, secret)
    }

    @Test func logInWaitsForTheCodeThenOpensTheSession() async throws {
        try await withTestDatabase { db in
            // given
            let (_, secret) = try await enrolled(db)
            let later = now.addingTimeInterval(120)
            let c = commands(db, at: later)
            // when
            let signIn = try await c.logIn(username: "staff", password: password, address: "a")
            // then
            #expect(signIn.needsSecondFactor)
            #expect(try await c.authenticateSession(signIn.sessionToken) == nil)
            await #expect(throws: DomainError.invalid("totp_code_wrong", field: "code")) {
                _ = try await c.completeSecondFactor(sessionToken: signIn.sessionToken, code: "000000")
            }
            let code = String(format: "%06d", TOTP(secret: secret).compute(date: later))
            _ = try await c.completeSecondFactor(sessionToken: signIn.sessionToken, code: code)
            #expect(try await c.authenticateSession(signIn.sessionToken)?.1.username == "staff")
        }
    }

    @Test func aCodeCannotBeUsedTwice() async throws {
        try await withTestDatabase { db in
            let (_, secret) = try await enrolled(db)
            let c = commands(db, at: now)
            let signIn = try await c.logIn(username: "staff", password: password, address: "a")
            let used = String(format: "%06d", TOTP(secret: secret).compute(date: now))
            await #expect(throws: DomainError.invalid("totp_code_wrong", field: "code")) {
                _ = try await c.completeSecondFactor(sessionToken: signIn.sessionToken, code: used)
            }
        }
    }

    @Test func theSecretIsStoredSealed() async throws {
        try await withTestDatabase { db in
            let (actor, secret) = try await enrolled(db)
            let stored = try await db.read { sql in
                try await sql.raw("SELECT totp_secret FROM users WHERE id = \(bind: actor.userID)").first()!.decode(
                    column: "totp_secret", as: String.self)
            }
            #expect(!stored.contains(secret))
            #expect(Data(base64Encoded: stored) != nil)
        }
    }
}
