import Foundation
import GongzhiDomain
import Testing

@Suite struct GridChangeTests {
    typealias T = TreeSample
    let buildings: Set<Int64> = [5, 7, 8]

    @Test func aSplitSendsEveryBuildingToExactlyOneNewGrid() throws {
        // given
        let assignment: [Int64: GridChange.Side] = [5: .first, 7: .second, 8: .second]
        // when / then
        try GridChange.checkSplit(grid: T.grid, buildings: buildings, assignment: assignment, names: ("东网格", "西网格"))
        try GridChange.checkSplit(grid: T.grid, buildings: [], assignment: [:], names: ("东网格", "西网格"))
    }

    @Test func aSplitDropsNoBuilding() {
        // given
        let assignment: [Int64: GridChange.Side] = [5: .first]
        // when / then
        #expect(throws: DomainError.invalid("split_building_unassigned", field: "assignment", args: ["2"])) {
            try GridChange.checkSplit(grid: T.grid, buildings: buildings, assignment: assignment, names: ("东网格", "西网格"))
        }
    }

    @Test func aSplitTakesNoBuildingOfAnotherGrid() {
        // given
        let assignment: [Int64: GridChange.Side] = [5: .first, 7: .second, 8: .second, 99: .first]
        // when / then
        #expect(throws: DomainError.invalid("split_building_foreign", field: "assignment")) {
            try GridChange.checkSplit(grid: T.grid, buildings: buildings, assignment: assignment, names: ("东网格", "西网格"))
        }
    }

    @Test func theTwoNewGridsNeedTwoDifferentValidNames() {
        // given
        let all: [Int64: GridChange.Side] = [5: .first, 7: .second, 8: .second]
        // when / then
        #expect(throws: DomainError.invalid("split_names_equal", field: "split_second")) {
            try GridChange.checkSplit(grid: T.grid, buildings: buildings, assignment: all, names: ("东网格", " 东网格 "))
        }
        // The message names the field it belongs beside: the split form's second name.
        #expect(throws: DomainError.invalid("name_required", field: "split_second")) {
            try GridChange.checkSplit(grid: T.grid, buildings: buildings, assignment: all, names: ("东网格", " "))
        }
    }

    @Test func onlyAnOpenGridSplits() {
        // given / when / then
        #expect(throws: DomainError.invalid("split_needs_grid")) {
            try GridChange.checkSplit(grid: T.community, buildings: [], assignment: [:], names: ("a", "b"))
        }
        #expect(throws: DomainError(.conflict, "node_already_closed")) {
            try GridChange.checkSplit(grid: T.closed(T.grid), buildings: [], assignment: [:], names: ("a", "b"))
        }
    }

    @Test func twoOpenGridsOfOneCommunityMerge() throws {
        // given / when / then
        try GridChange.checkMerge(T.grid, T.otherGrid, name: "合并网格")
    }

    @Test func aMergeNeedsTwoDifferentOpenGridsUnderOneParentAndAName() {
        // given
        let elsewhere = Node(id: 9, kind: .grid, name: "外网格", parentID: 30, path: "/1/2/30/9/")
        // when / then
        #expect(throws: DomainError.invalid("merge_needs_grids")) {
            try GridChange.checkMerge(T.grid, T.building, name: "x")
        }
        #expect(throws: DomainError.invalid("merge_same_grid", field: "other")) {
            try GridChange.checkMerge(T.grid, T.grid, name: "x")
        }
        #expect(throws: DomainError(.conflict, "node_already_closed")) {
            try GridChange.checkMerge(T.grid, T.closed(T.otherGrid), name: "x")
        }
        #expect(throws: DomainError.invalid("merge_different_community", field: "other")) {
            try GridChange.checkMerge(T.grid, elsewhere, name: "x")
        }
        #expect(throws: DomainError.invalid("name_required", field: "merge_name")) {
            try GridChange.checkMerge(T.grid, T.otherGrid, name: "")
        }
    }
}
