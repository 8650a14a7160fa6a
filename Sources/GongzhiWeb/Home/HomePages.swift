import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The home page of each role: where they stand in the tree and what they can do from there.
struct HomePages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/home") { _, context in
            let actor = try context.requireActor()
            var places: [[String: Any]] = []
            for grant in actor.grants {
                guard let node = try await services.jurisdiction.node(grant.nodeID) else { continue }
                let census = try await services.jurisdiction.census(of: node.path)
                let counts = NodeKind.allCases.compactMap { kind -> [String: Any]? in
                    guard kind != node.kind, let n = census[kind], n > 0 else { return nil }
                    return ["label": views.t("kind_\(kind.rawValue)", context), "count": n]
                }
                places.append([
                    "role": views.t("role_\(grant.role.rawValue)", context), "node_id": node.id, "node_name": node.name,
                    "kind": views.t("kind_\(node.kind.rawValue)", context), "counts": counts,
                    "tasks": tasks(for: grant.role, node: node, context),
                ])
            }
            return views.page(
                "home/home", context, title: views.t("home_title", context),
                data: ["places": places, "must_change": context.user?.mustChangePassword == true], section: "home")
        }
    }

    /// The links each role needs most, in the order they are used.
    func tasks(for role: Role, node: Node, _ context: AppRequestContext) -> [[String: String]] {
        var out: [[String: String]] = [["href": "/nodes/\(node.id)", "label": views.t("task_open_node", context)]]
        switch role {
        case .systemAdmin, .districtAdmin, .subdistrictAdmin, .communityWorker:
            out.append(["href": "/admin/users", "label": views.t("task_users", context)])
        case .auditor:
            out.append(["href": "/audit", "label": views.t("task_audit", context)])
        default: break
        }
        return out
    }
}
