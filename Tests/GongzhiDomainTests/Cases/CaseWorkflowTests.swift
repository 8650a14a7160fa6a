import Foundation
import GongzhiDomain
import Testing

@Suite struct CaseWorkflowTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let reporter = Actor(userID: 42, username: "r", grants: [])

    func fresh(_ status: CaseStatus = .submitted, unit: Int64? = nil, reopens: Int = 0) -> Case {
        Case(
            id: 1, number: "GZ1", kind: .appeal, channel: .web, status: status, title: "路灯不亮", description: "三栋门口路灯坏了",
            communityID: 3, nodeID: 9, reporterUserID: 42, unitID: unit, createdAt: t0, reopenCount: reopens)
    }

    func step(_ command: CaseCommand, _ c: Case, _ context: CaseContext? = nil) throws -> Case {
        let context = context ?? CaseContext(now: t0, path: "/1/")
        guard CaseWorkflow.isAvailable(command.capability, c, context) else {
            throw DomainError(
                .conflict, "case_step_out_of_order", args: [command.capability.rawValue, c.status.rawValue])
        }
        return try CaseWorkflow.transition(command, of: c, by: reporter, in: context).next
    }

    @Test func theWholeLoopEndsClosedAndRated() throws {
        // given
        var c = fresh()
        // when
        for command: CaseCommand in [
            .file(categoryID: 7), .dispatch(unitID: 5, respondBy: t0 + 3600, resolveBy: t0 + 86400), .acceptHandling,
            .reportBack(result: "已更换灯泡"), .verify(passed: true, note: ""),
            .rate(.satisfied, comment: "谢谢", reopen: false),
        ] {
            c = try step(command, c)
        }
        // then
        #expect(c.status == .closed)
        #expect(c.categoryID == 7)
        #expect(c.rating == .satisfied)
        #expect(c.ratingComment == "谢谢")
        #expect(c.respondedAt == t0)
        #expect(c.closedAt == t0)
    }

    @Test func stepsOutOfOrderAreNotAvailable() {
        let context = CaseContext(now: t0, path: "/1/")
        #expect(!CaseWorkflow.isAvailable(.reportBack, fresh(), context))
        #expect(!CaseWorkflow.isAvailable(.dispatch, fresh(), context))
        #expect(CaseWorkflow.isAvailable(.file, fresh(), context))
    }

    @Test func dispatchWithoutDatesTakesTheRoutingRulesUnitAndDeadlines() throws {
        let routing = RoutedDispatch(unitID: 8, respondBy: t0 + 7200, resolveBy: t0 + 57600)
        let c = try step(.dispatch(unitID: nil), fresh(.filed), CaseContext(now: t0, path: "/1/", routing: routing))
        #expect(c.unitID == 8)
        #expect(c.resolveBy == t0 + 57600)
        #expect(throws: DomainError.invalid("routing_rule_missing", field: "unit")) {
            try step(.dispatch(unitID: 3), fresh(.filed))
        }
    }

    @Test func aReturnedCaseMeasuresTheNextUnitsResponseAfresh() throws {
        var c = fresh(.handling, unit: 5)
        c.respondedAt = t0 - 100
        let returned = try step(.returnCase(reason: "不属于我单位"), c)
        #expect(returned.respondedAt == nil)
        #expect(returned.unitID == nil)
    }

    @Test func failedVerificationReturnsTheCaseToTheUnit() throws {
        let c = try step(.verify(passed: false, note: "灯还是不亮"), fresh(.reportedBack, unit: 5))
        #expect(c.status == .handling)
        #expect(c.unitID == 5)
        #expect(throws: DomainError.invalid("case_text_required", field: "note")) {
            try step(.verify(passed: false, note: " "), fresh(.reportedBack, unit: 5))
        }
    }

    @Test func dissatisfactionReopensOnceWithNewDeadlines() throws {
        var closed = fresh(.closed, unit: 5)
        closed.closedAt = t0 - 3600
        closed.resolveBy = t0 - 7200
        let reopened = try step(.rate(.dissatisfied, comment: "没修好", reopen: true), closed)
        #expect(reopened.status == .handling)
        #expect(reopened.reopenCount == 1)
        #expect(reopened.resolveBy == t0 - 3600, "the old deadline moves by the hour the case lay closed")
        var again = reopened
        again.status = .closed
        again.rating = nil
        #expect(throws: DomainError(.conflict, "case_reopen_limit")) {
            try step(.rate(.dissatisfied, comment: "", reopen: true), again)
        }
        #expect(throws: DomainError.invalid("case_reopen_needs_dissatisfied", field: "reopen")) {
            try step(.rate(.satisfied, comment: "", reopen: true), closed)
        }
    }

    @Test func anExtensionMovesTheDeadlineOnlyWhenApproved() throws {
        var c = fresh(.handling, unit: 5)
        c.resolveBy = t0 + 3600
        let pending = CaseContext(
            now: t0, path: "/1/", pendingExtension: ExtensionRequest(until: t0 + 86400, reason: "采购"))
        #expect(!CaseWorkflow.isAvailable(.requestExtension, c, pending), "one request at a time")
        #expect(try step(.decideExtension(approve: true, note: ""), c, pending).resolveBy == t0 + 86400)
        #expect(try step(.decideExtension(approve: false, note: ""), c, pending).resolveBy == t0 + 3600)
        #expect(throws: DomainError.invalid("extension_until_invalid", field: "until")) {
            try step(.requestExtension(until: t0 + 60, reason: "x"), c)
        }
    }

    @Test func escalationTellsTheLevelItRisesTo() throws {
        var c = fresh(.handling, unit: 5)
        c.resolveBy = t0 - 3600
        let context = CaseContext(now: t0, path: "/1/")
        #expect(CaseWorkflow.isAvailable(.escalateOverdue, c, context))
        let t = try CaseWorkflow.transition(.escalateOverdue, of: c, by: .system, in: context)
        #expect(t.next.escalationLevel == 1)
        #expect(t.audience.contains(.watchers(level: 1)))
        let manual = try CaseWorkflow.transition(.escalate(reason: "居民多次反映"), of: t.next, by: reporter, in: context)
        #expect(manual.audience.contains(.watchers(level: 2)))
        #expect(manual.next.escalationLevel == 2)
    }

    @Test func mergingNeedsAnOpenCaseOfTheSameCommunity() throws {
        var other = fresh(.filed)
        other.id = 2
        other.number = "GZ2"
        let context = CaseContext(now: t0, path: "/1/", mergeTarget: other)
        let merged = try step(.merge(intoNumber: "GZ2"), fresh(), context)
        #expect(merged.status == .rejected)
        #expect(merged.mergedIntoID == 2)
        other.communityID = 99
        #expect(throws: DomainError.invalid("merge_case_unknown", field: "into")) {
            try step(.merge(intoNumber: "GZ2"), fresh(), CaseContext(now: t0, path: "/1/", mergeTarget: other))
        }
    }
}

@Suite struct CasePolicyTests {
    let building = "/1/2/3/7/9/"
    let community = "/1/2/3/"
    let subject = Case(
        id: 1, number: "GZ1", kind: .appeal, channel: .web, status: .dispatched, title: "t", description: "d",
        communityID: 3, nodeID: 9, reporterUserID: 42, unitID: 5, createdAt: Date(timeIntervalSince1970: 0))

    func actor(_ role: Role, at path: String, id: Int64 = 1) -> Actor {
        Actor(userID: id, username: "u", grants: [RoleGrant(id: 1, userID: id, role: role, nodeID: 0, nodePath: path)])
    }

    func context(units: Set<Int64> = [], reportedBackBy: Int64? = nil) -> CaseContext {
        CaseContext(now: Date(timeIntervalSince1970: 100), path: building, units: units, reportedBackBy: reportedBackBy)
    }

    func may(_ a: Actor, _ capability: CaseCapability, on c: Case? = nil, _ ctx: CaseContext? = nil) -> Bool {
        (try? CasePolicy.require(capability, of: a, on: c ?? subject, in: ctx ?? context())) != nil
    }

    @Test func communityWorkerFilesOnlyInsideTheirCommunity() {
        var submitted = subject
        submitted.status = .submitted
        #expect(may(actor(.communityWorker, at: community), .file, on: submitted))
        #expect(!may(actor(.communityWorker, at: "/1/2/4/"), .file, on: submitted))
        #expect(!may(actor(.resident, at: building), .file, on: submitted))
    }

    @Test func refusalsSayNotFoundOutsideAndForbiddenInside() {
        #expect(throws: DomainError.outsideJurisdiction) {
            try CasePolicy.require(.dispatch, of: actor(.communityWorker, at: "/1/2/4/"), on: subject, in: context())
        }
        #expect(throws: DomainError.forbidden) {
            try CasePolicy.require(.dispatch, of: actor(.gridWorker, at: community), on: subject, in: context())
        }
        #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["file", "dispatched"])) {
            try CasePolicy.require(.file, of: actor(.communityWorker, at: community), on: subject, in: context())
        }
    }

    @Test func requireNamesTheRoleThatAllowedIt() throws {
        #expect(
            try CasePolicy.require(.escalate, of: actor(.subdistrictAdmin, at: "/1/2/"), on: subject, in: context())
                == .subdistrictAdmin)
    }

    @Test func onlyTheDispatchedUnitHandles() {
        let handler = actor(.departmentHandler, at: "/1/")
        #expect(may(handler, .acceptHandling, context(units: [5])))
        #expect(!may(handler, .acceptHandling, context(units: [6])))
    }

    @Test func onlyTheReporterRatesAndStaffNever() {
        var closed = subject
        closed.status = .closed
        #expect(may(actor(.resident, at: building, id: 42), .rate, on: closed))
        #expect(!may(actor(.communityWorker, at: community, id: 7), .rate, on: closed))
        var patrol = closed
        patrol.channel = .patrol
        patrol.kind = .event
        #expect(
            !may(actor(.gridWorker, at: community, id: 42), .rate, on: patrol),
            "a grid worker does not rate their own patrol event")
    }

    @Test func gridWorkerVerifiesOnSiteButNotTheirOwnReport() {
        var reported = subject
        reported.status = .reportedBack
        #expect(may(actor(.gridWorker, at: "/1/2/3/7/"), .verify, on: reported))
        #expect(!may(actor(.gridWorker, at: "/1/2/3/8/"), .verify, on: reported))
        #expect(!may(actor(.communityWorker, at: community, id: 7), .verify, on: reported, context(reportedBackBy: 7)))
    }

    @Test func theReporterIsKnownOnlyToThoseWhoTakeCasesIn() {
        #expect(may(actor(.communityWorker, at: community), .seeReporter))
        #expect(may(actor(.districtAdmin, at: "/1/"), .seeReporter))
        #expect(may(actor(.resident, at: building, id: 42), .seeReporter))
        for role in [Role.buildingHead, .gridWorker, .supervisionMember] {
            #expect(!may(actor(role, at: community), .seeReporter), "\(role)")
        }
        #expect(!may(actor(.departmentHandler, at: "/1/"), .seeReporter, context(units: [5])))
        #expect(!may(actor(.auditor, at: "/1/"), .read))
    }

    @Test func auditorsFileNothing() {
        #expect(throws: DomainError.forbidden) {
            try CasePolicy.requireSubmit(
                actor(.auditor, at: "/1/"), kind: .appeal, channel: .web, placePath: building, placeCommunityID: 3,
                homeCommunityID: nil)
        }
        #expect(throws: DomainError.forbidden) {
            try CasePolicy.requireSubmit(
                actor(.resident, at: building), kind: .event, channel: .patrol, placePath: building,
                placeCommunityID: 3,
                homeCommunityID: 3)
        }
    }

    @Test func capabilitiesAreWhatRequireAllows() {
        let worker = actor(.communityWorker, at: community)
        let caps = CasePolicy.capabilities(of: worker, on: subject, in: context())
        for capability in CaseCapability.allCases {
            #expect(caps.contains(capability) == may(worker, capability), "\(capability)")
        }
        #expect(caps.contains(.escalate))
        #expect(!caps.contains(.acceptHandling))
    }

    @Test func areasKeepEveryStaffGrantOnce() {
        let two = Actor(
            userID: 1, username: "u",
            grants: [
                RoleGrant(id: 1, userID: 1, role: .communityWorker, nodeID: 3, nodePath: "/1/2/3/"),
                RoleGrant(id: 2, userID: 1, role: .communityWorker, nodeID: 4, nodePath: "/1/2/4/"),
                RoleGrant(id: 3, userID: 1, role: .gridWorker, nodeID: 7, nodePath: "/1/2/3/7/"),
                RoleGrant(id: 4, userID: 1, role: .departmentHandler, nodeID: 1, nodePath: "/1/"),
            ])
        #expect(two.areas.map(\.nodePath) == ["/1/2/3/", "/1/2/4/"])
    }
}
