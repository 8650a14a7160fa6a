import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct MigratorTests {
    @Test func migratingTwiceIsANoOp() async throws {
        try await withTestDatabase { db in
            let applied = try await Migrator().migrate(db)
            let pending = try await Migrator().pending(db)
            #expect(applied == [])
            #expect(pending == [])
        }
    }

    /// Each branch holds its own range of numbers, so the list may have gaps, but it is strictly increasing (no
    /// number twice, none out of order).
    @Test func versionsAreUniqueAndIncreasing() {
        let versions = Migrations.all.map(\.version)
        #expect(versions.first == 1)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
    }
}
