import Foundation
import GongzhiDomain
import SQLKit

extension CaseCommands {
    /// Records one of the grid steps on a case: staff of the case's area only, with a note for the timeline.
    public func gridStep(_ actor: Actor, caseID: Int64, _ step: GridStep, note: String) async throws -> Case {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2000 else { throw DomainError.invalid("case_text_required", field: "note") }
        let now = clock.now()
        return try await db.transaction { sql in
            guard let (current, path) = try await CaseStore.find(sql, caseID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CasePolicy.keepsGridSteps(actor, casePath: path) else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard step.allowed(in: current.status) else {
                throw DomainError(.conflict, "case_step_out_of_order", args: [step.rawValue, current.status.rawValue])
            }
            let column = switch step {
            case .referToDeliberation: "deliberation_at"
            case .review: "reviewed_at"
            case .followUp: "followed_up_at"
            }
            try await sql.raw("UPDATE cases SET \(unsafeRaw: column) = \(bind: now.epochMillis), version = version + 1 WHERE id = \(bind: caseID)").run()
            try await Self.event(sql, current, at: now, actor: actor, action: step.rawValue, from: current.status, note: text)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.\(step.rawValue)", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID))
            return current
        }
    }
}
