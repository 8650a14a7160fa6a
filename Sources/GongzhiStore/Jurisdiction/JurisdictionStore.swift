import Foundation
import GongzhiDomain
import SQLKit

/// Reads of the jurisdiction tree, its estates, bodies and duty lists.
public struct JurisdictionStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    public func node(_ id: Int64) async throws -> Node? {
        try await db.read { sql in try await Self.node(sql, id) }
    }

    static func node(_ sql: any SQLDatabase, _ id: Int64) async throws -> Node? {
        try await sql.raw("SELECT * FROM nodes WHERE id = \(bind: id)").first().map(decodeNode)
    }

    public func node(code: String) async throws -> Node? {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM nodes WHERE code = \(bind: code)").first().map(Self.decodeNode)
        }
    }

    public func roots() async throws -> [Node] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM nodes WHERE parent_id IS NULL ORDER BY name").all().map(Self.decodeNode)
        }
    }

    /// Children in display order, each with its number of open children.
    public func children(of id: Int64, includeClosed: Bool = false) async throws -> [(node: Node, openChildren: Int)] {
        try await db.read { sql in try await Self.children(sql, of: id, includeClosed: includeClosed) }
            .map { (node: $0.node, openChildren: $0.openChildren) }
    }

    static func children(_ sql: any SQLDatabase, of id: Int64, includeClosed: Bool) async throws -> [NodeChild] {
        let closed = includeClosed ? "" : " AND n.closed_at IS NULL"
        return try await sql.raw(
            SQLQueryString(
                """
                SELECT n.*, (SELECT COUNT(*) FROM nodes c WHERE c.parent_id = n.id AND c.closed_at IS NULL) AS open_children
                FROM nodes n WHERE n.parent_id = \(bind: id)
                """) + SQLQueryString(closed) + " ORDER BY n.closed_at IS NOT NULL, n.code, n.name"
        ).all().map { row in
            NodeChild(
                node: try Self.decodeNode(row), openChildren: try row.decode(column: "open_children", as: Int.self))
        }
    }

    /// The nodes on the way from the root down to `node`, root first, `node` excluded.
    public func ancestors(of node: Node) async throws -> [Node] {
        let ids = node.ancestry.dropLast()
        guard !ids.isEmpty else { return [] }
        let found = try await db.read { sql in
            try await sql.select().column("*").from("nodes").where("id", .in, Array(ids)).all().map(Self.decodeNode)
        }
        return ids.compactMap { id in found.first { $0.id == id } }
    }

    /// Open nodes of one kind inside a subtree, e.g. every community of a subdistrict.
    public func descendants(of path: String, kind: NodeKind, limit: Int = 5000) async throws -> [Node] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT * FROM nodes WHERE path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))
                AND kind = \(bind: kind.rawValue) AND closed_at IS NULL ORDER BY path LIMIT \(bind: limit)
                """
            ).all().map(Self.decodeNode)
        }
    }

    /// Counts of open nodes by kind inside a subtree.
    public func census(of path: String) async throws -> [NodeKind: Int] {
        try await db.read { sql in
            let rows = try await sql.raw(
                """
                SELECT kind, COUNT(*) AS n FROM nodes WHERE path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))
                AND closed_at IS NULL GROUP BY kind
                """
            ).all()
            var out: [NodeKind: Int] = [:]
            for row in rows {
                if let kind = NodeKind(rawValue: try row.decode(column: "kind", as: String.self)) {
                    out[kind] = try row.decode(column: "n", as: Int.self)
                }
            }
            return out
        }
    }

    public func history(of nodeID: Int64) async throws -> [NodeHistoryLine] {
        try await db.read { sql in try await Self.history(sql, of: nodeID) }
    }

    static func history(_ sql: any SQLDatabase, of nodeID: Int64) async throws -> [NodeHistoryLine] {
        try await sql.raw("SELECT * FROM node_history WHERE node_id = \(bind: nodeID) ORDER BY at, id").all().map {
            row in
            NodeHistoryLine(
                at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                action: try row.decode(column: "action", as: String.self),
                detail: try row.decode(column: "detail", as: String.self))
        }
    }

    public func estates(of communityID: Int64) async throws -> [Estate] {
        try await db.read { sql in try await Self.estates(sql, of: communityID) }
    }

    static func estates(_ sql: any SQLDatabase, of communityID: Int64) async throws -> [Estate] {
        try await sql.raw("SELECT * FROM estates WHERE community_id = \(bind: communityID) ORDER BY name").all()
            .map(decodeEstate)
    }

    /// The open bodies of a community in their order.
    public func bodies(of communityID: Int64) async throws -> [Body] {
        try await db.read { sql in try await Self.bodies(sql, of: communityID) }
    }

    static func bodies(_ sql: any SQLDatabase, of communityID: Int64) async throws -> [Body] {
        try await sql.raw(
            """
            SELECT * FROM bodies WHERE community_id = \(bind: communityID) AND closed_at IS NULL ORDER BY position, id
            """
        ).all().map(Self.decodeBody)
    }

    public func body(_ id: Int64) async throws -> Body? {
        try await db.read { sql in try await Self.body(sql, id) }
    }

    static func body(_ sql: any SQLDatabase, _ id: Int64) async throws -> Body? {
        try await sql.raw("SELECT * FROM bodies WHERE id = \(bind: id)").first().map(decodeBody)
    }

    /// The duty list of a body: major items in order, each with its minor items.
    public func duties(of bodyID: Int64) async throws -> [(major: DutyItem, minors: [DutyItem])] {
        Self.grouped(try await db.read { sql in try await Self.dutyItems(sql, of: bodyID) })
    }

    /// The open items of a body's duty list in order.
    static func dutyItems(_ sql: any SQLDatabase, of bodyID: Int64) async throws -> [DutyItem] {
        try await sql.raw(
            "SELECT * FROM duty_items WHERE body_id = \(bind: bodyID) AND closed_at IS NULL ORDER BY position, id"
        ).all().map(Self.decodeDuty)
    }

    static func duty(_ sql: any SQLDatabase, _ id: Int64) async throws -> DutyItem? {
        try await sql.raw("SELECT * FROM duty_items WHERE id = \(bind: id)").first().map(decodeDuty)
    }

    static func estate(_ sql: any SQLDatabase, _ id: Int64) async throws -> Estate? {
        try await sql.raw("SELECT * FROM estates WHERE id = \(bind: id)").first().map(decodeEstate)
    }

    /// What the policy needs to know about a node besides the node itself.
    static func context(_ sql: any SQLDatabase, of node: Node) async throws -> JurisdictionContext {
        JurisdictionContext(
            openChildren: try await sql.raw(
                "SELECT COUNT(*) AS n FROM nodes WHERE parent_id = \(bind: node.id) AND closed_at IS NULL"
            ).first()!.decode(column: "n", as: Int.self))
    }

    static func grouped(_ items: [DutyItem]) -> [(major: DutyItem, minors: [DutyItem])] {
        let minors = Dictionary(grouping: items.filter { $0.parentID != nil }, by: { $0.parentID! })
        return items.filter { $0.parentID == nil }.map { ($0, minors[$0.id] ?? []) }
    }

    static func decodeNode(_ row: any SQLRow) throws -> Node {
        Node(
            id: try row.decode(column: "id", as: Int64.self),
            kind: NodeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .building,
            name: try row.decode(column: "name", as: String.self),
            code: try row.decode(column: "code", as: String?.self),
            parentID: try row.decode(column: "parent_id", as: Int64?.self),
            path: try row.decode(column: "path", as: String.self),
            communityID: try row.decode(column: "community_id", as: Int64?.self),
            estateID: try row.decode(column: "estate_id", as: Int64?.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMillis:)),
            version: try row.decode(column: "version", as: Int.self))
    }

    static func decodeEstate(_ row: any SQLRow) throws -> Estate {
        Estate(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self))
    }

    static func decodeBody(_ row: any SQLRow) throws -> Body {
        Body(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            kind: BodyKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .socialOrganisation,
            name: try row.decode(column: "name", as: String.self),
            position: try row.decode(column: "position", as: Int.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMillis:)),
            version: try row.decode(column: "version", as: Int.self))
    }

    static func decodeDuty(_ row: any SQLRow) throws -> DutyItem {
        DutyItem(
            id: try row.decode(column: "id", as: Int64.self),
            bodyID: try row.decode(column: "body_id", as: Int64.self),
            parentID: try row.decode(column: "parent_id", as: Int64?.self),
            title: try row.decode(column: "title", as: String.self),
            position: try row.decode(column: "position", as: Int.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMillis:)))
    }
}

public struct NodeHistoryLine: Sendable, Equatable, Codable {
    public var at: Date
    public var action: String
    public var detail: String
}

extension JurisdictionStore {
    /// Where a node stands (WGS 84), when known: other modules read it here rather than from `nodes`.
    static func point(_ sql: any SQLDatabase, of nodeID: Int64) async throws -> (Double, Double)? {
        guard let row = try await sql.raw("SELECT latitude, longitude FROM nodes WHERE id = \(bind: nodeID)").first(),
            let lat = try row.decode(column: "latitude", as: Double?.self),
            let lng = try row.decode(column: "longitude", as: Double?.self)
        else { return nil }
        return (lat, lng)
    }

    public func point(of nodeID: Int64) async throws -> (Double, Double)? {
        try await db.read { sql in try await Self.point(sql, of: nodeID) }
    }
}

extension JurisdictionStore {
    /// The open building nearest to a point (WGS 84) no farther than `meters`, inside a subtree when `inside` is
    /// given. The database narrows the search to a bounding box around the point and orders by an equirectangular
    /// distance; only the one nearest row comes back, and it is kept only if it lies within `meters`.
    public func nearestBuilding(
        lat: Double, lng: Double, within meters: Double, inside path: String? = nil
    ) async throws -> Node? {
        guard (-90...90).contains(lat), (-180...180).contains(lng), meters > 0 else { return nil }
        let metersPerDegree = 111_320.0
        let scale = max(cos(lat * .pi / 180), 0.01)
        let dLat = meters / metersPerDegree, dLng = meters / (metersPerDegree * scale)
        return try await db.read { sql in
            var q = SQLQueryString(
                """
                SELECT * FROM nodes WHERE kind = 'building' AND closed_at IS NULL
                AND latitude BETWEEN \(bind: lat - dLat) AND \(bind: lat + dLat)
                AND longitude BETWEEN \(bind: lng - dLng) AND \(bind: lng + dLng)
                """)
            if let path { q = q + " AND path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))" }
            q =
                q + """
                     ORDER BY (latitude - \(bind: lat)) * (latitude - \(bind: lat))
                      + (longitude - \(bind: lng)) * (longitude - \(bind: lng)) * \(bind: scale * scale), id LIMIT 1
                    """
            guard let row = try await sql.raw(q).first() else { return nil }
            let (blat, blng) = (
                try row.decode(column: "latitude", as: Double.self),
                try row.decode(column: "longitude", as: Double.self)
            )
            return Self.distance(lat, lng, blat, blng) <= meters ? try Self.decodeNode(row) : nil
        }
    }

    /// The one open building of this exact name inside a subtree; nil when there is none or several.
    public func building(named name: String, inside path: String) async throws -> Node? {
        let rows = try await db.read { sql in
            try await sql.raw(
                """
                SELECT * FROM nodes WHERE kind = 'building' AND closed_at IS NULL AND name = \(bind: name)
                AND path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path)) ORDER BY id LIMIT 2
                """
            ).all()
        }
        return rows.count == 1 ? try Self.decodeNode(rows[0]) : nil
    }

    /// Great-circle distance in metres (haversine).
    static func distance(_ lat1: Double, _ lng1: Double, _ lat2: Double, _ lng2: Double) -> Double {
        let r = 6_371_000.0, rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}
