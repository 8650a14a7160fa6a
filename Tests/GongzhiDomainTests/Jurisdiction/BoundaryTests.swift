import Foundation
import GongzhiDomain
import Testing

@Suite struct BoundaryTests {
    /// A square 0.01° wide around (22.53, 113.93) with a square hole in its middle.
    static let withHole = """
        {"type":"Polygon","coordinates":[
          [[113.925,22.525],[113.935,22.525],[113.935,22.535],[113.925,22.535],[113.925,22.525]],
          [[113.929,22.529],[113.931,22.529],[113.931,22.531],[113.929,22.531],[113.929,22.529]]]}
        """

    @Test func pointInPolygonHonoursHoles() throws {
        // given
        let b = try Boundary.parse(Self.withHole)
        // then
        #expect(b.contains(GeoPoint(lat: 22.527, lng: 113.927)))
        #expect(!b.contains(GeoPoint(lat: 22.530, lng: 113.930)))  // in the hole
        #expect(!b.contains(GeoPoint(lat: 22.540, lng: 113.930)))  // outside
        #expect(b.bounds == GeoBounds(minLat: 22.525, maxLat: 22.535, minLng: 113.925, maxLng: 113.935))
    }

    @Test func concavePolygonAndMultiPolygon() throws {
        // given: an L shape and a second square far away
        let text = """
            {"type":"MultiPolygon","coordinates":[
              [[[0,0],[2,0],[2,1],[1,1],[1,2],[0,2],[0,0]]],
              [[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}
            """
        let b = try Boundary.parse(text)
        // then
        #expect(b.contains(GeoPoint(lat: 0.5, lng: 1.5)))
        #expect(b.contains(GeoPoint(lat: 1.5, lng: 0.5)))
        #expect(!b.contains(GeoPoint(lat: 1.5, lng: 1.5)))  // the notch of the L
        #expect(b.contains(GeoPoint(lat: 10.5, lng: 10.5)))
        #expect(!b.contains(GeoPoint(lat: 5, lng: 5)))
    }

    @Test func geoJSONRoundTrips() throws {
        let b = try Boundary.parse(Self.withHole)
        #expect(try Boundary.parse(b.geoJSON) == b)
        #expect(b.geoJSON.hasPrefix(#"{"type":"Polygon","coordinates":[[[113.925,22.525],"#))
    }

    @Test(arguments: [
        ("not json", "boundary_not_json"),
        (#"{"type":"Point","coordinates":[113.9,22.5]}"#, "boundary_type_unsupported"),
        (
            #"{"type":"Polygon","coordinates":[[[113.9,22.5],[114,22.5],[114,22.6],[113.9,22.6]]]}"#,
            "boundary_ring_not_closed"
        ),
        (#"{"type":"Polygon","coordinates":[[[113.9,22.5],[114,22.5],[113.9,22.5]]]}"#, "boundary_ring_too_short"),
        // latitude first: 113 is no latitude
        (
            #"{"type":"Polygon","coordinates":[[[22.5,113.9],[22.5,114],[22.6,114],[22.5,113.9]]]}"#,
            "boundary_out_of_range"
        ),
        (
            #"{"type":"Polygon","coordinates":[[[113.9,22.5],[114,22.5],[114.1,22.5],[113.9,22.5]]]}"#,
            "boundary_ring_flat"
        ),
        (
            #"{"type":"Polygon","coordinates":[[[113.9,true],[114,22.5],[114,22.6],[113.9,true]]]}"#,
            "boundary_position_invalid"
        ),
        (#"{"type":"Polygon","coordinates":[]}"#, "boundary_empty"),
    ])
    func invalidGeometriesAreRefusedWithTheirReason(text: String, key: String) {
        #expect(throws: DomainError.invalid(key, field: "geojson", args: Self.args(key))) {
            try Boundary.parse(text)
        }
    }

    static func args(_ key: String) -> [String] {
        switch key {
        case "boundary_type_unsupported": ["Point"]
        case "boundary_out_of_range": ["22.5", "113.9"]
        default: []
        }
    }

    @Test func featureCollectionReportsEachFeature() throws {
        // given: a good feature by code, a clearing one by id, one naming nothing, one with an open ring
        let text = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"code":"G1"},"geometry":\(Self.withHole)},
              {"type":"Feature","properties":{"id":42},"geometry":null},
              {"type":"Feature","properties":{"name":"x"},"geometry":\(Self.withHole)},
              {"type":"Feature","properties":{"id":"7"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}
            """
        // when
        let features = try BoundaryCollection.parse(text)
        // then
        #expect(features.map(\.ref) == ["G1", "42", "x", "7"])
        #expect(try features[0].geometry.get() != nil)
        #expect(try features[1].geometry.get() == nil)
        #expect(features[2].geometry == .failure(DomainError.invalid("boundary_feature_unnamed", field: "geojson")))
        #expect(features[3].geometry == .failure(DomainError.invalid("boundary_ring_not_closed", field: "geojson")))
        #expect(throws: DomainError.invalid("boundary_not_collection", field: "geojson")) {
            try BoundaryCollection.parse(Self.withHole)
        }
    }

    @Test func exportParsesBackWithItsProperties() throws {
        let b = try Boundary.parse(Self.withHole)
        let text = BoundaryCollection.format([
            .init(id: 9, code: nil, name: "第\"1\"网格", path: "南山区 › 第1网格", boundary: b)
        ])
        let features = try BoundaryCollection.parse(text)
        #expect(features.count == 1)
        #expect(features[0].id == 9)
        #expect(features[0].name == "第\"1\"网格")
        #expect(try features[0].geometry.get() == b)
        #expect(JSONValue.parse(text)?["features"] != nil)
    }
}

@Suite struct MapProjectionTests {
    static let bounds = GeoBounds(minLat: 22.52, maxLat: 22.54, minLng: 113.92, maxLng: 113.95)

    @Test func pixelAndPointAreInverse() {
        let p = MapProjection(bounds: Self.bounds, width: 340, height: 300)
        for point in [GeoPoint(lat: 22.52, lng: 113.92), GeoPoint(lat: 22.531, lng: 113.944)] {
            let (x, y) = p.pixel(point)
            let back = p.point(x: x, y: y)
            #expect(abs(back.lat - point.lat) < 1e-12)
            #expect(abs(back.lng - point.lng) < 1e-12)
        }
    }

    @Test func areaIsFittedCentredAndNorthUp() {
        let p = MapProjection(bounds: Self.bounds, width: 340, height: 300, padding: 10)
        let sw = p.pixel(GeoPoint(lat: 22.52, lng: 113.92)), ne = p.pixel(GeoPoint(lat: 22.54, lng: 113.95))
        // the wider side (longitude, shrunk by cos 22.53°) fills the width inside the padding
        #expect(abs(sw.x - 10) < 1e-9)
        #expect(abs(ne.x - 330) < 1e-9)
        #expect(ne.y < sw.y)
        #expect(abs((sw.y + ne.y) / 2 - 150) < 1e-9)
        // equirectangular with cos(latitude): 0.03° of longitude is 0.03·cos(22.53°)/0.02 times 0.02° of latitude
        let ratio = (ne.x - sw.x) / (sw.y - ne.y)
        #expect(abs(ratio - 0.03 * cos(22.53 * .pi / 180) / 0.02) < 1e-9)
    }

    @Test func aSinglePointStillMakesAMap() {
        let here = GeoPoint(lat: 22.53, lng: 113.93)
        let p = MapProjection(bounds: GeoBounds([here])!, width: 200, height: 200)
        let (x, y) = p.pixel(here)
        #expect(abs(x - 100) < 1e-9 && abs(y - 100) < 1e-9)
        #expect(p.metresPerPixel > 0 && p.metresPerPixel < 1)
    }

    @Test func heightFollowsTheAreaShape() {
        #expect(MapProjection.height(for: Self.bounds, width: 340, minHeight: 200, maxHeight: 480) == 245)
        let tall = GeoBounds(minLat: 22.0, maxLat: 23.0, minLng: 113.9, maxLng: 113.91)
        #expect(MapProjection.height(for: tall, width: 340, minHeight: 200, maxHeight: 480) == 480)
    }
}

@Suite struct ChinaCoordinatesTests {
    /// Published pairs (WGS 84 → GCJ-02) from eviltransform's and coordtransform's tests.
    static let pairs: [(GeoPoint, GeoPoint)] = [
        (GeoPoint(lat: 22.543847, lng: 113.912316), GeoPoint(lat: 22.540796131694766, lng: 113.9171764808363)),
        (GeoPoint(lat: 31.1774276, lng: 121.5272106), GeoPoint(lat: 31.17530398364597, lng: 121.531541859215)),
        (GeoPoint(lat: 39.911954, lng: 116.377817), GeoPoint(lat: 39.91334545536069, lng: 116.38404722455657)),
        (GeoPoint(lat: 39.915, lng: 116.404), GeoPoint(lat: 39.91640428150164, lng: 116.41024449916938)),
    ]

    @Test func knownPairs() {
        for (wgs, gcj) in Self.pairs {
            let got = ChinaCoordinates.toGCJ02(wgs)
            #expect(abs(got.lat - gcj.lat) < 1e-9, "\(wgs)")
            #expect(abs(got.lng - gcj.lng) < 1e-9, "\(wgs)")
        }
    }

    @Test func roundTripIsWithinAMetreInsideChina() {
        var worst = 0.0
        for lat in stride(from: 18.5, through: 53.0, by: 2.3) {
            for lng in stride(from: 74.0, through: 134.0, by: 3.7) {
                let p = GeoPoint(lat: lat, lng: lng)
                worst = max(worst, ChinaCoordinates.toWGS84(ChinaCoordinates.toGCJ02(p)).distance(to: p))
            }
        }
        #expect(worst < 1)
        // and the offset itself is real: hundreds of metres in Shenzhen
        let (wgs, gcj) = Self.pairs[0]
        #expect(wgs.distance(to: gcj) > 300)
    }

    @Test func identityOutsideChina() {
        for p in [GeoPoint(lat: 51.5, lng: -0.12), GeoPoint(lat: -33.9, lng: 151.2), GeoPoint(lat: 35.68, lng: 139.9)] {
            #expect(ChinaCoordinates.toGCJ02(p) == p)
            #expect(ChinaCoordinates.toWGS84(p) == p)
        }
    }
}
