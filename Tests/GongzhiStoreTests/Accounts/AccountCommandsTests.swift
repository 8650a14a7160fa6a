import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct AccountCommandsTests {
    let password = "correct horse battery staple"

    func commands(_ db: Database, at date: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> AccountCommands {
        AccountCommands(db: db, clock: .fixed(date), settings: AccountSettings(bcryptCost: 4))
    }

    @Test func duplicateUsernamesAreRefusedCaseInsensitively() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            _ = try await commands(db).createUser(
                .root, username: "Wang", displayName: "王", password: password, role: .communityWorker,
                nodeID: tree.community.id)
            await #expect(throws: DomainError(.conflict, "username_taken", field: "username")) {
                _ = try await commands(db).createUser(
                    .root, username: "wang", displayName: "王二", password: password, role: .gridWorker,
                    nodeID: tree.grid1.id)
            }
        }
    }

    @Test func roleOutsideTheGrantorsSubtreeIsRefused() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let worker = Actor.with(.communityWorker, at: tree.otherCommunity)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await commands(db).createUser(
                    worker, username: "lili", displayName: "李", password: password, role: .gridWorker,
                    nodeID: tree.grid1.id)
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await commands(db).createUser(
                    worker, username: "lili", displayName: "李", password: password, role: .subdistrictAdmin,
                    nodeID: tree.otherCommunity.id)
            }
            #expect(try await AccountStore(db: db).user(username: "lili") == nil)
        }
    }

    @Test func roleMustSuitTheNodeKind() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            await #expect(
                throws: DomainError.invalid("role_not_at_node_kind", field: "node", args: ["gridWorker", "building"])
            ) {
                _ = try await commands(db).createUser(
                    .root, username: "zhao", displayName: "赵", password: password, role: .gridWorker,
                    nodeID: tree.buildings[0].id)
            }
        }
    }

    @Test func tokenWorksUntilRevoked() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let user = try await commands(db).createUser(
                .root, username: "zhou", displayName: "周", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let (token, secret) = try await commands(db).createToken(actor, name: "手机")
            #expect(try await commands(db).authenticateToken(secret)?.userID == user.id)
            #expect(try await AccountStore(db: db).tokens(of: user.id).map(\.prefix) == [token.prefix])
            try await commands(db).revokeToken(actor, tokenID: token.id)
            #expect(try await commands(db).authenticateToken(secret) == nil)
        }
    }

    @Test func resetPasswordEndsSessionsAndForcesAChange() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let session = try await c.logIn(username: "sun", password: password, address: "a").sessionToken
            let worker = Actor.with(.communityWorker, at: tree.community)
            try await c.perform(worker, user.id, .resetPassword("a brand new passphrase"))
            #expect(try await c.authenticateSession(session) == nil)
            let again = try await c.logIn(username: "sun", password: "a brand new passphrase", address: "a")
            #expect(again.user.mustChangePassword)
        }
    }

    @Test func lockExpiresAfterTheLockTime() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try await commands(db, at: start).createUser(
                .root, username: "qian", displayName: "钱", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            for _ in 0..<5 {
                await #expect(throws: DomainError(.unauthenticated, "login_failed")) {
                    _ = try await commands(db, at: start).logIn(
                        username: "qian", password: "wrong wrong wrong", address: "b")
                }
            }
            await #expect(throws: DomainError(.tooManyAttempts, "login_account_locked")) {
                _ = try await commands(db, at: start).logIn(username: "qian", password: password, address: "c")
            }
            let later = try await commands(db, at: start.addingTimeInterval(16 * 60)).logIn(
                username: "qian", password: password, address: "c")
            #expect(later.user.username == "qian")
        }
    }
}
