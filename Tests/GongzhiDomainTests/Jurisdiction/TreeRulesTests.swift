import Foundation
import GongzhiDomain
import Testing

/// Nodes of a small tree: district 1 → subdistrict 2 → community 3 → grid 4 → building 5.
enum TreeSample {
    static let district = Node(id: 1, kind: .district, name: "南山区", parentID: nil, path: "/1/")
    static let subdistrict = Node(id: 2, kind: .subdistrict, name: "南头街道", parentID: 1, path: "/1/2/")
    static let otherSubdistrict = Node(id: 12, kind: .subdistrict, name: "蛇口街道", parentID: 1, path: "/1/12/")
    static let community = Node(id: 3, kind: .community, name: "同乐社区", parentID: 2, path: "/1/2/3/")
    static let grid = Node(id: 4, kind: .grid, name: "第一网格", parentID: 3, path: "/1/2/3/4/")
    static let otherGrid = Node(id: 6, kind: .grid, name: "第二网格", parentID: 3, path: "/1/2/3/6/")
    static let building = Node(id: 5, kind: .building, name: "1栋", parentID: 4, path: "/1/2/3/4/5/")
    static func closed(_ node: Node) -> Node {
        var n = node
        n.closedAt = Date(timeIntervalSince1970: 1_800_000_000)
        return n
    }
}

@Suite struct TreeRulesTests {
    typealias T = TreeSample

    @Test func namesAreTrimmedAndAtMostSixtyCharacters() throws {
        // given
        let longest = String(repeating: "网", count: 60)
        // when / then
        #expect(try TreeRules.validName("  同乐社区\n") == "同乐社区")
        #expect(try TreeRules.validName(longest) == longest)
        #expect(throws: DomainError.invalid("name_too_long", field: "name", args: ["60"])) {
            try TreeRules.validName(longest + "格")
        }
        #expect(throws: DomainError.invalid("name_required", field: "name")) { try TreeRules.validName(" \n\t") }
    }

    @Test func divisionCodesHaveSixDigitsForDistrictsAndNineForSubdistrictsAndTowns() throws {
        // given / when / then
        #expect(try TreeRules.validCode("440305", kind: .district) == "440305")
        #expect(try TreeRules.validCode("440305001", kind: .subdistrict) == "440305001")
        #expect(try TreeRules.validCode(" 440305101 ", kind: .town) == "440305101")
        for (code, kind) in [
            ("44030", NodeKind.district), ("4403050", .district), ("44030a", .district), ("４４０３０５", .district),
            ("440305", .subdistrict), ("44030500１", .town),
        ] {
            #expect(throws: DomainError.invalid("code_invalid", field: "code", args: [code]), "\(kind) \(code)") {
                try TreeRules.validCode(code, kind: kind)
            }
        }
    }

    @Test func lowerLevelsTakeFreeLocalCodesOfLettersDigitsAndHyphens() throws {
        // given / when / then
        #expect(try TreeRules.validCode("440305001001", kind: .community) == "440305001001")
        #expect(try TreeRules.validCode("TL-03", kind: .grid) == "TL-03")
        #expect(try TreeRules.validCode("一栋-A", kind: .building) == "一栋-A")
        #expect(try TreeRules.validCode(String(repeating: "9", count: 32), kind: .grid)?.count == 32)
        for code in ["TL 03", "TL/03", String(repeating: "9", count: 33)] {
            #expect(throws: DomainError.invalid("code_invalid", field: "code", args: [code])) {
                try TreeRules.validCode(code, kind: .grid)
            }
        }
    }

    @Test func anEmptyCodeIsNoCode() throws {
        // given / when / then
        #expect(try TreeRules.validCode(nil, kind: .district) == nil)
        #expect(try TreeRules.validCode("  ", kind: .district) == nil)
    }

    @Test func onlyADistrictStandsAtTheTop() throws {
        // given / when / then
        try TreeRules.checkPlacement(.district, under: nil)
        for kind in NodeKind.allCases where kind != .district {
            #expect(throws: DomainError.invalid("node_needs_parent", field: "parent")) {
                try TreeRules.checkPlacement(kind, under: nil)
            }
        }
    }

    @Test(arguments: [T.district, T.subdistrict, T.community, T.grid, T.building])
    func eachLevelHoldsOnlyTheNextLevel(parent: Node) throws {
        // given
        let allowed: [NodeKind: Set<NodeKind>] = [
            .district: [.subdistrict, .town], .subdistrict: [.community, .village], .community: [.grid],
            .grid: [.building],
            .building: [],
        ]
        for kind in NodeKind.allCases {
            // when / then
            if allowed[parent.kind]!.contains(kind) {
                try TreeRules.checkPlacement(kind, under: parent)
            } else {
                #expect(
                    throws: DomainError.invalid(
                        "node_kind_not_allowed", field: "parent", args: [kind.rawValue, parent.kind.rawValue])
                ) {
                    try TreeRules.checkPlacement(kind, under: parent)
                }
            }
        }
    }

    @Test func nothingIsPlacedUnderAClosedNode() {
        // given
        let closed = T.closed(T.community)
        // when / then
        #expect(throws: DomainError.invalid("parent_closed", field: "parent")) {
            try TreeRules.checkPlacement(.grid, under: closed)
        }
    }

    @Test func aNodeCannotMoveUnderItselfOrItsOwnSubtree() {
        // given / when / then
        for target in [T.community, T.grid, T.building] {
            #expect(throws: DomainError.invalid("tree_cycle", field: "parent"), "\(target.name)") {
                try TreeRules.checkMove(T.community, to: target)
            }
        }
    }

    @Test func aMoveKeepsTheLevelsInOrder() throws {
        // given / when / then
        try TreeRules.checkMove(T.community, to: T.otherSubdistrict)
        try TreeRules.checkMove(T.building, to: T.otherGrid)
        #expect(throws: DomainError.invalid("node_kind_not_allowed", field: "parent", args: ["grid", "subdistrict"])) {
            try TreeRules.checkMove(T.grid, to: T.otherSubdistrict)
        }
        #expect(throws: DomainError.invalid("parent_closed", field: "parent")) {
            try TreeRules.checkMove(T.community, to: T.closed(T.otherSubdistrict))
        }
    }

    @Test func aNodeClosesOnlyWhenOpenAndNothingOpenHangsBelow() throws {
        // given / when / then
        try TreeRules.checkClose(T.grid, openChildren: 0)
        #expect(throws: DomainError(.conflict, "node_has_open_children", args: ["2"])) {
            try TreeRules.checkClose(T.grid, openChildren: 2)
        }
        #expect(throws: DomainError(.conflict, "node_already_closed")) {
            try TreeRules.checkClose(T.closed(T.grid), openChildren: 0)
        }
    }
}
