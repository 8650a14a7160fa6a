import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryReviewsTests {
    @Test func aGridWorkersChangesLandInTheQueueMaskedAndAreDecidedOnce() async throws {
        try await withTestDatabase { db in
            // given: a grid worker registers one person and amends them; the community worker registers another
            let w = try await CareWorld.make(db)
            let person = try await w.person("王秀英", sequence: 12)
            var form = w.registry.form("王秀英", sequence: 12, phone: "13812345678", tags: "独居老人")
            form.residenceStatus = "户籍人口"
            try await w.registry.commands.perform(
                w.gridWorker, person: person, .amend(try form.draft(today: RegistryWorld.today)))
            try await w.person("李桂兰", sequence: 13, inGrid2: true)
            let reviews = RegistryReviews(db: db, clock: .fixed(RegistryWorld.t0))
            // when
            let queue = try await reviews.list(ReviewFilter(), for: w.communityWorker)
            // then: two changes of the grid worker's, newest first, masked
            #expect(queue.reviewing && queue.counts["pending"] == 2)
            #expect(queue.items.map(\.action) == ["registry.person.amend", "registry.person.register"])
            let amend = try #require(queue.items.first)
            #expect(amend.person == "王**" && amend.changes.map(\.field) == ["phone"])
            #expect(amend.changes.first?.after == "138****5678")
            #expect(amend.author == "grid1员")
            // and a filter by another grid shows none
            var other = ReviewFilter()
            other.gridID = w.tree.grid2.id
            #expect(try await reviews.list(other, for: w.communityWorker).items.isEmpty)
            // and the grid worker sees their own changes but decides none
            let own = try await reviews.list(ReviewFilter(), for: w.gridWorker)
            #expect(!own.reviewing && own.items.count == 2)
            await #expect(throws: DomainError.forbidden) {
                try await reviews.decide(w.gridWorker, review: amend.id, .accept)
            }
            // when the community worker sends the amendment back and accepts the registration
            try await reviews.decide(w.communityWorker, review: amend.id, try .sendBack(rawNote: "电话号码请再核实"))
            try await reviews.decide(w.communityWorker, review: queue.items[1].id, .accept)
            // then each is decided once, and the grid worker hears of the one sent back and reads its note
            await #expect(throws: DomainError.invalid("review_decided")) {
                try await reviews.decide(w.communityWorker, review: amend.id, .accept)
            }
            var returned = ReviewFilter()
            returned.status = .returned
            let back = try await reviews.list(returned, for: w.gridWorker)
            #expect(back.items.map(\.note) == ["电话号码请再核实"] && back.counts["accepted"] == 1)
            let notices = try await Notifications.list(db, userID: w.gridWorker.userID)
            #expect(notices.map(\.kind) == ["registry.review_returned"])
            // and the queue holds no ID number or phone in the clear
            let stored = try await db.read { sql in
                try await sql.raw("SELECT before_json, after_json FROM registry_reviews").all().map {
                    (try $0.decode(column: "before_json", as: String?.self) ?? "")
                        + (try $0.decode(column: "after_json", as: String.self))
                }.joined()
            }
            #expect(!stored.contains("13812345678") && !stored.contains(RegistryWorld.idNumber()))
        }
    }
}

@Suite struct CareTreeFollowsTests {
    @Test func aGridMovedToAnotherCommunityTakesItsPeoplesVisitsReviewsAndCorrections() async throws {
        try await withTestDatabase { db in
            // given: a person of grid 2, registered by its grid worker (so queued), visited
            let w = try await CareWorld.make(db)
            var form = w.registry.form("李桂兰", sequence: 13, room: "", building: w.tree.buildings[2], tags: "独居老人")
            form.unit = ""
            let person = try await w.registry.register(form, by: w.otherGridWorker).id
            try await CareCommands(db: db, clock: .fixed(RegistryWorld.t0)).perform(
                w.otherGridWorker,
                .recordVisit(
                    person: person,
                    try CareVisitDraft(
                        visitedOn: RegistryWorld.today, method: .home, findings: "一切都好", followUp: false,
                        today: RegistryWorld.today)))
            // when the grid moves to the other community
            _ = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.grid2.id, .move(to: w.tree.otherCommunity.id))
            // then its people's side rows follow them
            let communities = try await db.read { sql in
                var out: [String: Int64] = [:]
                for table in ["care_visits", "registry_reviews"] {
                    out[table] = try await sql.raw(
                        SQLQueryString("SELECT community_id FROM \(unsafeRaw: table) WHERE person_id = \(bind: person)")
                    ).first()?.decode(column: "community_id", as: Int64.self)
                }
                return out
            }
            #expect(
                communities == ["care_visits": w.tree.otherCommunity.id, "registry_reviews": w.tree.otherCommunity.id])
        }
    }
}
