import Foundation
import GongzhiDomain
import Testing

@Suite struct CaseBulkStepTests {
    @Test func eachBulkStepIsTheSingleCaseCommandOfItsButton() {
        // given / when / then: filing keeps the reporter's category, dispatching leaves unit and deadlines to the rule
        #expect(CaseBulkStep.file.command == .file(categoryID: nil))
        #expect(CaseBulkStep.dispatch.command == .dispatch(unitID: nil, respondBy: nil, resolveBy: nil))
        #expect(CaseBulkStep.allCases.map(\.capability) == [.file, .dispatch])
        #expect(CaseBulkStep(rawValue: "export") == nil, "export changes nothing and is no command")
    }
}
