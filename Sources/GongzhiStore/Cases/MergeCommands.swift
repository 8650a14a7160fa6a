import Foundation
import GongzhiDomain
import SQLKit

extension CaseCommands {
    /// Merges a duplicate (not yet dispatched) into an open case of the same community: the duplicate closes as
    /// not accepted, pointing to the case that goes on, and both timelines say so; its reporter is told.
    public func mergeDuplicate(_ actor: Actor, duplicateID: Int64, into primaryID: Int64) async throws -> Case {
        guard duplicateID != primaryID else { throw DomainError.invalid("merge_same_case", field: "into") }
        let now = clock.now()
        return try await db.transaction { sql in
            guard let (duplicate, path) = try await CaseStore.find(sql, duplicateID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CasePolicy.allows(actor, .reject(reason: "x"), on: duplicate, casePath: path, memberOf: units) else {
                throw CaseAccess.canRead(actor, duplicate, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard let (primary, _) = try await CaseStore.find(sql, primaryID), primary.communityID == duplicate.communityID else {
                throw DomainError.invalid("merge_case_unknown", field: "into")
            }
            guard primary.status.isOpen else { throw DomainError.invalid("merge_into_closed", field: "into") }
            let note = "合并至 \(primary.number)"
            let next = try CaseWorkflow.apply(.reject(reason: note), to: duplicate, at: now)
            try await sql.raw("""
                UPDATE cases SET status = \(bind: next.status.rawValue), closed_at = \(bind: now.epochMillis), merged_into_id = \(bind: primaryID),
                  version = version + 1, updated_at = \(bind: now.epochMillis) WHERE id = \(bind: duplicateID)
                """).run()
            try await Self.event(sql, next, at: now, actor: actor, action: "merge", from: duplicate.status, note: note)
            try await Self.event(sql, primary, at: now, actor: actor, action: "merged_in", from: primary.status, note: duplicate.number)
            try await Notifications.notify(sql, users: Set([duplicate.reporterUserID].compactMap { $0 }), except: actor.userID,
                                           subject: next, kind: "case.merge", channels: channels, at: now)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.merge", objectType: "case", objectID: "\(duplicateID)", communityID: duplicate.communityID,
                nodeID: duplicate.nodeID, before: duplicate.status.rawValue, after: "\(primaryID)"))
            return next
        }
    }
}
