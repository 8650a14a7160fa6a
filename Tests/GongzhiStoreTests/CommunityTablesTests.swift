import Foundation
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// Every community-owned table carries `community_id`, so a PostgreSQL sharded by community (Citus) can hold the
/// schema; the shared tables are the ones `CommunityTables.shared` lists, each with its reason.
@Suite struct CommunityTablesTests {
    @Test func everyTableThatIsNotSharedHasANotNullCommunityID() async throws {
        try await withTestDatabase { db in
            let tables = try await CommunityTables.tables(db)
            #expect(tables.count > 30)
            #expect(tables.contains { $0.name == "cases" && $0.communityIDNullable == false })
            #expect(tables.contains { $0.name == "nodes" && $0.communityIDNullable == true })
            #expect(tables.contains { $0.name == "sessions" && $0.communityIDNullable == nil })
            #expect(CommunityTables.problems(tables) == [])
        }
    }

    @Test func aNewTableWithoutCommunityIDFailsUntilItHasOneOrIsListed() async throws {
        try await withTestDatabase { db in
            // when: a migration adds a table without the column, and one with it nullable
            try await db.transaction { sql in
                try await sql.raw("CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT NOT NULL)").run()
                try await sql.raw("CREATE TABLE gadgets (id BIGINT PRIMARY KEY, community_id BIGINT)").run()
            }
            // then
            let problems = CommunityTables.problems(try await CommunityTables.tables(db))
            #expect(problems.count == 2)
            #expect(problems.contains { $0.hasPrefix("widgets is community-owned but has no community_id") })
            #expect(problems.contains { $0.hasPrefix("gadgets is community-owned but has a nullable community_id") })
        }
    }

    @Test func aListedTableTheSchemaLacksIsReported() {
        let problems = CommunityTables.problems([.init(name: "cases", communityIDNullable: false)])
        #expect(problems.contains("CommunityTables lists nodes, which the schema does not have"))
        // Every community-owned table has its community now (open311_tokens since migration 31).
        #expect(CommunityTables.missingCommunityID.isEmpty)
    }

    @Test func theReadmeShowsTheCitusStatementsForTheMigratedSchema() async throws {
        try await withTestDatabase { db in
            let statements = CommunityTables.citusStatements(owned: try await CommunityTables.communityOwned(db))
            #expect(statements.contains("SELECT create_distributed_table('cases', 'community_id');"))
            #expect(statements.contains("SELECT create_reference_table('nodes');"))
            let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md")
            let text = try String(contentsOf: readme, encoding: .utf8)
            #expect(
                text.contains("```sql\n" + statements + "```\n"),
                "README.md must show what `gongzhi citus` prints, in a ```sql block:\n\(statements)")
        }
    }
}
