import Foundation
import GongzhiDomain
import Testing

@Suite struct EscalationTests {
    let due = Date(timeIntervalSince1970: 1_800_000_000)
    static let watched: [CaseStatus] = [.dispatched, .handling, .reportedBack]

    @Test(arguments: watched)
    func aCaseRisesOneLevelOnceItsDeadlinePassesAndTwoAfterFortyEightHoursMore(status: CaseStatus) {
        // given
        func level(_ offset: TimeInterval) -> Int {
            Escalation.automaticLevel(status: status, resolveBy: due, now: due + offset)
        }
        // when / then
        #expect(level(-1) == 0)
        #expect(level(0) == 0)
        #expect(level(1) == 1)
        #expect(level(48 * 3600) == 1)
        #expect(level(48 * 3600 + 1) == 2)
        #expect(level(30 * 86400) == Escalation.maxLevel)
    }

    @Test(arguments: CaseStatus.allCases.filter { !watched.contains($0) })
    func casesNotYetDispatchedOrAlreadyEndedNeverRiseByThemselves(status: CaseStatus) {
        // given / when
        let level = Escalation.automaticLevel(status: status, resolveBy: due, now: due + 30 * 86400)
        // then
        #expect(level == 0)
    }

    @Test func aCaseWithoutDeadlineNeverRisesByItself() {
        // given / when
        let level = Escalation.automaticLevel(status: .handling, resolveBy: nil, now: due)
        // then
        #expect(level == 0)
    }

    @Test func theSecondLevelComesFortyEightHoursAfterTheFirst() {
        // given / when / then
        #expect(Escalation.secondLevelAfter == 48 * 3600)
        #expect(Escalation.maxLevel == 2)
    }

    @Test func eachLevelIsWatchedOneStepFurtherUpTheTree() {
        // given / when / then
        #expect(Escalation.watcherKinds(level: 0) == [.community, .village])
        #expect(Escalation.watcherKinds(level: 1) == [.subdistrict, .town])
        #expect(Escalation.watcherKinds(level: 2) == [.district])
    }

    @Test func everyWatcherKindIsAnAncestorLevelOfTheOneBelow() {
        // given / when / then: a level's watchers may hold the watchers of the level below
        for level in 1...Escalation.maxLevel {
            for upper in Escalation.watcherKinds(level: level) {
                #expect(Escalation.watcherKinds(level: level - 1).allSatisfy(upper.mayHold), "\(upper) at \(level)")
            }
        }
    }
}

@Suite struct DisputeGradeTests {
    @Test func theGradeSetsTheLevelThatWatchesADisputeFromTheStart() {
        // given / when / then
        #expect(DisputeGrade.ordinary.watchLevel == 0)
        #expect(DisputeGrade.serious.watchLevel == 1)
        #expect(DisputeGrade.major.watchLevel == 2)
        #expect(Escalation.watcherKinds(level: DisputeGrade.major.watchLevel) == [.district])
    }

    @Test(arguments: DisputeGrade.allCases)
    func noGradeStartsAboveTheHighestEscalationLevel(grade: DisputeGrade) {
        // given / when / then
        #expect((0...Escalation.maxLevel).contains(grade.watchLevel))
    }
}
