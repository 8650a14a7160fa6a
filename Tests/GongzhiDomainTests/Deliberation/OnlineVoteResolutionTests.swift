import Foundation
import GongzhiDomain
import Testing

/// A resolution from a vote taken purely online, with no meeting (issue 13): the vote's own participation and
/// majority rule decide, and no meeting's quorum is asked for.
@Suite struct OnlineVoteResolutionTests {
    func owners(participating area: String, heads: Int64, yes: String, yesHeads: Int64) -> DecisionOutcome {
        OwnersTally.decide(
            .propertyManager,
            totals: OwnersTotals(
                totalArea: Area("300")!, totalHeads: 3, participatingArea: Area(area)!, participatingHeads: heads,
                yesArea: Area(yes)!, yesHeads: yesHeads), rules: .civilCode, ruleSetID: "national-2026")
    }

    func adopt(_ outcome: DecisionOutcome?) throws -> Resolution {
        try Resolution.adopt(
            id: 1, number: "JY1", communityID: 3, topicID: nil, text: "选聘新的物业服务企业。",
            source: .vote(voteID: 5, meetingID: nil), outcome: outcome, executors: [.body(4)],
            adoptedOn: CalendarDate("2026-03-01")!, deadline: CalendarDate("2026-06-30")!)
    }

    @Test func anOnlineVoteNeedsNoMeetingButItsOwnParticipationRule() throws {
        // no meeting is asked for
        try ResolutionPolicy.checkSource(
            .vote(voteID: 5, meetingID: nil), meeting: nil, quorum: nil, communityID: 3)
        #expect(throws: DomainError.invalid("resolution_meeting_not_held", field: "meeting")) {
            try ResolutionPolicy.checkSource(.consultation(meetingID: 9), meeting: nil, quorum: nil, communityID: 3)
        }
        // exactly 2/3 of area and heads took part and all said yes: adopted
        #expect(try adopt(owners(participating: "200", heads: 2, yes: "200", yesHeads: 2)).outcome?.passed == true)
        // just under 2/3 of the area: the vote's own participation rule refuses it, with its arithmetic
        #expect(
            throws: DomainError(.conflict, "resolution_vote_not_quorate", args: ["199.99/300 m² = 66.7%"])
        ) { try adopt(owners(participating: "199.99", heads: 2, yes: "199.99", yesHeads: 2)) }
        // taken part, but not passed; and no outcome at all
        #expect(throws: DomainError(.conflict, "resolution_vote_not_passed")) {
            try adopt(owners(participating: "300", heads: 3, yes: "100", yesHeads: 1))
        }
        #expect(throws: DomainError.invalid("resolution_outcome_required", field: "vote")) { try adopt(nil) }
    }
}
