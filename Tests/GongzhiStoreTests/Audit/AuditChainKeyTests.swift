import Foundation
import GongzhiDomain
import GongzhiTestSupport
import HummingbirdOTP
import SQLKit
import Testing

@testable import GongzhiStore

/// The chain is keyed with the server secret, its head is authenticated, old unkeyed chains still verify, and
/// verification can start from an authenticated checkpoint.
@Suite struct AuditChainKeyTests {
    func dropGuards(_ db: Database) async throws {
        try await db.read { sql in
            if db.backend == .sqlite {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
            }
        }
    }

    /// What someone with only the database file can do: edit an entry and recompute every hash after it, and the head.
    func rewriteWithoutKey(_ db: Database, fromSeq: Int64, _ change: (inout AuditEntry) -> Void) async throws {
        var entries = try await AuditLog.page(db, afterSeq: 0, limit: 1000)
        var prev = fromSeq > 1 ? entries[Int(fromSeq) - 2].hash : AuditEntry.genesisHash
        for i in Int(fromSeq - 1)..<entries.count {
            if entries[i].seq == fromSeq { change(&entries[i]) }
            entries[i].prevHash = prev
            entries[i].hash = AuditLog.plainHash(entries[i])
            prev = entries[i].hash
            let e = entries[i]
            try await db.read { sql in
                try await sql.raw(
                    """
                    UPDATE audit_log SET object_id = \(bind: e.objectID), prev_hash = \(bind: e.prevHash), hash = \(bind: e.hash) WHERE seq = \(bind: e.seq)
                    """
                ).run()
            }
        }
        let last = prev
        try await db.read { sql in try await sql.raw("UPDATE audit_head SET hash = \(bind: last) WHERE id = 1").run() }
    }

    @Test func aRewriteWithRecomputedHashesIsFoundWithoutTheKey() async throws {
        try await withTestDatabase { db in
            // given: someone with the database file edits entry 4 and recomputes the chain after it
            _ = try await SmallTree.make(db)
            try await dropGuards(db)
            try await rewriteWithoutKey(db, fromSeq: 4) { $0.objectID = "999" }
            // then
            #expect(try await AuditLog.verify(db) == .broken(atSeq: 4, reason: "content altered"))
        }
    }

    @Test func anotherSecretDoesNotVerifyTheChain() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            try db.useServerSecret("another-secret-of-at-least-thirty-two-chars")
            #expect(try await AuditLog.verify(db) == .broken(atSeq: 1, reason: "content altered"))
            await #expect(throws: AuditError.self) { try await AuditLog.prepare(db) }
        }
    }

    @Test func cuttingTheEndAndResettingTheHeadIsFound() async throws {
        try await withTestDatabase { db in
            // given: the last three entries deleted and the head set back to entry 7
            _ = try await SmallTree.make(db)
            try await dropGuards(db)
            try await db.read { sql in
                try await sql.raw("DELETE FROM audit_log WHERE seq > 7").run()
                try await sql.raw(
                    "UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_log WHERE seq = 7) WHERE id = 1"
                ).run()
            }
            // then
            #expect(
                try await AuditLog.verify(db)
                    == .broken(atSeq: 8, reason: "head not authentic: entries removed from the end or head reset"))
        }
    }

    @Test func appendingWithoutAKeyIsRefused() async throws {
        try await withTestDatabase { db in
            await #expect(throws: AuditError.self) {
                try await db.read { sql in
                    try await AuditLog.append(
                        sql, backend: db.backend, actor: nil, at: Date(),
                        AuditRecord(action: "x", objectType: "y", objectID: "1"))
                }
            }
        }
    }

    @Test func anOldUnkeyedChainStillVerifiesAndTheKeyedPartFollowsIt() async throws {
        try await withTestDatabase { db in
            // given: a database as an older version left it — entries hashed with plain SHA-256, no key column yet
            try await db.read { sql in
                try await sql.raw("DELETE FROM schema_migrations WHERE version = 23").run()
                try await sql.raw("DROP TABLE audit_checkpoints").run()
                try await sql.raw("ALTER TABLE audit_head DROP COLUMN mac").run()
                try await sql.raw("ALTER TABLE audit_head DROP COLUMN keyed_from").run()
            }
            var prev = AuditEntry.genesisHash
            for seq in Int64(1)...3 {
                var e = AuditEntry(
                    seq: seq, at: Date(epochMillis: 1_700_000_000_000 + seq), actorUserID: nil, actorName: "system",
                    role: nil,
                    nodeID: nil, communityID: nil, action: "old.entry", objectType: "thing", objectID: "\(seq)",
                    result: "ok",
                    before: nil, after: nil, prevHash: prev, hash: "")
                e.hash = AuditLog.plainHash(e)
                prev = e.hash
                let entry = e
                try await db.read { sql in
                    try await sql.raw(
                        """
                        INSERT INTO audit_log (seq, at, actor_name, action, object_type, object_id, result, prev_hash, hash)
                        VALUES (\(bind: entry.seq), \(bind: entry.at.epochMillis), 'system', 'old.entry', 'thing', \(bind: entry.objectID), 'ok',
                          \(bind: entry.prevHash), \(bind: entry.hash))
                        """
                    ).run()
                    try await sql.raw(
                        "UPDATE audit_head SET seq = \(bind: entry.seq), hash = \(bind: entry.hash) WHERE id = 1"
                    ).run()
                }
            }
            // when: migrated with the secret, then changed
            #expect(try await Migrator().migrate(db) == [23])
            _ = try await SmallTree.make(db)
            // then
            #expect(try await AuditLog.verify(db) == .intact(entries: 13))
            let keyedFrom = try await db.read { sql in
                try await sql.raw("SELECT keyed_from FROM audit_head").first()!.decode(
                    column: "keyed_from", as: Int64.self)
            }
            #expect(keyedFrom == 4)
            // and an edit of the old part is still found
            try await dropGuards(db)
            try await db.read { sql in try await sql.raw("UPDATE audit_log SET object_id = '9' WHERE seq = 2").run() }
            #expect(try await AuditLog.verify(db) == .broken(atSeq: 2, reason: "content altered"))
        }
    }

    @Test func pagesVerifyFromTheNewestCheckpoint() async throws {
        try await withTestDatabase { db in
            // given: a verification recorded a checkpoint at entry 10
            let tree = try await SmallTree.make(db)
            let first = try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            #expect(first.verification == .intact(entries: 10))
            #expect(first.from == nil && first.checked == 10 && first.recorded?.seq == 10)
            // when: two more changes
            _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid1.id, .rename(name: "一网格")).node
            _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid2.id, .rename(name: "二网格")).node
            let second = try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            // then: only those two are checked, and a new checkpoint is recorded
            #expect(second.verification == .intact(entries: 12))
            #expect(second.from?.seq == 10 && second.checked == 2 && second.recorded?.seq == 12)
            let again = try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            #expect(again.checked == 0 && again.recorded == nil && again.verification == .intact(entries: 12))
        }
    }

    @Test func aForgedCheckpointOrAnEntryChangedUnderItIsFound() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            _ = try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            try await dropGuards(db)
            // an entry under the checkpoint changed: the checkpoint's own entry no longer matches
            try await db.read { sql in try await sql.raw("UPDATE audit_log SET hash = 'x' WHERE seq = 10").run() }
            #expect(
                try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: false, at: Date()).verification
                    == .broken(atSeq: 10, reason: "entry changed since its checkpoint"))
            // a checkpoint written without the key
            try await db.read { sql in
                try await sql.raw(
                    "INSERT INTO audit_checkpoints (seq, hash, verified_at, mac) VALUES (11, 'y', 0, 'forged')"
                ).run()
            }
            #expect(
                try await AuditLog.verify(db, from: .newestCheckpoint, recordCheckpoint: false, at: Date()).verification
                    == .broken(atSeq: 11, reason: "checkpoint not authentic"))
        }
    }

    @Test func anAuditorSeesTheEntriesOfTheirSubtree() async throws {
        try await withTestDatabase { db in
            // given: two districts, and a placeless entry (a refused request of nobody)
            let tree = try await SmallTree.make(db)
            let c = JurisdictionCommands(db: db)
            let other = try await c.add(.root, .district, "福田区", code: "440304", under: nil)
            let otherSub = try await c.add(.root, .subdistrict, "园岭街道", under: other.id)
            await AuditLog.recordRefusal(
                db, actor: nil, at: Date(),
                AuditRecord(action: "access.refused", objectType: "request", objectID: "GET /x"))
            // when
            let district = try await AuditLog.recent(db, beforeSeq: nil, limit: 100, scope: [tree.district.path])
            let subdistrict = try await AuditLog.recent(db, beforeSeq: nil, limit: 100, scope: [tree.subdistrict.path])
            // then: a district auditor sees all of the district and the placeless entry, nothing of the other district
            #expect(district.count == 11)
            #expect(!district.contains { $0.nodeID == other.id || $0.nodeID == otherSub.id })
            #expect(district.contains { $0.action == "access.refused" })
            #expect(subdistrict.count == 9)
            #expect(!subdistrict.contains { $0.nodeID == tree.district.id || $0.action == "access.refused" })
        }
    }
}
