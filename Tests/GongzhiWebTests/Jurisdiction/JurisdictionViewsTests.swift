import Foundation
import GongzhiDomain
import GongzhiStore
import Testing

@testable import GongzhiWeb

/// The tree page models without a server: forms show exactly where the capabilities allow.
@Suite struct JurisdictionViewsTests {
    static func record(_ node: Node, _ capabilities: Set<JurisdictionCapability>, estates: [Estate] = []) -> NodeRecord
    {
        NodeRecord(
            node: node, capabilities: capabilities, ancestors: [], children: [], history: [], bodies: [],
            estates: estates, mergeCandidates: [])
    }

    @Test func theFormsAreTheCapabilities() {
        // given
        let grid = Node(id: 7, kind: .grid, name: "第一网格", parentID: 3, path: "/1/2/3/7/", communityID: 3, version: 4)
        // when
        let page = JurisdictionViews.node(
            Self.record(grid, [.view, .rename, .createChild(.building)]), showClosed: false, language: .en,
            words: { $0 })
        // then
        #expect(page.can["rename"] == true && page.can["children"] == true)
        #expect(page.can["close"] == false && page.can["split"] == false && page.can["export"] == false)
        #expect(page.childKinds.map(\.value) == ["building"])
        #expect(page.url["rename"] == "/nodes/7/rename")
        #expect(page.node.version == 4)
    }

    @Test func aBuildingOffersItsCommunitysEstatesWithItsOwnSelected() {
        // given
        let building = Node(
            id: 9, kind: .building, name: "1栋", parentID: 7, path: "/1/2/3/7/9/", communityID: 3, estateID: 21)
        let estates = [Estate(id: 20, communityID: 3, name: "桃源居"), Estate(id: 21, communityID: 3, name: "大新花园")]
        // when
        let page = JurisdictionViews.node(
            Self.record(building, [.view, .assignEstate], estates: estates), showClosed: false, language: .en,
            words: { $0 })
        let seen = JurisdictionViews.node(
            Self.record(building, [.view], estates: estates), showClosed: false, language: .en, words: { $0 })
        // then
        #expect(page.estateOptions.map(\.value) == ["", "20", "21"])
        #expect(page.estateOptions.map(\.selected) == [false, false, true])
        #expect(page.node.estate == "大新花园")
        #expect(seen.estateOptions.isEmpty && seen.can["estate"] == false)
    }

    @Test func dutyRowsCarryTheirUpAndDownPositions() {
        // given
        let community = Node(id: 3, kind: .community, name: "同乐社区", parentID: 2, path: "/1/2/3/", communityID: 3)
        let body = Body(id: 5, communityID: 3, kind: .workstation, name: "工作站")
        let items = (1...3).map { DutyItem(id: Int64($0), bodyID: 5, parentID: nil, title: "\($0)", position: $0) }
        let record = BodyReadModel(
            body: body, community: community, capabilities: [.view],
            duties: items.map { DutyGroup(item: $0, minors: []) })
        // when
        let page = JurisdictionViews.body(record, words: { $0 })
        // then
        #expect(page.duties.map(\.hasUp) == [false, true, true])
        #expect(page.duties.map(\.up) == [0, 1, 2])
        #expect(page.duties.map(\.hasDown) == [true, true, false])
        #expect(page.duties.map(\.down) == [2, 3, 4])
        #expect(!page.canEdit)
    }
}
