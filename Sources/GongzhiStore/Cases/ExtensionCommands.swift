import Foundation
import GongzhiDomain
import SQLKit

/// A pending request for more time.
public struct ExtensionRequest: Codable, Equatable, Sendable {
    public var until: Date
    public var reason: String
}

extension CaseCommands {
    /// The unit handling a case asks to move its deadline to `until`, with a reason. Nothing moves yet.
    public func requestExtension(_ actor: Actor, caseID: Int64, until: Date, reason: String) async throws {
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2000 else { throw DomainError.invalid("case_text_required", field: "reason") }
        let now = clock.now()
        try await db.transaction { sql in
            guard let (current, path) = try await CaseStore.find(sql, caseID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard current.unitID.map(units.contains) == true else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard [.dispatched, .handling].contains(current.status) else {
                throw DomainError(.conflict, "case_step_out_of_order", args: ["request_extension", current.status.rawValue])
            }
            guard let due = current.resolveBy, until > due, until > now else { throw DomainError.invalid("extension_until_invalid", field: "until") }
            try await sql.raw("""
                UPDATE cases SET extension_until = \(bind: until.epochMillis), extension_reason = \(bind: text), version = version + 1
                WHERE id = \(bind: caseID)
                """).run()
            try await Self.event(sql, current, at: now, actor: actor, action: "request_extension", from: current.status,
                                 note: WorkCalendar.dayKey(until) + "：" + text)
            try await Notifications.notify(sql, users: try await Notifications.recipients(sql, action: "return", subject: current, path: path),
                                           except: actor.userID, subject: current, kind: "case.request_extension", channels: channels, at: now)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.request_extension", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, after: "\(until.epochMillis)"))
        }
    }

    /// The community (or above) approves — the deadline moves and any automatic escalation it no longer
    /// deserves stays as it was — or refuses, and the deadline stands.
    public func decideExtension(_ actor: Actor, caseID: Int64, approve: Bool, note: String) async throws -> Case {
        let now = clock.now()
        return try await db.transaction { sql in
            guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: caseID)").first() else { throw DomainError.notFound }
            let current = try CaseStore.decode(row)
            let path = try row.decode(column: "node_path", as: String.self)
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CasePolicy.supervises(actor, casePath: path) else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard let until = try row.decode(column: "extension_until", as: Int64?.self) else { throw DomainError(.conflict, "extension_none_pending") }
            var next = current
            if approve { next.resolveBy = Date(epochMillis: until) }
            try await sql.raw("""
                UPDATE cases SET resolve_by = \(bind: next.resolveBy?.epochMillis), extension_until = NULL, extension_reason = NULL,
                  version = version + 1 WHERE id = \(bind: caseID)
                """).run()
            let action = approve ? "approve_extension" : "refuse_extension"
            try await Self.event(sql, next, at: now, actor: actor, action: action, from: current.status, note: note)
            try await Notifications.notify(sql, users: try await Notifications.recipients(sql, action: "dispatch", subject: next, path: path),
                                           except: actor.userID, subject: next, kind: "case.\(action)", channels: channels, at: now)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.\(action)", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, before: current.resolveBy.map { "\($0.epochMillis)" }, after: next.resolveBy.map { "\($0.epochMillis)" }))
            return next
        }
    }

    public func pendingExtension(_ caseID: Int64) async throws -> ExtensionRequest? {
        try await db.read { sql in
            guard let row = try await sql.raw("SELECT extension_until, extension_reason FROM cases WHERE id = \(bind: caseID)").first(),
                let until = try row.decode(column: "extension_until", as: Int64?.self)
            else { return nil }
            return ExtensionRequest(until: Date(epochMillis: until), reason: try row.decode(column: "extension_reason", as: String?.self) ?? "")
        }
    }
}
