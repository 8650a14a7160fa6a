import Foundation
import GongzhiDomain
import Testing

@Suite struct OwnersTallyTests {
    let rules = OwnersRules.civilCode

    func part(_ id: Int64, _ holder: PartHolder, _ area: String, building: Int64? = nil) -> ExclusivePart {
        ExclusivePart(id: id, holder: holder, area: Area(area)!, buildingID: building)
    }

    /// `n` owners with one part of 100 m² each.
    func equalRoll(_ n: Int64) throws -> OwnersRoll {
        try OwnersRoll(parts: (1...n).map { part($0, .owner($0), "100") })
    }

    func ballots(_ yes: [Int64], no: [Int64] = [], abstain: [Int64] = []) -> [PartHolder: OwnerChoice] {
        var b: [PartHolder: OwnerChoice] = [:]
        for id in yes { b[.owner(id)] = .yes }
        for id in no { b[.owner(id)] = .no }
        for id in abstain { b[.owner(id)] = .abstain }
        return b
    }

    @Test func oneOwnerWithSeveralPartsIsOneHeadWhoseAreasAddUp() throws {
        // given owner 1 with a flat and a parking space, owner 2 with a flat
        let roll = try OwnersRoll(parts: [
            part(1, .owner(1), "89.5"), part(2, .owner(2), "120"), part(3, .owner(1), "12.25"),
        ])
        // then
        #expect(roll.headCount == 2)
        #expect(roll.head(.owner(1))?.area == Area("101.75"))
        #expect(roll.head(.owner(1))?.partIDs == [1, 3])
        #expect(roll.totalArea == Area("221.75"))
    }

    @Test func theDevelopersUnsoldPartsTogetherAreOneHead() throws {
        // given three unsold flats and two sold ones
        let roll = try OwnersRoll(parts: [
            part(1, .developerUnsold, "90"), part(2, .owner(10), "90"), part(3, .developerUnsold, "90"),
            part(4, .owner(11), "90"), part(5, .developerUnsold, "90"),
        ])
        // then the developer is one head with the full area of its parts
        #expect(roll.headCount == 3)
        #expect(roll.head(.developerUnsold)?.area == Area("270"))
        // and its vote alone carries the area but not the heads
        let outcome = try OwnersTally.decide(
            .propertyManager, roll: roll,
            ballots: [.developerUnsold: .yes, .owner(10): .no, .owner(11): .no], rules: rules,
            ruleSetID: "national-2026")
        #expect(outcome.check(.consentArea)?.isMet == true)
        #expect(outcome.check(.consentHeads)?.arithmetic == "1/3 = 33.3%")
        #expect(!outcome.passed)
    }

    @Test(arguments: [
        // roll of n equal owners; voters yes/no; matter; passed; first failing check
        // exactly 2/3 take part
        (Int64(3), [Int64(1), 2], [Int64](), OwnersMatter.propertyManager, true, CheckKind?.none),
        (3, [1], [], .propertyManager, false, .participationArea),  // 1/3 take part
        (4, [1, 2, 3], [4], .raiseMaintenanceFund, true, nil),  // exactly 3/4 consent
        (4, [1, 2], [3, 4], .raiseMaintenanceFund, false, .consentArea),
        (4, [1, 2], [3, 4], .propertyManager, false, .consentArea),  // exactly half is not more than half
        (5, [1, 2, 3], [4, 5], .useMaintenanceFund, true, nil),  // using the fund: a simple double majority
        (5, [1, 2, 3], [4, 5], .rebuild, false, .consentArea),
        (5, [1, 2, 3], [4, 5], .changeCommonPartsUse, false, .consentArea),
    ])
    func theDoubleMajorityOfArticle278(
        owners: Int64, yes: [Int64], no: [Int64], matter: OwnersMatter, passed: Bool, failing: CheckKind?
    ) throws {
        // given
        let roll = try equalRoll(owners)
        // when
        let outcome = try OwnersTally.decide(
            matter, roll: roll, ballots: ballots(yes, no: no), rules: rules, ruleSetID: "national-2026")
        // then
        #expect(outcome.passed == passed)
        #expect(outcome.failures.first?.kind == failing)
        #expect(outcome.checks.map(\.kind) == [.participationArea, .participationHeads, .consentArea, .consentHeads])
    }

    @Test func areaAndHeadsMustBothPass() throws {
        // given one large owner and two small ones, all voting
        let roll = try OwnersRoll(parts: [
            part(1, .owner(1), "300"), part(2, .owner(2), "50"), part(3, .owner(3), "50"),
        ])
        // when only the large owner says yes to a special matter
        let outcome = try OwnersTally.decide(
            .rebuild, roll: roll, ballots: ballots([1], no: [2, 3]), rules: rules, ruleSetID: "x")
        // then 3/4 of the area is not enough without 3/4 of the heads
        #expect(outcome.check(.consentArea)?.isMet == true)
        #expect(outcome.check(.consentHeads)?.isMet == false)
        #expect(outcome.reason == DomainError(.conflict, "vote_consentHeads_short", args: ["1/3 = 33.3%", "≥ 3/4"]))
    }

    @Test func aNonVoterNeverCountsTowardsParticipation() throws {
        // given three owners of whom two voted, and an abstention among them
        let roll = try equalRoll(3)
        // when
        let two = try OwnersTally.decide(
            .propertyManager, roll: roll, ballots: ballots([1], abstain: [2]), rules: rules, ruleSetID: "x")
        let one = try OwnersTally.decide(
            .propertyManager, roll: roll, ballots: ballots([1]), rules: rules, ruleSetID: "x")
        // then an abstention takes part, silence does not
        #expect(two.check(.participationHeads)?.arithmetic == "2/3 = 66.7%")
        #expect(two.check(.participationHeads)?.isMet == true)
        #expect(two.check(.consentHeads)?.arithmetic == "1/2 = 50.0%")
        #expect(one.check(.participationHeads)?.arithmetic == "1/3 = 33.3%")
        #expect(!one.isQuorate)
    }

    @Test func aBallotFromSomeoneNotOnTheRollIsRefused() throws {
        let roll = try equalRoll(3)
        #expect(throws: DomainError.invalid("owners_not_on_roll", args: ["owner:9"])) {
            try OwnersTally.decide(
                .propertyManager, roll: roll, ballots: ballots([1, 9]), rules: rules, ruleSetID: "x")
        }
    }

    @Test func aResultShowsItsFourNumbersAndTwoFractions() throws {
        // given 100 heads on 9,000 m², of whom 71 with 6,210.5 m² vote yes
        var parts = (1...70).map { part($0, .owner($0), "87.5") }
        parts.append(part(71, .owner(71), "85.5"))
        parts += (72...99).map { part($0, .owner($0), "96") }
        parts.append(part(100, .owner(100), "101.5"))
        let roll = try OwnersRoll(parts: parts)
        // when
        let outcome = try OwnersTally.decide(
            .ownersCommittee, roll: roll, ballots: ballots(Array(1...71)), rules: rules, ruleSetID: "national-2026")
        // then
        #expect(roll.totalArea == Area("9000"))
        #expect(outcome.check(.participationArea)?.arithmetic == "6,210.5/9,000 m² = 69.0%")
        #expect(outcome.check(.participationHeads)?.arithmetic == "71/100 = 71.0%")
        #expect(outcome.check(.consentArea)?.summary == "6,210.5/6,210.5 m² = 100.0% (> 1/2)")
        #expect(outcome.passed)
        #expect(outcome.basis.first?.article == "278")
    }

    @Test func oneBuildingsOwnersDecideOnItsSharedPartsAlone() throws {
        // given owner 1 with flats in buildings 1 and 2, owners 2 and 3 in building 1, owner 4 in building 2
        let parts = [
            part(1, .owner(1), "100", building: 1), part(2, .owner(1), "80", building: 2),
            part(3, .owner(2), "100", building: 1), part(4, .owner(3), "100", building: 1),
            part(5, .owner(4), "100", building: 2),
        ]
        // when
        let building1 = try OwnersRoll.building(1, of: parts)
        let outcome = try OwnersTally.decide(
            .useMaintenanceFund, roll: building1, ballots: ballots([1, 2]), rules: rules, ruleSetID: "x")
        // then only building 1's parts count, by area and by heads
        #expect(building1.headCount == 3)
        #expect(building1.totalArea == Area("300"))
        #expect(outcome.check(.participationArea)?.arithmetic == "200/300 m² = 66.7%")
        #expect(outcome.passed)
        #expect(throws: DomainError.invalid("owners_not_on_roll", args: ["owner:4"])) {
            try OwnersTally.decide(
                .useMaintenanceFund, roll: building1, ballots: ballots([4]), rules: rules, ruleSetID: "x")
        }
    }

    @Test func aPartListedTwiceOrWithoutAreaIsRefused() {
        #expect(throws: DomainError.invalid("owners_part_twice", args: ["1"])) {
            try OwnersRoll(parts: [part(1, .owner(1), "10"), part(1, .owner(2), "10")])
        }
        #expect(throws: DomainError.invalid("owners_part_area_missing", args: ["2"])) {
            try OwnersRoll(parts: [part(2, .owner(1), "0")])
        }
    }
}
