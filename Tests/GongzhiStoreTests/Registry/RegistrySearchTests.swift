import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

/// A name search over more communities than a few (a sub-district's or the district's administrator) walks a term's
/// holders across communities newest first and stops after a page (issue 12): the same people, in the same order,
/// page by page, inside the reader's jurisdiction, as the full list filtered by the name.
@Suite struct RegistrySearchTests {
    struct Registered {
        var id: Int64
        var name: String
        var subdistrict: Int
        var tag: PersonTag?
        var phone: String
        var idNumber: String
    }

    /// Two sub-districts of nine and eleven communities (both above the per-community walk), a grid and a building
    /// each, and people named so that characters, pairs and full names repeat across communities, a few of them
    /// holding a name's pairs apart (王建华建国 holds 王建 and 建国 but not 王建国).
    static func world(_ db: Database) async throws -> (RegistryWorld, Node, [Registered]) {
        let w = try await RegistryWorld.make(db)
        let c = JurisdictionCommands(db: db)
        let other = try await c.add(.root, .subdistrict, "粤海街道", code: "440305002", under: w.tree.district.id)
        var buildings: [(Node, Node, Int)] = []  // building, grid, sub-district
        for i in 0..<18 {
            let sub = i < 9 ? w.tree.subdistrict : other
            let community = try await c.add(.root, .community, "社区\(i)", under: sub.id)
            let grid = try await c.add(.root, .grid, "网格\(i)", under: community.id)
            buildings.append((try await c.add(.root, .building, "\(i)栋", under: grid.id), grid, i < 9 ? 0 : 1))
        }
        let names = ["王建国", "王一", "李建国", "王建华建国", "张三", "王建", "欧阳建国", "王建国"]
        var people: [Registered] = []
        for i in 0..<54 {
            let (building, grid, sub) = buildings[(i * 7) % buildings.count]
            let name = names[i % names.count]
            let tag: PersonTag? = i % 3 == 0 ? .volunteer : nil
            // Every fourth phone ends in 5678 (the last four shared across communities).
            let phone = "138" + String(format: "%04d", i) + (i % 4 == 0 ? "5678" : String(format: "%04d", 1000 + i))
            let born = i < 27 ? "19800101" : "19900101"
            let outcome = try await w.register(
                w.form(
                    name, born: born, sequence: i % 27, phone: phone, unit: "", room: "", building: building,
                    tags: tag == nil ? nil : "志愿者"),
                by: .gridWorker(at: grid))
            people.append(
                Registered(
                    id: outcome.id, name: name, subdistrict: sub, tag: tag, phone: phone,
                    idNumber: RegistryWorld.idNumber(born: born, sequence: i % 27)))
        }
        return (w, other, people)
    }

    static func pages(
        _ w: RegistryWorld, _ query: String, _ actor: Actor, limit: Int, tag: PersonTag? = nil
    ) async throws -> [Int64] {
        var f = PersonFilter()
        f.query = query
        f.limit = limit
        f.tag = tag
        var ids: [Int64] = []
        while true {
            let page = try await w.store.people(f, for: actor, today: RegistryWorld.today)
            #expect(page.items.count <= limit)
            ids += page.items.map(\.id)
            guard let next = page.nextCursor else { return ids }
            f.before = Int64(next)
        }
    }

    @Test func anAdministratorOverManyCommunitiesFindsNamesNewestFirstPageByPage() async throws {
        try await withTestDatabase { db in
            // given
            let (w, _, people) = try await Self.world(db)
            let admin = Actor.districtAdmin(at: w.tree.district)
            // then: one character, one pair and two pairs, each the people whose name holds the text, newest first
            for query in ["王", "建国", "王建", "王建国", "欧阳建国", "赵"] {
                let expected = people.filter { NameTerms.matches($0.name, query) }.map(\.id).sorted(by: >)
                for limit in [1, 2, 5, 50] {
                    #expect(try await Self.pages(w, query, admin, limit: limit) == expected, "\(query) by \(limit)")
                }
            }
            // and with a filter checked on the way
            let volunteers = people.filter { $0.tag == .volunteer && NameTerms.matches($0.name, "王建国") }
            #expect(
                try await Self.pages(w, "王建国", admin, limit: 2, tag: .volunteer)
                    == volunteers.map(\.id).sorted(by: >))
        }
    }

    @Test func anAdministratorFindsTheLastFourDigitsPhonesAndIDNumbersNewestFirstPageByPage() async throws {
        try await withTestDatabase { db in
            // given
            let (w, other, people) = try await Self.world(db)
            let district = Actor.districtAdmin(at: w.tree.district)
            let second = Actor.subdistrictAdmin(at: other)
            let tails = people.filter { $0.phone.hasSuffix("5678") }
            // then: the last four, newest first, page by page, inside each reader's area and with a filter
            for limit in [1, 4, 50] {
                #expect(try await Self.pages(w, "5678", district, limit: limit) == tails.map(\.id).sorted(by: >))
                #expect(
                    try await Self.pages(w, "5678", second, limit: limit)
                        == tails.filter { $0.subdistrict == 1 }.map(\.id).sorted(by: >))
            }
            #expect(
                try await Self.pages(w, "5678", district, limit: 2, tag: .volunteer)
                    == tails.filter { $0.tag == .volunteer }.map(\.id).sorted(by: >))
            // and a phone or an ID number in full finds its one person, only inside the reader's area
            for person in [people[2], people[13]] {  // one in each sub-district
                #expect(try await Self.pages(w, person.phone, district, limit: 5) == [person.id])
                #expect(try await Self.pages(w, person.idNumber, district, limit: 5) == [person.id])
                let inside = person.subdistrict == 1 ? [person.id] : []
                #expect(try await Self.pages(w, person.idNumber, second, limit: 5) == inside)
            }
        }
    }

    @Test func aSubdistrictAdministratorNeverSeesAnotherSubdistrictsPeople() async throws {
        try await withTestDatabase { db in
            // given
            let (w, other, people) = try await Self.world(db)
            for (sub, node) in [(0, w.tree.subdistrict), (1, other)] {
                let admin = Actor.subdistrictAdmin(at: node)
                for query in ["王", "建国", "王建国"] {
                    let expected = people.filter { $0.subdistrict == sub && NameTerms.matches($0.name, query) }
                    // then
                    for limit in [1, 3, 50] {
                        #expect(
                            try await Self.pages(w, query, admin, limit: limit) == expected.map(\.id).sorted(by: >),
                            "\(query) in \(node.name) by \(limit)")
                    }
                }
            }
            // and the community worker of the first community, with nobody of the new ones, still finds theirs
            let mine = try await Self.pages(w, "王", w.communityWorker, limit: 50)
            #expect(mine.isEmpty)
        }
    }
}
