import Foundation
import GongzhiDomain
import GongzhiTestSupport
import HummingbirdOTP
import SQLKit
import Testing

@testable import GongzhiStore

/// Every entry of a person's action names the role it was taken in; a refusal's entry is not lost to one failed write.
@Suite struct AuditRoleTests {
    let password = "correct horse battery staple"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func everyEntryOfAPersonNamesTheirRole() async throws {
        try await withTestDatabase { db in
            // given: a community worker who does everything one does for one's own account
            let tree = try await SmallTree.make(db)
            let c = AccountCommands(
                db: db, clock: .fixed(now),
                settings: AccountSettings(
                    bcryptCost: 4, secretBox: SecretBox(serverSecret: String(repeating: "k", count: 40))))
            let user = try await c.createUser(
                .commandLine, username: "staff", displayName: "员", password: password, role: .communityWorker,
                nodeID: tree.community.id)
            let actor = try #require(try await AccountStore(db: db).actor(for: user.id))
            let signIn = try await c.logIn(username: "staff", password: password, address: "a")
            try await c.changePassword(userID: user.id, current: password, new: password + " two")
            let (secret, _) = try await c.beginSecondFactor(actor)
            try await c.confirmSecondFactor(
                actor, code: String(format: "%06d", TOTP(secret: secret).compute(date: now)))
            let (token, _) = try await c.createToken(actor, name: "t")
            try await c.revokeToken(actor, tokenID: token.id)
            try await c.logOut(sessionToken: signIn.sessionToken)
            let later = now.addingTimeInterval(90)
            let c2 = AccountCommands(
                db: db, clock: .fixed(later),
                settings: AccountSettings(
                    bcryptCost: 4, secretBox: SecretBox(serverSecret: String(repeating: "k", count: 40))))
            let second = try await c2.logIn(username: "staff", password: password + " two", address: "a")
            _ = try await c2.completeSecondFactor(
                sessionToken: second.sessionToken,
                code: String(format: "%06d", TOTP(secret: secret).compute(date: later)))
            try await c2.disableSecondFactor(
                actor, code: String(format: "%06d", TOTP(secret: secret).compute(date: later.addingTimeInterval(30))))
            // and administrators' steps that used to go unnamed
            try await CaseSetup(db: db).setCalendarDay(.root, day: "2026-10-01", isWorkday: false, note: "国庆")
            _ = try await TreeExchange(db: db).importTree(
                .root, csv: "ref,kind,name,parent_ref,code,estate\nd2,district,福田区,,440304,\n")
            await AuditLog.recordRefusal(
                db, actor: actor, at: now,
                AuditRecord(action: "access.refused", objectType: "request", objectID: "GET /x"))
            // then
            let entries = try await AuditLog.page(db, afterSeq: 0, limit: 1000)
            let unnamed = entries.filter { $0.actorName != "system" && $0.role == nil }.map { "\($0.seq) \($0.action)" }
            #expect(unnamed == [])
            let own = entries.filter { $0.actorUserID == user.id }
            #expect(
                Set(own.map(\.action)).isSuperset(of: [
                    "auth.login", "user.change_password", "user.second_factor_on", "user.second_factor_off",
                    "token.create", "token.revoke", "auth.logout", "auth.second_factor", "access.refused",
                ]))
            #expect(own.allSatisfy { $0.role == Role.communityWorker.rawValue })
            #expect(entries.first { $0.action == "calendar.set" }?.role == Role.systemAdmin.rawValue)
            #expect(entries.first { $0.action == "tree.import" }?.role == Role.systemAdmin.rawValue)
        }
    }

    @Test func aRefusalIsWrittenOnTheSecondTry() async throws {
        let attempts = Counter()
        await AuditLog.recordRefusal(
            actor: nil, AuditRecord(action: "access.refused", objectType: "request", objectID: "GET /x")
        ) {
            if await attempts.next() == 1 { throw AuditError.headMissing }
        }
        #expect(await attempts.value == 2)
    }

    @Test func aRefusalThatCannotBeWrittenDoesNotFailTheRequest() async throws {
        let attempts = Counter()
        await AuditLog.recordRefusal(
            actor: nil, AuditRecord(action: "access.refused", objectType: "request", objectID: "GET /x")
        ) {
            _ = await attempts.next()
            throw AuditError.headMissing
        }
        #expect(await attempts.value == 2)
    }
}

actor Counter {
    var value = 0
    func next() -> Int { value += 1; return value }
}
