import Foundation
import GongzhiDomain
import GongzhiStore

/// Typed page models of the tree and body pages, built by pure functions from the read models and the actor's
/// capabilities: a form shows exactly when its step is a capability. Fields a template tests inside a list are
/// `Bool`s (Mustache looks a missing or nil name up in the enclosing sections).
enum JurisdictionViews {
    /// Words in the reader's language.
    typealias Words = (String) -> String

    struct Link: Sendable, Equatable {
        var id: Int64
        var name: String
        var href: String
    }

    struct Option: Sendable, Equatable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct NodeFacts: Sendable, Equatable {
        var id: Int64
        var name: String
        var kind: String
        var code: String?
        var closed: Bool
        var closedAt: String
        var version: Int
        var estate: String?
    }

    struct ChildRow: Sendable, Equatable {
        var href: String
        var name: String
        var kind: String
        var code: String
        var openChildren: Int
        var closed: Bool
    }

    struct EstateRow: Sendable, Equatable {
        var id: Int64
        var name: String
    }

    struct HistoryRow: Sendable, Equatable {
        var at: String
        var action: String
        var detail: String
    }

    struct NodePage: Sendable, Equatable {
        var node: NodeFacts
        var breadcrumbs: [Link]
        var children: [ChildRow]
        var hasChildren: Bool
        var showClosed: Bool
        var isCommunity: Bool
        var bodies: [Link]
        var bodyKinds: [Option]
        var estates: [EstateRow]
        var childKinds: [Option]
        /// The estates a building may be put into, the one it is in selected, and "none" first.
        var estateOptions: [Option]
        var splitBuildings: [Link]
        var mergeGrids: [Link]
        var history: [HistoryRow]
        /// Which forms show, by step name (and `export`, `import`).
        var can: [String: Bool]
        var url: [String: String]
    }

    /// The cases and residents' accounts of a node's subtree, each count linking to the area's case list.
    struct AreaCounts: Sendable, Equatable {
        var open: Int
        var openHref: String
        var overdue: Int
        var hasOverdue: Bool
        var overdueHref: String
        var closedThisMonth: Int
        var closedHref: String
        var residents: Int
    }

    static func areaCounts(_ c: AreaCaseCounts, residents: Int, nodeID: Int64, monthStart: Date) -> AreaCounts {
        AreaCounts(
            open: c.open, openHref: CaseURL.area(nodeID, .open).path, overdue: c.overdue, hasOverdue: c.overdue > 0,
            overdueHref: CaseURL.area(nodeID, .overdue).path, closedThisMonth: c.closedSince,
            closedHref: CaseURL.area(nodeID, .closedSince(monthStart)).path, residents: residents)
    }

    /// 00:00 on the first day of `now`'s month in Asia/Shanghai.
    static func monthStart(_ now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WorkCalendar.zone
        return calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
    }

    static func node(_ r: NodeRecord, showClosed: Bool, language: Language, words: Words) -> NodePage {
        let node = r.node
        let caps = r.capabilities
        let kinds = node.kind.childKinds.filter { caps.contains(.createChild($0)) }
        var can = Dictionary(uniqueKeysWithValues: NodeStep.Name.allCases.map { ($0.rawValue, false) })
        for capability in caps { if let step = NodeStep.name(for: capability) { can[step.rawValue] = true } }
        can[NodeStep.Name.renameEstate.rawValue] = caps.contains(.manageEstates) && !r.estates.isEmpty
        can["export"] = caps.contains(.export)
        can["import"] = caps.contains(.importRows)
        can["boundaries"] = caps.contains(.importRows) || caps.contains(.editBoundary)
        can["map"] = node.kind.isCommunityLevel || node.kind == .grid
        var url = Dictionary(
            uniqueKeysWithValues: NodeStep.Name.allCases.map {
                ($0.rawValue, JurisdictionURL.nodeStep(node.id, $0).path)
            })
        url["import"] = JurisdictionURL.importRows(node.id).path
        url["export_tree"] = JurisdictionURL.exportTree(node.id).path
        url["export_bodies"] = JurisdictionURL.exportBodies(node.id).path
        url["export_tree_gb"] = JurisdictionURL.exportTree(node.id).path + "?encoding=gb18030"
        url["export_bodies_gb"] = JurisdictionURL.exportBodies(node.id).path + "?encoding=gb18030"
        url["show"] = JurisdictionURL.node(node.id).path
        url["boundaries_import"] = JurisdictionURL.importBoundaries(node.id).path
        url["boundaries_export"] = JurisdictionURL.exportBoundaries(node.id).path
        url["map"] = JurisdictionURL.map(node.id).path
        let estateName = node.estateID.flatMap { id in r.estates.first { $0.id == id }?.name }
        let link = { (n: Node) in Link(id: n.id, name: n.name, href: JurisdictionURL.node(n.id).path) }
        return NodePage(
            node: NodeFacts(
                id: node.id, name: node.name, kind: words("kind_\(node.kind.rawValue)"), code: node.code,
                closed: !node.isOpen, closedAt: DateText.format(node.closedAt, language), version: node.version,
                estate: estateName),
            breadcrumbs: r.ancestors.map(link),
            children: r.children.map { c in
                ChildRow(
                    href: JurisdictionURL.node(c.node.id).path, name: c.node.name,
                    kind: words("kind_\(c.node.kind.rawValue)"), code: c.node.code ?? "", openChildren: c.openChildren,
                    closed: !c.node.isOpen)
            },
            hasChildren: !r.children.isEmpty, showClosed: showClosed, isCommunity: node.kind.isCommunityLevel,
            bodies: r.bodies.map { Link(id: $0.id, name: $0.name, href: JurisdictionURL.body($0.id).path) },
            bodyKinds: BodyKind.allCases.map {
                Option(value: $0.rawValue, label: words("body_\($0.rawValue)"), selected: false)
            },
            estates: node.kind.isCommunityLevel
                ? r.estates.map { EstateRow(id: $0.id, name: $0.name) } : [],
            childKinds: kinds.map { Option(value: $0.rawValue, label: words("kind_\($0.rawValue)"), selected: false) },
            estateOptions: caps.contains(.assignEstate)
                ? [Option(value: "", label: words("estate_none"), selected: node.estateID == nil)]
                    + r.estates.map {
                        Option(value: "\($0.id)", label: $0.name, selected: $0.id == node.estateID)
                    } : [],
            splitBuildings: caps.contains(.splitGrid) ? r.children.filter { $0.node.isOpen }.map { link($0.node) } : [],
            mergeGrids: caps.contains(.mergeGrids) ? r.mergeCandidates.map(link) : [],
            history: r.history.map {
                HistoryRow(
                    at: DateText.format($0.at, language), action: words("history_\($0.action)"), detail: $0.detail)
            },
            can: can, url: url)
    }

    struct BodyFacts: Sendable, Equatable {
        var id: Int64
        var name: String
        var kind: String
        var position: Int
        var version: Int
    }

    /// One item of a duty list with the positions its up and down buttons send.
    struct DutyRow: Sendable, Equatable {
        var id: Int64
        var title: String
        var hasUp: Bool
        var up: Int
        var hasDown: Bool
        var down: Int
        var hasMinors: Bool
        var minors: [DutyRow]
    }

    struct BodyPage: Sendable, Equatable {
        var body: BodyFacts
        var community: Link
        var duties: [DutyRow]
        var hasDuties: Bool
        var majorCount: Int
        var minorCount: Int
        var canEdit: Bool
        var url: [String: String]
    }

    static func body(_ r: BodyReadModel, words: Words) -> BodyPage {
        func rows(_ items: [DutyItem], minors: (DutyItem) -> [DutyItem]) -> [DutyRow] {
            items.enumerated().map { index, item in
                let below = rows(minors(item), minors: { _ in [] })
                return DutyRow(
                    id: item.id, title: item.title, hasUp: index > 0, up: index, hasDown: index < items.count - 1,
                    down: index + 2, hasMinors: !below.isEmpty, minors: below)
            }
        }
        let minors = Dictionary(uniqueKeysWithValues: r.duties.map { ($0.item.id, $0.minors) })
        let community = r.community
        return BodyPage(
            body: BodyFacts(
                id: r.body.id, name: r.body.name, kind: words("body_\(r.body.kind.rawValue)"),
                position: r.body.position, version: r.body.version),
            community: Link(id: community.id, name: community.name, href: JurisdictionURL.node(community.id).path),
            duties: rows(r.duties.map(\.item)) { minors[$0.id] ?? [] }, hasDuties: !r.duties.isEmpty,
            majorCount: r.duties.count, minorCount: r.duties.reduce(0) { $0 + $1.minors.count },
            canEdit: r.capabilities.contains(.editBody),
            url: Dictionary(
                uniqueKeysWithValues: BodyStep.Name.allCases.map {
                    ($0.rawValue, JurisdictionURL.bodyStep(r.body.id, $0).path)
                }))
    }
}
