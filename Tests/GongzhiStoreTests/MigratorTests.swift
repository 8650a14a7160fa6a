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

    // Branches reserve numbers (accounts-shape holds 25 while 24 is taken elsewhere), so gaps are allowed until
    // the merge; a clash or an out-of-order entry still fails.
    @Test func versionsAreUniqueAndInOrder() {
        let versions = Migrations.all.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
    }
}
