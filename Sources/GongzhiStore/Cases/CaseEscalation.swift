import Foundation
import GongzhiDomain
import SQLKit

extension CaseCommands {
    /// Raises every overdue case to the level its deadline calls for. Safe to run from several instances at once:
    /// each case moves only where its level is still lower, and only the instance that moved it writes the timeline.
    @discardableResult
    public func escalateOverdue() async throws -> Int {
        let now = clock.now()
        let due = try await db.read { sql in
            try await sql.raw("""
                SELECT id FROM cases WHERE status IN ('dispatched','handling','reportedBack') AND resolve_by < \(bind: now.epochMillis)
                AND escalation_level < \(bind: Escalation.maxLevel) ORDER BY resolve_by LIMIT 1000
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
        var moved = 0
        for id in due {
            let did = try await db.transaction { sql -> Bool in
                guard let (current, _) = try await CaseStore.find(sql, id) else { return false }
                let level = Escalation.automaticLevel(status: current.status, resolveBy: current.resolveBy, now: now)
                guard level > current.escalationLevel else { return false }
                guard try await sql.raw("""
                    UPDATE cases SET escalation_level = \(bind: level), escalated_at = \(bind: now.epochMillis), version = version + 1
                    WHERE id = \(bind: id) AND escalation_level < \(bind: level) RETURNING id
                    """).first() != nil else { return false }
                try await Self.event(sql, current, at: now, actor: .system, action: "escalate", from: current.status, note: "auto:\(level)")
                try await Notifications.notify(sql, users: try await Notifications.recipients(sql, action: "escalate", subject: current, path: ""),
                                               except: nil, subject: current, kind: "case.escalate", channels: channels, at: now)
                try await AuditLog.append(sql, backend: db.backend, actor: nil, at: now, AuditRecord(
                    action: "case.escalate", objectType: "case", objectID: "\(id)", communityID: current.communityID,
                    nodeID: current.nodeID, before: "\(current.escalationLevel)", after: "\(level)", result: "automatic"))
                return true
            }
            if did { moved += 1 }
        }
        return moved
    }

    /// Raises a case one level by hand, with the reason on its timeline.
    public func escalate(_ actor: Actor, caseID: Int64, reason: String) async throws -> Case {
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2000 else { throw DomainError.invalid("case_text_required", field: "reason") }
        let now = clock.now()
        return try await db.transaction { sql in
            guard let (current, path) = try await CaseStore.find(sql, caseID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CasePolicy.supervises(actor, casePath: path) else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            guard current.status.isOpen else { throw DomainError(.conflict, "case_step_out_of_order", args: ["escalate", current.status.rawValue]) }
            guard current.escalationLevel < Escalation.maxLevel else { throw DomainError(.conflict, "case_escalation_max") }
            var next = current
            next.escalationLevel += 1
            try await sql.raw("""
                UPDATE cases SET escalation_level = \(bind: next.escalationLevel), escalated_at = \(bind: now.epochMillis), version = version + 1
                WHERE id = \(bind: caseID)
                """).run()
            try await Self.event(sql, next, at: now, actor: actor, action: "escalate", from: current.status, note: text)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.escalate", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, before: "\(current.escalationLevel)", after: "\(next.escalationLevel)", result: "manual"))
            return next
        }
    }
}

extension Actor {
    /// The server itself, for automatic steps such as escalation.
    static let system = Actor(userID: 0, username: "system", grants: [])
}
