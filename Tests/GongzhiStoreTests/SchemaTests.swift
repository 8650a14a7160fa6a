import Foundation
import GongzhiStore
import GongzhiTestSupport
import Testing

/// The migrated schema must equal the committed dump. After adding a migration, regenerate the dumps with
/// `GONGZHI_UPDATE_SCHEMA=1 swift test --filter SchemaTests` (on both backends) and commit them.
@Suite struct SchemaTests {
    @Test func migratedSchemaMatchesTheCommittedDump() async throws {
        try await withTestDatabase { db in
            let dump = try await SchemaDump.dump(db)
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Schema/\(db.backend == .sqlite ? "sqlite" : "postgres").sql")
            if ProcessInfo.processInfo.environment["GONGZHI_UPDATE_SCHEMA"] == "1" {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try dump.write(to: file, atomically: true, encoding: .utf8)
            }
            let committed = try String(contentsOf: file, encoding: .utf8)
            #expect(
                dump == committed,
                "schema differs from \(file.lastPathComponent); regenerate it if the change is intended")
        }
    }
}
