import Foundation
import GongzhiDomain
import SQLKit

/// A grid with its boundary, or a building with its point: what a map of an area draws.
public struct MapArea: Sendable {
    /// The node the map is of (a community, a grid, or the grid of a building).
    public var node: Node
    public var grids: [(node: Node, boundary: Boundary?)]
    public var buildings: [(node: Node, point: GeoPoint)]

    /// The box around everything drawn: boundaries and buildings; nil when nothing has a place.
    public var bounds: GeoBounds? {
        GeoBounds(grids.flatMap { $0.boundary?.outerPoints ?? [] } + buildings.map(\.point))
    }
}

extension JurisdictionStore {
    static func boundary(_ sql: any SQLDatabase, of nodeID: Int64) async throws -> Boundary? {
        guard let row = try await sql.raw("SELECT boundary FROM nodes WHERE id = \(bind: nodeID)").first(),
            let text = try row.decode(column: "boundary", as: String?.self)
        else { return nil }
        return try? Boundary.parse(text)
    }

    static func writeBoundary(_ sql: any SQLDatabase, _ nodeID: Int64, _ boundary: Boundary?) async throws {
        let b = boundary?.bounds
        try await sql.raw(
            """
            UPDATE nodes SET boundary = \(bind: boundary?.geoJSON), boundary_min_lat = \(bind: b?.minLat),
              boundary_max_lat = \(bind: b?.maxLat), boundary_min_lng = \(bind: b?.minLng), boundary_max_lng = \(bind: b?.maxLng)
            WHERE id = \(bind: nodeID)
            """
        ).run()
    }

    /// A grid's boundary, when the actor may see the grid; nil when it has none.
    public func boundary(of nodeID: Int64, for actor: Actor) async throws -> (node: Node, boundary: Boundary?) {
        let node = try await visible(nodeID, to: actor)
        return (node, try await db.read { sql in try await Self.boundary(sql, of: nodeID) })
    }

    /// The open grids inside a subtree that have a boundary, in path order.
    public func boundaries(inside path: String, limit: Int = 10_000) async throws -> [(node: Node, boundary: Boundary)]
    {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT * FROM nodes WHERE path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))
                AND kind = 'grid' AND closed_at IS NULL AND boundary IS NOT NULL ORDER BY path LIMIT \(bind: limit)
                """
            ).all().compactMap { row in
                guard let b = try? Boundary.parse(try row.decode(column: "boundary", as: String.self)) else {
                    return nil
                }
                return (try Self.decodeNode(row), b)
            }
        }
    }

    /// The open grid whose boundary holds the point (inside a subtree when `inside` is given). The database reads
    /// only the grids whose box holds the point; their polygons are tested here. Overlapping boundaries are a
    /// mistake in the data: the grid with the lowest id wins, so the answer is the same every time.
    public func grid(holding p: GeoPoint, inside path: String? = nil) async throws -> Node? {
        try await db.read { sql in try await Self.grid(sql, holding: p, inside: path) }
    }

    /// `grid(holding:inside:)` inside a transaction (a facility's writer places it with the same rule).
    static func grid(_ sql: any SQLDatabase, holding p: GeoPoint, inside path: String? = nil) async throws -> Node? {
        guard p.isValid else { return nil }
        var q = SQLQueryString(
            """
            SELECT * FROM nodes WHERE kind = 'grid' AND closed_at IS NULL AND boundary IS NOT NULL
            AND boundary_min_lat <= \(bind: p.lat) AND boundary_max_lat >= \(bind: p.lat)
            AND boundary_min_lng <= \(bind: p.lng) AND boundary_max_lng >= \(bind: p.lng)
            """)
        if let path { q = q + " AND path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))" }
        q = q + " ORDER BY id LIMIT 50"
        for row in try await sql.raw(q).all() {
            if let b = try? Boundary.parse(try row.decode(column: "boundary", as: String.self)), b.contains(p) {
                return try Self.decodeNode(row)
            }
        }
        return nil
    }

    /// Where a case given only a point is placed (Open311's `lat`/`long`, a tap on the map, "use my location"): in
    /// the grid whose boundary holds the point — at its nearest building within `meters`, else on the grid itself —
    /// and, when no boundary holds it, at the nearest building within `meters`. Nil when neither finds a place.
    public func place(_ p: GeoPoint, within meters: Double, inside path: String? = nil) async throws -> Node? {
        if let grid = try await grid(holding: p, inside: path) {
            return try await nearestBuilding(lat: p.lat, lng: p.lng, within: meters, inside: grid.path) ?? grid
        }
        return try await nearestBuilding(lat: p.lat, lng: p.lng, within: meters, inside: path)
    }

    /// What a map of `node` draws: the grids of its community (or the grid itself, or a building's grid) with their
    /// boundaries, and the open buildings that have a point.
    public func mapArea(of node: Node, maxBuildings: Int = 3000) async throws -> MapArea {
        var drawn = node
        if node.kind == .building, let parent = node.parentID, let grid = try await self.node(parent) { drawn = grid }
        let area = drawn
        let path = area.path
        return try await db.read { sql in
            let rows = try await sql.raw(
                """
                SELECT * FROM nodes WHERE path >= \(bind: path) AND path < \(bind: NodePath.upperBound(path))
                AND kind IN ('grid', 'building') AND closed_at IS NULL ORDER BY path LIMIT \(bind: maxBuildings)
                """
            ).all()
            var grids: [(node: Node, boundary: Boundary?)] = []
            var buildings: [(node: Node, point: GeoPoint)] = []
            for row in rows {
                let n = try Self.decodeNode(row)
                if n.kind == .grid {
                    grids.append(
                        (n, try row.decode(column: "boundary", as: String?.self).flatMap { try? Boundary.parse($0) }))
                } else if let lat = try row.decode(column: "latitude", as: Double?.self),
                    let lng = try row.decode(column: "longitude", as: Double?.self)
                {
                    buildings.append((n, GeoPoint(lat: lat, lng: lng)))
                }
            }
            return MapArea(node: area, grids: grids, buildings: buildings)
        }
    }

    /// Full name paths from the top ("南山区 › 南头街道 › 南头城社区 › 第3网格"), for boundary exports.
    func fullPaths(_ nodes: [Node]) async throws -> [Int64: String] {
        let names = try await names(of: Set(nodes.flatMap(\.ancestry)))
        return Dictionary(
            uniqueKeysWithValues: nodes.map { n in
                (n.id, n.ancestry.compactMap { names[$0] }.joined(separator: " › "))
            })
    }
}

extension JurisdictionCommands {
    /// Imports a FeatureCollection of grid boundaries: each feature names an open grid by `code` or `id` and gives
    /// its geometry (`null` clears it). All or nothing: every feature is checked first (the grid exists, the actor
    /// may set its boundary, the geometry is valid), and if any fails nothing is written and every problem is
    /// reported. Each grid is then changed through the same step as `perform(.setBoundary)`, with its history line
    /// and audit entry. Returns how many grids changed.
    public func importBoundaries(_ actor: Actor, geoJSON text: String) async throws -> Int {
        let features = try BoundaryCollection.parse(text)
        return try await db.command(actor, clock: clock) { tx in
            var problems: [BoundaryProblem] = []
            var steps: [(Node, JurisdictionCommand, Role)] = []
            var seen: Set<Int64> = []
            for feature in features {
                func refuse(_ error: DomainError) {
                    problems.append(BoundaryProblem(feature: feature.index, ref: feature.ref, error: error))
                }
                let boundary: Boundary?
                switch feature.geometry {
                case .failure(let error):
                    refuse(error)
                    continue
                case .success(let b): boundary = b
                }
                var node: Node? = nil
                if let code = feature.code {
                    node = try await tx.sql.raw(
                        "SELECT * FROM nodes WHERE code = \(bind: code) AND closed_at IS NULL ORDER BY id LIMIT 1"
                    ).first().map(JurisdictionStore.decodeNode)
                }
                if node == nil, let id = feature.id { node = try await JurisdictionStore.node(tx.sql, id) }
                guard let node, JurisdictionPolicy.mayView(actor, at: node.path) else {
                    refuse(DomainError.invalid("boundary_grid_unknown", field: "geojson"))
                    continue
                }
                guard seen.insert(node.id).inserted else {
                    refuse(DomainError.invalid("boundary_grid_twice", field: "geojson"))
                    continue
                }
                let command: JurisdictionCommand = boundary.map { .setBoundary($0) } ?? .clearBoundary
                do {
                    let context = try await JurisdictionStore.context(tx.sql, of: node)
                    steps.append(
                        (node, command, try JurisdictionPolicy.require(.editBoundary, of: actor, on: node, in: context))
                    )
                } catch let error as DomainError {
                    refuse(error.isRefusal ? DomainError.invalid("boundary_grid_unknown", field: "geojson") : error)
                }
            }
            if !problems.isEmpty { throw BoundaryImportError(problems: problems) }
            for (node, command, role) in steps {
                try await tx.sql.raw("UPDATE nodes SET version = version + 1 WHERE id = \(bind: node.id)").run()
                var after = node
                after.version += 1
                _ = try await apply(command, tx, after, before: node, role: role)
            }
            return steps.count
        }
    }

    /// The boundaries of the open grids inside a node's subtree as a FeatureCollection, for staff of that subtree.
    public func exportBoundaries(_ actor: Actor, rootID: Int64) async throws -> String {
        let store = JurisdictionStore(db: db)
        guard let root = try await store.node(rootID) else { throw DomainError.notFound }
        try JurisdictionPolicy.require(.view, of: actor, on: root, in: JurisdictionContext())
        try JurisdictionPolicy.require(.export, of: actor, on: root, in: JurisdictionContext())
        let grids = try await store.boundaries(inside: root.path)
        let paths = try await store.fullPaths(grids.map(\.node))
        return BoundaryCollection.format(
            grids.map {
                BoundaryCollection.Item(
                    id: $0.node.id, code: $0.node.code, name: $0.node.name, path: paths[$0.node.id] ?? $0.node.name,
                    boundary: $0.boundary)
            })
    }
}

extension JurisdictionBulk {
    /// Gives a grid its boundary (seeding and imports; no history or audit entry per row).
    public func setBoundary(_ boundary: Boundary, of grid: Node) async throws {
        guard grid.kind == .grid else { throw DomainError.invalid("boundary_needs_grid", field: "geojson") }
        try await JurisdictionStore.writeBoundary(tx.sql, grid.id, boundary)
    }
}
