import Foundation
import GongzhiDomain
import SQLKit

/// What a reporter may expect of a case just filed: the unit its category's routing rule sends it to, and when the
/// first answer is due by that rule (counted from now, in working time where the rule says so).
public struct CaseExpectation: Sendable, Equatable {
    public var unitName: String?
    public var respondBy: Date?
}

extension CaseStore {
    public func expectation(of subject: Case, now: Date) async throws -> CaseExpectation {
        guard let category = subject.categoryID else { return CaseExpectation() }
        return try await db.read { sql in
            guard let node = try await JurisdictionStore.node(sql, subject.nodeID),
                let rule = try await CaseSetupStore.rule(sql, categoryID: category, path: node.path)
            else { return CaseExpectation() }
            let calendar = try await CaseSetupStore.calendar(sql)
            return CaseExpectation(
                unitName: try await CaseSetupStore.unit(sql, rule.unitID)?.name,
                respondBy: calendar.deadline(from: now, hours: rule.respondHours, working: rule.workingTime))
        }
    }
}
