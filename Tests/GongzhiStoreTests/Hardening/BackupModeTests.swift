import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct BackupModeTests {
    /// A backup holds every resident's data: only its owner may read it, on SQLite and on PostgreSQL alike.
    @Test func backupFilesAreReadableByTheirOwnerOnly() async throws {
        try await withTestDatabase { db in
            // given
            _ = try await SmallTree.make(db)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString).bak")
                .path
            defer { try? FileManager.default.removeItem(atPath: file) }
            // when
            try await Backup.run(db, to: file)
            // then
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "backend \(db.backend), mode \(String(mode ?? -1, radix: 8))")
            #expect((attributes[.size] as? NSNumber)?.intValue ?? 0 > 0)
            await #expect(throws: Backup.Failure.self) { try await Backup.run(db, to: file) }
        }
    }
}
