import Foundation
import GongzhiDomain
import SQLKit

/// A node as its page and the API show it to one actor: what the actor may see of it and around it, and what they
/// may do with it.
public struct NodeRecord: Sendable {
    public var node: Node
    public var capabilities: Set<JurisdictionCapability>
    /// The way up that the actor may see, root first.
    public var ancestors: [Node]
    /// The children the actor may see, each with its number of open children.
    public var children: [NodeChild]
    public var history: [NodeHistoryLine]
    /// A community's open bodies in order (empty below and above).
    public var bodies: [Body]
    /// The estates of the node's community: a community's own, or those a building may be put into.
    public var estates: [Estate]
    /// The other open grids of the community, when the actor may merge this one.
    public var mergeCandidates: [Node]

    public init(
        node: Node, capabilities: Set<JurisdictionCapability>, ancestors: [Node] = [], children: [NodeChild] = [],
        history: [NodeHistoryLine] = [], bodies: [Body] = [], estates: [Estate] = [], mergeCandidates: [Node] = []
    ) {
        self.node = node
        self.capabilities = capabilities
        self.ancestors = ancestors
        self.children = children
        self.history = history
        self.bodies = bodies
        self.estates = estates
        self.mergeCandidates = mergeCandidates
    }
}

public struct NodeChild: Sendable, Equatable {
    public var node: Node
    public var openChildren: Int

    public init(node: Node, openChildren: Int) {
        self.node = node
        self.openChildren = openChildren
    }
}

/// A body with its duty list and what the actor may do with it.
public struct BodyReadModel: Sendable {
    public var body: Body
    public var community: Node
    public var capabilities: Set<JurisdictionCapability>
    public var duties: [DutyGroup]

    public init(body: Body, community: Node, capabilities: Set<JurisdictionCapability>, duties: [DutyGroup]) {
        self.body = body
        self.community = community
        self.capabilities = capabilities
        self.duties = duties
    }
}

/// A major item of a duty list with its minor items.
public struct DutyGroup: Sendable, Equatable, Codable {
    public var item: DutyItem
    public var minors: [DutyItem]

    public init(item: DutyItem, minors: [DutyItem]) {
        self.item = item
        self.minors = minors
    }
}

/// Reads that take the actor: a missing id and one outside the actor's jurisdiction answer alike.
extension JurisdictionStore {
    public func visible(_ id: Int64, to actor: Actor) async throws -> Node {
        try Access.requireView(actor, try await node(id))
    }

    /// The body and its community, when the actor may see them.
    public func visibleBody(_ id: Int64, to actor: Actor) async throws -> (body: Body, community: Node) {
        guard let body = try await body(id) else { throw DomainError.notFound }
        return (body, try Access.requireView(actor, try await node(body.communityID)))
    }

    public func record(_ id: Int64, for actor: Actor, includeClosed: Bool = false) async throws -> NodeRecord {
        let node = try await visible(id, to: actor)
        return try await db.read { sql in
            let context = try await Self.context(sql, of: node)
            let capabilities = JurisdictionPolicy.capabilities(of: actor, on: node, in: context)
            let ancestorIDs = Array(node.ancestry.dropLast())
            let found =
                ancestorIDs.isEmpty
                ? []
                : try await sql.select().column("*").from("nodes").where("id", .in, ancestorIDs).all()
                    .map(Self.decodeNode)
            let ancestors = ancestorIDs.compactMap { id in found.first { $0.id == id } }.filter {
                JurisdictionPolicy.mayView(actor, at: $0.path)
            }
            // Above the actor's own subtree only the way down to it shows, not the siblings.
            let children = try await Self.children(sql, of: id, includeClosed: includeClosed).filter {
                JurisdictionPolicy.mayView(actor, at: $0.node.path)
            }
            let history = try await Self.history(sql, of: id)
            let bodies = node.kind.isCommunityLevel ? try await Self.bodies(sql, of: id) : []
            let estateCommunity = node.kind.isCommunityLevel || node.kind == .building ? node.communityID : nil
            let estates = try await estateCommunity.asyncMap { try await Self.estates(sql, of: $0) } ?? []
            var candidates: [Node] = []
            if capabilities.contains(.mergeGrids), let parentID = node.parentID {
                candidates = try await Self.children(sql, of: parentID, includeClosed: false).map(\.node).filter {
                    $0.id != node.id && $0.kind == .grid
                }
            }
            return NodeRecord(
                node: node, capabilities: capabilities, ancestors: ancestors, children: children, history: history,
                bodies: bodies, estates: estates, mergeCandidates: candidates)
        }
    }

    /// Open nodes inside any of `paths` whose name contains `query`, shortest paths first: the place picker's search,
    /// reaching every grid and building however large the subtree.
    public func search(inside paths: [String], query: String, limit: Int = 50) async throws -> [Node] {
        let text = query.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !paths.isEmpty else { return [] }
        let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        return try await db.read { sql in
            var q = SQLQueryString("SELECT * FROM nodes WHERE closed_at IS NULL AND name LIKE \(bind: pattern) AND (")
            for (i, path) in paths.enumerated() {
                if i > 0 { q = q + " OR " }
                q = q + "(path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path)))"
            }
            q = q + ") ORDER BY length(path), name LIMIT \(bind: limit)"
            return try await sql.raw(q).all().map(Self.decodeNode)
        }
    }

    /// Each node's full path in names ("南头街道 › 南头城社区 › 第3网格"), for choices that must be told apart.
    public func pathLabels(_ nodes: [Node]) async throws -> [Int64: String] {
        let ids = Set(nodes.flatMap(\.ancestry))
        let names = try await names(of: ids)
        var out: [Int64: String] = [:]
        for node in nodes {
            // The district is left out: every choice shares it.
            let chain = node.ancestry.dropFirst().compactMap { names[$0] }
            out[node.id] = (chain.isEmpty ? [node.name] : chain).joined(separator: " › ")
        }
        return out
    }

    /// A node with its full path label (the district left out, as in `pathLabels`), read in one statement from the
    /// materialised path another module keeps (a case's `node_path`).
    public func nodeWithLabel(path: String) async throws -> (Node, String)? {
        let ids = NodePath.ids(path)
        guard let id = ids.last else { return nil }
        let nodes = try await db.read { sql in
            try await sql.select().column("*").from("nodes").where("id", .in, ids).all().map(Self.decodeNode)
        }
        guard let node = nodes.first(where: { $0.id == id }) else { return nil }
        let names = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.name) })
        let chain = ids.dropFirst().compactMap { names[$0] }
        return (node, (chain.isEmpty ? [node.name] : chain).joined(separator: " › "))
    }

    /// Names of nodes by id, for exports that show places by name: one statement per thousand ids.
    public func names(of ids: Set<Int64>) async throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 1000) {
            let chunk = Array(all[start..<min(all.count, start + 1000)])
            let rows = try await db.read { sql in
                try await sql.select().column("id").column("name").from("nodes").where("id", .in, chunk).all()
            }
            for row in rows {
                out[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return out
    }

    /// The node's children the actor may see, for lists that need nothing else of the node's page.
    public func children(of id: Int64, for actor: Actor, includeClosed: Bool = false) async throws -> [Node] {
        _ = try await visible(id, to: actor)
        return try await db.read { sql in
            try await Self.children(sql, of: id, includeClosed: includeClosed).map(\.node).filter {
                JurisdictionPolicy.mayView(actor, at: $0.path)
            }
        }
    }

    public func bodyRecord(_ id: Int64, for actor: Actor) async throws -> BodyReadModel {
        let (body, community) = try await visibleBody(id, to: actor)
        let items = try await db.read { sql in try await Self.dutyItems(sql, of: id) }
        return BodyReadModel(
            body: body, community: community,
            capabilities: JurisdictionPolicy.capabilities(of: actor, on: body, in: community),
            duties: Self.grouped(items).map { DutyGroup(item: $0.major, minors: $0.minors) })
    }
}
