import Foundation
import GongzhiDomain

/// Plausible grid boundaries for the demo: each community is a cell of a lattice (about 400 m square), split into
/// rows of rectangles of uneven size, one per grid; a grid's buildings stand inside its rectangle, away from its
/// edges. The rectangles of a community tile it and communities never share a cell, so no two boundaries overlap.
enum DemoMap {
    /// Lattice spacing and a community's half-size, in degrees (the gap between communities is a street).
    static let spacing = 0.0036
    static let half = 0.0016

    /// The centre of the free lattice cell nearest `centre`, searched ring by ring; the cell is then taken.
    static func freeCell(near centre: (Double, Double), taken: inout Set<[Int]>) -> (Double, Double) {
        let i0 = Int((centre.0 / spacing).rounded()), j0 = Int((centre.1 / spacing).rounded())
        var r = 0
        while true {
            for di in -r...r {
                for dj in -r...r where max(abs(di), abs(dj)) == r {
                    let cell = [i0 + di, j0 + dj]
                    if taken.insert(cell).inserted { return (Double(cell[0]) * spacing, Double(cell[1]) * spacing) }
                }
            }
            r += 1
        }
    }

    /// `count` rectangles tiling the community's square: rows of uneven height, cells of uneven width.
    static func cells(
        _ count: Int, around centre: (Double, Double), rng: inout some RandomNumberGenerator
    ) -> [GeoBounds] {
        let columns = Int(Double(count).squareRoot().rounded(.up))
        let rows = (count + columns - 1) / columns
        func split(_ from: Double, _ to: Double, _ n: Int) -> [Double] {
            let weights = (0..<n).map { _ in Double.random(in: 0.75...1.25, using: &rng) }
            let total = weights.reduce(0, +)
            var edges = [from]
            for w in weights { edges.append(edges.last! + (to - from) * w / total) }
            edges[n] = to
            return edges
        }
        let rowEdges = split(centre.0 - half, centre.0 + half, rows)
        var out: [GeoBounds] = []
        for r in 0..<rows {
            let inRow = r < rows - 1 ? columns : count - columns * (rows - 1)
            let colEdges = split(centre.1 - half, centre.1 + half, inRow)
            for c in 0..<inRow {
                out.append(
                    GeoBounds(
                        minLat: rowEdges[r], maxLat: rowEdges[r + 1], minLng: colEdges[c], maxLng: colEdges[c + 1]))
            }
        }
        return out
    }

    /// A random point inside the rectangle, at least 12% of its size from every edge.
    static func inside(_ cell: GeoBounds, rng: inout some RandomNumberGenerator) -> (Double, Double) {
        let mLat = (cell.maxLat - cell.minLat) * 0.12, mLng = (cell.maxLng - cell.minLng) * 0.12
        return (
            Double.random(in: (cell.minLat + mLat)...(cell.maxLat - mLat), using: &rng),
            Double.random(in: (cell.minLng + mLng)...(cell.maxLng - mLng), using: &rng)
        )
    }

    /// The rectangle as a closed ring, anticlockwise as RFC 7946 asks of outer rings.
    static func boundary(_ cell: GeoBounds) -> Boundary {
        let ring = [
            GeoPoint(lat: cell.minLat, lng: cell.minLng), GeoPoint(lat: cell.minLat, lng: cell.maxLng),
            GeoPoint(lat: cell.maxLat, lng: cell.maxLng), GeoPoint(lat: cell.maxLat, lng: cell.minLng),
            GeoPoint(lat: cell.minLat, lng: cell.minLng),
        ]
        return Boundary(polygons: [GeoPolygon(outer: ring)])
    }
}
