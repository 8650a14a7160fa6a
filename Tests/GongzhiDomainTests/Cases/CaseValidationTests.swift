import Foundation
import GongzhiDomain
import Testing

@Suite struct CaseValidationTests {
    @Test func titleAndDescriptionAreTrimmed() throws {
        // given / when
        let (title, description) = try Case.validate(title: "  路灯不亮\n", description: "\n三栋门口 ")
        // then
        #expect(title == "路灯不亮")
        #expect(description == "三栋门口")
    }

    @Test func bothAreRequired() {
        // given / when / then
        #expect(throws: DomainError.invalid("case_title_required", field: "title")) {
            try Case.validate(title: " \n", description: "x")
        }
        #expect(throws: DomainError.invalid("case_description_required", field: "description")) {
            try Case.validate(title: "x", description: "\t")
        }
    }

    @Test func theTitleIsAtMostEightyAndTheDescriptionFourThousandCharacters() throws {
        // given
        let title = String(repeating: "灯", count: 80)
        let description = String(repeating: "坏", count: 4000)
        // when / then
        _ = try Case.validate(title: title, description: description)
        #expect(throws: DomainError.invalid("case_title_too_long", field: "title", args: ["80"])) {
            try Case.validate(title: title + "灯", description: description)
        }
        #expect(throws: DomainError.invalid("case_description_too_long", field: "description", args: ["4000"])) {
            try Case.validate(title: title, description: description + "坏")
        }
    }

    @Test func theTitleIsCheckedBeforeTheDescription() {
        // given / when / then
        #expect(throws: DomainError.invalid("case_title_required", field: "title")) {
            try Case.validate(title: "", description: "")
        }
    }
}
