import Foundation
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct ConcurrentMigrationTests {
    /// Two instances starting together on one empty PostgreSQL database: both start, and each migration is applied
    /// exactly once.
    @Test(.enabled(if: TestBackend.current == .postgres))
    func twoInstancesMigratingTogetherApplyEachMigrationOnce() async throws {
        try await withTestDatabase { db in
            // given: an empty database
            try await db.read { sql in
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
            let first = try Database.open(url: db.url, connectionsPerLoop: 1)
            let second = try Database.open(url: db.url, connectionsPerLoop: 1)
            // when
            let a = Task { await outcome { try await Migrator().migrate(first) } }
            let b = Task { await outcome { try await Migrator().migrate(second) } }
            let results = [await a.value, await b.value]
            await first.shutdown()
            await second.shutdown()
            // then
            let applied = try results.map { try $0.get() }
            #expect(Set(applied[0]).isDisjoint(with: applied[1]))
            #expect((applied[0] + applied[1]).sorted() == Migrations.all.map(\.version).sorted())
            #expect(try await Migrator().pending(db) == [])
        }
    }
}

private func outcome<T>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
