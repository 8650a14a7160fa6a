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

    @Test func versionsAreUniqueAndConsecutive() {
        let versions = Migrations.all.map(\.version)
        #expect(versions == Array(1...versions.count))
    }
}
