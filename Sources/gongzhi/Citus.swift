import ArgumentParser
import Foundation
import GongzhiStore

struct Citus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the statements that distribute this database's tables over Citus by community_id.",
        discussion:
            "Reads the migrated schema: community-owned tables are distributed by community_id, the shared ones (CommunityTables.shared) become reference tables or stay on the coordinator. Prints only; runs nothing."
    )
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let db = try await database.open()
        do {
            let owned = try await CommunityTables.communityOwned(db)
            guard owned.contains("cases") else { fail("the database is not migrated: run gongzhi migrate first") }
            print(CommunityTables.citusStatements(owned: owned), terminator: "")
        } catch { fail(describe(error)) }
        await db.shutdown()
    }
}
