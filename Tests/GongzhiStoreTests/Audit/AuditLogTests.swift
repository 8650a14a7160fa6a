import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct AuditLogTests {
    @Test func everyChangeIsChainedAndVerifies() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            #expect(try await AuditLog.verify(db) == .intact(entries: 10))
            let entries = try await AuditLog.page(db, afterSeq: 0, limit: 100)
            #expect(entries.first?.action == "node.create")
            #expect(entries[1].prevHash == entries[0].hash)
        }
    }

    @Test func appendOnlyInTheDatabase() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            await #expect(throws: (any Error).self) {
                try await db.read { sql in
                    try await sql.raw("UPDATE audit_log SET actor_name = 'x' WHERE seq = 2").run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await db.read { sql in try await sql.raw("DELETE FROM audit_log WHERE seq = 10").run() }
            }
        }
    }

    @Test func verifyFindsTheFirstAlteredRow() async throws {
        try await withTestDatabase { db in
            // given: someone with database access drops the guard and edits history
            _ = try await SmallTree.make(db)
            try await db.read { sql in
                if db.backend == .sqlite {
                    try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                } else {
                    try await sql.raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
                }
                try await sql.raw("UPDATE audit_log SET object_id = '999' WHERE seq = 4").run()
            }
            // then
            #expect(try await AuditLog.verify(db) == .broken(atSeq: 4, reason: "content altered"))
        }
    }
}
