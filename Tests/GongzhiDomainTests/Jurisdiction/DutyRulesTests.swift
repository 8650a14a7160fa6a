import Foundation
import GongzhiDomain
import Testing

@Suite struct DutyRulesTests {
    @Test(
        arguments: [
            (1, [4, 1, 2, 3]), (2, [1, 4, 2, 3]), (4, [1, 2, 3, 4]), (0, [4, 1, 2, 3]), (9, [1, 2, 3, 4]),
        ] as [(Int, [Int64])])
    func reorderMovesOneItemToItsPositionClampedToTheList(position: Int, expected: [Int64]) {
        #expect(DutyRules.reorder([1, 2, 3, 4], moving: 4, to: position) == expected)
    }

    @Test func reorderOfAnItemNotInTheListIsNil() {
        #expect(DutyRules.reorder([1, 2], moving: 3, to: 1) == nil)
    }

    @Test(arguments: ["", "   ", String(repeating: "职", count: 201)])
    func aTitleMustBeGivenAndShort(title: String) {
        #expect(throws: DomainError.invalid("duty_title_invalid", field: "title")) { try DutyRules.validTitle(title) }
    }

    @Test func aMajorItemClosesOnlyWithoutOpenMinorItemsAndOnce() throws {
        // given
        let item = DutyItem(id: 1, bodyID: 1, parentID: nil, title: "党建引领", position: 1)
        var closed = item
        closed.closedAt = Date(timeIntervalSince1970: 0)
        // when / then
        #expect(throws: DomainError(.conflict, "duty_has_open_items", args: ["2"])) {
            try DutyRules.checkClose(item, openMinors: 2)
        }
        #expect(throws: DomainError(.conflict, "duty_already_closed")) {
            try DutyRules.checkClose(closed, openMinors: 0)
        }
        try DutyRules.checkClose(item, openMinors: 0)
    }
}
