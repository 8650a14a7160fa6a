import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryCommandsTests {
    @Test func aPersonIsStoredSealedAndListedMasked() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let id = RegistryWorld.idNumber()
            // when
            try await w.register(
                w.form("王秀英", phone: "13812345678", household: "H001", relation: "户主", tags: "独居老人;党员"))
            // then: the list shows the name, the document and phone masked
            let page = try await w.store.people(PersonFilter(), for: w.gridWorker, today: RegistryWorld.today)
            #expect(page.items.count == 1)
            let p = try #require(page.items.first)
            #expect(p.name == "王秀英")
            #expect(p.documentNumber == PersonalDataMask.idNumber(id))
            #expect(p.phone == "138****5678")
            #expect(p.room == "1单元-101")
            #expect(p.tags == [.elderlyLivingAlone, .partyMember])
            // and nothing readable is in any registry table or the audit log
            let dump = try await db.read { sql in
                var text = ""
                for table in [
                    "registry_people", "registry_person_terms", "registry_person_tags", "registry_households",
                    "audit_log",
                ] {
                    for row in try await sql.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: table)")).all() {
                        for column in row.allColumns {
                            text += (try? row.decode(column: column, as: String.self)) ?? ""
                        }
                    }
                }
                return text
            }
            #expect(!dump.contains(id) && !dump.contains("13812345678") && !dump.contains("王秀英"))
            #expect(!dump.contains("12345678") && !dump.contains(String(id.dropFirst(6).prefix(8))))
        }
    }

    /// A one-character search walks each community's people holding the character newest first: across
    /// communities, page by page, inside the reader's area, the same people in the same order as a full scan.
    @Test func aOneCharacterSearchPagesNewestFirstAcrossCommunities() async throws {
        try await withTestDatabase { db in
            // given: people named 王 in both communities and both grids, and others
            let w = try await RegistryWorld.make(db)
            let c = JurisdictionCommands(db: db)
            let otherGrid = try await c.add(.root, .grid, "大新一格", under: w.tree.otherCommunity.id)
            let otherBuilding = try await c.add(.root, .building, "9栋", under: otherGrid.id)
            var wang: [Int64] = []
            var inGrid2: [Int64] = []
            for i in 0..<9 {
                let (building, grid) = [
                    (w.tree.buildings[0], w.tree.grid1), (otherBuilding, otherGrid),
                    (w.tree.buildings[2], w.tree.grid2),
                ][i % 3]
                let name = i % 4 == 3 ? "李\(["一", "二", "三"][i % 3])" : "王\(["一", "二", "三"][i % 3])"
                let id = try await w.register(
                    w.form(name, sequence: 20 + i, unit: "", room: "", building: building), by: .gridWorker(at: grid)
                ).id
                if name.hasPrefix("王") {
                    wang.append(id)
                    if building.id == w.tree.buildings[2].id { inGrid2.append(id) }
                }
            }
            let admin = Actor.districtAdmin(at: w.tree.district)
            func pages(_ actor: Actor, limit: Int) async throws -> [Int64] {
                var f = PersonFilter()
                f.query = "王"
                f.limit = limit
                var ids: [Int64] = []
                while true {
                    let page = try await w.store.people(f, for: actor, today: RegistryWorld.today)
                    ids += page.items.map(\.id)
                    guard let next = page.nextCursor else { return ids }
                    f.before = Int64(next)
                }
            }
            // then
            #expect(try await pages(admin, limit: 2) == wang.sorted(by: >))
            #expect(try await pages(admin, limit: 50) == wang.sorted(by: >))
            #expect(try await pages(.gridWorker(at: w.tree.grid2), limit: 1) == inGrid2.sorted(by: >))
        }
    }

    @Test func theSearchBoxFindsNamesInPartIDNumbersPhonesAndTheirLastFourDigits() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            try await w.register(w.form("欧阳娜娜", sequence: 1, sex: .female, phone: "13900001111"))
            try await w.register(w.form("王娜", sequence: 2, sex: .female, phone: "13900002222", room: "102"))
            try await w.register(w.form("李四", sequence: 3, phone: "010-62345678", room: "201"))
            func names(_ q: String) async throws -> [String] {
                var f = PersonFilter()
                f.query = q
                return try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.map(
                    \.name
                ).sorted()
            }
            // then
            #expect(try await names("娜") == ["欧阳娜娜", "王娜"])
            #expect(try await names("阳娜") == ["欧阳娜娜"])
            #expect(try await names("娜阳") == [])
            #expect(try await names(RegistryWorld.idNumber(sequence: 3)) == ["李四"])
            #expect(try await names(RegistryWorld.idNumber(sequence: 3).lowercased()) == ["李四"])
            #expect(try await names("139 0000 2222") == ["王娜"])
            #expect(try await names("1111") == ["欧阳娜娜"])
            #expect(try await names("5678") == ["李四"])
        }
    }

    @Test func aGridWorkerSeesOnlyTheirGridAndOtherCommunitiesSeeNothing() async throws {
        try await withTestDatabase { db in
            // given: one person in the first grid
            let w = try await RegistryWorld.make(db)
            let outcome = try await w.register(w.form("张三"))
            // then
            let other = try await w.store.people(PersonFilter(), for: w.otherGridWorker, today: RegistryWorld.today)
            #expect(other.items.isEmpty)
            let foreign = try await w.store.people(
                PersonFilter(), for: w.otherCommunityWorker, today: RegistryWorld.today)
            #expect(foreign.items.isEmpty)
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.store.person(
                    outcome.id, for: w.otherGridWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands.perform(
                    w.otherGridWorker, person: outcome.id, .moveOut(on: RegistryWorld.today))
            }
            // and the second grid's worker cannot register anyone in the first grid's building
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.register(w.form("李四", sequence: 5), by: w.otherGridWorker)
            }
            let auditor = Actor.auditor(at: w.tree.district)
            await #expect(throws: DomainError.forbidden) {
                try await w.store.people(PersonFilter(), for: auditor, today: RegistryWorld.today)
            }
        }
    }

    @Test func badRecordsAreRefusedAndNothingIsWritten() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            try await w.register(w.form("张三", household: "H1", relation: "户主"))
            func refusal(_ form: PersonForm) async -> DomainError? {
                do {
                    try await w.register(form)
                    return nil
                } catch let error as DomainError { return error } catch { return nil }
            }
            // then
            #expect(await refusal(w.form("张三", room: "999"))?.key == "room_unknown")
            #expect(await refusal(w.form("李四", sequence: 12))?.key == "id_number_duplicate")
            #expect(
                await refusal(w.form("李四", sequence: 13, household: "H9", relation: "子女"))?.key == "household_unknown")
            #expect(
                await refusal(w.form("李四", sequence: 13, household: "H1", relation: "户主"))?.key
                    == "household_several_heads")
            #expect(
                await refusal(w.form("小明", born: "20200101", sequence: 14, household: "H2", relation: "户主"))?.key
                    == "household_head_minor")
            var wrongSex = w.form("李四", sequence: 15)
            wrongSex.sex = "女"
            #expect(await refusal(wrongSex)?.key == "id_sex_mismatch")
            var badDigit = w.form("李四", sequence: 16)
            badDigit.idNumber = String(badDigit.idNumber!.dropLast()) + (badDigit.idNumber!.hasSuffix("1") ? "2" : "1")
            #expect(await refusal(badDigit)?.key == "id_number_check_digit")
            // the same document in another community is refused too, without saying where
            let tree = JurisdictionCommands(db: db)
            let grid = try await tree.add(.root, .grid, "大新一网格", under: w.tree.otherCommunity.id)
            let building = try await tree.add(.root, .building, "9栋", under: grid.id)
            var elsewhere = w.form("张三", building: building)
            elsewhere.unit = ""
            elsewhere.room = ""
            do {
                try await w.register(elsewhere, by: w.otherCommunityWorker)
                Issue.record("registered twice")
            } catch let error as DomainError {
                #expect(error.key == "id_number_duplicate" && error.args.isEmpty)
            }
            let count = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM registry_people").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test func aHeadMayNotLeaveAHouseholdWithMembers() async throws {
        try await withTestDatabase { db in
            // given a head and their child
            let w = try await RegistryWorld.make(db)
            let head = try await w.register(w.form("张三", household: "H1", relation: "户主"))
            let child = try await w.register(
                w.form("张小三", born: "20100101", sequence: 20, household: "H1", relation: "子女"))
            // when the head moves out, then it is refused
            await #expect(throws: DomainError.invalid("household_head_leaves", field: "relation")) {
                try await w.commands.perform(w.gridWorker, person: head.id, .moveOut(on: RegistryWorld.today))
            }
            // the child moves out first, then the head may
            try await w.commands.perform(w.gridWorker, person: child.id, .moveOut(on: RegistryWorld.today))
            try await w.commands.perform(w.gridWorker, person: head.id, .moveOut(on: RegistryWorld.today))
            var f = PersonFilter()
            #expect(try await w.store.people(f, for: w.gridWorker, today: RegistryWorld.today).items.isEmpty)
            f.includeMovedOut = true
            let all = try await w.store.people(f, for: w.gridWorker, today: RegistryWorld.today).items
            #expect(all.count == 2 && all.allSatisfy(\.movedOut))
        }
    }

    @Test func aRevealNeedsAReasonAndIsAuditedWithoutTheValue() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let p = try await w.register(w.form("张三", phone: "13812345678"))
            let clock = Clock.fixed(RegistryWorld.t0)
            // then
            await #expect(throws: DomainError.invalid("reveal_reason_required", field: "reason")) {
                try await w.store.reveal(p.id, .phone, for: w.gridWorker, reason: " ", clock: clock)
            }
            let phone = try await w.store.reveal(p.id, .phone, for: w.gridWorker, reason: "上门走访联系", clock: clock)
            #expect(phone == "138 1234 5678")
            let id = try await w.store.reveal(p.id, .idNumber, for: w.communityWorker, reason: "核对低保", clock: clock)
            #expect(id == RegistryWorld.idNumber())
            let entries = try await db.read { sql in
                try await sql.raw(
                    "SELECT after_state FROM audit_log WHERE action = 'registry.person.reveal' ORDER BY seq"
                ).all().map { try $0.decode(column: "after_state", as: String.self) }
            }
            #expect(entries.count == 2)
            #expect(entries[0].contains("上门走访联系") && entries[0].contains("phone"))
            #expect(!entries.joined().contains("5678") && !entries.joined().contains(RegistryWorld.idNumber()))
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.store.reveal(p.id, .phone, for: w.otherGridWorker, reason: "看看", clock: clock)
            }
        }
    }

    @Test func sensitiveTagsAreHiddenFromGridWorkersAndEachViewIsAudited() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let p = try await w.register(w.form("张三", tags: "社区矫正对象;低保"))
            let clock = Clock.fixed(RegistryWorld.t0)
            // then
            let seenByGrid = try await w.store.person(p.id, for: w.gridWorker, today: RegistryWorld.today, clock: clock)
            #expect(seenByGrid.summary.tags == [.lowIncome])
            let seenByCommunity = try await w.store.person(
                p.id, for: w.communityWorker, today: RegistryWorld.today, clock: clock)
            #expect(seenByCommunity.summary.tags == [.lowIncome, .communityCorrection])
            let views = try await db.read { sql in
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.person.sensitive_view'"
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(views == 1)
            // a community worker finds people by a sensitive tag, a grid worker does not
            var f = PersonFilter()
            f.tag = .communityCorrection
            #expect(try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.count == 1)
            // the tag is stored only as a keyed hash
            let stored = try await db.read { sql in
                try await sql.raw("SELECT tag FROM registry_person_tags ORDER BY tag").all().map {
                    try $0.decode(column: "tag", as: String.self)
                }
            }
            #expect(stored.count == 2 && stored.contains("lowIncome") && !stored.contains("communityCorrection"))
        }
    }

    @Test func anAmendAgainstAnOlderVersionIsRefused() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let p = try await w.register(w.form("张三"))
            let renamed = try w.form("张叁").draft(today: RegistryWorld.today)
            // when
            let v2 = try await w.commands.perform(w.gridWorker, person: p.id, .amend(renamed), expectedVersion: 1)
            // then
            #expect(v2.version == 2)
            await #expect(throws: DomainError(.conflict, "person_changed_meanwhile")) {
                try await w.commands.perform(w.gridWorker, person: p.id, .amend(renamed), expectedVersion: 1)
            }
            let detail = try await w.store.person(
                p.id, for: w.gridWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            #expect(detail.summary.name == "张叁")
            #expect(detail.moves.map(\.kind) == ["in"])
        }
    }

    @Test func anAnonymisedPersonKeepsTheirRowButNothingThatNamesThem() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let p = try await w.register(w.form("张三", phone: "13812345678", tags: "低保"))
            // then a grid worker may not erase, the community worker may
            await #expect(throws: DomainError.forbidden) {
                try await w.commands.perform(w.gridWorker, person: p.id, .anonymise)
            }
            try await w.commands.perform(w.communityWorker, person: p.id, .anonymise)
            let detail = try await w.store.person(
                p.id, for: w.communityWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            #expect(detail.summary.name == "已匿名" && detail.summary.anonymised && detail.summary.phone == nil)
            #expect(detail.summary.tags == [.lowIncome])
            var f = PersonFilter()
            f.query = "张三"
            #expect(try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.isEmpty)
            // and the same document may be registered again
            try await w.register(w.form("张三"))
        }
    }

    @Test func peopleFollowTheirBuildingWhenItMovesToAnotherGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            try await w.register(w.form("张三"))
            // when the first building moves to the second grid
            let tree = JurisdictionCommands(db: db)
            try await tree.perform(.root, w.tree.buildings[0].id, .move(to: w.tree.grid2.id))
            // then its people are the second grid's
            #expect(
                try await w.store.people(PersonFilter(), for: w.gridWorker, today: RegistryWorld.today).items.isEmpty)
            #expect(
                try await w.store.people(PersonFilter(), for: w.otherGridWorker, today: RegistryWorld.today).items.count
                    == 1)
        }
    }
}
