import Foundation

/// WGS 84 ↔ GCJ-02, the offset coordinates most Chinese tile services draw in. Gongzhi stores WGS 84 and converts
/// only to show points on such tiles (and back for a pick made on them). These are the published formulas (as in
/// eviltransform); outside China, where GCJ-02 is not used, both directions leave a point as it is.
public enum ChinaCoordinates {
    static let a = 6_378_245.0
    static let ee = 0.006_693_421_622_965_943_23

    /// The rough box the formulas apply in.
    public static func isInChina(_ p: GeoPoint) -> Bool {
        (72.004...137.8347).contains(p.lng) && (0.8293...55.8271).contains(p.lat)
    }

    public static func toGCJ02(_ p: GeoPoint) -> GeoPoint {
        guard isInChina(p) else { return p }
        let d = delta(p)
        return GeoPoint(lat: p.lat + d.lat, lng: p.lng + d.lng)
    }

    /// The inverse, by fixed-point iteration (converges to well under a millimetre in a few steps).
    public static func toWGS84(_ g: GeoPoint) -> GeoPoint {
        guard isInChina(g) else { return g }
        var w = GeoPoint(lat: g.lat - delta(g).lat, lng: g.lng - delta(g).lng)
        for _ in 0..<10 {
            let back = toGCJ02(w)
            let (eLat, eLng) = (back.lat - g.lat, back.lng - g.lng)
            w = GeoPoint(lat: w.lat - eLat, lng: w.lng - eLng)
            if abs(eLat) < 1e-10, abs(eLng) < 1e-10 { break }
        }
        return w
    }

    static func delta(_ p: GeoPoint) -> (lat: Double, lng: Double) {
        let x = p.lng - 105, y = p.lat - 35
        var dLat = transformLat(x, y), dLng = transformLng(x, y)
        let radLat = p.lat / 180 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = sqrt(magic)
        dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLng = (dLng * 180) / (a / sqrtMagic * cos(radLat) * .pi)
        return (dLat, dLng)
    }

    static func transformLat(_ x: Double, _ y: Double) -> Double {
        var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
        r += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        r += (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        r += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        return r
    }

    static func transformLng(_ x: Double, _ y: Double) -> Double {
        var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
        r += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        r += (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        r += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        return r
    }
}
