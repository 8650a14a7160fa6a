import Foundation

/// A point on the earth in WGS 84 degrees (what GPS gives and what Gongzhi stores).
public struct GeoPoint: Sendable, Equatable, Hashable, Codable {
    public var lat: Double
    public var lng: Double
    public init(lat: Double, lng: Double) {
        self.lat = lat
        self.lng = lng
    }

    /// Whether the values are degrees on the earth at all.
    public var isValid: Bool { lat.isFinite && lng.isFinite && (-90...90).contains(lat) && (-180...180).contains(lng) }

    /// Great-circle distance in metres (haversine).
    public func distance(to other: GeoPoint) -> Double {
        let r = 6_371_000.0, rad = Double.pi / 180
        let dLat = (other.lat - lat) * rad, dLng = (other.lng - lng) * rad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat * rad) * cos(other.lat * rad) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// A latitude/longitude box, for the database's quick "may this polygon hold the point" filter and for fitting a map.
public struct GeoBounds: Sendable, Equatable, Codable {
    public var minLat: Double
    public var maxLat: Double
    public var minLng: Double
    public var maxLng: Double

    public init(minLat: Double, maxLat: Double, minLng: Double, maxLng: Double) {
        self.minLat = minLat
        self.maxLat = maxLat
        self.minLng = minLng
        self.maxLng = maxLng
    }

    /// The smallest box holding every point; nil for none.
    public init?(_ points: some Sequence<GeoPoint>) {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var b = GeoBounds(minLat: first.lat, maxLat: first.lat, minLng: first.lng, maxLng: first.lng)
        while let p = it.next() { b.include(p) }
        self = b
    }

    public mutating func include(_ p: GeoPoint) {
        minLat = Swift.min(minLat, p.lat)
        maxLat = Swift.max(maxLat, p.lat)
        minLng = Swift.min(minLng, p.lng)
        maxLng = Swift.max(maxLng, p.lng)
    }

    public func union(_ other: GeoBounds) -> GeoBounds {
        GeoBounds(
            minLat: Swift.min(minLat, other.minLat), maxLat: Swift.max(maxLat, other.maxLat),
            minLng: Swift.min(minLng, other.minLng), maxLng: Swift.max(maxLng, other.maxLng))
    }

    public func contains(_ p: GeoPoint) -> Bool {
        (minLat...maxLat).contains(p.lat) && (minLng...maxLng).contains(p.lng)
    }

    public var centre: GeoPoint { GeoPoint(lat: (minLat + maxLat) / 2, lng: (minLng + maxLng) / 2) }

    /// The box grown on every side by `fraction` of its span (at least `minimum` degrees), so what is drawn on its
    /// edge is not cut off.
    public func padded(_ fraction: Double, minimum: Double = 0.0005) -> GeoBounds {
        let dLat = Swift.max((maxLat - minLat) * fraction, minimum)
        let dLng = Swift.max((maxLng - minLng) * fraction, minimum)
        return GeoBounds(minLat: minLat - dLat, maxLat: maxLat + dLat, minLng: minLng - dLng, maxLng: maxLng + dLng)
    }
}

/// One polygon: an outer ring and the holes cut out of it. Rings are closed (the first point is repeated last).
public struct GeoPolygon: Sendable, Equatable {
    public var outer: [GeoPoint]
    public var holes: [[GeoPoint]]
    public init(outer: [GeoPoint], holes: [[GeoPoint]] = []) {
        self.outer = outer
        self.holes = holes
    }

    /// Inside the outer ring and in none of the holes (ray casting; a point exactly on an edge may go either way).
    public func contains(_ p: GeoPoint) -> Bool {
        Self.ring(outer, contains: p) && !holes.contains { Self.ring($0, contains: p) }
    }

    /// Ray casting: count the edges a ray from the point towards +longitude crosses.
    static func ring(_ ring: [GeoPoint], contains p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = (b.lng - a.lng) * (p.lat - a.lat) / (b.lat - a.lat) + a.lng
                if p.lng < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}

/// A grid's boundary: a GeoJSON Polygon or MultiPolygon in WGS 84, positions as [longitude, latitude]. `parse`
/// checks what a careless export gets wrong (open rings, latitude first, numbers off the earth) and says so in the
/// reader's language (`error.boundary_*`).
public struct Boundary: Sendable, Equatable {
    public var polygons: [GeoPolygon]
    public init(polygons: [GeoPolygon]) { self.polygons = polygons }

    /// More positions than a grid's outline needs is a mistake (a whole city pasted in): refused.
    public static let maxPositions = 20_000

    public var bounds: GeoBounds { GeoBounds(polygons.flatMap(\.outer))! }

    public func contains(_ p: GeoPoint) -> Bool { bounds.contains(p) && polygons.contains { $0.contains(p) } }

    /// Every outer ring's points, for fitting a map around it.
    public var outerPoints: [GeoPoint] { polygons.flatMap(\.outer) }

    /// The geometry as compact GeoJSON text: a Polygon when there is one, else a MultiPolygon. Coordinates keep 7
    /// decimals (about a centimetre).
    public var geoJSON: String {
        func position(_ p: GeoPoint) -> String { "[\(Self.number(p.lng)),\(Self.number(p.lat))]" }
        func ring(_ r: [GeoPoint]) -> String { "[" + r.map(position).joined(separator: ",") + "]" }
        func polygon(_ p: GeoPolygon) -> String { "[" + ([p.outer] + p.holes).map(ring).joined(separator: ",") + "]" }
        if polygons.count == 1 { return #"{"type":"Polygon","coordinates":"# + polygon(polygons[0]) + "}" }
        return #"{"type":"MultiPolygon","coordinates":["# + polygons.map(polygon).joined(separator: ",") + "]}"
    }

    static func number(_ v: Double) -> String {
        var s = String(format: "%.7f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Parses a GeoJSON geometry given as text.
    public static func parse(_ text: String) throws(DomainError) -> Boundary {
        guard let value = JSONValue.parse(text) else {
            throw DomainError.invalid("boundary_not_json", field: "geojson")
        }
        return try parse(geometry: value)
    }

    /// Parses a GeoJSON geometry object (a Feature's `geometry`).
    public static func parse(geometry: JSONValue) throws(DomainError) -> Boundary {
        guard case .string(let type)? = geometry["type"] else {
            throw DomainError.invalid("boundary_type_unsupported", field: "geojson", args: ["-"])
        }
        guard case .array(let coordinates)? = geometry["coordinates"] else {
            throw DomainError.invalid("boundary_position_invalid", field: "geojson")
        }
        var count = 0
        let polygons: [GeoPolygon]
        switch type {
        case "Polygon": polygons = [try polygon(coordinates, &count)]
        case "MultiPolygon":
            var out: [GeoPolygon] = []
            for p in coordinates {
                guard case .array(let rings) = p else {
                    throw DomainError.invalid("boundary_position_invalid", field: "geojson")
                }
                out.append(try polygon(rings, &count))
            }
            polygons = out
        default: throw DomainError.invalid("boundary_type_unsupported", field: "geojson", args: [type])
        }
        guard !polygons.isEmpty else { throw DomainError.invalid("boundary_empty", field: "geojson") }
        return Boundary(polygons: polygons)
    }

    static func polygon(_ rings: [JSONValue], _ count: inout Int) throws(DomainError) -> GeoPolygon {
        guard !rings.isEmpty else { throw DomainError.invalid("boundary_empty", field: "geojson") }
        var parsed: [[GeoPoint]] = []
        for r in rings {
            guard case .array(let positions) = r else {
                throw DomainError.invalid("boundary_position_invalid", field: "geojson")
            }
            var ring: [GeoPoint] = []
            for raw in positions {
                count += 1
                guard count <= maxPositions else {
                    throw DomainError.invalid("boundary_too_large", field: "geojson", args: ["\(maxPositions)"])
                }
                guard case .array(let pair) = raw, (2...3).contains(pair.count), case .number(let lng) = pair[0],
                    case .number(let lat) = pair[1]
                else { throw DomainError.invalid("boundary_position_invalid", field: "geojson") }
                let p = GeoPoint(lat: lat, lng: lng)
                guard p.isValid else {
                    throw DomainError.invalid(
                        "boundary_out_of_range", field: "geojson", args: [number(lng), number(lat)])
                }
                ring.append(p)
            }
            guard ring.count >= 4 else { throw DomainError.invalid("boundary_ring_too_short", field: "geojson") }
            guard ring.first == ring.last else {
                throw DomainError.invalid("boundary_ring_not_closed", field: "geojson")
            }
            guard Set(ring).count >= 3, abs(area(ring)) > 0 else {
                throw DomainError.invalid("boundary_ring_flat", field: "geojson")
            }
            parsed.append(ring)
        }
        return GeoPolygon(outer: parsed[0], holes: Array(parsed.dropFirst()))
    }

    /// Twice the signed area in square degrees (shoelace); zero for a ring with no inside.
    static func area(_ ring: [GeoPoint]) -> Double {
        var sum = 0.0
        for i in 0..<(ring.count - 1) { sum += ring[i].lng * ring[i + 1].lat - ring[i + 1].lng * ring[i].lat }
        return sum
    }
}

/// Any JSON value, decoded strictly (a boolean is never a number), for reading GeoJSON whose shape varies.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Text for strings, digits for whole numbers: how a feature's `code` or `id` property may be written.
    public var text: String? {
        switch self {
        case .string(let s): s
        case .number(let n) where n == n.rounded() && abs(n) < 1e15: String(Int64(n))
        default: nil
        }
    }
}
