import Foundation
import GongzhiDomain
import Testing

@testable import GongzhiStore
@testable import GongzhiWeb

/// The users pages' models are pure: built from a read model and the actor's capabilities, checked without a server.
@Suite struct AccountViewsTests {
    let words: AccountViews.Words = { "«\($0)»" }
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let nodes = [AccountViews.Choice(value: "5", label: "社区")]

    func record(_ role: Role, disabled: Bool = false) -> AccountRecord {
        AccountRecord(
            user: User(
                id: 8, username: "shen", displayName: "审", createdAt: now, disabledAt: disabled ? now : nil),
            grants: [RoleGrant(id: 40, userID: 8, role: role, nodeID: 1, nodePath: "/1/", nodeName: "区")])
    }

    static let admin = Actor(
        userID: 1, username: "admin",
        grants: [RoleGrant(id: 1, userID: 1, role: .systemAdmin, nodeID: 1, nodePath: "/1/")])

    @Test func anAuditorsPageOffersAnAdministratorNoResetNoDisableNoRevoke() {
        // given
        let auditor = record(.auditor)
        let can = AccountPolicy.capabilities(of: Self.admin, on: auditor.user, in: auditor.context)
        // when
        let page = AccountViews.detail(auditor, capabilities: can, nodes: nodes, now: now, language: .zh, words: words)
        // then
        #expect(!page.canResetPassword && !page.canDisable && !page.canEnable && !page.canRequirePasswordChange)
        #expect(!page.hasAccessSteps)
        #expect(page.grants.map(\.canRevoke) == [false])
        #expect(!page.roles.contains { $0.value == "auditor" })
        #expect(page.canGrant)
    }

    @Test func aDisabledWorkersPageOffersEnableAndEveryStepItsURL() {
        // given
        let worker = record(.communityWorker, disabled: true)
        let can = AccountPolicy.capabilities(of: Self.admin, on: worker.user, in: worker.context)
        // when
        let page = AccountViews.detail(worker, capabilities: can, nodes: nodes, now: now, language: .zh, words: words)
        // then
        #expect(page.canEnable && !page.canDisable && page.canResetPassword && page.hasAccessSteps)
        #expect(page.grants.map(\.canRevoke) == [true])
        #expect(page.account.isDisabled && page.account.version == 1)
        #expect(page.url.enable == "/admin/users/8/enable")
        #expect(page.url.resetPassword == "/admin/users/8/reset-password")
        #expect(page.grants.first?.role == "«role_communityWorker»")
    }

    @Test func withoutANodeToGrantAtThereIsNoGrantForm() {
        // given
        let worker = record(.gridWorker)
        let can = AccountPolicy.capabilities(of: Self.admin, on: worker.user, in: worker.context)
        // when
        let page = AccountViews.detail(worker, capabilities: can, nodes: [], now: now, language: .zh, words: words)
        // then
        #expect(!page.canGrant)
    }

    @Test func theListShowsOnePageAndCreatesOnlyWhatTheActorMayGrant() {
        // given: one more record than a page
        let records = (0..<3).map { i in
            AccountRecord(
                user: User(id: Int64(i), username: "u\(i)", displayName: "u\(i)", createdAt: now), grants: [])
        }
        let worker = Actor(
            userID: 2, username: "w",
            grants: [RoleGrant(id: 2, userID: 2, role: .communityWorker, nodeID: 5, nodePath: "/1/5/")])
        // when
        let page = AccountViews.list(
            records, pageSize: 2, page: 0, q: "",
            creatable: AccountPolicy.capabilities(of: worker, on: nil, in: .init()),
            nodes: nodes, now: now, words: words)
        // then
        #expect(page.rows.map(\.username) == ["u0", "u1"])
        #expect(page.hasNext && !page.hasPrev && page.nextPage == 1)
        #expect(page.canCreate)
        #expect(
            page.roles.map(\.value) == [
                "resident", "buildingHead", "gridWorker", "departmentHandler", "supervisionMember",
            ])
    }
}
