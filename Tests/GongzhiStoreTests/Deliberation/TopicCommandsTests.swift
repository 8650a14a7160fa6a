import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct TopicCommandsTests {
    @Test func aBuildingsTopicReachesTheAgendaWithItsThreshold() async throws {
        try await withTestDatabase { db in
            // given: the first building's rule asks 2 co-signatures within 10 days
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            #expect(topic.state == .collecting)
            #expect(topic.coSignatureThreshold == 2)
            #expect(topic.collectUntil == DeliberationWorld.t0.addingTimeInterval(10 * 86400))
            // when
            let c = w.commands(at: DeliberationWorld.t0.addingTimeInterval(3600))
            let once = try await c.perform(w.neighbours[0], topic.id, .coSign)
            let store = TopicStore(db: db)
            let seen = try await store.record(
                topic.id, for: w.resident, now: DeliberationWorld.t0.addingTimeInterval(7200))
            let twice = try await c.perform(w.neighbours[1], topic.id, .coSign)
            // then: the proposer saw how far it was; the second co-signature put it on the agenda
            #expect(once.state == .collecting && once.coSignatures == 1)
            #expect(seen.progress.remaining == 1 && seen.progress.daysLeft == 10 && seen.isProposer)
            #expect(twice.state == .onAgenda && twice.agendaAt != nil)
            let timeline = try await store.record(topic.id, for: w.worker, now: DeliberationWorld.t0).timeline
            #expect(timeline.map(\.action) == ["raise", "submit", "co_sign", "co_sign"])
            #expect(timeline.last?.toState == .onAgenda)
            let chain = try await AuditLog.verify(db)
            #expect({ if case .intact = chain { true } else { false } }())
        }
    }

    @Test func coSigningIsRefusedWithItsReasons() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            let c = w.commands()
            _ = try await c.perform(w.neighbours[0], topic.id, .coSign)
            // when / then: one's own topic, a second time, from another building, from another community
            await #expect(throws: DomainError(.conflict, "topic_cosign_own")) {
                _ = try await c.perform(w.resident, topic.id, .coSign)
            }
            await #expect(throws: DomainError(.conflict, "topic_cosign_twice")) {
                _ = try await c.perform(w.neighbours[0], topic.id, .coSign)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await c.perform(w.nextDoor, topic.id, .coSign)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await c.perform(w.outsider, topic.id, .coSign)
            }
            // and at the window's last instant
            let late = w.commands(at: try #require(topic.collectUntil))
            await #expect(throws: DomainError(.conflict, "topic_cosign_window_closed")) {
                _ = try await late.perform(w.neighbours[1], topic.id, .coSign)
            }
            let after = try await TopicStore(db: db).record(topic.id, for: w.worker, now: DeliberationWorld.t0)
            #expect(after.topic.coSignatures == 1)
        }
    }

    @Test func theScanArchivesExpiredTopicsOnce() async throws {
        try await withTestDatabase { db in
            // given: one co-signature of two, and another topic still inside its window
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            _ = try await w.commands().perform(w.neighbours[0], topic.id, .coSign)
            let fresh = try await w.topic(at: DeliberationWorld.t0.addingTimeInterval(5 * 86400))
            let end = try #require(topic.collectUntil)
            // when: two instances scan at the end of the window
            async let first = w.commands(at: end).expireDue()
            async let second = w.commands(at: end).expireDue()
            let moved = try await first + second
            // then
            #expect(moved == 1)
            let store = TopicStore(db: db)
            let archived = try await store.record(topic.id, for: w.resident, now: end).topic
            #expect(archived.state == .archived && archived.archiveReason == .expired)
            #expect(try await store.record(fresh.id, for: w.resident, now: end).topic.state == .collecting)
            #expect(try await w.commands(at: end).expireDue() == 0)
        }
    }

    @Test func theOrganiserPlacesATopicOnTheAgendaAndResidentsMayNot() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            let c = w.commands()
            // when / then
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.perform(w.neighbours[0], topic.id, .placeOnAgenda(note: ""))
            }
            let placed = try await c.perform(
                w.worker, topic.id, .placeOnAgenda(note: "涉及全体业主"), expectedVersion: topic.version)
            #expect(placed.state == .onAgenda && placed.placedByOrganiser)
            await #expect(throws: DomainError(.conflict, "topic_changed_meanwhile")) {
                _ = try await c.perform(
                    w.worker, topic.id, .archive(.declined, note: "重复"), expectedVersion: topic.version)
            }
        }
    }

    @Test func raisingIsForTheScopesResidentsAndItsOrganisers() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let c = w.commands()
            let proposal = TopicProposal(
                placeKind: .community, placeID: w.tree.community.id, title: "社区停车", body: "夜间停车难")
            // when / then
            await #expect(throws: DomainError(.forbidden, "topic_raise_outside_scope", field: "scope")) {
                _ = try await c.raise(w.outsider, proposal)
            }
            await #expect(throws: DomainError.invalid("topic_title_required", field: "title")) {
                _ = try await c.raise(
                    w.resident,
                    TopicProposal(placeKind: .community, placeID: w.tree.community.id, title: " ", body: "x"))
            }
            let mine = try await c.raise(w.resident, proposal, idempotencyKey: "k1")
            let again = try await c.raise(w.resident, proposal, idempotencyKey: "k1")
            #expect(mine.id == again.id && mine.number.hasPrefix("YT20261118-"))
            // A draft is its proposer's alone; neighbours see it once submitted.
            let store = TopicStore(db: db)
            #expect(try await store.list(TopicFilter(), for: w.neighbours[0]).isEmpty)
            _ = try await c.perform(w.resident, mine.id, .submit)
            #expect(try await store.list(TopicFilter(), for: w.neighbours[0]).map(\.id) == [mine.id])
            #expect(try await store.list(TopicFilter(), for: w.outsider).isEmpty)
            #expect(try await store.counts(TopicFilter(), for: w.worker)[.collecting] == 1)
        }
    }

    @Test func rulesAreDataAndRunningTopicsKeepTheirs() async throws {
        try await withTestDatabase { db in
            // given: a topic submitted under the building rule of 2
            let w = try await DeliberationWorld.make(db)
            let running = try await w.topic()
            // when: the organiser raises the building threshold to 5 from the next day
            let next = DeliberationWorld.t0.addingTimeInterval(86400)
            try await w.commands().setCoSignatureRule(
                w.worker, communityID: w.tree.community.id, kind: .building,
                rule: CoSignatureRule(threshold: 5, windowDays: 20), from: next)
            await #expect(throws: DomainError.forbidden) {
                try await w.commands().setCoSignatureRule(
                    w.resident, communityID: w.tree.community.id, kind: .building,
                    rule: CoSignatureRule(threshold: 1, windowDays: 20))
            }
            let later = try await w.topic(at: next)
            // then
            #expect(running.coSignatureThreshold == 2)
            #expect(later.coSignatureThreshold == 5)
            #expect(later.collectUntil == next.addingTimeInterval(20 * 86400))
        }
    }

    @Test func commentsAreModeratedAndReported() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await DeliberationWorld.make(db)
            let topic = try await w.topic()
            let c = w.commands()
            let comment = try await c.comment(w.neighbours[0], topic.id, text: "支持，三楼以上都需要")
            // when / then
            await #expect(throws: DomainError.invalid("topic_comment_required", field: "comment")) {
                _ = try await c.comment(w.neighbours[1], topic.id, text: "  ")
            }
            await #expect(throws: DomainError(.conflict, "topic_comment_report_own")) {
                try await c.reportComment(w.neighbours[0], comment.id, reason: "")
            }
            try await c.reportComment(w.neighbours[1], comment.id, reason: "广告")
            await #expect(throws: DomainError(.conflict, "topic_comment_reported_already")) {
                try await c.reportComment(w.neighbours[1], comment.id, reason: "")
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.hideComment(w.neighbours[1], comment.id, reason: "不当")
            }
            await #expect(throws: DomainError.invalid("topic_text_required", field: "reason")) {
                _ = try await c.hideComment(w.worker, comment.id, reason: "")
            }
            let hidden = try await c.hideComment(w.worker, comment.id, reason: "含有广告")
            #expect(hidden.isHidden && hidden.hiddenReason == "含有广告" && hidden.reports == 1)
            let store = TopicStore(db: db)
            let asResident = try await store.record(topic.id, for: w.neighbours[1], now: DeliberationWorld.t0)
            #expect(asResident.comments.first?.body == "" && asResident.comments.first?.isHidden == true)
            let asWorker = try await store.record(topic.id, for: w.worker, now: DeliberationWorld.t0)
            #expect(asWorker.comments.first?.body == "支持，三楼以上都需要")
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await c.comment(w.outsider, topic.id, text: "路过")
            }
        }
    }

    @Test func aCaseSentToDeliberationBecomesATopicOnceAndOthersAreLinked() async throws {
        try await withTestDatabase { db in
            // given: the resident's appeal, filed
            let w = try await DeliberationWorld.make(db)
            let cases = w.cases.commands()
            let filed = try await cases.perform(
                w.worker, try await w.cases.submit().id, .file(categoryID: w.cases.category.id))
            // when: the worker sends it to deliberation, twice
            _ = try await cases.perform(w.worker, filed.id, .gridStep(.referToDeliberation, note: "需居民协商"))
            let store = TopicStore(db: db)
            let linked = try await store.topics(ofCase: filed.id, for: w.resident, now: DeliberationWorld.t0)
            let topic = try #require(linked.first)
            _ = try? await cases.perform(w.worker, filed.id, .gridStep(.referToDeliberation, note: "再次"))
            // then: one topic of the case's community, collecting under the community's rule, its reporter proposing
            #expect(linked.count == 1)
            #expect(try await store.topics(ofCase: filed.id, for: w.resident, now: DeliberationWorld.t0).count == 1)
            let record = try await store.record(topic.id, for: w.resident, now: DeliberationWorld.t0)
            #expect(record.topic.state == .collecting && record.topic.coSignatureThreshold == 3)
            #expect(record.topic.caseID == filed.id && record.isProposer)
            #expect(record.cases.map(\.id) == [filed.id] && record.cases[0].isOrigin)
            // and the organiser links another case of the community by its number
            let other = try await w.cases.submit()
            let topics = w.commands()
            _ = try await topics.linkCase(w.worker, topic.id, caseNumber: other.number)
            await #expect(throws: DomainError(.conflict, "topic_case_linked_already")) {
                _ = try await topics.linkCase(w.worker, topic.id, caseNumber: other.number)
            }
            await #expect(throws: DomainError.invalid("topic_case_unknown", field: "case")) {
                _ = try await topics.linkCase(w.worker, topic.id, caseNumber: "GZ00000000-000000")
            }
            let after = try await store.record(topic.id, for: w.worker, now: DeliberationWorld.t0)
            #expect(Set(after.cases.map(\.id)) == [filed.id, other.id])
            #expect(
                try await store.topics(ofCase: other.id, for: w.worker, now: DeliberationWorld.t0).map(\.id) == [
                    topic.id
                ])
        }
    }

    @Test func concurrentCoSignaturesAreAllCountedOnce() async throws {
        try await withTestDatabase { db in
            // given: a community topic needing 3 co-signatures
            let w = try await DeliberationWorld.make(db)
            let c = w.commands()
            let draft = try await c.raise(
                w.resident,
                TopicProposal(placeKind: .community, placeID: w.tree.community.id, title: "社区食堂", body: "开办长者食堂"))
            let topic = try await c.perform(w.resident, draft.id, .submit)
            #expect(topic.coSignatureThreshold == 3)
            // when: three neighbours co-sign at the same moment, and one of them twice
            let signers = w.neighbours + [w.nextDoor, w.neighbours[0]]
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for signer in signers {
                    group.addTask { (try? await c.perform(signer, topic.id, .coSign)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            // then: three counted, the second signature refused, and the count matches the rows
            #expect(outcomes.filter { $0 }.count == 3)
            let after = try await TopicStore(db: db).record(topic.id, for: w.worker, now: DeliberationWorld.t0).topic
            #expect(after.coSignatures == 3 && after.state == .onAgenda)
            let rows = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM topic_cosignatures WHERE topic_id = \(bind: topic.id)")
                    .first()!.decode(column: "n", as: Int.self)
            }
            #expect(rows == 3)
        }
    }
}
