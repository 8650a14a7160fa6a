import Foundation
import GongzhiDomain
import GongzhiStore

/// A tile service for Leaflet maps, when a deployment configures one (`GONGZHI_MAP_TILES_URL`).
public struct MapTiles: Sendable, Equatable {
    /// `https://…/{z}/{x}/{y}.png`, as Leaflet takes it.
    public var urlTemplate: String
    public var attribution: String
    /// Whether the tiles are drawn in GCJ-02 (most Chinese services): points are converted for display and back.
    public var gcj02: Bool
    public init(urlTemplate: String, attribution: String = "", gcj02: Bool = false) {
        self.urlTemplate = urlTemplate
        self.attribution = attribution
        self.gcj02 = gcj02
    }

    /// The scheme and host the tiles come from, for the page's Content-Security-Policy.
    var origin: String? {
        guard let url = URL(string: urlTemplate.replacingOccurrences(of: "{s}", with: "a")), let scheme = url.scheme,
            let host = url.host
        else { return nil }
        return "\(scheme)://" + (host.hasPrefix("a.") ? "*." + host.dropFirst(2) : host)
            + (url.port.map { ":\($0)" } ?? "")
    }
}

/// A map drawn by the server as SVG: grid boundaries, buildings, labels, marked points and counted circles, with
/// coordinates rounded to 0.1 px so a community with its grids and buildings stays a few kilobytes. The same model
/// is drawn inline on pages and served alone as an image (`partials/map_svg`).
struct MapPicture: Sendable {
    struct Shape: Sendable {
        var d: String
        var current: Bool
    }
    struct Dot: Sendable {
        var x: String
        var y: String
        var title: String
        /// A point shown only roughly (public pages): a larger, paler circle.
        var coarse: Bool = false
    }
    struct Label: Sendable {
        var x: String
        var y: String
        var text: String
        var small: Bool
    }
    struct Count: Sendable {
        var x: String
        var y: String
        var r: String
        var count: Int
        var title: String
        var href: String
        var hasHref: Bool
    }
    var width: Int
    var height: Int
    var label: String
    var shapes: [Shape] = []
    var buildings: [Dot] = []
    var labels: [Label] = []
    var marks: [Dot] = []
    var counts: [Count] = []
    /// Case dots with their links (the staff map).
    var points: [Point] = []
    struct Point: Sendable {
        var x: String
        var y: String
        var href: String
        var title: String
        var kind: String
    }
}

/// Drawing a `MapArea` with a `MapProjection`: the one place pixels are computed, for pictures and pickers alike.
enum MapDrawing {
    /// Pixels with one decimal.
    static func px(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Buildings are labelled only when there are few enough to read.
    static let maxLabelledBuildings = 12

    /// The projection a map of this area is drawn with, at `width` pixels.
    static func projection(for area: MapArea, width: Double = 340, extra: [GeoPoint] = []) -> MapProjection? {
        let points = area.grids.flatMap { $0.boundary?.outerPoints ?? [] } + area.buildings.map(\.point) + extra
        guard let raw = GeoBounds(points) else { return nil }
        let bounds = raw.padded(0.04, minimum: 0.00005)
        let height = MapProjection.height(for: bounds, width: width, minHeight: 220, maxHeight: 420)
        return MapProjection(bounds: bounds, width: width, height: height, padding: 8)
    }

    static func picture(
        _ area: MapArea, _ p: MapProjection, marks: [GeoPoint] = [], highlight: Int64? = nil, label: String,
        buildings showBuildings: Bool = true, coarse: Bool = false
    ) -> MapPicture {
        var picture = MapPicture(width: Int(p.width), height: Int(p.height), label: label)
        let byGrid = Dictionary(grouping: area.buildings, by: { $0.node.parentID ?? 0 })
        for grid in area.grids {
            var anchor: GeoPoint?
            if let boundary = grid.boundary {
                picture.shapes.append(
                    MapPicture.Shape(d: path(boundary, p), current: grid.node.id == highlight))
                let outer = boundary.polygons.max { $0.outer.count < $1.outer.count }?.outer.dropLast() ?? []
                if !outer.isEmpty {
                    anchor = GeoPoint(
                        lat: outer.map(\.lat).reduce(0, +) / Double(outer.count),
                        lng: outer.map(\.lng).reduce(0, +) / Double(outer.count))
                }
            } else if let inside = byGrid[grid.node.id], !inside.isEmpty {
                anchor = GeoPoint(
                    lat: inside.map(\.point.lat).reduce(0, +) / Double(inside.count),
                    lng: inside.map(\.point.lng).reduce(0, +) / Double(inside.count))
            }
            if let anchor, area.grids.count > 1 || grid.boundary != nil {
                let (x, y) = p.pixel(anchor)
                picture.labels.append(MapPicture.Label(x: px(x), y: px(y), text: grid.node.name, small: false))
            }
        }
        if showBuildings {
            let labelled = area.buildings.count <= maxLabelledBuildings
            for b in area.buildings {
                let (x, y) = p.pixel(b.point)
                picture.buildings.append(MapPicture.Dot(x: px(x), y: px(y), title: b.node.name))
                if labelled {
                    picture.labels.append(MapPicture.Label(x: px(x), y: px(y - 5), text: b.node.name, small: true))
                }
            }
        }
        for m in marks {
            let (x, y) = p.pixel(m)
            picture.marks.append(MapPicture.Dot(x: px(x), y: px(y), title: "", coarse: coarse))
        }
        return picture
    }

    /// A boundary as one SVG path (holes cut out by the even-odd rule).
    static func path(_ boundary: Boundary, _ p: MapProjection) -> String {
        var d = ""
        for polygon in boundary.polygons {
            for ring in [polygon.outer] + polygon.holes {
                for (i, point) in ring.dropLast().enumerated() {
                    let (x, y) = p.pixel(point)
                    d += (i == 0 ? "M" : "L") + px(x) + " " + px(y)
                }
                d += "Z"
            }
        }
        return d
    }
}

/// The map picker's page model (`partials/map_picker`): an `<input type="image" name="map">` showing the area
/// drawn by the server at a fixed pixel size, so the tap a browser posts as `map.x`/`map.y` decodes exactly; the
/// hidden fields `map_area` (the node drawn) and `map_view` (the projection); `map_lat`/`map_lng`/`map_datum`,
/// which the "use my location" button and the Leaflet map fill in when JavaScript runs.
struct MapPicker: Sendable {
    var area: Int64
    var src: String
    var width: Int
    var height: Int
    var view: String
    var alt: String
    /// The point chosen so far (shown as a mark on the map) and where it was placed.
    var picked: Bool
    var pickedLabel: String
    var lat: String
    var lng: String
    /// Buttons that redraw the map on a grid of the community, or on the community.
    var zoom: [Zoom]
    var hasZoom: Bool
    /// Leaflet settings and the shapes in the tiles' datum, when a tile service is configured and Leaflet installed.
    var leaflet: Bool
    var tiles: String
    var attribution: String
    var datum: String
    var shapes: String

    struct Zoom: Sendable {
        var id: Int64
        var label: String
    }
}

/// Decoding what a map picker posted, and building its page model.
enum MapPick {
    static let field = "map"
    static let areaField = "map_area"
    static let viewField = "map_view"
    static let zoomField = "map_zoom"
    static let locateField = "map_locate"
    /// How far a tap may snap to a building (metres).
    static let snapMeters = 120.0

    /// Whether the form was sent by the picker (a tap, "use my location", a Leaflet click or a zoom button) rather
    /// than by the form's own submit button.
    static func wasUsed(_ form: Form) -> Bool {
        !form["map.x"].isEmpty || !form[locateField].isEmpty || !form[zoomField].isEmpty
    }

    /// The point the picker chose, in WGS 84: the tap decoded with the projection the page drew (`map_view`), else
    /// the point "use my location" or Leaflet filled in (`map_lat`/`map_lng`, converted back from GCJ-02 when
    /// `map_datum` says so). Nil when none was given or it is not a point on the earth.
    static func decode(form: Form) -> GeoPoint? {
        if let x = Double(form["map.x"]), let y = Double(form["map.y"]),
            let projection = projection(from: form[viewField]), projection.holds(x: x, y: y)
        {
            let p = projection.point(x: x, y: y)
            return p.isValid ? p : nil
        }
        guard let lat = Double(form["map_lat"].trimmingCharacters(in: .whitespaces)),
            let lng = Double(form["map_lng"].trimmingCharacters(in: .whitespaces))
        else { return nil }
        var p = GeoPoint(lat: lat, lng: lng)
        guard p.isValid else { return nil }
        if form["map_datum"] == "gcj02" { p = ChinaCoordinates.toWGS84(p) }
        return p
    }

    /// The projection as the picker writes it into `map_view`: bounds, size and padding.
    static func view(_ p: MapProjection) -> String {
        let b = p.bounds
        return [b.minLat, b.maxLat, b.minLng, b.maxLng].map { String(format: "%.7f", $0) }.joined(separator: ",")
            + ",\(Int(p.width)),\(Int(p.height)),\(Int(p.padding))"
    }

    static func projection(from view: String) -> MapProjection? {
        let parts = view.split(separator: ",").compactMap { Double($0) }
        guard parts.count == 7, parts.allSatisfy(\.isFinite), parts[0] < parts[1], parts[2] < parts[3],
            (50...1200).contains(parts[4]), (50...1200).contains(parts[5]), (0...100).contains(parts[6])
        else { return nil }
        return MapProjection(
            bounds: GeoBounds(minLat: parts[0], maxLat: parts[1], minLng: parts[2], maxLng: parts[3]),
            width: parts[4], height: parts[5], padding: parts[6])
    }

    /// The picker for an area the actor may see (a community, a grid, or a building's grid), with `picked` marked.
    /// Nil when nothing in the area has a place on the map.
    static func picker(
        _ services: AppServices, area node: Node, picked: GeoPoint? = nil, placedAt: String = "",
        words: (String) -> String
    ) async throws -> MapPicker? {
        let area = try await services.jurisdiction.mapArea(of: node)
        guard let projection = MapDrawing.projection(for: area) else { return nil }
        let view = view(projection)
        var src = "/nodes/\(area.node.id)/map.svg?view=" + view
        if let picked { src += "&mark=" + String(format: "%.6f,%.6f", picked.lat, picked.lng) }
        var zoom: [MapPicker.Zoom] = []
        if area.node.kind.isCommunityLevel {
            zoom = area.grids.sorted { $0.node.id < $1.node.id }.map {
                MapPicker.Zoom(id: $0.node.id, label: $0.node.name)
            }
        } else if let community = area.node.communityID, community != area.node.id {
            zoom = [MapPicker.Zoom(id: community, label: words("map_zoom_out"))]
        }
        let tiles = services.config.mapTiles
        let leaflet = tiles != nil && services.config.leafletDirectory != nil
        return MapPicker(
            area: area.node.id, src: src, width: Int(projection.width), height: Int(projection.height), view: view,
            alt: words("map_picker_alt").replacingOccurrences(of: "{0}", with: area.node.name), picked: picked != nil,
            pickedLabel: placedAt,
            lat: picked.map { String(format: "%.6f", $0.lat) } ?? "",
            lng: picked.map { String(format: "%.6f", $0.lng) } ?? "",
            zoom: zoom, hasZoom: !zoom.isEmpty, leaflet: leaflet, tiles: leaflet ? tiles!.urlTemplate : "",
            attribution: leaflet ? tiles!.attribution : "", datum: tiles?.gcj02 == true ? "gcj02" : "wgs84",
            shapes: leaflet ? shapesJSON(area, gcj02: tiles!.gcj02, picked: picked) : "")
    }

    /// The area's grids and buildings as compact JSON for the Leaflet map, in the tiles' datum.
    static func shapesJSON(_ area: MapArea, gcj02: Bool, picked: GeoPoint?) -> String {
        func show(_ p: GeoPoint) -> String {
            let q = gcj02 ? ChinaCoordinates.toGCJ02(p) : p
            return String(format: "[%.6f,%.6f]", q.lat, q.lng)
        }
        let grids = area.grids.compactMap { g in
            g.boundary.map { b in
                "[" + b.polygons.map { "[" + $0.outer.map(show).joined(separator: ",") + "]" }.joined(separator: ",")
                    + "]"
            }
        }
        let buildings = area.buildings.map { show($0.point) }
        return #"{"grids":["# + grids.joined(separator: ",") + #"],"buildings":["# + buildings.joined(separator: ",")
            + "]" + (picked.map { #","picked":"# + show($0) } ?? "") + "}"
    }
}
