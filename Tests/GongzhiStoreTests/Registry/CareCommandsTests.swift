import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct CareCommandsTests {
    static let day: TimeInterval = 86_400

    func count(_ db: Database, _ table: String) async throws -> Int {
        try await db.read { sql in
            try await sql.raw(SQLQueryString("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)")).first()!.decode(
                column: "n", as: Int.self)
        }
    }

    @Test func aGroupDrawnFromATagTakesItsPeopleEachPlannedForTheirGridsWorker() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CareWorld.make(db)
            let near = try await w.person("王秀英", sequence: 12)
            let far = try await w.person("李桂兰", sequence: 13, inGrid2: true)
            try await w.person("张伟", sequence: 14, tags: "党员")
            // when
            let group = try await w.group()
            // then: weekly by default, both people in, each due at once and visited by their own grid's worker
            let detail = try await w.store.group(group, for: w.communityWorker, today: RegistryWorld.today)
            #expect(detail.group.frequencyDays == 7 && detail.group.members == 2)
            #expect(Set(detail.members.map(\.personID)) == [near, far])
            #expect(detail.members.allSatisfy { $0.nextDueOn == RegistryWorld.today && !$0.overdue })
            #expect(detail.members.first { $0.personID == near }?.visitorUserID == w.gridWorker.userID)
            #expect(detail.members.first { $0.personID == far }?.visitorUserID == w.otherGridWorker.userID)
            // and a grid worker's plan holds only their grid; the community worker's the community
            let mine = try await w.store.plan(for: w.gridWorker, today: RegistryWorld.today)
            #expect(mine.items.map(\.personID) == [near])
            let all = try await w.store.plan(for: w.communityWorker, today: RegistryWorld.today)
            #expect(Set(all.items.map(\.personID)) == [near, far])
            // and filling again adds nobody twice
            let again = try await w.commands().perform(w.communityWorker, .addTagged(group: group))
            #expect(again.added == 0)
        }
    }

    @Test func overduePeopleComeOldestFirstAndAVisitMovesTheirNextDate() async throws {
        try await withTestDatabase { db in
            // given: two people added on day 0 to a weekly group, one more to a monthly one on day 3
            let w = try await CareWorld.make(db)
            let first = try await w.person("王秀英", sequence: 12)
            let second = try await w.person("赵兰", sequence: 15, tags: "残疾人")
            _ = try await w.group()
            let monthly = try await w.commands(at: RegistryWorld.t0 + 3 * Self.day).perform(
                w.communityWorker,
                .createGroup(
                    community: w.tree.community.id, try CareGroupDraft(name: "残疾人", tag: .disabled, frequencyDays: nil))
            ).id
            try await w.commands(at: RegistryWorld.t0 + 3 * Self.day).perform(
                w.communityWorker, .addTagged(group: monthly))
            let later = RegistryWorld.today.adding(days: 10)
            // when
            let plan = try await w.store.plan(for: w.gridWorker, today: later, overdueOnly: true)
            // then
            #expect(plan.items.map(\.personID) == [first, second])
            #expect(plan.items.map(\.daysOverdue) == [10, 7])
            #expect(plan.overdueCount == 2)
            // when the first is visited on day 9
            let clock = RegistryWorld.t0 + 10 * Self.day
            let draft = try CareVisitDraft(
                visitedOn: RegistryWorld.today.adding(days: 9), method: .home, findings: "独自在家，血压偏高，药够吃",
                followUp: true, today: later)
            try await w.commands(at: clock).perform(w.gridWorker, .recordVisit(person: first, draft))
            // then they are next due a week after the visit, and only the second stays overdue
            let after = try await w.store.plan(for: w.gridWorker, today: later, overdueOnly: true)
            #expect(after.items.map(\.personID) == [second] && after.overdueCount == 1)
            let care = try await w.store.care(of: first, for: w.gridWorker, today: later)
            #expect(care.memberships.map(\.nextDueOn) == [RegistryWorld.today.adding(days: 16)])
            #expect(care.visits.count == 1 && care.visits[0].findings == "独自在家，血压偏高，药够吃" && care.visits[0].followUp)
            // and what was found is sealed at rest and never in the audit log
            let stored = try await db.read { sql in
                var text = ""
                for table in ["care_visits", "audit_log"] {
                    for row in try await sql.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: table)")).all() {
                        for column in row.allColumns {
                            text += (try? row.decode(column: column, as: String.self)) ?? ""
                        }
                    }
                }
                return text
            }
            #expect(!stored.contains("血压"))
            #expect(stored.contains("registry.care.visit"))
        }
    }

    @Test func aGridWorkerVisitsOnlyTheirGridAndPlansNothing() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CareWorld.make(db)
            let far = try await w.person("李桂兰", sequence: 13, inGrid2: true)
            let group = try await w.group()
            let draft = try CareVisitDraft(
                visitedOn: RegistryWorld.today, method: .phone, findings: "电话里说一切都好", followUp: false,
                today: RegistryWorld.today)
            // when / then: another grid's person answers like a missing one
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands().perform(w.gridWorker, .recordVisit(person: far, draft))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.store.care(of: far, for: w.gridWorker, today: RegistryWorld.today)
            }
            // and a grid worker neither defines groups nor sees the community's
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands().perform(
                    w.gridWorker,
                    .createGroup(
                        community: w.tree.community.id,
                        try CareGroupDraft(name: "残疾人", tag: .disabled, frequencyDays: nil)))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands().perform(
                    w.gridWorker, .assign(group: group, person: far, visitor: w.gridWorker.userID))
            }
            #expect(try await w.store.groups(for: w.gridWorker, today: RegistryWorld.today).isEmpty)
            #expect(try await count(db, "care_visits") == 0)
            #expect(try await count(db, "care_groups") == 1)
            // and the other grid's worker records it
            try await w.commands().perform(w.otherGridWorker, .recordVisit(person: far, draft))
            #expect(try await count(db, "care_visits") == 1)
        }
    }

    @Test func aVisitRaisesACaseLinkedToItOrNothingAtAll() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CareWorld.make(db)
            let person = try await w.person("王秀英", sequence: 12)
            _ = try await w.group()
            let draft = try CareVisitDraft(
                visitedOn: RegistryWorld.today, method: .home, findings: "家里的燃气灶漏气", followUp: false,
                caseTitle: "1栋燃气灶漏气", caseDescription: "请燃气公司上门检修", today: RegistryWorld.today)
            // when
            let outcome = try await w.commands().perform(w.gridWorker, .recordVisit(person: person, draft))
            // then
            let caseID = try #require(outcome.caseID)
            let (kind, linked) = try await db.read { sql in
                let kind = try await sql.raw("SELECT kind FROM cases WHERE id = \(bind: caseID)").first()!.decode(
                    column: "kind", as: String.self)
                let linked = try await sql.raw("SELECT case_id FROM care_visits WHERE id = \(bind: outcome.id)")
                    .first()!
                    .decode(column: "case_id", as: Int64?.self)
                return (kind, linked)
            }
            #expect(kind == "event" && linked == caseID)
            let care = try await w.store.care(of: person, for: w.gridWorker, today: RegistryWorld.today)
            #expect(care.visits.first?.caseNumber == outcome.caseNumber && care.visits.first?.followUp == true)
            // and a moved-out person's visit files no case either
            try await w.registry.commands.perform(w.gridWorker, person: person, .moveOut(on: RegistryWorld.today))
            await #expect(throws: DomainError.invalid("care_person_inactive")) {
                try await w.commands().perform(w.gridWorker, .recordVisit(person: person, draft))
            }
            #expect(try await count(db, "cases") == 1)
            #expect(try await count(db, "care_visits") == 1)
        }
    }

    @Test func aNewFrequencyMovesEveryMembersNextVisitAndBadValuesChangeNothing() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CareWorld.make(db)
            let person = try await w.person("王秀英", sequence: 12)
            let group = try await w.group()
            let draft = try CareVisitDraft(
                visitedOn: RegistryWorld.today, method: .home, findings: "一切都好", followUp: false,
                today: RegistryWorld.today)
            try await w.commands().perform(w.gridWorker, .recordVisit(person: person, draft))
            // when
            try await w.commands().perform(
                w.communityWorker,
                .editGroup(group: group, try CareGroupDraft(name: "独居老人", tag: .elderlyLivingAlone, frequencyDays: 3)))
            // then
            let care = try await w.store.care(of: person, for: w.communityWorker, today: RegistryWorld.today)
            #expect(care.memberships.map(\.nextDueOn) == [RegistryWorld.today.adding(days: 3)])
            // and a group the visited person joins later counts from that visit, not from the day they joined
            let later = try await w.commands(at: RegistryWorld.t0 + 2 * Self.day).perform(
                w.communityWorker,
                .createGroup(
                    community: w.tree.community.id, try CareGroupDraft(name: "重点关注", tag: nil, frequencyDays: 10))
            ).id
            try await w.commands(at: RegistryWorld.t0 + 2 * Self.day).perform(
                w.communityWorker, .addMember(group: later, person: person, visitor: nil))
            let joined = try await w.store.care(of: person, for: w.communityWorker, today: RegistryWorld.today)
            #expect(joined.memberships.first { $0.groupID == later }?.nextDueOn == RegistryWorld.today.adding(days: 10))
            // and a second group of the same name, a stranger as visitor, a person twice: each refused
            await #expect(throws: DomainError(.conflict, "care_group_name_taken", field: "name")) {
                try await w.group()
            }
            await #expect(throws: DomainError.invalid("care_visitor_unknown", field: "visitor")) {
                try await w.commands().perform(
                    w.communityWorker, .assign(group: group, person: person, visitor: 424242))
            }
            await #expect(throws: DomainError(.conflict, "care_member_exists", field: "person_id")) {
                try await w.commands().perform(
                    w.communityWorker, .addMember(group: group, person: person, visitor: nil))
            }
            #expect(try await count(db, "care_groups") == 2)
            #expect(try await count(db, "care_members") == 2)
        }
    }

    @Test func anExpiringPermitReachesTheGridWorkerOnceWhateverTheInstances() async throws {
        try await withTestDatabase { db in
            // given: a floating resident whose permit ends in 20 days, another's in 40
            let w = try await CareWorld.make(db)
            let soon = try await w.person(
                "陈晓东", sequence: 16, tags: "", residence: "流动人口", permitEnd: RegistryWorld.today.adding(days: 20))
            try await w.person(
                "刘洋", sequence: 17, tags: "", residence: "流动人口", permitEnd: RegistryWorld.today.adding(days: 40))
            let reminders = PermitReminders(db: db, clock: .fixed(RegistryWorld.t0))
            // when two instances run at once, then again
            async let a = reminders.remind()
            async let b = PermitReminders(db: db, clock: .fixed(RegistryWorld.t0)).remind()
            let sent = try await a + b
            let again = try await reminders.remind()
            // then
            #expect(sent == 1 && again == 0)
            let notices = try await Notifications.list(db, userID: w.gridWorker.userID)
            #expect(notices.count == 1 && notices.first?.kind == "registry.permit_expiring")
            #expect(notices.first?.subjectID == soon && notices.first?.subject.contains("陈晓东") == false)
            #expect(try await Notifications.list(db, userID: w.otherGridWorker.userID).isEmpty)
            // and the grid worker's home lists it
            let expiring = try await w.store.expiringPermits(for: w.gridWorker, today: RegistryWorld.today)
            #expect(expiring.count == 1 && expiring.items.first?.daysLeft == 20)
        }
    }
}
