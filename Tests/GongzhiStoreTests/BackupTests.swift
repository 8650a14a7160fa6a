import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct BackupTests {
    @Test func sqliteBackupOpensWithTheSameDataAndAnIntactChain() async throws {
        try await withTestDatabase { db in
            guard db.backend == .sqlite else { return }  // PostgreSQL backups are pg_dump archives; see the next test
            // given
            let tree = try await SmallTree.make(db)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "backup-\(UUID().uuidString).sqlite"
            ).path
            defer { try? FileManager.default.removeItem(atPath: file) }
            // when
            try await Backup.run(db, to: file)
            _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid1.id, .rename(name: "备份之后")).node
            // then
            let copy = try Database.open(url: "sqlite://\(file)", connectionsPerLoop: 1)
            try copy.useServerSecret(testAuditSecret)
            let grid = try await JurisdictionStore(db: copy).node(tree.grid1.id)
            #expect(grid?.name == "第一网格")
            #expect(try await AuditLog.verify(copy) == .intact(entries: 10))
            await copy.shutdown()
            await #expect(throws: Backup.Failure.self) { try await Backup.run(db, to: file) }
        }
    }

    @Test func postgresBackupIsARestorableArchive() async throws {
        try await withTestDatabase { db in
            guard db.backend == .postgres else { return }
            _ = try await SmallTree.make(db)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString).dump")
                .path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await Backup.run(db, to: file)
            let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)).readData(ofLength: 5)
            #expect(String(decoding: head, as: UTF8.self) == "PGDMP")
        }
    }
}
