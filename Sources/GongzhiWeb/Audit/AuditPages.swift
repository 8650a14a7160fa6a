import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The audit log for auditors: newest first, only the entries of the auditor's jurisdiction, with the chain's state
/// as verified from the newest checkpoint (the whole chain is walked by `gongzhi audit verify`).
struct AuditPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/audit") { request, context in
            let actor = try context.requireActor()
            let scope = Self.scope(actor)
            guard !scope.isEmpty else { throw DomainError.forbidden }
            let before = request.uri.queryParameters["before"].flatMap { Int64($0) }
            let entries = try await AuditLog.recent(services.db, beforeSeq: before, limit: 100, scope: scope)
            // Writes a checkpoint when the chain grew: a record of the verification, not a change of anyone's data.
            let report = try await AuditLog.verify(
                services.db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            let chain: String =
                switch report.verification {
                case .intact(let n): views.t("audit_intact", context, ["\(n)"])
                case .broken(let seq, let reason): views.t("audit_broken", context, ["\(seq)", reason])
                }
            let from: String =
                if let cp = report.from {
                    views.t(
                        "audit_checked_from_checkpoint", context,
                        ["\(report.checked)", "\(cp.seq)", DateText.format(cp.verifiedAt, context.language)])
                } else {
                    views.t("audit_checked_from_start", context, ["\(report.checked)"])
                }
            var data: [String: Any] = [
                "chain": chain, "chain_ok": { if case .intact = report.verification { true } else { false } }(),
                "checked_from": from,
                "entries": entries.map { e in
                    [
                        "seq": e.seq, "at": DateText.format(e.at, context.language),
                        "actor": e.actorUserID == nil
                            ? (views.label("audit_actor_\(e.actorName)", context) ?? e.actorName) : e.actorName,
                        "role": e.role.map { views.label("role_\($0)", context) ?? $0 } ?? "",
                        "action": views.label(
                            "audit_action_" + e.action.replacingOccurrences(of: ".", with: "_"), context) ?? e.action,
                        "object": (views.label("audit_object_\(e.objectType)", context) ?? e.objectType)
                            + " \(e.objectID)",
                        "result": views.label("audit_result_\(e.result)", context) ?? e.result,
                    ] as [String: Any]
                },
            ]
            if let recorded = report.recorded {
                data["checkpoint"] = views.t("audit_checkpoint_recorded", context, ["\(recorded.seq)"])
            }
            if entries.count == 100, let last = entries.last { data["next"] = last.seq }
            return views.page(
                "audit/audit", context, title: views.t("audit_title", context), data: data, section: "audit")
        }
    }

    /// The subtrees whose entries the actor may read: where they hold the auditor role.
    static func scope(_ actor: Actor) -> [String] {
        actor.grants.filter { AccessPolicy.allows($0, .readAudit, at: $0.nodePath) }.map(\.nodePath)
    }
}

extension Views {
    /// The translation of `key`, or nil when the locale files have none (the raw value is shown instead).
    func label(_ key: String, _ context: AppRequestContext) -> String? {
        localizer.tables[context.language]?[key] ?? localizer.tables[.zh]?[key]
    }
}
