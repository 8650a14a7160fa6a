import Foundation
import GongzhiDomain
import GongzhiTestSupport
import Testing

@testable import GongzhiStore

/// The audit page's filters narrow the log in SQL: by person, action, object, subtree and days, combined.
@Suite struct AuditFilterTests {
    @Test func filtersCombineAndASubtreeMeansTheObjectsInside() async throws {
        try await withTestDatabase { db in
            // given: entries about a grid, about the other community and about nothing, on three days
            let tree = try await SmallTree.make(db)
            let day1 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 08:00 in Shanghai
            let day2 = day1.addingTimeInterval(86400), day3 = day2.addingTimeInterval(86400)
            let worker = Actor.with(.communityWorker, at: tree.community, userID: 77, username: "zhangsan")
            for (at, node, community, action) in [
                (day1, tree.grid1.id, tree.community.id, "case.file"),
                (day2, tree.grid2.id, tree.community.id, "case.dispatch"),
                (day3, tree.otherCommunity.id, tree.otherCommunity.id, "case.file"),
            ] {
                await AuditLog.recordRefusal(
                    db, actor: worker, at: at,
                    AuditRecord(
                        action: action, objectType: "case", objectID: "\(node)", communityID: community, nodeID: node))
            }
            func seen(_ configure: (inout AuditFilter) -> Void) async throws -> [String] {
                var f = AuditFilter()
                configure(&f)
                return try await AuditLog.recent(db, beforeSeq: nil, limit: 100, filter: f).filter {
                    $0.objectType == "case"
                }.map { "\($0.action)@\($0.objectID)" }
            }
            // then
            #expect(try await seen { $0.within = tree.community.path }.count == 2)
            #expect(try await seen { $0.within = tree.grid1.path } == ["case.file@\(tree.grid1.id)"])
            #expect(try await seen { $0.action = "case_dispatch" } == ["case.dispatch@\(tree.grid2.id)"])
            #expect(try await seen { $0.action = "case.file" }.count == 2)
            #expect(try await seen { $0.person = "ZHANG" }.count == 3)
            #expect(try await seen { $0.person = "lisi" }.isEmpty)
            #expect(try await seen { $0.objectID = "\(tree.grid2.id)" }.count == 1)
            #expect(
                try await seen {
                    $0.from = day2.addingTimeInterval(-3600)
                    $0.until = day3.addingTimeInterval(-3600)
                } == ["case.dispatch@\(tree.grid2.id)"])
            #expect(
                try await seen {
                    $0.action = "case_file"
                    $0.within = tree.subdistrict.path
                    $0.from = day2
                } == ["case.file@\(tree.otherCommunity.id)"])
        }
    }
}
