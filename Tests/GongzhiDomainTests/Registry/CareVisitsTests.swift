import Foundation
import GongzhiDomain
import Testing

@Suite struct CarePolicyTests {
    static func actor(_ role: Role) -> Actor {
        Actor(userID: 7, username: "u", grants: [RoleGrant(id: 1, userID: 7, role: role, nodeID: 5, nodePath: "/1/5/")])
    }

    /// Who may do what inside their own subtree, written out; nothing outside it.
    static let allowed: [CareCapability: Set<Role>] = [
        .view: [.gridWorker, .communityWorker, .subdistrictAdmin, .districtAdmin],
        .visit: [.gridWorker, .communityWorker],
        .plan: [.communityWorker],
    ]

    @Test(arguments: Role.allCases, PolicyPlace.allCases)
    func everyRoleEverywhere(_ role: Role, _ place: PolicyPlace) {
        let actor = Self.actor(role)
        for capability in CareCapability.allCases {
            let expected = place.isInside && Self.allowed[capability]!.contains(role)
            #expect(CarePolicy.capabilities(of: actor, at: place.path).contains(capability) == expected)
            let mayView = place.isInside && Self.allowed[.view]!.contains(role)
            do {
                let granted = try CarePolicy.require(capability, of: actor, at: place.path)
                #expect(expected && granted == role, "\(capability) as \(role) at \(place)")
            } catch {
                #expect(!expected, "\(capability) as \(role) at \(place)")
                #expect(error == (mayView ? DomainError.forbidden : DomainError.outsideJurisdiction))
            }
        }
    }

    @Test func onlyCommunityWorkersPlanAnywhere() {
        #expect(CarePolicy.plansAnywhere(Self.actor(.communityWorker)))
        #expect(!CarePolicy.plansAnywhere(Self.actor(.gridWorker)))
        #expect(!CarePolicy.plansAnywhere(Self.actor(.districtAdmin)))
    }
}

@Suite struct CareGroupDraftTests {
    @Test(arguments: [
        (PersonTag.elderlyLivingAlone, 7), (.disabled, 30), (.lowIncome, 30), (.leftBehindChild, 30),
        (.extremeHardship, 14), (.veteran, 90),
    ])
    func anEmptyFrequencyTakesTheTagsDefault(_ tag: PersonTag, _ days: Int) throws {
        #expect(try CareGroupDraft(name: "关爱", tag: tag, frequencyDays: nil).frequencyDays == days)
    }

    @Test func aFrequencyTypedInWinsOverTheDefault() throws {
        #expect(try CareGroupDraft(name: "独居老人", tag: .elderlyLivingAlone, frequencyDays: 3).frequencyDays == 3)
    }

    @Test func badGroupsAreRefusedBesideTheirField() {
        #expect(throws: DomainError.invalid("care_frequency_required", field: "frequency_days")) {
            try CareGroupDraft(name: "重点关注", tag: nil, frequencyDays: nil)
        }
        #expect(throws: DomainError.invalid("care_frequency_invalid", field: "frequency_days")) {
            try CareGroupDraft(name: "重点关注", tag: nil, frequencyDays: 0)
        }
        #expect(throws: DomainError.invalid("care_frequency_invalid", field: "frequency_days")) {
            try CareGroupDraft(name: "重点关注", tag: nil, frequencyDays: 400)
        }
        #expect(throws: DomainError.invalid("care_group_name_required", field: "name")) {
            try CareGroupDraft(name: "  ", tag: .disabled, frequencyDays: nil)
        }
        #expect(throws: DomainError.invalid("care_group_tag_sensitive", field: "tag")) {
            try CareGroupDraft(name: "矫正", tag: .communityCorrection, frequencyDays: 7)
        }
    }
}

@Suite struct CareScheduleTests {
    let day = CalendarDate(year: 2026, month: 6, day: 10)!

    @Test func neverVisitedIsDueTheDayAddedAndThenAFrequencyAfterTheLastVisit() {
        #expect(CareSchedule.nextDue(lastVisit: nil, addedOn: day, everyDays: 7) == day)
        #expect(
            CareSchedule.nextDue(lastVisit: day, addedOn: day.adding(days: -30), everyDays: 7)
                == CalendarDate(year: 2026, month: 6, day: 17)!)
        #expect(
            CareSchedule.nextDue(lastVisit: day, addedOn: day, everyDays: 30) == CalendarDate(
                year: 2026, month: 7, day: 10)!)
    }

    @Test func dueTodayIsNotYetOverdue() {
        #expect(!CareSchedule.isOverdue(day, today: day))
        #expect(CareSchedule.isOverdue(day, today: day.adding(days: 1)))
        #expect(CareSchedule.days(from: day, to: day.adding(days: 9)) == 9)
        #expect(CareSchedule.days(from: day, to: day.adding(days: -3)) == -3)
    }
}

@Suite struct CareVisitDraftTests {
    let today = CalendarDate(year: 2026, month: 6, day: 10)!

    @Test func aVisitThatRaisesACaseNeedsFollowUpAndATitle() throws {
        let draft = try CareVisitDraft(
            visitedOn: today, method: .home, findings: "老人腿脚不便，楼道灯坏了", followUp: false, caseTitle: "3栋楼道灯不亮",
            caseDescription: "请物业修理楼道灯", today: today)
        #expect(draft.followUp && draft.caseTitle == "3栋楼道灯不亮")
        let plain = try CareVisitDraft(
            visitedOn: today.adding(days: -2), method: .phone, findings: "身体很好", followUp: false, today: today)
        #expect(!plain.followUp && plain.caseTitle == nil && plain.caseDescription == nil)
    }

    @Test func badVisitsAreRefusedBesideTheirField() {
        #expect(throws: DomainError.invalid("date_in_future", field: "visited_on")) {
            try CareVisitDraft(
                visitedOn: today.adding(days: 1), method: .home, findings: "身体很好", followUp: false, today: today)
        }
        #expect(throws: DomainError.invalid("care_visit_too_old", field: "visited_on")) {
            try CareVisitDraft(
                visitedOn: today.adding(days: -400), method: .home, findings: "身体很好", followUp: false, today: today)
        }
        #expect(throws: DomainError.invalid("care_findings_required", field: "findings")) {
            try CareVisitDraft(visitedOn: today, method: .home, findings: " ", followUp: false, today: today)
        }
        #expect(throws: DomainError.invalid("care_case_title_required", field: "case_title")) {
            try CareVisitDraft(
                visitedOn: today, method: .home, findings: "身体很好", followUp: false, caseTitle: "", today: today)
        }
        #expect(throws: DomainError.invalid("care_case_description_required", field: "case_description")) {
            try CareVisitDraft(
                visitedOn: today, method: .home, findings: "身体很好", followUp: false, caseTitle: "楼道灯坏了", today: today)
        }
    }
}

@Suite struct PermitReminderTests {
    @Test func onlyFloatingResidentsWithAPermitEndingWithin30DaysAreDue() throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let today = CalendarDate(now)
        let soon = try ResidencePermit(start: today.adding(days: -300), end: today.adding(days: 30))
        let later = try ResidencePermit(start: today.adding(days: -300), end: today.adding(days: 31))
        let expired = try ResidencePermit(start: today.adding(days: -300), end: today.adding(days: -1))
        #expect(PermitReminder.isDue(.floating, soon, now: now))
        #expect(!PermitReminder.isDue(.floating, later, now: now))
        #expect(!PermitReminder.isDue(.floating, expired, now: now))
        #expect(!PermitReminder.isDue(.registered, soon, now: now))
        #expect(!PermitReminder.isDue(.floating, nil, now: now))
    }
}

@Suite struct ReviewQueueTests {
    @Test func onlyAGridWorkersRegisterAmendAndMoveOutAreReviewed() throws {
        let draft = try PersonForm(
            name: "王秀英", idType: "居民身份证", idNumber: "11010519491231002X", building: "1"
        ).draft(today: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(ReviewQueue.needsReview(.register(draft), by: .gridWorker))
        #expect(ReviewQueue.needsReview(.amend(draft), by: .gridWorker))
        #expect(ReviewQueue.needsReview(.moveOut(on: CalendarDate(year: 2026, month: 6, day: 1)!), by: .gridWorker))
        #expect(!ReviewQueue.needsReview(.anonymise, by: .gridWorker))
        #expect(!ReviewQueue.needsReview(.register(draft), by: .communityWorker))
        #expect(!ReviewQueue.needsReview(.register(draft), by: nil))
    }

    @Test func aChangeIsDecidedOnceAndSentBackOnlyWithANote() throws {
        #expect(try ReviewDecision.sendBack(rawNote: "  房号写错了  ") == .sendBack(note: "房号写错了"))
        #expect(throws: DomainError.invalid("review_note_required", field: "note")) {
            try ReviewDecision.sendBack(rawNote: " ")
        }
        #expect(throws: DomainError.invalid("review_decided")) { try ReviewQueue.requireUndecided(.accepted) }
        #expect(throws: Never.self) { try ReviewQueue.requireUndecided(.pending) }
    }

    @Test func theChangesAreTheFieldsThatDiffer() {
        let changes = ReviewQueue.changes(
            before: ["name": "王*英", "phone": "138****5678", "room": "101"],
            after: ["name": "王*英", "phone": "139****0000", "room": "101", "movedOutOn": "2026-06-01"])
        #expect(changes.map(\.0) == ["movedOutOn", "phone"])
        #expect(changes.last?.1 == "138****5678" && changes.last?.2 == "139****0000")
        #expect(ReviewQueue.changes(before: nil, after: ["name": "王*英"]).map(\.0) == ["name"])
    }
}
