import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The audit log for auditors: newest first, only the entries of the auditor's jurisdiction, filterable in the URL
/// (person, action, object, node, days), with the chain's state as verified from the newest checkpoint (the whole
/// chain is walked by `gongzhi audit verify`).
struct AuditPages {
    let services: AppServices
    var views: Views { services.views }
    static let pageSize = 100

    /// The filters of the page as the URL gives them (a GET form, so a filtered view can be bookmarked).
    struct Query: Sendable {
        var person = ""
        var action = ""
        var object = ""
        var objectID = ""
        var node = ""
        var from = ""
        var to = ""

        init(_ request: Request) {
            let q = request.uri.queryParameters
            func text(_ key: Substring) -> String {
                q[key].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            }
            person = String(text("person").prefix(40))
            action = text("action")
            object = text("object")
            objectID = String(text("object_id").prefix(40))
            node = text("node")
            from = text("from")
            to = text("to")
        }

        /// The query string of these filters (without the cursor), for the "older" link.
        var queryString: String {
            [
                ("person", person), ("action", action), ("object", object), ("object_id", objectID), ("node", node),
                ("from", from), ("to", to),
            ].filter { !$0.1.isEmpty }.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_"])) ?? "")"
            }.joined(separator: "&")
        }

        /// The store's filter; bad days are refused with the field they belong to.
        func filter(nodePath: String?) throws(DomainError) -> AuditFilter {
            var f = AuditFilter()
            f.person = person.isEmpty ? nil : person
            f.action = action.isEmpty ? nil : action
            f.objectType = object.isEmpty ? nil : object
            f.objectID = objectID.isEmpty ? nil : objectID
            f.within = nodePath
            if !from.isEmpty {
                guard let day = DateText.day(from) else { throw .invalid("date_invalid", field: "from") }
                f.from = day
            }
            if !to.isEmpty {
                guard let day = DateText.day(to) else { throw .invalid("date_invalid", field: "to") }
                f.until = day.addingTimeInterval(86400)
            }
            if let a = f.from, let b = f.until, a >= b { throw .invalid("date_range_invalid", field: "to") }
            return f
        }
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/audit") { request, context in
            let actor = try context.requireActor()
            let scope = Self.scope(actor)
            guard !scope.isEmpty else { throw DomainError.forbidden }
            let params = request.uri.queryParameters
            let before = params["before"].flatMap { Int64($0) }
            let query = Query(request)
            var data: [String: Any] = [:]
            var status = HTTPResponse.Status.ok
            // A node chosen in the URL: its subtree; an unknown id finds nothing rather than everything.
            var nodePath: String?
            if !query.node.isEmpty {
                nodePath = "/0/"
                if let id = Int64(query.node), let node = try await services.jurisdiction.node(id) {
                    nodePath = node.path
                }
            }
            var entries: [AuditEntry] = []
            do {
                let filter = try query.filter(nodePath: nodePath)
                entries = try await AuditLog.recent(
                    services.db, beforeSeq: before, limit: Self.pageSize, filter: filter, scope: scope)
            } catch let error as DomainError where error.kind == .invalid {
                data = views.formErrors(error, context)
                data["invalid"] = true
                status = .unprocessableContent
            }
            // Writes a checkpoint when the chain grew: a record of the verification, not a change of anyone's data.
            let report = try await AuditLog.verify(
                services.db, from: .newestCheckpoint, recordCheckpoint: true, at: Date())
            data["chain"] =
                switch report.verification {
                case .intact(let n): views.t("audit_intact", context, ["\(n)"])
                case .broken(let seq, let reason): views.t("audit_broken", context, ["\(seq)", reason])
                }
            data["chain_ok"] = { if case .intact = report.verification { true } else { false } }()
            data["checked_from"] =
                if let cp = report.from {
                    views.t(
                        "audit_checked_from_checkpoint", context,
                        ["\(report.checked)", "\(cp.seq)", DateText.format(cp.verifiedAt, context.language)])
                } else {
                    views.t("audit_checked_from_start", context, ["\(report.checked)"])
                }
            let label = { (key: String) in views.label(key, context) }
            let links = AuditViews.Links(actor)
            data["entries"] = entries.map {
                AuditViews.entry($0, language: context.language, label: label, links: links)
            }
            data["has_entries"] = !entries.isEmpty
            data["form"] = [
                "person": query.person, "object_id": query.objectID, "from": query.from, "to": query.to,
            ]
            data["actions"] = options(prefix: "audit_action_", selected: query.action, context)
            data["objects"] = options(prefix: "audit_object_", selected: query.object, context)
            data["nodes"] = try await nodeOptions(scope, selected: query.node)
            data["filtered"] = !query.queryString.isEmpty
            if let recorded = report.recorded {
                data["checkpoint"] = views.t("audit_checkpoint_recorded", context, ["\(recorded.seq)"])
            }
            if entries.count == Self.pageSize, let last = entries.last {
                data["next"] = "?" + (query.queryString.isEmpty ? "" : query.queryString + "&") + "before=\(last.seq)"
            }
            return views.page(
                "audit/audit", context, title: views.t("audit_title", context), data: data, status: status,
                section: "audit")
        }
    }

    /// The choices of a filter from the locale files (every action and object type the log names in words).
    func options(prefix: String, selected: String, _ context: AppRequestContext) -> [[String: Any]] {
        let table = views.localizer.tables[context.language] ?? [:]
        return table.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) }
            .sorted { $0.1 < $1.1 }.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
    }

    /// The nodes an auditor may narrow the log to: their own nodes, the sub-districts and communities inside, by path.
    func nodeOptions(_ scope: [String], selected: String) async throws -> [[String: Any]] {
        var nodes: [Node] = []
        for path in scope {
            guard let top = NodePath.ids(path).last, let node = try await services.jurisdiction.node(top) else {
                continue
            }
            nodes.append(node)
            for kind in [NodeKind.subdistrict, .community] where node.kind != kind {
                nodes += try await services.jurisdiction.descendants(of: path, kind: kind, limit: 500)
            }
        }
        if let id = Int64(selected), !nodes.contains(where: { $0.id == id }),
            let node = try await services.jurisdiction.node(id)
        {
            nodes.append(node)
        }
        let labels = try await services.jurisdiction.pathLabels(nodes)
        return nodes.map { n in (n, labels[n.id] ?? n.name) }.sorted { $0.1 < $1.1 }.map { n, label in
            ["value": "\(n.id)", "label": label, "selected": "\(n.id)" == selected]
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
