import Foundation
import GongzhiDomain
import SQLKit

extension CaseCommands {
    /// Records a mediation session of a dispute being handled, by the unit that has it or the community's staff.
    public func recordMediation(_ actor: Actor, caseID: Int64, _ session: MediationSession) async throws -> MediationSession {
        let valid = try session.validated()
        let now = clock.now()
        return try await db.transaction { sql in
            guard let (current, path) = try await CaseStore.find(sql, caseID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            let staff = CasePolicy.supervises(actor, casePath: path)
            guard staff || current.unitID.map(units.contains) == true else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard current.kind == .dispute else { throw DomainError.invalid("mediation_needs_dispute") }
            guard [.filed, .dispatched, .handling].contains(current.status) else {
                throw DomainError(.conflict, "case_step_out_of_order", args: ["mediate", current.status.rawValue])
            }
            try await sql.raw("""
                INSERT INTO mediation_sessions (case_id, community_id, at, method, mediator, parties, summary, agreement, outcome, recorded_by)
                VALUES (\(bind: caseID), \(bind: current.communityID), \(bind: valid.at.epochMillis), \(bind: valid.method.rawValue),
                  \(bind: valid.mediator), \(bind: valid.parties), \(bind: valid.summary), \(bind: valid.agreement), \(bind: valid.outcome.rawValue),
                  \(bind: actor.userID == 0 ? nil : actor.userID))
                """).run()
            try await Self.event(sql, current, at: now, actor: actor, action: "mediate", from: current.status,
                                 note: "\(valid.method.rawValue)/\(valid.outcome.rawValue)")
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.mediate", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, after: valid.outcome.rawValue))
            return valid
        }
    }
}

extension CaseStore {
    public func mediations(of caseID: Int64) async throws -> [MediationSession] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM mediation_sessions WHERE case_id = \(bind: caseID) ORDER BY at, id").all().map { row in
                MediationSession(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    method: MediationMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .people,
                    mediator: try row.decode(column: "mediator", as: String.self), parties: try row.decode(column: "parties", as: String.self),
                    summary: try row.decode(column: "summary", as: String.self), agreement: try row.decode(column: "agreement", as: String.self),
                    outcome: MediationOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .continuing)
            }
        }
    }
}
