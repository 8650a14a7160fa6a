import Foundation
import GongzhiDomain
import Testing

@Suite struct CaseWorkflowTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func fresh(_ status: CaseStatus = .submitted, unit: Int64? = nil, reopens: Int = 0) -> Case {
        Case(id: 1, number: "GZ1", kind: .appeal, channel: .web, status: status, title: "路灯不亮", description: "三栋门口路灯坏了",
             communityID: 3, nodeID: 9, reporterUserID: 42, unitID: unit, createdAt: t0, reopenCount: reopens)
    }

    @Test func theWholeLoopEndsClosedAndRated() throws {
        // given
        var c = fresh()
        // when
        for action: CaseAction in [
            .file(categoryID: 7), .dispatch(unitID: 5, respondBy: t0 + 3600, resolveBy: t0 + 86400), .acceptHandling,
            .reportBack(result: "已更换灯泡"), .verify(passed: true, note: ""), .rate(.satisfied, comment: "谢谢", reopen: false),
        ] {
            c = try CaseWorkflow.apply(action, to: c, at: t0)
        }
        // then
        #expect(c.status == .closed)
        #expect(c.categoryID == 7)
        #expect(c.rating == .satisfied)
        #expect(c.closedAt == t0)
    }

    @Test func stepsOutOfOrderAreRefused() {
        #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["report_back", "submitted"])) {
            try CaseWorkflow.apply(.reportBack(result: "done"), to: fresh(), at: t0)
        }
        #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["dispatch", "submitted"])) {
            try CaseWorkflow.apply(.dispatch(unitID: 1, respondBy: t0 + 60, resolveBy: t0 + 120), to: fresh(), at: t0)
        }
    }

    @Test func failedVerificationReturnsTheCaseToTheUnit() throws {
        let c = try CaseWorkflow.apply(.verify(passed: false, note: "灯还是不亮"), to: fresh(.reportedBack, unit: 5), at: t0)
        #expect(c.status == .handling)
        #expect(c.unitID == 5)
        #expect(throws: DomainError.invalid("case_text_required", field: "note")) {
            try CaseWorkflow.apply(.verify(passed: false, note: " "), to: fresh(.reportedBack, unit: 5), at: t0)
        }
    }

    @Test func dissatisfactionReopensOnlyOnce() throws {
        let reopened = try CaseWorkflow.apply(.rate(.dissatisfied, comment: "没修好", reopen: true), to: fresh(.closed, unit: 5), at: t0)
        #expect(reopened.status == .handling)
        #expect(reopened.reopenCount == 1)
        #expect(throws: DomainError(.conflict, "case_reopen_limit")) {
            try CaseWorkflow.apply(.rate(.dissatisfied, comment: "", reopen: true), to: fresh(.closed, unit: 5, reopens: 1), at: t0)
        }
        #expect(throws: DomainError.invalid("case_reopen_needs_dissatisfied", field: "reopen")) {
            try CaseWorkflow.apply(.rate(.satisfied, comment: "", reopen: true), to: fresh(.closed, unit: 5), at: t0)
        }
    }

    @Test func returnedCaseGoesBackToFiledWithoutDeadlines() throws {
        let dispatched = try CaseWorkflow.apply(.dispatch(unitID: 5, respondBy: t0 + 60, resolveBy: t0 + 120), to: fresh(.filed), at: t0)
        let back = try CaseWorkflow.apply(.returnCase(reason: "不属于本部门"), to: dispatched, at: t0)
        #expect(back.status == .filed)
        #expect(back.unitID == nil)
        #expect(back.resolveBy == nil)
    }

    @Test func deadlinesMustLieAhead() {
        #expect(throws: DomainError.invalid("case_deadline_invalid", field: "resolve_by")) {
            try CaseWorkflow.apply(.dispatch(unitID: 5, respondBy: t0 - 60, resolveBy: t0 + 120), to: fresh(.filed), at: t0)
        }
    }

    @Test func simpleMattersCloseAtOnce() throws {
        let c = try CaseWorkflow.apply(.resolveAtOnce(result: "已当场清理"), to: fresh(), at: t0)
        #expect(c.status == .closed)
    }

    @Test func titleAndDescriptionAreChecked() {
        #expect(throws: DomainError.invalid("case_title_required", field: "title")) { try Case.validate(title: " ", description: "x") }
        #expect(throws: DomainError.invalid("case_title_too_long", field: "title", args: ["80"])) {
            try Case.validate(title: String(repeating: "长", count: 81), description: "x")
        }
    }
}

@Suite struct CasePolicyTests {
    let community = "/1/2/3/"
    let building = "/1/2/3/7/9/"
    let subject = Case(id: 1, number: "GZ1", kind: .appeal, channel: .web, status: .dispatched, title: "t", description: "d",
                       communityID: 3, nodeID: 9, reporterUserID: 42, unitID: 5, createdAt: Date(timeIntervalSince1970: 0))

    func actor(_ role: Role, at path: String, id: Int64 = 1) -> Actor {
        Actor(userID: id, username: "u", grants: [RoleGrant(id: 1, userID: id, role: role, nodeID: 0, nodePath: path)])
    }

    @Test func communityWorkerFilesOnlyInsideTheirCommunity() {
        #expect(CasePolicy.allows(actor(.communityWorker, at: community), .file(categoryID: nil), on: subject, casePath: building, memberOf: []))
        #expect(!CasePolicy.allows(actor(.communityWorker, at: "/1/2/4/"), .file(categoryID: nil), on: subject, casePath: building, memberOf: []))
        #expect(!CasePolicy.allows(actor(.resident, at: building), .file(categoryID: nil), on: subject, casePath: building, memberOf: []))
    }

    @Test func onlyTheDispatchedUnitHandles() {
        let handler = actor(.departmentHandler, at: "/1/")
        #expect(CasePolicy.allows(handler, .acceptHandling, on: subject, casePath: building, memberOf: [5]))
        #expect(!CasePolicy.allows(handler, .acceptHandling, on: subject, casePath: building, memberOf: [6]))
    }

    @Test func onlyTheReporterRates() {
        #expect(CasePolicy.allows(actor(.resident, at: building, id: 42), .rate(.satisfied, comment: "", reopen: false), on: subject, casePath: building, memberOf: []))
        #expect(!CasePolicy.allows(actor(.communityWorker, at: community, id: 7), .rate(.satisfied, comment: "", reopen: false), on: subject, casePath: building, memberOf: []))
    }

    @Test func gridWorkerVerifiesOnSite() {
        #expect(CasePolicy.allows(actor(.gridWorker, at: "/1/2/3/7/"), .verify(passed: true, note: ""), on: subject, casePath: building, memberOf: []))
        #expect(!CasePolicy.allows(actor(.gridWorker, at: "/1/2/3/8/"), .verify(passed: true, note: ""), on: subject, casePath: building, memberOf: []))
    }
}
