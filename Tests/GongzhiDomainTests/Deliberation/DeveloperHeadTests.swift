import Foundation
import GongzhiDomain
import Testing

/// The developer's unsold parts on the owners' roll (民法典 art. 278, JI art. 9, issue 13): all of them together are
/// one head with their summed area, beside the owners who bought, and the registry records such a house as held by
/// the developer alone.
@Suite struct DeveloperHeadTests {
    func part(_ id: Int64, _ holder: PartHolder, _ area: String) -> ExclusivePart {
        ExclusivePart(id: id, holder: holder, area: Area(area)!)
    }

    @Test(
        arguments: [
            // parts as (holder: 0 = developer, else owner id, area); heads; developer's area; total area
            ([(Int64(0), "90")], 1, "90", "90"),
            ([(0, "90"), (0, "60.5"), (0, "12")], 1, "162.5", "162.5"),
            ([(1, "90"), (0, "80"), (2, "70"), (0, "80")], 3, "160", "320"),
            ([(1, "90"), (1, "10"), (0, "80"), (2, "70"), (0, "80"), (0, "0.01")], 3, "160.01", "330.01"),
            ([(1, "90"), (2, "70")], 2, nil, "160"),
        ] as [([(Int64, String)], Int, String?, String)])
    func theDevelopersUnsoldPartsAreOneHeadWithTheirAreaAdded(
        parts: [(Int64, String)], heads: Int, developerArea: String?, total: String
    ) throws {
        // given the parts
        let roll = try OwnersRoll(
            parts: parts.enumerated().map { i, p in
                part(Int64(i + 1), p.0 == 0 ? .developerUnsold : .owner(p.0), p.1)
            })
        // then
        #expect(roll.headCount == heads)
        #expect(roll.head(.developerUnsold)?.area == developerArea.flatMap(Area.init))
        #expect(roll.totalArea == Area(total))
        #expect(roll.head(.developerUnsold)?.partIDs.count ?? 0 == parts.filter { $0.0 == 0 }.count)
    }

    @Test func theDeveloperHeadCountsOnceTowardsParticipationAndConsent() throws {
        // given two owners of 100 m² and the developer with three unsold flats of 100 m²
        let roll = try OwnersRoll(parts: [
            part(1, .owner(1), "100"), part(2, .developerUnsold, "100"), part(3, .owner(2), "100"),
            part(4, .developerUnsold, "100"), part(5, .developerUnsold, "100"),
        ])
        // when the developer and one owner vote yes
        let outcome = try OwnersTally.decide(
            .propertyManager, roll: roll, ballots: [.developerUnsold: .yes, .owner(1): .yes], rules: .civilCode,
            ruleSetID: "national-2026")
        // then 400 of 500 m² and 2 of 3 heads took part, all of them yes
        #expect(outcome.check(.participationArea)?.arithmetic == "400/500 m² = 80.0%")
        #expect(outcome.check(.participationHeads)?.arithmetic == "2/3 = 66.7%")
        #expect(outcome.passed)
    }

    @Test func theOwnerFormRecordsAnUnsoldHouseAsTheDevelopersWholeHouse() throws {
        // a named developer, or none
        #expect(try OwnerForm(name: "南山置业有限公司", developer: true).draft() == .developer(name: "南山置业有限公司"))
        #expect(try OwnerForm(share: "100%", developer: true).draft() == .developer())
        // never a registered person, never a part of the house
        #expect(throws: DomainError.invalid("owner_developer_person", field: "person")) {
            try OwnerForm(person: "7", developer: true).draft()
        }
        #expect(throws: DomainError.invalid("owner_developer_share", field: "share")) {
            try OwnerForm(share: "50", developer: true).draft()
        }
    }

    @Test func theDeveloperHoldsAnUnsoldHouseAlone() throws {
        let buyer = HouseOwner(id: 1, houseID: 9, personID: 3, name: "张三", share: 5000)
        let developer = HouseOwner(id: 2, houseID: 9, personID: nil, name: "", share: 10_000, developer: true)
        // the developer is not added beside owners
        #expect(throws: DomainError(.conflict, "owner_developer_not_alone", field: "person")) {
            try HouseShares.check(adding: .developer(), to: [buyer])
        }
        // and a buyer is not added beside the developer: the sale is recorded by removing it first
        #expect(throws: DomainError(.conflict, "owner_house_unsold", field: "person")) {
            try HouseShares.check(adding: OwnerDraft(personID: 3, name: nil, share: 10_000), to: [developer])
        }
        try HouseShares.check(adding: .developer(), to: [])
    }
}
