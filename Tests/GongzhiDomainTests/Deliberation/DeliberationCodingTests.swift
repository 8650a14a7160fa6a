import Foundation
import GongzhiDomain
import Testing

@Suite struct DeliberationCodingTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    @Test func theValuesAStoreKeepsReadBackUnchanged() throws {
        // given a decided owners' vote, a topic from a case, a resolution and a secret choice
        let roll = try OwnersRoll(parts: [
            ExclusivePart(id: 1, holder: .owner(1), area: Area("90.5")!, buildingID: 3),
            ExclusivePart(id: 2, holder: .developerUnsold, area: Area("120")!, areaSource: .survey),
        ])
        let outcome = try OwnersTally.decide(
            .rebuild, roll: roll, ballots: [.owner(1): .yes, .developerUnsold: .yes], rules: .civilCode,
            ruleSetID: "national-2026")
        let topic = Topic(
            id: 1, number: "YT1", scope: TopicScope(communityID: 3, buildingID: 9), origin: .fromCase(caseID: 500),
            proposerUserID: nil, title: "漏水", body: "顶楼漏水", createdAt: t0)
        let resolution = try Resolution.adopt(
            id: 1, number: "JY1", communityID: 3, topicID: 1, text: "维修屋面", source: .vote(voteID: 2, meetingID: nil),
            outcome: outcome, executors: [.department(6)], adoptedOn: CalendarDate("2026-03-01")!,
            deadline: CalendarDate("2026-04-01")!)
        let choice = ChoiceRecord(
            ballot: .times([.yes, .ifNeedBe]), channel: .online,
            receipt: try ReceiptCode(randomBytes: Array(repeating: 7, count: 10)), voter: nil)
        // when / then
        #expect(try roundTrip(roll) == roll)
        #expect(try roundTrip(outcome) == outcome)
        #expect(try roundTrip(topic) == topic)
        #expect(try roundTrip(resolution) == resolution)
        #expect(try roundTrip(choice) == choice)
        #expect(try roundTrip(SecrecySetting(secrecy: .secret)) == SecrecySetting(secrecy: .secret))
        #expect(outcome.passed)
    }

    @Test func anAreaIsStoredAsItsExactDecimalText() throws {
        let json = String(decoding: try JSONEncoder().encode([Area("6210.5")!]), as: UTF8.self)
        #expect(json == #"["6210.50"]"#)
    }
}
