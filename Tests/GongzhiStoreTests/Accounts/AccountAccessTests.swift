import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// Taking access away, resets, separation of duties, jurisdiction of grants, token rules and log-in throttling.
@Suite struct AccountAccessTests {
    let password = "correct horse battery staple"
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func commands(_ db: Database, at date: Date? = nil, staffSecondFactor: Bool = false) -> AccountCommands {
        AccountCommands(
            db: db, clock: .fixed(date ?? start),
            settings: AccountSettings(bcryptCost: 4, requireStaffSecondFactor: staffSecondFactor))
    }

    func audit(_ db: Database, _ action: String) async throws -> [(actor: String, role: String?, after: String?)] {
        try await db.read { sql in
            try await sql.raw(
                "SELECT actor_name, role, after_state FROM audit_log WHERE action = \(bind: action) ORDER BY seq"
            ).all().map {
                (
                    try $0.decode(column: "actor_name", as: String.self),
                    try $0.decode(column: "role", as: String?.self),
                    try $0.decode(column: "after_state", as: String?.self)
                )
            }
        }
    }

    /// A real account with one role, as an actor (grants record who granted them, so the actor must exist).
    func staff(_ db: Database, _ name: String, _ role: Role, at node: Node) async throws -> Actor {
        let user = try await commands(db).createUser(
            .root, username: name, displayName: name, password: password, role: role, nodeID: node.id)
        return try #require(try await AccountStore(db: db).actor(for: user.id))
    }

    // MARK: - 1. Disabling

    @Test func disablingEndsSessionsAndTokensAndRefusesLogIn() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let session = try await c.logIn(username: "sun", password: password, address: "a").sessionToken
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let (_, secret) = try await c.createToken(actor, name: "手机")
            // when
            try await c.perform(.with(.communityWorker, at: tree.community), user.id, .disable)
            // then
            #expect(try await c.authenticateSession(session) == nil)
            #expect(try await c.authenticateToken(secret) == nil)
            #expect(try await AccountStore(db: db).tokens(of: user.id).allSatisfy { $0.revokedAt != nil })
            await #expect(throws: DomainError(.unauthenticated, "login_failed")) {
                _ = try await c.logIn(username: "sun", password: password, address: "a")
            }
            let entries = try await audit(db, "user.disable")
            #expect(entries.count == 1)
            #expect(entries.first?.role == "communityWorker")
            // Enabling lets the account log in again; the old token stays revoked.
            try await c.perform(.with(.communityWorker, at: tree.community), user.id, .enable)
            #expect(try await c.logIn(username: "sun", password: password, address: "a").user.username == "sun")
            #expect(try await c.authenticateToken(secret) == nil)
            #expect(try await audit(db, "user.enable").count == 1)
        }
    }

    @Test func disablingNeedsUserManagementWhereverTheAccountHoldsARole() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let both = try await c.createUser(
                .root, username: "both", displayName: "双", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            _ = try await c.perform(.root, both.id, .grant(.communityWorker, nodeID: tree.otherCommunity.id))
            let other = try await c.createUser(
                .root, username: "other", displayName: "他", password: password, role: .communityWorker,
                nodeID: tree.otherCommunity.id)
            let worker = Actor.with(.communityWorker, at: tree.community)
            await #expect(throws: DomainError.forbidden) { try await c.perform(worker, both.id, .disable) }
            await #expect(throws: DomainError.outsideJurisdiction) { try await c.perform(worker, other.id, .disable) }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await c.perform(.with(.gridWorker, at: tree.grid1), both.id, .disable)
            }
            #expect(try await AccountStore(db: db).user(both.id)?.disabledAt == nil)
            try await c.perform(.with(.subdistrictAdmin, at: tree.subdistrict), both.id, .disable)
            #expect(try await AccountStore(db: db).user(both.id)?.disabledAt != nil)
        }
    }

    // MARK: - 2. Reset and must-change

    @Test func resetPasswordRevokesTokens() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let (_, secret) = try await c.createToken(actor, name: "手机")
            try await c.perform(
                .with(.communityWorker, at: tree.community), user.id, .resetPassword("a brand new passphrase"))
            #expect(try await c.authenticateToken(secret) == nil)
            // Until the password is changed, no new token either.
            await #expect(throws: DomainError(.forbidden, "password_change_required")) {
                _ = try await c.createToken(actor, name: "新")
            }
        }
    }

    @Test func aTokenStopsWorkingWhileThePasswordMustChange() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "sun", displayName: "孙", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let (_, secret) = try await c.createToken(
                try #require(try await AccountStore(db: db).actor(for: user.id)), name: "手机")
            try await db.transaction { sql in
                try await sql.raw("UPDATE users SET must_change_password = 1 WHERE id = \(bind: user.id)").run()
            }
            await #expect(throws: DomainError(.forbidden, "password_change_required")) {
                _ = try await c.authenticateToken(secret)
            }
        }
    }

    // MARK: - 3. Second factor and tokens

    @Test func staffWithoutASecondFactorCanNeitherCreateNorUseTokensWhenRequired() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let user = try await commands(db).createUser(
                .root, username: "zhou", displayName: "周", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let (_, earlier) = try await commands(db).createToken(actor, name: "以前")
            let strict = commands(db, staffSecondFactor: true)
            await #expect(throws: DomainError(.forbidden, "second_factor_required")) {
                _ = try await strict.createToken(actor, name: "手机")
            }
            await #expect(throws: DomainError(.forbidden, "second_factor_required")) {
                _ = try await strict.authenticateToken(earlier)
            }
            // Residents are not staff.
            let resident = try await strict.signUpResident(
                username: "wang", displayName: "王", password: password, buildingID: tree.buildings[0].id)
            let (_, mine) = try await strict.createToken(
                try #require(try await AccountStore(db: db).actor(for: resident.id)), name: "手机")
            #expect(try await strict.authenticateToken(mine)?.userID == resident.id)
        }
    }

    // MARK: - 4. Atomic failure counting

    @Test func parallelWrongPasswordsLockTheAccountLikeSequentialOnes() async throws {
        try await withTestDatabase { db in
            // given
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "qian", displayName: "钱", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            // when: ten wrong guesses at once
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<10 {
                    group.addTask {
                        do {
                            _ = try await c.logIn(username: "qian", password: "wrong wrong wrong", address: "p\(i)")
                            return "ok"
                        } catch let error as DomainError { return error.key }
                    }
                }
                var keys: [String] = []
                for try await key in group { keys.append(key) }
                return keys
            }
            // then: exactly five counted, as one after another; the rest find it locked
            #expect(keys.filter { $0 == "login_failed" }.count == 5)
            #expect(keys.filter { $0 == "login_account_locked" }.count == 5)
            #expect(try await audit(db, "auth.login_failed").count == 5)
            let locked = try #require(try await AccountStore(db: db).user(user.id)?.lockedUntil)
            #expect(locked > start)
            await #expect(throws: DomainError(.tooManyAttempts, "login_account_locked")) {
                _ = try await c.logIn(username: "qian", password: password, address: "z")
            }
        }
    }

    // MARK: - 6. Lock-out does not reveal usernames

    @Test func anUnknownUsernameIsLockedLikeARealAccount() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            _ = try await commands(db).createUser(
                .root, username: "qian", displayName: "钱", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            for name in ["qian", "ghost"] {
                for i in 0..<5 {
                    await #expect(throws: DomainError(.unauthenticated, "login_failed")) {
                        _ = try await commands(db).logIn(
                            username: name, password: "wrong wrong wrong", address: "\(name)\(i)")
                    }
                }
                await #expect(throws: DomainError(.tooManyAttempts, "login_account_locked")) {
                    _ = try await commands(db).logIn(username: name, password: "wrong wrong wrong", address: "\(name)x")
                }
                // After the lock time both answer "wrong password" again.
                await #expect(throws: DomainError(.unauthenticated, "login_failed")) {
                    _ = try await commands(db, at: start.addingTimeInterval(16 * 60)).logIn(
                        username: name, password: "wrong wrong wrong", address: "\(name)y")
                }
            }
        }
    }

    // MARK: - 7. Separation of duties

    @Test func noAdministratorHandlesAuditors() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let admin = try await staff(db, "admin", .systemAdmin, at: tree.district)
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.createUser(
                    admin, username: "shen", displayName: "审", password: password, role: .auditor,
                    nodeID: tree.district.id)
            }
            let clerk = try await c.createUser(
                admin, username: "clerk", displayName: "员", password: password, role: .communityWorker,
                nodeID: tree.community.id)
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.perform(admin, clerk.id, .grant(.auditor, nodeID: tree.district.id))
            }
            // The command line creates, resets and disables auditors, audited as the command-line principal.
            let auditor = try await c.createUser(
                .commandLine, username: "shen", displayName: "审", password: password, role: .auditor,
                nodeID: tree.district.id)
            await #expect(throws: DomainError.forbidden) {
                try await c.perform(admin, auditor.id, .resetPassword("a brand new passphrase"))
            }
            await #expect(throws: DomainError.forbidden) { try await c.perform(admin, auditor.id, .disable) }
            try await c.perform(.commandLine, auditor.id, .resetPassword("a brand new passphrase"))
            try await c.perform(.commandLine, auditor.id, .disable)
            for action in ["user.reset_password", "user.disable"] {
                #expect(try await audit(db, action).map(\.actor) == ["cli"])
            }
            #expect(try await audit(db, "user.create").last?.after?.contains("commandLine") == true)
        }
    }

    // MARK: - 8. Jurisdiction of grants and unit members

    @Test func grantsAndUnitMembersOnlyForUsersInsideTheJurisdiction() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let outsider = try await c.createUser(
                .root, username: "wai", displayName: "外", password: password, role: .communityWorker,
                nodeID: tree.otherCommunity.id)
            let insider = try await c.createUser(
                .root, username: "nei", displayName: "内", password: password, role: .gridWorker, nodeID: tree.grid2.id)
            let worker = try await staff(db, "worker", .communityWorker, at: tree.community)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await c.perform(worker, outsider.id, .grant(.gridWorker, nodeID: tree.grid1.id))
            }
            await #expect(throws: DomainError.notFound) {
                _ = try await c.perform(worker, 424242, .grant(.gridWorker, nodeID: tree.grid1.id))
            }
            _ = try await c.perform(worker, insider.id, .grant(.gridWorker, nodeID: tree.grid1.id))
            let resident = try await c.signUpResident(
                username: "wang", displayName: "王", password: password, buildingID: tree.buildings[0].id)
            _ = try await c.perform(worker, resident.id, .grant(.buildingHead, nodeID: tree.buildings[0].id))

            // A handler held at the district lies outside a sub-district administrator's jurisdiction.
            let setup = CaseSetup(db: db)
            let unit = try await setup.createUnit(.root, nodeID: tree.subdistrict.id, name: "城建办")
            let subAdmin = Actor.with(.subdistrictAdmin, at: tree.subdistrict)
            let far = try await c.createUser(
                .root, username: "yuan", displayName: "远", password: password, role: .departmentHandler,
                nodeID: tree.district.id)
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await setup.addMember(subAdmin, unitID: unit.id, userID: far.id)
            }
            try await setup.addMember(subAdmin, unitID: unit.id, userID: insider.id)
        }
    }

    // MARK: - 9. Tokens from the command line

    @Test func theCommandLineCreatesATokenForAUser() async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let c = commands(db)
            let user = try await c.createUser(
                .root, username: "zhou", displayName: "周", password: password, role: .gridWorker, nodeID: tree.grid1.id)
            let (token, secret) = try await c.createToken(.commandLine, name: "脚本", owner: user.id)
            #expect(token.userID == user.id)
            #expect(try await c.authenticateToken(secret)?.userID == user.id)
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.createToken(.with(.systemAdmin, at: tree.district), name: "冒名", owner: user.id)
            }
        }
    }
}
