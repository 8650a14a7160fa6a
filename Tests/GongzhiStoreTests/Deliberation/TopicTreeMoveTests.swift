import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct TopicTreeMoveTests {
    @Test func aGridMovedToAnotherCommunityTakesItsBuildingsTopicsAlong() async throws {
        try await withTestDatabase { db in
            // given: the first building's topic with a co-signature and a comment, and a community topic
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            _ = try await w.commands().perform(w.neighbours[0], topic.id, .coSign)
            _ = try await w.commands().comment(w.neighbours[0], topic.id, text: "支持")
            let stays = try await w.commands().raise(
                w.resident,
                TopicProposal(placeKind: .community, placeID: w.tree.community.id, title: "社区停车", body: "停车难"))
            // when: the first grid, with the building, moves to the other community
            let moved = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.grid1.id, .move(to: w.tree.otherCommunity.id)
            ).node
            // then: the topic's scope path and community follow the building, its side rows too
            let building = try #require(try await JurisdictionStore(db: db).node(w.tree.buildings[0].id))
            #expect(NodePath.isInside(building.path, moved.path))
            let rows = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT t.scope_path, t.community_id,
                      (SELECT COUNT(*) FROM topic_events e WHERE e.topic_id = t.id AND e.community_id <> t.community_id) AS stale_events,
                      (SELECT COUNT(*) FROM topic_cosignatures s WHERE s.topic_id = t.id AND s.community_id <> t.community_id) AS stale_signatures,
                      (SELECT COUNT(*) FROM topic_comments c WHERE c.topic_id = t.id AND c.community_id <> t.community_id) AS stale_comments
                    FROM topics t WHERE t.id = \(bind: topic.id)
                    """
                ).first()
            }
            let row = try #require(rows)
            #expect(try row.decode(column: "scope_path", as: String.self) == building.path)
            #expect(try row.decode(column: "community_id", as: Int64.self) == w.tree.otherCommunity.id)
            #expect(try row.decode(column: "stale_events", as: Int.self) == 0)
            #expect(try row.decode(column: "stale_signatures", as: Int.self) == 0)
            #expect(try row.decode(column: "stale_comments", as: Int.self) == 0)
            // The other community's worker now reads it; the community topic stayed where it was.
            let list = try await TopicStore(db: db).list(TopicFilter(), for: w.worker)
            #expect(list.map(\.id) == [stays.id])
        }
    }
}
