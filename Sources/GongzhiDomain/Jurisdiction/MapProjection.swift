import Foundation

/// Lays an area of the earth onto a picture of fixed pixel size and back: equirectangular, with longitude shrunk by
/// cos(latitude) at the middle of the area so distances look right, the area centred and fitted inside `padding`.
/// The same value draws a map and decodes a tap on it (`<input type="image">` posts the tap's pixel), so a point
/// drawn at (x, y) comes back from `point(x:y:)` as the point it was drawn from.
public struct MapProjection: Sendable, Equatable {
    public let bounds: GeoBounds
    public let width: Double
    public let height: Double
    public let padding: Double
    let k: Double
    let scale: Double
    let offsetX: Double
    let offsetY: Double

    /// The smallest span drawn (about 100 m), so one building alone still makes a sensible map.
    public static let minimumSpan = 0.001

    public init(bounds raw: GeoBounds, width: Double, height: Double, padding: Double = 16) {
        var b = raw
        if b.maxLat - b.minLat < Self.minimumSpan {
            let c = (b.minLat + b.maxLat) / 2
            (b.minLat, b.maxLat) = (c - Self.minimumSpan / 2, c + Self.minimumSpan / 2)
        }
        if b.maxLng - b.minLng < Self.minimumSpan {
            let c = (b.minLng + b.maxLng) / 2
            (b.minLng, b.maxLng) = (c - Self.minimumSpan / 2, c + Self.minimumSpan / 2)
        }
        bounds = b
        self.width = width
        self.height = height
        self.padding = padding
        k = max(cos((b.minLat + b.maxLat) / 2 * .pi / 180), 0.01)
        let spanX = (b.maxLng - b.minLng) * k, spanY = b.maxLat - b.minLat
        scale = min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY)
        offsetX = (width - spanX * scale) / 2
        offsetY = (height - spanY * scale) / 2
    }

    /// A height for `width` that fits the area's shape, kept between `minHeight` and `maxHeight`.
    public static func height(for bounds: GeoBounds, width: Double, minHeight: Double, maxHeight: Double) -> Double {
        let k = max(cos((bounds.minLat + bounds.maxLat) / 2 * .pi / 180), 0.01)
        let spanX = max((bounds.maxLng - bounds.minLng) * k, minimumSpan * k)
        let spanY = max(bounds.maxLat - bounds.minLat, minimumSpan)
        return min(max((width * spanY / spanX).rounded(), minHeight), maxHeight)
    }

    /// Where a point is drawn, in pixels from the top left.
    public func pixel(_ p: GeoPoint) -> (x: Double, y: Double) {
        (offsetX + (p.lng - bounds.minLng) * k * scale, height - offsetY - (p.lat - bounds.minLat) * scale)
    }

    /// The point drawn at a pixel.
    public func point(x: Double, y: Double) -> GeoPoint {
        GeoPoint(lat: bounds.minLat + (height - offsetY - y) / scale, lng: bounds.minLng + (x - offsetX) / (k * scale))
    }

    /// Metres one pixel stands for (north-south), for choosing how far a tap may snap.
    public var metresPerPixel: Double { 111_320 / scale }

    /// Whether a pixel is on the picture.
    public func holds(x: Double, y: Double) -> Bool { (0...width).contains(x) && (0...height).contains(y) }
}
