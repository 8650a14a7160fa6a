import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct DemoBuilderTests {
    @Test func everyBuildingLiesInsideItsOwnGridsBoundaryAndNoOtherGrids() async throws {
        try await withTestDatabase { db in
            // when
            _ = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.1, peoplePerBuilding: 0)
            // then
            let store = JurisdictionStore(db: db)
            let grids = try await store.boundaries(inside: "/")
            #expect(grids.count == (try await store.descendants(of: "/", kind: .grid).count))
            var buildings: [(Int64, GeoPoint)] = []
            for community in try await store.descendants(of: "/", kind: .community) {
                buildings += try await store.mapArea(of: community).buildings.map { ($0.node.parentID!, $0.point) }
            }
            #expect(buildings.count > 500)
            for (gridID, point) in buildings {
                let holding = grids.filter { $0.boundary.contains(point) }.map(\.node.id)
                #expect(holding == [gridID])
            }
            // and the placement rule finds each building's grid from its point
            let (gridID, point) = buildings[buildings.count / 2]
            #expect(try await store.grid(holding: point)?.id == gridID)
        }
    }

    @Test func smallDemoHasEveryLevelBodiesAndAWorkingAccountPerRole() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.03, peoplePerBuilding: 8)
            // then
            #expect(summary.counts[.district] == 1)
            #expect(summary.counts[.community] == 3)
            #expect((summary.counts[.grid] ?? 0) >= 18)
            #expect((summary.counts[.building] ?? 0) >= 18 * 8)
            #expect(summary.accounts.count == Role.allCases.count)
            #expect(summary.cases == 90)
            var closed = CaseFilter()
            closed.statuses = [.closed]
            #expect(try await CaseStore(db: db).all(closed).isEmpty == false)
            let communities = try await JurisdictionStore(db: db).descendants(of: "/", kind: .community)
            let bodies = try await JurisdictionStore(db: db).bodies(of: communities[0].id)
            #expect(
                Set(bodies.map(\.kind)).isSuperset(of: [
                    .partyCommittee, .residentsCommittee, .workstation, .serviceCenter, .supervisionCommittee,
                ]))
            let party = try #require(bodies.first { $0.kind == .partyCommittee })
            let duties = try await JurisdictionStore(db: db).duties(of: party.id)
            #expect(duties.reduce(0) { $0 + $1.minors.count } == 34)
            let worker = try #require(summary.accounts.first { $0.role == .communityWorker })
            let signIn = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
                .logIn(username: worker.username, password: worker.password, address: "test")
            #expect(signIn.user.username == "worker")
            #expect(try await AuditLog.verify(db) == .intact(entries: 2))
            // and the first community's registry: every building has houses and people in valid households,
            // which the community's worker finds by name
            #expect(summary.houses > 0 && summary.people >= 8 * 18)
            let actor = try #require(try await AccountStore(db: db).actor(for: signIn.user.id))
            let listed = try await RegistryStore(db: db).people(
                PersonFilter(), for: actor, today: CalendarDate(Date()))
            #expect(listed.items.count == 50)
            var byName = PersonFilter()
            byName.query = String(try #require(listed.items.first?.name.prefix(2)))
            #expect(
                try await RegistryStore(db: db).people(byName, for: actor, today: CalendarDate(Date())).items.contains {
                    $0.id == listed.items.first?.id
                })
            // and its organisations, facilities, owners and leases, all read back through the registry's store
            let store = RegistryStore(db: db)
            #expect(try await store.organisations(OrganisationFilter(), for: actor).items.count == 13)
            #expect(try await store.facilities(FacilityFilter(), for: actor).items.isEmpty == false)
            let building = try #require(listed.items.first?.buildingID)
            #expect(try await store.ownerAreas(building: building, for: actor).isEmpty == false)
            // and its care groups, drawn from the tags, with members and some visits
            let groups = try await CareStore(db: db).groups(for: actor, today: CalendarDate(Date()))
            #expect(Set(groups.map(\.name)) == ["低保户", "残疾人", "独居老人", "留守儿童", "退役军人"])
            #expect(groups.reduce(0) { $0 + $1.members } > 0)
            let plan = try await CareStore(db: db).plan(for: actor, today: CalendarDate(Date()))
            #expect(plan.items.contains { $0.lastVisitedOn != nil })
        }
    }

    @Test func everyCategoryRoutesToAUnitThatHandlesItAndEveryUnitHasTwoHandlers() async throws {
        try await withTestDatabase { db in
            // when
            let summary = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.02, peoplePerBuilding: 0)
            // then
            let categories = Dictionary(
                uniqueKeysWithValues: try await CaseSetupStore.categories(db).map { ($0.id, $0) })
            let units = Dictionary(uniqueKeysWithValues: try await CaseSetupStore.units(db).map { ($0.id, $0.name) })
            let rules = try await CaseSetupStore.rules(db)
            let leaves = categories.values.filter { $0.parentID != nil }
            #expect(Set(rules.map(\.categoryID)) == Set(leaves.map(\.id)))
            // Which unit names may take a category, by the category's name or its parent's.
            let suits: [String: [String]] = [
                "路灯照明": ["城市管理", "城建"], "道路破损": ["城市管理", "城建"], "井盖缺失": ["城市管理", "城建"],
                "垃圾清运": ["环卫"], "乱堆乱放": ["城市管理"], "污水油烟": ["城市管理", "环保"],
                "噪音扰民": ["派出所"], "可疑人员": ["派出所"], "宠物扰民": ["派出所"],
                "消防隐患": ["应急", "消防", "派出所"], "电动车充电": ["应急", "消防", "派出所"],
                "物业管理": ["物业", "工作站"], "房屋漏水纠纷": ["综治", "调解"],
            ]
            for rule in rules {
                let category = try #require(categories[rule.categoryID])
                let parent = category.parentID.flatMap { categories[$0]?.name } ?? ""
                let unit = try #require(units[rule.unitID])
                let allowed = try #require(suits[category.name] ?? suits[parent], "no expectation for \(category.name)")
                #expect(allowed.contains { unit.contains($0) }, "\(category.name) routes to \(unit)")
                if ["公共设施", "环境卫生", "物业管理"].contains(parent) {
                    #expect(!unit.contains("派出所"), "\(category.name) routes to the police")
                }
            }
            let members = Dictionary(grouping: try await CaseSetupStore.members(db), by: \.0)
            for (id, name) in units {
                #expect((members[id]?.count ?? 0) >= 2, "\(name) has fewer than two handlers")
            }
            // Every dispatched case sits with the unit its category routes to.
            let routed = Dictionary(uniqueKeysWithValues: rules.map { ($0.categoryID, $0.unitID) })
            var dispatched = CaseFilter()
            dispatched.statuses = [.dispatched, .handling, .reportedBack, .closed]
            let cases = try await CaseStore(db: db).all(dispatched)
            #expect(!cases.isEmpty)
            for c in cases { #expect(c.unitID == c.categoryID.flatMap { routed[$0] }) }
            // The further handlers can sign in like the others.
            #expect(summary.handlers.count == 13)
            let handler = try #require(summary.handlers.first { $0.username == "police1" })
            #expect(handler.units == ["辖区派出所"])
            let signIn = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
                .logIn(username: handler.username, password: handler.password, address: "test")
            #expect(signIn.user.username == "police1")
        }
    }

    @Test func demoRefusesADatabaseThatHoldsATree() async throws {
        try await withTestDatabase { db in
            _ = try await SmallTree.make(db)
            await #expect(throws: DomainError(.conflict, "demo_database_not_empty")) {
                _ = try await DemoBuilder(db: db, bcryptCost: 4).build(scale: 0.01, peoplePerBuilding: 0)
            }
        }
    }
}
