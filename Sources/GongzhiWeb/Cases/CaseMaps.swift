import Foundation
import GongzhiDomain
import GongzhiStore

/// The maps of the case pages, drawn by the server: the small map of one case's place, and the maps of many cases,
/// which draw one dot per case up to `dotLimit` and above it one circle per grid or community, sized by its count,
/// so a district's map stays a few kilobytes.
enum CaseMaps {
    /// Above this many cases a map counts them by area instead of drawing each one.
    static let dotLimit = 300
    /// Counting by grid draws at most this many circles; beyond it, cases are counted by community.
    static let maxGridCircles = 150

    /// Public pages never show where exactly a reporter stood: points are rounded to 0.001° (about 110 m by 100 m
    /// in Shenzhen) — or, for one case at a building, replaced by the building's own point — and drawn as a wide,
    /// pale circle.
    static func coarse(_ p: GeoPoint) -> GeoPoint {
        GeoPoint(lat: (p.lat * 1000).rounded() / 1000, lng: (p.lng * 1000).rounded() / 1000)
    }

    /// The map of one case: its grid (or its place's area) with the point marked.
    static func figure(
        _ services: AppServices, place: Node, point: GeoPoint, coarse: Bool, label: String
    ) async throws -> MapPicture? {
        let area = try await services.jurisdiction.mapArea(of: place)
        // In public, a case at a building is shown at the building (already named on the page), never at the point
        // its reporter gave; elsewhere the point is rounded.
        let shown =
            !coarse ? point : area.buildings.first { $0.node.id == place.id }?.point ?? Self.coarse(point)
        guard let projection = MapDrawing.projection(for: area, extra: [shown]) else { return nil }
        var picture = MapDrawing.picture(
            area, projection, marks: [shown], highlight: area.node.kind == .grid ? area.node.id : nil, label: label,
            coarse: coarse)
        // Of the buildings only the case's own is named, so the point reads at a glance.
        let named = area.buildings.count <= MapDrawing.maxLabelledBuildings ? nil : place.name
        if !coarse, let named, place.kind == .building {
            for b in area.buildings where b.node.id == place.id {
                let (x, y) = projection.pixel(b.point)
                picture.labels.append(
                    MapPicture.Label(x: MapDrawing.px(x), y: MapDrawing.px(y - 5), text: named, small: true))
            }
        }
        if coarse {
            // Buildings stay unnamed on public pages: the place's name is on the page, its neighbours are not.
            picture.labels.removeAll { $0.small }
            picture.buildings = picture.buildings.map { MapPicture.Dot(x: $0.x, y: $0.y, title: "") }
        }
        return picture
    }

    /// What one case on a many-case map is drawn as.
    struct Item {
        var point: GeoPoint
        var group: Int64
        var href: String
        var title: String
        var kind: String
    }

    /// Many cases on one map: dots up to `dotLimit`, else counted circles per group (`names` label them,
    /// `groupHref` links them). Returns the picture and whether it was aggregated.
    static func picture(
        _ items: [Item], names: [Int64: String], groupHref: (Int64) -> String?, width: Double = 800,
        height: Double = 560, label: String
    ) -> (MapPicture, Bool) {
        guard let bounds = GeoBounds(items.map(\.point)) else {
            return (MapPicture(width: Int(width), height: Int(height), label: label), false)
        }
        let p = MapProjection(bounds: bounds.padded(0.03, minimum: 0.0005), width: width, height: height, padding: 20)
        var picture = MapPicture(width: Int(width), height: Int(height), label: label)
        if items.count <= dotLimit {
            picture.points = items.map { item in
                let (x, y) = p.pixel(item.point)
                return MapPicture.Point(
                    x: MapDrawing.px(x), y: MapDrawing.px(y), href: item.href, title: item.title, kind: item.kind)
            }
            return (picture, false)
        }
        let groups = Dictionary(grouping: items, by: \.group)
        let largest = Double(groups.values.map(\.count).max() ?? 1)
        picture.counts = groups.sorted { $0.value.count > $1.value.count }.map { id, members in
            let centre = GeoPoint(
                lat: members.map(\.point.lat).reduce(0, +) / Double(members.count),
                lng: members.map(\.point.lng).reduce(0, +) / Double(members.count))
            let (x, y) = p.pixel(centre)
            let href = groupHref(id)
            return MapPicture.Count(
                x: MapDrawing.px(x), y: MapDrawing.px(y),
                r: MapDrawing.px(8 + 22 * (Double(members.count) / largest).squareRoot()), count: members.count,
                title: "\(names[id] ?? "") \(members.count)", href: href ?? "", hasHref: href != nil)
        }
        return (picture, true)
    }

    /// The state a dot shows.
    static func kind(_ c: CaseMapPoint, now: Date) -> String {
        let overdue = c.resolveBy.map { $0 < now } ?? false
        return overdue ? "overdue" : c.escalationLevel > 0 ? "escalated" : c.status == .submitted ? "new" : "open"
    }
}
