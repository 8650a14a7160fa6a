import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Testing

@testable import GongzhiStore

/// The escalation tick as a set-based step (issue 11): a page of due cases rises in one transaction, each case once,
/// with its timeline line, its notices and its own audit entry in one chain, and the kept counts follow.
@Suite struct CaseEscalationBatchTests {
    /// `(case, user)` of every escalation notice.
    static func escalationNotices(_ db: Database) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT case_id, user_id FROM notifications WHERE kind = 'case.escalate'").all().map {
                "\(try $0.decode(column: "case_id", as: Int64.self))/\(try $0.decode(column: "user_id", as: Int64.self))"
            }
        }
    }

    /// The object ids of the automatic escalations' audit entries, in chain order.
    static func escalationAudit(_ db: Database, level: Int) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT object_id FROM audit_log WHERE action = 'case.escalate' AND result = 'automatic'
                AND after_state = \(bind: "\(level)") ORDER BY seq
                """
            ).all().map { try $0.decode(column: "object_id", as: String.self) }
        }
    }

    @Test func manyCasesDueAtOnceEachRiseOnceWithLineNoticesAndAuditEntryInOneChain() async throws {
        try await withTestDatabase { db in
            // given: 57 dispatched cases due within a few minutes, some of them followed by the grid worker
            let w = try await CaseWorld.make(db)
            var cases: [Case] = []
            for i in 0..<57 {
                let c = try await w.case(in: .dispatched, at: CaseWorld.t0.addingTimeInterval(Double(i) * 10))
                if i % 5 == 0 { _ = try await w.commands().perform(w.worker, c.id, .follow) }
                cases.append(c)
            }
            let due = try #require(cases.last?.resolveBy)
            // when: the first tick, in pages of 20, then another a minute later
            let first = try await w.commands(at: due.addingTimeInterval(60)).escalateOverdue(batch: 20)
            let again = try await w.commands(at: due.addingTimeInterval(120)).escalateOverdue(batch: 20)
            // then: every case rose once, to level 1, with one timeline line
            #expect(first == cases.count)
            #expect(again == 0)
            for c in cases {
                let now = try await CaseStore(db: db).find(c.id)
                #expect(now?.escalationLevel == 1)
                #expect(now?.version == c.version + 1)
                let lines = try await CaseStore(db: db).events(of: c.id).filter { $0.action == "escalate" }
                #expect(lines.map(\.note) == ["auto:1"])
            }
            // the reporter, the unit's handler and the followers heard of each, once
            let notices = try await Self.escalationNotices(db)
            var expected: [String] = []
            for (i, c) in cases.enumerated() {
                expected += ["\(c.id)/\(w.resident.userID)", "\(c.id)/\(w.handler.userID)"]
                if i % 5 == 0 { expected.append("\(c.id)/\(w.worker.userID)") }
            }
            #expect(notices.sorted() == expected.sorted())
            // one audit entry per case, all in one intact chain
            #expect(try await Self.escalationAudit(db, level: 1).sorted() == cases.map { "\($0.id)" }.sorted())
            guard case .intact = try await AuditLog.verify(db) else {
                Issue.record("audit chain broken")
                return
            }
            #expect(try await CaseListScaleTests.keptTableMatches(db))
            #expect(try await CaseMeasureRollupTests.keptRowsMatch(db))
            // and two days later each rises once more, to the district
            #expect(try await w.commands(at: due.addingTimeInterval(49 * 3600)).escalateOverdue(batch: 20) == 57)
            #expect(try await Self.escalationAudit(db, level: 2).sorted() == cases.map { "\($0.id)" }.sorted())
            for c in cases { #expect(try await CaseStore(db: db).find(c.id)?.escalationLevel == 2) }
            guard case .intact = try await AuditLog.verify(db) else {
                Issue.record("audit chain broken")
                return
            }
        }
    }

    @Test func aCaseChangedSinceItWasSeenIsSkippedAndRaisedByTheNextTick() async throws {
        try await withTestDatabase { db in
            // given: three dispatched cases, seen due; then the unit asks for more time on the second
            let w = try await CaseWorld.make(db)
            var cases: [Case] = []
            for i in 0..<3 {
                cases.append(try await w.case(in: .dispatched, at: CaseWorld.t0.addingTimeInterval(Double(i) * 60)))
            }
            let due = try #require(cases.last?.resolveBy)
            let seen = cases.map { (id: $0.id, version: $0.version) }
            _ = try await w.commands().perform(
                w.handler, cases[1].id, .requestExtension(until: due.addingTimeInterval(86_400), reason: "等配件"))
            // when: the page seen before the change is raised
            let raised = try await w.commands(at: due.addingTimeInterval(60)).escalate(seen)
            // then: the changed case is left as it is, with no line, notice or audit entry
            #expect(raised == 2)
            #expect(try await CaseStore(db: db).find(cases[1].id)?.escalationLevel == 0)
            #expect(
                try await Self.escalationAudit(db, level: 1).sorted() == [cases[0].id, cases[2].id].map { "\($0)" })
            #expect(try await Self.escalationNotices(db).filter { $0.hasPrefix("\(cases[1].id)/") }.isEmpty)
            // and the next tick raises it, once
            #expect(try await w.commands(at: due.addingTimeInterval(120)).escalateOverdue() == 1)
            #expect(try await CaseStore(db: db).find(cases[1].id)?.escalationLevel == 1)
            #expect(try await w.commands(at: due.addingTimeInterval(180)).escalate(seen) == 0)
            #expect(try await Self.escalationAudit(db, level: 1).count == 3)
            guard case .intact = try await AuditLog.verify(db) else {
                Issue.record("audit chain broken")
                return
            }
        }
    }

    @Test func manyAuditRecordsAppendedAtOnceChainLikeOneAfterAnother() async throws {
        try await withTestDatabase { db in
            // given: one entry appended alone, then 900 at once (more than one multi-row insert), then one more
            let records = (0..<900).map {
                AuditRecord(action: "test.many", objectType: "thing", objectID: "\($0)", communityID: nil)
            }
            try await db.command(.system, clock: .fixed(CaseWorld.t0)) { tx in
                try await tx.audit(AuditRecord(action: "test.one", objectType: "thing", objectID: "a"), role: nil)
            }
            try await db.command(.system, clock: .fixed(CaseWorld.t0)) { tx in try await tx.audit(records, role: nil) }
            try await db.command(.system, clock: .fixed(CaseWorld.t0)) { tx in
                try await tx.audit([], role: nil)
                try await tx.audit(AuditRecord(action: "test.one", objectType: "thing", objectID: "b"), role: nil)
            }
            // then: one entry per record, in order, and the chain verifies
            let many = try await AuditLog.recent(db, beforeSeq: nil, limit: 2000, objectType: "thing")
            #expect(many.count == 902)
            #expect(many.reversed().map(\.objectID) == ["a"] + (0..<900).map { "\($0)" } + ["b"])
            guard case .intact = try await AuditLog.verify(db) else {
                Issue.record("audit chain broken")
                return
            }
        }
    }
}
