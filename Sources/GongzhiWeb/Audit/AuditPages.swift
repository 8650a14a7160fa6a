import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The audit log for auditors: newest first, with the chain's state.
struct AuditPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/audit") { request, context in
            let actor = try context.requireActor()
            guard actor.grants.contains(where: { AccessPolicy.allows($0, .readAudit, at: $0.nodePath) }) else {
                throw DomainError.forbidden
            }
            let before = request.uri.queryParameters["before"].flatMap { Int64($0) }
            let entries = try await AuditLog.recent(services.db, beforeSeq: before, limit: 100)
            let verification = try await AuditLog.verify(services.db)
            let chain: String = switch verification {
            case .intact(let n): views.t("audit_intact", context, ["\(n)"])
            case .broken(let seq, let reason): views.t("audit_broken", context, ["\(seq)", reason])
            }
            var data: [String: Any] = [
                "chain": chain, "chain_ok": { if case .intact = verification { true } else { false } }(),
                "entries": entries.map { e in
                    ["seq": e.seq, "at": DateText.format(e.at, context.language), "actor": e.actorName, "role": e.role ?? "",
                     "action": e.action, "object": "\(e.objectType) \(e.objectID)", "result": e.result] as [String: Any]
                },
            ]
            if entries.count == 100, let last = entries.last { data["next"] = last.seq }
            return views.page("audit/audit", context, title: views.t("audit_title", context), data: data, section: "audit")
        }
    }
}
