import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// The account module's one writer: each command writes, raises the version and audits with the role that allowed
/// it; a refusal, a stale version or a repeated state changes nothing.
@Suite struct AccountPerformTests {
    let password = "correct horse battery staple"

    func commands(_ db: Database) -> AccountCommands {
        AccountCommands(
            db: db, clock: .fixed(Date(timeIntervalSince1970: 1_800_000_000)),
            settings: AccountSettings(bcryptCost: 4))
    }

    /// The audit entries of an account: action and role, in order.
    func audit(_ db: Database, _ userID: Int64) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT action, role FROM audit_log WHERE object_type = 'user' AND object_id = \(bind: "\(userID)")
                  AND action NOT IN ('user.create') ORDER BY seq
                """
            ).all().map {
                "\(try $0.decode(column: "action", as: String.self)) as \(try $0.decode(column: "role", as: String?.self) ?? "-")"
            }
        }
    }

    /// Everything a refused command must leave as it was.
    func snapshot(_ db: Database, _ userID: Int64) async throws -> [String] {
        try await db.read { sql in
            let user = try await sql.raw(
                """
                SELECT password_hash, must_change_password, disabled_at, version FROM users WHERE id = \(bind: userID)
                """
            ).first()!
            let grants = try await sql.raw("SELECT COUNT(*) AS n FROM role_grants WHERE user_id = \(bind: userID)")
                .first()!.decode(column: "n", as: Int.self)
            let entries = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(
                column: "n", as: Int.self)
            return [
                try user.decode(column: "password_hash", as: String.self),
                "\(try user.decode(column: "must_change_password", as: Int.self))",
                "\(try user.decode(column: "disabled_at", as: Int64?.self) ?? 0)",
                "\(try user.decode(column: "version", as: Int.self))", "\(grants)", "\(entries)",
            ]
        }
    }

    @Test func eachCommandWritesRaisesTheVersionAndAuditsWithTheRole() async throws {
        try await withTestDatabase { db in
            // given: a grid worker, and a sub-district administrator above them
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            // Grants name who granted them, so the administrator is a real account.
            let zhu = try await c.createUser(
                .root, username: "zhu", displayName: "朱", password: password, role: .subdistrictAdmin,
                nodeID: tree.subdistrict.id)
            let admin = try #require(try await AccountStore(db: db).actor(for: zhu.id))
            // when
            let granted = try await c.perform(admin, user.id, .grant(.buildingHead, nodeID: tree.buildings[0].id))
            let grant = try #require(granted.grants.first { $0.role == .buildingHead })
            let revoked = try await c.perform(admin, user.id, .revoke(grantID: grant.id), expectedVersion: 2)
            let reset = try await c.perform(admin, user.id, .resetPassword("a brand new passphrase"))
            let disabled = try await c.perform(admin, user.id, .disable)
            let enabled = try await c.perform(admin, user.id, .enable)
            // then
            #expect(granted.user.version == 2 && granted.grants.count == 2)
            #expect(revoked.user.version == 3 && revoked.grants.map(\.role) == [.gridWorker])
            #expect(reset.user.mustChangePassword && reset.user.version == 4)
            #expect(disabled.user.disabledAt != nil && enabled.user.disabledAt == nil && enabled.user.version == 6)
            #expect(
                try await audit(db, user.id) == [
                    "role.grant as subdistrictAdmin", "role.revoke as subdistrictAdmin",
                    "user.reset_password as subdistrictAdmin", "user.disable as subdistrictAdmin",
                    "user.enable as subdistrictAdmin",
                ])
        }
    }

    @Test func requiringAPasswordChangeStopsTokensUntilThePersonChoosesOne() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let (_, secret) = try await c.createToken(
                try #require(try await AccountStore(db: db).actor(for: user.id)), name: "手机")
            // when
            let record = try await c.perform(
                .with(.communityWorker, at: tree.community), user.id, .requirePasswordChange)
            // then
            #expect(record.user.mustChangePassword)
            await #expect(throws: DomainError(.forbidden, "password_change_required")) {
                _ = try await c.authenticateToken(secret)
            }
            try await c.changePassword(userID: user.id, current: password, new: "my very own passphrase")
            #expect(try await c.authenticateToken(secret)?.userID == user.id)
            #expect(try await audit(db, user.id).first == "user.require_password_change as communityWorker")
        }
    }

    @Test func aRefusalAStaleVersionOrARepeatedStateChangesNothing() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .communityWorker,
                nodeID: tree.community.id)
            let other = try await c.createUser(
                .root, username: "lisi", displayName: "李", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let otherGrant = try #require(try await AccountStore(db: db).grants(of: other.id).first)
            let peer = Actor.with(.communityWorker, at: tree.community)
            let outsider = Actor.with(.communityWorker, at: tree.otherCommunity)
            let admin = Actor.with(.subdistrictAdmin, at: tree.subdistrict)
            let before = try await snapshot(db, user.id)
            // when / then: a peer may not reset or revoke a peer's role; an outsider does not even find the account
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(peer, user.id, .resetPassword("a brand new passphrase"))
            }
            let peerGrant = try #require(try await AccountStore(db: db).grants(of: user.id).first)
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(peer, user.id, .revoke(grantID: peerGrant.id))
            }
            await #expect(throws: DomainError.outsideJurisdiction) { try await c.perform(outsider, user.id, .disable) }
            await #expect(throws: DomainError.notFound) { try await c.perform(admin, 424242, .disable) }
            // Another account's grant is no grant of this one.
            await #expect(throws: DomainError.notFound) {
                try await c.perform(admin, user.id, .revoke(grantID: otherGrant.id))
            }
            // A node outside answers like a missing one; a role that does not suit the node is invalid.
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await c.perform(peer, other.id, .grant(.gridWorker, nodeID: tree.otherCommunity.id))
            }
            await #expect(
                throws: DomainError.invalid("role_not_at_node_kind", field: "node", args: ["gridWorker", "building"])
            ) {
                try await c.perform(admin, user.id, .grant(.gridWorker, nodeID: tree.buildings[0].id))
            }
            await #expect(throws: DomainError(.conflict, "user_changed_meanwhile")) {
                try await c.perform(admin, user.id, .disable, expectedVersion: 7)
            }
            await #expect(throws: DomainError.invalid("password_too_short", field: "password", args: ["10"])) {
                try await c.perform(admin, user.id, .resetPassword("short"))
            }
            try await c.perform(admin, user.id, .enable)
            #expect(try await snapshot(db, user.id) == before)
            #expect(try await audit(db, user.id) == [])
        }
    }

    @Test func anAdministratorDoesNothingToTheirOwnAccount() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "zhu", displayName: "朱", password: password, role: .subdistrictAdmin,
                nodeID: tree.subdistrict.id)
            let me = try #require(try await AccountStore(db: db).actor(for: user.id))
            let before = try await snapshot(db, user.id)
            // when / then
            for command in [AccountCommand.disable, .requirePasswordChange, .resetPassword("a brand new passphrase")] {
                await #expect(throws: DomainError.forbidden, "\(command)") { try await c.perform(me, user.id, command) }
            }
            #expect(try await snapshot(db, user.id) == before)
        }
    }

    @Test func theUsersListHoldsExactlyTheActorsJurisdiction() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            for (name, node) in [("nei", tree.grid1), ("wai", tree.otherCommunity)] {
                _ = try await c.createUser(
                    .root, username: name, displayName: name, password: password,
                    role: node.kind == .grid ? .gridWorker : .communityWorker, nodeID: node.id)
            }
            let store = AccountStore(db: db)
            // when
            let worker = try await store.users(for: .with(.communityWorker, at: tree.community))
            let admin = try await store.users(for: .with(.subdistrictAdmin, at: tree.subdistrict))
            // then
            #expect(worker.map(\.user.username) == ["nei"])
            #expect(admin.map(\.user.username) == ["nei", "wai"])
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await store.users(for: .with(.communityWorker, at: tree.community), inside: tree.otherCommunity)
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.users(for: .with(.gridWorker, at: tree.grid1))
            }
            let outside = try #require(admin.first { $0.user.username == "wai" })
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await store.user(outside.user.id, for: .with(.communityWorker, at: tree.community))
            }
        }
    }
}
