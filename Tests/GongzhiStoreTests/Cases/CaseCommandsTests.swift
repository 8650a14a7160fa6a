import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct CaseCommandsTests {
    @Test func aResidentsAppealGoesRoundTheWholeLoop() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let c = w.commands()
            let submitted = try await w.submit()
            #expect(submitted.number.hasPrefix("GZ20261118-"))
            // when
            _ = try await c.perform(w.worker, submitted.id, .file(categoryID: w.category.id))
            let dispatched = try await c.perform(w.worker, submitted.id, .dispatch(unitID: nil))
            _ = try await c.perform(w.handler, submitted.id, .acceptHandling)
            _ = try await c.perform(w.handler, submitted.id, .reportBack(result: "已更换灯具"))
            _ = try await c.perform(w.gridWorker, submitted.id, .verify(passed: true, note: "现场已亮"))
            let rated = try await c.perform(w.resident, submitted.id, .rate(.satisfied, comment: "很快", reopen: false))
            // then
            #expect(dispatched.unitID == w.unit.id)
            #expect(dispatched.respondBy == WorkCalendar().deadline(from: CaseWorld.t0, hours: 2, working: true))
            #expect(dispatched.resolveBy == WorkCalendar().deadline(from: CaseWorld.t0, hours: 16, working: true))
            #expect(rated.status == .closed)
            #expect(rated.rating == .satisfied)
            let timeline = try await CaseStore(db: db).events(of: submitted.id).map(\.action)
            #expect(timeline == ["submit", "file", "dispatch", "accept_handling", "report_back", "verify", "rate"])
            let chain = try await AuditLog.verify(db)
            #expect({ if case .intact = chain { true } else { false } }())
        }
    }

    @Test func onlyTheDispatchedUnitMayHandle() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let c = w.commands()
            let s = try await w.case(in: .dispatched)
            let outsider = Actor.communityWorker(at: w.tree.otherCommunity, userID: 12345)
            // when / then
            await #expect(throws: DomainError.forbidden) {
                _ = try await c.perform(w.worker, s.id, .acceptHandling)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await c.perform(outsider, s.id, .acceptHandling)
            }
        }
    }

    @Test func dispatchTakesOnlyUnitsTheCasesJurisdictionMayUse() async throws {
        try await withTestDatabase { db in
            // given: a unit set up in another sub-district
            let w = try await CaseWorld.make(db)
            let elsewhere = try await JurisdictionCommands(db: db).add(
                .root, .subdistrict, "粤海街道", under: w.tree.district.id)
            let foreign = try await CaseSetup(db: db).createUnit(.root, nodeID: elsewhere.id, name: "粤海城建办")
            let s = try await w.submit()
            _ = try await w.commands().perform(w.worker, s.id, .file(categoryID: nil))
            // when / then: another jurisdiction's unit and an unknown id are refused and nothing moves
            await #expect(throws: DomainError.invalid("unit_not_usable", field: "unit")) {
                _ = try await w.commands().perform(w.worker, s.id, .dispatch(unitID: foreign.id))
            }
            await #expect(throws: DomainError.invalid("unit_not_usable", field: "unit")) {
                _ = try await w.commands().perform(w.worker, s.id, .dispatch(unitID: 999_999))
            }
            #expect(try await CaseStore(db: db).find(s.id)?.status == .filed)
            let dispatched = try await w.commands().perform(w.worker, s.id, .dispatch(unitID: w.unit.id))
            #expect(dispatched.unitID == w.unit.id)
        }
    }

    @Test func twoPeopleActingAtOnceCannotBothSucceed() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.submit()
            _ = try await w.commands().perform(w.worker, s.id, .file(categoryID: nil), expectedVersion: 1)
            await #expect(throws: DomainError(.conflict, "case_changed_meanwhile")) {
                _ = try await w.commands().perform(w.worker, s.id, .reject(reason: "重复"), expectedVersion: 1)
            }
            #expect(try await CaseStore(db: db).find(s.id)?.status == .filed)
        }
    }

    @Test func aResidentCannotReportOutsideTheirCommunity() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let other = try await JurisdictionCommands(db: db).add(.root, .grid, "外网格", under: w.tree.otherCommunity.id)
            await #expect(throws: DomainError.invalid("case_place_outside", field: "place")) {
                _ = try await w.commands().submit(
                    w.resident, CaseSubmission(title: "噪音", description: "夜里施工", nodeID: other.id))
            }
            #expect(try await CaseStore(db: db).all().isEmpty)
        }
    }

    @Test func listsFilterByScopeStatusAndOverdue() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let first = try await w.submit()
            _ = try await w.submit()
            _ = try await w.commands().perform(w.worker, first.id, .file(categoryID: nil))
            _ = try await w.commands().perform(w.worker, first.id, .dispatch(unitID: nil))
            var filter = CaseFilter(scope: .area)
            filter.within = w.tree.community.path
            #expect(try await CaseStore(db: db).counts(filter, for: .root) == [.submitted: 1, .dispatched: 1])
            var soon = filter
            soon.dueSoonFrom = CaseWorld.t0
            soon.dueBefore = CaseWorld.t0.addingTimeInterval(30 * 86400)
            #expect(try await CaseStore(db: db).all(soon).map(\.id) == [first.id])
            soon.dueBefore = CaseWorld.t0.addingTimeInterval(60)
            #expect(try await CaseStore(db: db).all(soon).isEmpty)
            filter.overdueAt = CaseWorld.t0.addingTimeInterval(30 * 86400)
            #expect(try await CaseStore(db: db).all(filter).map(\.id) == [first.id])
            var other = CaseFilter(scope: .area)
            other.within = w.tree.otherCommunity.path
            #expect(try await CaseStore(db: db).all(other).isEmpty)
            var search = CaseFilter(scope: .area)
            search.search = "路灯"
            #expect(try await CaseStore(db: db).all(search).count == 2)
        }
    }

    @Test func missingRoutingRuleIsAClearError() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.commands().submit(
                w.resident, CaseSubmission(title: "其他", description: "无分类", nodeID: w.tree.buildings[0].id))
            _ = try await w.commands().perform(w.worker, s.id, .file(categoryID: nil))
            await #expect(throws: DomainError.invalid("routing_rule_missing", field: "unit")) {
                _ = try await w.commands().perform(w.worker, s.id, .dispatch(unitID: nil))
            }
        }
    }
}

@Suite struct CaseEscalationTests {
    @Test func overdueCasesRiseOneLevelThenTwoAndOnlyOnce() async throws {
        try await withTestDatabase { db in
            // given: a dispatched case due 16 working hours after t0
            let w = try await CaseWorld.make(db)
            let s = try await w.case(in: .dispatched)
            let due = try #require(s.resolveBy)
            // when / then
            #expect(try await w.commands(at: due.addingTimeInterval(-60)).escalateOverdue() == 0)
            #expect(try await w.commands(at: due.addingTimeInterval(60)).escalateOverdue() == 1)
            #expect(try await w.commands(at: due.addingTimeInterval(120)).escalateOverdue() == 0)
            #expect(try await CaseStore(db: db).find(s.id)?.escalationLevel == 1)
            #expect(try await w.commands(at: due.addingTimeInterval(49 * 3600)).escalateOverdue() == 1)
            #expect(try await CaseStore(db: db).find(s.id)?.escalationLevel == 2)
            let timeline = try await CaseStore(db: db).events(of: s.id).map(\.action)
            #expect(timeline.filter { $0 == "escalate" }.count == 2)
        }
    }

    @Test func aTickReachesEveryDueCaseAcrossPagesOnceAndReadsNoneAlreadyAtItsLevel() async throws {
        try await withTestDatabase { db in
            // given: 23 dispatched cases due over a few minutes, one already raised by hand beyond its due level
            let w = try await CaseWorld.make(db)
            var cases: [Case] = []
            for i in 0..<23 {
                cases.append(try await w.case(in: .dispatched, at: CaseWorld.t0.addingTimeInterval(Double(i) * 60)))
            }
            let due = try #require(cases.last?.resolveBy)
            _ = try await w.commands().perform(w.worker, cases[0].id, .escalate(reason: "居民多次反映"))
            // when: ticks in pages of five, eight at a time
            let first = try await w.commands(at: due.addingTimeInterval(60)).escalateOverdue(batch: 5)
            let again = try await w.commands(at: due.addingTimeInterval(120)).escalateOverdue(batch: 5)
            let later = try await w.commands(at: due.addingTimeInterval(49 * 3600)).escalateOverdue(batch: 5)
            // then: each case rose once to level 1 and once to level 2; the one raised by hand only to 2
            #expect(first == 22)
            #expect(again == 0)
            #expect(later == 23)
            for c in cases {
                #expect(try await CaseStore(db: db).find(c.id)?.escalationLevel == 2)
                let raised = try await CaseStore(db: db).events(of: c.id).map(\.action).filter { $0 == "escalate" }
                #expect(raised.count == 2)
            }
        }
    }

    @Test func manualEscalationNeedsAReasonAndStopsAtTheDistrict() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.submit()
            await #expect(throws: DomainError.invalid("case_text_required", field: "reason")) {
                _ = try await w.commands().perform(w.worker, s.id, .escalate(reason: " "))
            }
            _ = try await w.commands().perform(w.worker, s.id, .escalate(reason: "居民多次反映"))
            _ = try await w.commands().perform(w.worker, s.id, .escalate(reason: "仍未处理"))
            await #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["escalate", "submitted"])) {
                _ = try await w.commands().perform(w.worker, s.id, .escalate(reason: "再次"))
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await w.commands().perform(w.resident, s.id, .escalate(reason: "快点"))
            }
        }
    }
}

@Suite struct CaseMeasuresTests {
    @Test func ratesCountWhatTheyDivideBy() async throws {
        try await withTestDatabase { db in
            // given: one case closed in time and rated satisfied, one rejected, one still submitted
            let w = try await CaseWorld.make(db)
            _ = try await w.ratedCase(.basicallySatisfied)
            _ = try await w.case(in: .rejected)
            _ = try await w.submit()
            // when
            let store = CaseStore(db: db)
            let all = try #require(
                try await store.measures(
                    scopePath: w.tree.district.path, from: CaseWorld.t0.addingTimeInterval(-60),
                    to: CaseWorld.t0.addingTimeInterval(60), groupBy: nil
                ).first)
            // then
            #expect(all.total == 3)
            #expect(all.filed == 1)
            #expect(all.resolutionRate == 1)
            #expect(all.responseRate == 1)
            #expect(all.satisfactionRate == 1)
            #expect(all.onTimeRate == 1)
            #expect(all.averageHours == 0)
            let byCategory = try await store.measures(
                scopePath: w.tree.district.path, from: CaseWorld.t0.addingTimeInterval(-60),
                to: CaseWorld.t0.addingTimeInterval(60), groupBy: .category)
            #expect(byCategory.map(\.total).reduce(0, +) == 3)
            let outside = try await store.measures(
                scopePath: w.tree.otherCommunity.path, from: CaseWorld.t0.addingTimeInterval(-60),
                to: CaseWorld.t0.addingTimeInterval(60), groupBy: nil
            ).first
            #expect(outside?.total == 0)
            #expect(outside?.resolutionRate == nil)
        }
    }
}

@Suite struct DisputeTests {
    func dispute(_ w: CaseWorld, grade: DisputeGrade?) async throws -> Case {
        var s = CaseSubmission(
            kind: .dispute, channel: .hotline, title: "楼上漏水纠纷", description: "两户协商不成", nodeID: w.tree.buildings[0].id)
        s.disputeGrade = grade
        return try await w.commands().submit(w.worker, s)
    }

    @Test func gradeDecidesWhoWatchesFromTheStart() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            #expect(try await dispute(w, grade: .ordinary).escalationLevel == 0)
            #expect(try await dispute(w, grade: .serious).escalationLevel == 1)
            await #expect(throws: DomainError.invalid("dispute_grade_required", field: "grade")) {
                _ = try await dispute(w, grade: nil)
            }
            var residentDispute = CaseSubmission(
                kind: .dispute, title: "x", description: "y", nodeID: w.tree.buildings[0].id)
            residentDispute.disputeGrade = .ordinary
            await #expect(throws: DomainError.forbidden) {
                _ = try await w.commands().submit(w.resident, residentDispute)
            }
        }
    }

    @Test func mediationSessionsAreRecordedWithTheirAgreement() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let d = try await dispute(w, grade: .ordinary)
            _ = try await w.commands().perform(w.worker, d.id, .file(categoryID: nil))
            await #expect(throws: DomainError.invalid("mediation_agreement_required", field: "agreement")) {
                _ = try await w.commands().perform(
                    w.worker, d.id,
                    .mediate(
                        MediationSession(
                            at: CaseWorld.t0, method: .people, mediator: "调委会李主任", parties: "301户、401户",
                            summary: "现场查看漏点",
                            agreement: "", outcome: .agreed)))
            }
            _ = try await w.commands().perform(
                w.worker, d.id,
                .mediate(
                    MediationSession(
                        at: CaseWorld.t0, method: .people, mediator: "调委会李主任", parties: "301户、401户", summary: "现场查看漏点",
                        agreement: "401户三日内修复防水，承担301户维修费", outcome: .agreed)))
            let sessions = try await CaseStore(db: db).mediations(of: d.id)
            #expect(sessions.map(\.outcome) == [.agreed])
            #expect(try await CaseStore(db: db).events(of: d.id).map(\.action).last == "mediate")
            let appeal = try await w.submit()
            await #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["mediate", "submitted"])) {
                _ = try await w.commands().perform(w.worker, appeal.id, .mediate(sessions[0]))
            }
        }
    }
}

@Suite struct CaseSearchTests {
    @Test func chineseSubstringsAreFoundShortAndLong() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let a = try await w.commands().submit(
                w.resident, CaseSubmission(title: "电梯经常停运", description: "老人上下楼很不方便", nodeID: w.tree.buildings[0].id))
            _ = try await w.commands().submit(
                w.resident, CaseSubmission(title: "路灯不亮", description: "晚上很黑", nodeID: w.tree.buildings[0].id))
            func find(_ text: String) async throws -> [Int64] {
                var f = CaseFilter(scope: .area)
                f.search = text
                return try await CaseStore(db: db).all(f).map(\.id)
            }
            #expect(try await find("停运") == [a.id])  // two characters: substring scan
            #expect(try await find("上下楼很") == [a.id])  // four characters: trigram index
            #expect(try await find(a.number) == [a.id])  // a case number
            #expect(try await find("不存在的词") == [])
            // the index follows an edit of the text (a data repair in SQL: no step rewrites a title today)
            try await db.transaction { sql in
                try await sql.raw("UPDATE cases SET title = '电梯门夹人', description = '按钮失灵' WHERE id = \(bind: a.id)")
                    .run()
            }
            #expect(try await find("停运") == [])
            #expect(try await find("上下楼很") == [])
            #expect(try await find("电梯门夹") == [a.id])
            #expect(try await find("失灵") == [a.id])
            // and is partitioned like everything else
            var other = CaseFilter(scope: .area)
            other.search = "电梯门夹"
            other.within = w.tree.otherCommunity.path
            #expect(try await CaseStore(db: db).all(other).isEmpty)
        }
    }
}

@Suite struct GridStepTests {
    @Test func reviewAndFollowUpComeAfterClosingAndLeaveTheirMark() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.submit()
            await #expect(throws: DomainError(.conflict, "case_step_out_of_order", args: ["review", "submitted"])) {
                _ = try await w.commands().perform(w.worker, s.id, .gridStep(.review, note: "季度评事"))
            }
            _ = try await w.commands().perform(w.worker, s.id, .gridStep(.referToDeliberation, note: "涉及全体业主，需议事会决定"))
            _ = try await w.commands().perform(w.worker, s.id, .resolveAtOnce(result: "议事会决定后已处理"))
            var awaiting = CaseFilter(scope: .area)
            awaiting.awaitingReview = true
            #expect(try await CaseStore(db: db).all(awaiting).map(\.id) == [s.id])
            _ = try await w.commands().perform(w.gridWorker, s.id, .gridStep(.review, note: "处理得当"))
            _ = try await w.commands().perform(w.gridWorker, s.id, .gridStep(.followUp, note: "一个月后回访，路灯正常"))
            #expect(try await CaseStore(db: db).all(awaiting).isEmpty)
            var deliberation = CaseFilter(scope: .area)
            deliberation.sentToDeliberation = true
            #expect(try await CaseStore(db: db).all(deliberation).map(\.id) == [s.id])
            #expect(try await CaseStore(db: db).events(of: s.id).map(\.action).suffix(2) == ["review", "followUp"])
            await #expect(throws: DomainError.forbidden) {
                _ = try await w.commands().perform(w.resident, s.id, .gridStep(.followUp, note: "x"))
            }
        }
    }
}

@Suite struct ExtensionTests {
    @Test func theDeadlineMovesOnlyWhenTheExtensionIsApproved() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.case(in: .dispatched)
            let due = try #require(s.resolveBy)
            let later = due.addingTimeInterval(5 * 86400)
            await #expect(throws: DomainError.forbidden) {
                try await w.commands().perform(w.worker, s.id, .requestExtension(until: later, reason: "需要采购灯具"))
            }
            try await w.commands().perform(w.handler, s.id, .requestExtension(until: later, reason: "需要采购灯具"))
            #expect(try await CaseStore(db: db).find(s.id)?.resolveBy == due)
            // Past the old deadline, an approved extension keeps the case from escalating.
            let approved = try await w.commands().perform(w.worker, s.id, .decideExtension(approve: true, note: "同意"))
            #expect(approved.resolveBy == Date(epochMillis: later.epochMillis))
            #expect(try await w.commands(at: due.addingTimeInterval(3600)).escalateOverdue() == 0)
            await #expect(
                throws: DomainError(.conflict, "case_step_out_of_order", args: ["decide_extension", "dispatched"])
            ) {
                _ = try await w.commands().perform(w.worker, s.id, .decideExtension(approve: true, note: ""))
            }
        }
    }

    @Test func aRefusedExtensionLeavesTheDeadline() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let s = try await w.case(in: .dispatched)
            let due = try #require(s.resolveBy)
            try await w.commands().perform(
                w.handler, s.id, .requestExtension(until: due.addingTimeInterval(86400), reason: "人手不足"))
            let refused = try await w.commands().perform(
                w.worker, s.id, .decideExtension(approve: false, note: "请按期办结"))
            #expect(refused.resolveBy == due)
            await #expect(throws: DomainError.invalid("extension_until_invalid", field: "until")) {
                try await w.commands().perform(
                    w.handler, s.id, .requestExtension(until: due.addingTimeInterval(-60), reason: "x"))
            }
        }
    }
}

@Suite struct MergeTests {
    @Test func aDuplicateClosesPointingToTheCaseThatGoesOn() async throws {
        try await withTestDatabase { db in
            let w = try await CaseWorld.make(db)
            let first = try await w.submit()
            let second = try await w.submit()
            let merged = try await w.commands().perform(w.worker, second.id, .merge(intoNumber: first.number))
            #expect(merged.status == .rejected)
            #expect(try await CaseStore(db: db).events(of: first.id).map(\.action).last == "merged_in")
            #expect(try await Notifications.list(db, userID: w.resident.userID).first?.kind == "case.merge")
            await #expect(throws: DomainError.invalid("merge_same_case", field: "into")) {
                _ = try await w.commands().perform(w.worker, first.id, .merge(intoNumber: first.number))
            }
            await #expect(throws: DomainError.forbidden) {
                _ = try await w.commands().perform(w.resident, first.id, .merge(intoNumber: second.number))
            }
        }
    }
}
