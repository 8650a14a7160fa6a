import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct TreeImportAtomicityTests {
    @Test func anImportFailingOnARowAfterGoodRowsLeavesNothingBehind() async throws {
        try await withTestDatabase { db in
            // given: four good rows, then a building whose parent does not exist
            let csv = """
                ref,kind,name,parent_ref,code,estate,latitude,longitude
                440305,district,南山区,,440305,,,
                440305001,subdistrict,南头街道,440305,440305001,,,
                c1,community,同乐社区,440305001,,,,
                g1,grid,第一网格,c1,,,,
                b1,building,1栋,g9,,,,

                """
            // when
            await #expect(throws: DomainError.self) {
                _ = try await TreeExchange(db: db).importTree(.root, csv: csv)
            }
            // then: no node, no history line, no audit entry of the import
            let counts = try await db.read { sql in
                var out: [Int] = []
                for query in [
                    "SELECT COUNT(*) AS n FROM nodes", "SELECT COUNT(*) AS n FROM node_history",
                    "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'node.%' OR action LIKE 'tree.%'",
                ] {
                    out.append(try await sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self))
                }
                return out
            }
            #expect(counts == [0, 0, 0])
            // and the same file with the row fixed goes in whole
            let fixed = csv.replacingOccurrences(of: "1栋,g9", with: "1栋,g1")
            #expect(try await TreeExchange(db: db).importTree(.root, csv: fixed) == 5)
        }
    }
}
