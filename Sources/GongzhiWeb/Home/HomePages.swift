import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The home page of each role: the work waiting (queues with counts), where they stand in the tree and what they
/// can do from there; for residents, reporting a problem and their own cases.
struct HomePages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/home") { _, context in
            let actor = try context.requireActor()
            let now = services.clock.now()
            let store = CaseStore(db: services.db)
            let isStaff = actor.grants.contains { $0.role.isStaff }
            let memberships = isStaff ? try await CaseSetupStore.memberships(services.db, userID: actor.userID) : []
            let inUnit = !memberships.isEmpty
            let queues = try await store.queues(for: actor, now: now)
            let words: HomeViews.Words = { views.t($0, context) }
            var mine: [CaseViews.Row] = []
            if !isStaff {
                var filter = CaseFilter(scope: .mine)
                filter.limit = 5
                mine = try await store.list(filter, for: actor, now: now).map {
                    CaseViews.row($0, now: now, language: context.language, words: words)
                }
            }
            var places: [[String: Any]] = []
            for grant in actor.grants where grant.role.isStaff {
                guard let node = try await services.jurisdiction.node(grant.nodeID) else { continue }
                let census = try await services.jurisdiction.census(of: node.path)
                let counts = NodeKind.allCases.compactMap { kind -> [String: Any]? in
                    guard kind != node.kind, let n = census[kind], n > 0 else { return nil }
                    return [
                        "label": views.t(n == 1 ? "kind_\(kind.rawValue)_one" : "kind_\(kind.rawValue)_many", context),
                        "count": n,
                    ]
                }
                places.append([
                    "role": views.t("role_\(grant.role.rawValue)", context), "node_id": node.id, "node_name": node.name,
                    "kind": views.t("kind_\(node.kind.rawValue)", context), "counts": counts,
                    "tasks": tasks(for: grant.role, node: node, context),
                ])
            }
            // Care visits overdue and residence permits ending soon (issue 12), for the registry's staff.
            let care = isStaff ? try await CarePages(services: services).homeSection(actor, context) : nil
            // Overdue resolutions for those who watch them (追踪督事, issue 13).
            let overdueResolutions = try await ResolutionStore(db: services.db).overdue(for: actor, now: now).map {
                [
                    "href": ResolutionURL.show($0.id).path, "number": $0.number, "text": String($0.text.prefix(60)),
                    "deadline": $0.deadline.text(context.language),
                    "level": views.t("resolution_level_\($0.escalationLevel)", context),
                ]
            }
            // Communities whose representatives' assembly is overdue (at least every six months), for organisers.
            let assemblies = try await MeetingStore(db: services.db).overdueAssemblies(for: actor, now: now)
            let overdueAssemblies = assemblies.prefix(10).map { a in
                [
                    "name": a.communityName,
                    "last": a.lastHeld?.text(context.language) ?? views.t("assembly_never_held", context),
                    "due": a.due?.text(context.language) ?? "",
                    "has_due": a.due != nil,
                ] as [String: Any]
            }
            let model = HomeViews.model(
                queues, isArea: !actor.areas.isEmpty, inUnit: inUnit, isStaff: isStaff, mine: mine, words: words)
            return views.page(
                "home/home", context, title: views.t(isStaff ? "home_title" : "home_title_resident", context),
                data: [
                    "home": model, "places": places, "has_places": !places.isEmpty,
                    "must_change": context.user?.mustChangePassword == true, "care": care ?? [:],
                    "has_care": care != nil, "overdue_resolutions": overdueResolutions,
                    "has_overdue_resolutions": !overdueResolutions.isEmpty,
                    "overdue_assemblies": Array(overdueAssemblies), "has_overdue_assemblies": !assemblies.isEmpty,
                    "overdue_assemblies_count": assemblies.count,
                    "overdue_assemblies_more": assemblies.count > overdueAssemblies.count,
                ], section: "home")
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
