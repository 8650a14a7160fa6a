import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct CaseCallerTests {
    let caller = Caller(name: "王小明", phone: "13812345678")

    func hotlineCase(_ w: CaseWorld, caller: Caller?) async throws -> Case {
        var submission = CaseSubmission(
            kind: .appeal, channel: .hotline, title: "楼道灯不亮", description: "来电反映3栋楼道灯坏了",
            categoryID: w.category.id, nodeID: w.tree.buildings[0].id)
        submission.caller = caller
        return try await w.commands().submit(w.worker, submission)
    }

    func code(_ db: Database, _ c: Case) throws -> String { try db.personalDataBox!.trackingCode(caseID: c.id) }

    @Test func aCallerIsStoredSealedAndShownMasked() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            // when
            let c = try await hotlineCase(w, caller: caller)
            // then: nothing readable in the row or the audit log
            let stored = try await db.read { sql in
                try await sql.raw("SELECT name_sealed, phone_sealed, phone_index FROM case_callers").all()
            }
            #expect(stored.count == 1)
            let values =
                try stored[0].decode(column: "name_sealed", as: String.self)
                + (try stored[0].decode(column: "phone_sealed", as: String.self))
                + (try stored[0].decode(column: "phone_index", as: String.self))
            #expect(!values.contains("王小明") && !values.contains("13812345678") && !values.contains("5678"))
            let audit = try await db.read { sql in
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM audit_log WHERE after_state LIKE '%5678%' OR after_state LIKE '%王%'"
                )
                .first()!.decode(column: "n", as: Int.self)
            }
            #expect(audit == 0)
            let view = try await CaseStore(db: db).caller(of: c.id, for: w.worker, now: CaseWorld.t0)
            #expect(view == CallerView(masked: caller.masked, trackingCode: try code(db, c)))
        }
    }

    @Test func onlyThoseWhoMaySeeTheReporterSeeTheCaller() async throws {
        try await withTestDatabase { db in
            // given: dispatched to the handler's unit
            let w = try await CaseWorld.make(db)
            let c = try await w.advance(try await hotlineCase(w, caller: caller), to: .dispatched)
            // then
            #expect(try await CaseStore(db: db).caller(of: c.id, for: w.handler, now: CaseWorld.t0) == nil)
            await #expect(throws: DomainError.self) {
                try await CaseStore(db: db).revealCaller(
                    c.id, for: w.handler, reason: "回访", clock: .fixed(CaseWorld.t0))
            }
            await #expect(throws: DomainError.self) {
                try await CaseStore(db: db).caller(of: c.id, for: w.resident, now: CaseWorld.t0)
            }
        }
    }

    @Test func aFullViewNeedsAReasonAndIsAudited() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let c = try await hotlineCase(w, caller: caller)
            let store = CaseStore(db: db)
            // when / then
            await #expect(throws: DomainError.invalid("caller_reason_required", field: "reason")) {
                try await store.revealCaller(c.id, for: w.worker, reason: " ", clock: .fixed(CaseWorld.t0))
            }
            let full = try await store.revealCaller(c.id, for: w.worker, reason: "回访来电人", clock: .fixed(CaseWorld.t0))
            #expect(full == caller)
            let entries = try await db.read { sql in
                try await sql.raw("SELECT role, after_state FROM audit_log WHERE action = 'case.caller.view'").all()
            }
            #expect(entries.count == 1)
            #expect(try entries[0].decode(column: "role", as: String?.self) == Role.communityWorker.rawValue)
            #expect(try entries[0].decode(column: "after_state", as: String?.self)?.contains("回访来电人") == true)
        }
    }

    @Test func onlyHotlineAndWalkInCasesRecordACaller() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            var submission = CaseSubmission(
                kind: .event, channel: .patrol, title: "井盖松动", description: "路口井盖松动",
                nodeID: w.tree.buildings[0].id)
            submission.caller = caller
            await #expect(throws: DomainError.invalid("caller_only_for_hotline", field: "caller_name")) {
                try await w.commands().submit(w.worker, submission)
            }
            let count = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 0, "a refused filing leaves nothing behind")
        }
    }

    @Test func theCallerFollowsWithTheCodeAndRatesOnceClosed() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let c = try await hotlineCase(w, caller: caller)
            let store = CaseStore(db: db)
            // when: still open
            let open = try await store.tracked(
                number: c.number, code: try code(db, c).lowercased(), address: "10.0.0.1", now: CaseWorld.t0)
            // then: readable, not rateable, no staff names
            #expect(open.case.id == c.id)
            #expect(open.capabilities == [.read])
            #expect(open.timeline.allSatisfy { $0.actorName == nil })
            #expect(open.case.reporterUserID == nil)
            // when: closed and rated
            _ = try await w.advance(c, to: .closed)
            let rated = try await w.commands().performAsCaller(
                number: c.number, code: try code(db, c), address: "10.0.0.1",
                .rate(.basicallySatisfied, comment: "处理及时", reopen: false))
            #expect(rated.rating == .basicallySatisfied)
            #expect(rated.ratingComment == "处理及时")
        }
    }

    @Test func staffWhoFiledForACallerNeverRate() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let c = try await w.advance(try await hotlineCase(w, caller: caller), to: .closed)
            await #expect(throws: DomainError.self) {
                try await w.commands().perform(w.worker, c.id, .rate(.satisfied, comment: "", reopen: false))
            }
        }
    }

    @Test func aWrongCodeRevealsNothingAndCountsAgainstTheAddress() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let c = try await hotlineCase(w, caller: caller)
            let store = CaseStore(db: db)
            // when / then: the same answer for a wrong code and an unknown number
            for (number, code) in [(c.number, "AAAAAAAA"), ("GZ00000000-000000", try code(db, c))] {
                await #expect(throws: DomainError.invalid("track_not_found", field: "number")) {
                    try await store.tracked(number: number, code: code, address: "10.0.0.9", now: CaseWorld.t0)
                }
            }
            // and a web case (no caller) cannot be followed at all
            let web = try await w.submit()
            await #expect(throws: DomainError.invalid("track_not_found", field: "number")) {
                try await store.tracked(
                    number: web.number, code: try db.personalDataBox!.trackingCode(caseID: web.id), address: "10.0.0.9",
                    now: CaseWorld.t0)
            }
            // when: enough failures from one address, even the right pair is refused there
            for _ in 0..<(LoginThrottle().maxFailuresPerAddress - 3) {
                _ = try? await store.tracked(number: c.number, code: "AAAAAAAA", address: "10.0.0.9", now: CaseWorld.t0)
            }
            await #expect(throws: DomainError(.tooManyAttempts, "track_address_blocked")) {
                try await store.tracked(number: c.number, code: try code(db, c), address: "10.0.0.9", now: CaseWorld.t0)
            }
            // another address is unaffected
            #expect(
                try await store.tracked(number: c.number, code: try code(db, c), address: "10.0.0.8", now: CaseWorld.t0)
                    .case.id == c.id)
        }
    }
}
