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

    /// Branches hold ranges of numbers, so gaps are allowed; a number used twice or out of order is not.
    @Test func versionsAreUniqueAndIncreasing() {
        let versions = Migrations.all.map(\.version)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count && versions.first == 1)
    }
}
