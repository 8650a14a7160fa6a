import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import GongzhiWeb

/// Grid boundaries on the tree page and in the API, the server-drawn map picker, the maps on case pages and the
/// aggregated maps (issue 10).
@Suite struct MapTests {
    static func box(_ minLng: Double, _ minLat: Double, _ maxLng: Double, _ maxLat: Double) -> Boundary {
        let ring = [(minLng, minLat), (maxLng, minLat), (maxLng, maxLat), (minLng, maxLat), (minLng, minLat)].map {
            GeoPoint(lat: $0.1, lng: $0.0)
        }
        return Boundary(polygons: [GeoPolygon(outer: ring)])
    }

    /// Buildings 1 and 2 in grid1 (west of 113.9305), 3 and 4 in grid2 (east of it); with `boundaries`, both grids
    /// get their rectangle.
    static func placed(_ fixture: WebFixture, boundaries: Bool) async throws {
        let points: [(Double, Double)] = [
            (22.5400, 113.9300), (22.5420, 113.9290), (22.5400, 113.9320), (22.5420, 113.9330),
        ]
        try await fixture.db.transaction { sql in
            for (building, p) in zip(fixture.tree.buildings, points) {
                try await sql.raw(
                    "UPDATE nodes SET latitude = \(bind: p.0), longitude = \(bind: p.1) WHERE id = \(bind: building.id)"
                ).run()
            }
        }
        guard boundaries else { return }
        let c = JurisdictionCommands(db: fixture.db)
        try await c.perform(.root, fixture.tree.grid1.id, .setBoundary(box(113.9280, 22.5390, 113.9305, 22.5430)))
        try await c.perform(.root, fixture.tree.grid2.id, .setBoundary(box(113.9305, 22.5390, 113.9340, 22.5430)))
    }

    /// A page fetched without signing in.
    static func fetch(_ client: any TestClientProtocol, _ uri: String) async throws -> (TestResponse, String) {
        var browser = Browser(client: client)
        return try await browser.get(uri)
    }

    /// The value of the input named `name` (its attributes in any order).
    static func value(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\"") else { return nil }
        let start = html[..<range.lowerBound].lastIndex(of: "<") ?? range.lowerBound
        let tag = html[start...].prefix { $0 != ">" }
        guard let v = tag.range(of: "value=\"") else { return nil }
        return String(tag[v.upperBound...].prefix { $0 != "\"" })
    }

    @Test(arguments: [false, true])
    func open311PointIsPlacedInTheGridWhoseBoundaryHoldsIt(boundaries: Bool) async throws {
        try await WebFixture.run { fixture, client in
            // given: a point 60 m from building 1 (grid1) and 140 m from building 3, but east of the grid line
            try await Self.placed(fixture, boundaries: boundaries)
            let resident = try await fixture.signUpWang()
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
            let (_, key) = try await AccountCommands(db: fixture.db).createToken(actor, name: "open311")
            let category = try await CaseSetup(db: fixture.db).createCategory(
                .root, nodeID: fixture.tree.district.id, parentID: nil, name: "路灯照明")
            // when
            let created = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string: "api_key=\(key)&service_code=\(category.id)&lat=22.5400&long=113.9306&description=x"))
            // then: with boundaries, grid2's nearest building; without, the nearest building anywhere
            #expect(created.status == .created)
            let placed = try #require(try await CaseStore(db: fixture.db).all().first)
            #expect(placed.nodeID == fixture.tree.buildings[boundaries ? 2 : 0].id)
        }
    }

    @Test func staffFormTapPicksTheNearestBuildingAndKeepsWhatWasTyped() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await Self.placed(fixture, boundaries: true)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, page) = try await browser.get("/cases/new")
            #expect(page.contains(#"<input type="image" name="map""#))
            let view = try #require(Self.value("map_view", in: page))
            let area = try #require(Self.value("map_area", in: page))
            #expect(area == "\(fixture.tree.community.id)")
            let projection = try #require(MapPick.projection(from: view))
            #expect(page.contains(#"width="\#(Int(projection.width))" height="\#(Int(projection.height))""#))
            // the image the picker shows is drawn with that very projection
            let src = try #require(page.range(of: #"src="/nodes/\#(area)/map.svg?view="#))
            #expect(src.isEmpty == false)
            // when: a tap (integer pixels, as browsers send them) two pixels off building 4
            let (x, y) = projection.pixel(GeoPoint(lat: 22.5420, lng: 113.9330))
            let (status, html) = try await browser.post(
                "/cases",
                form: [
                    "_csrf": Browser.csrf(in: page), "title": "井盖松动", "description": "车一过就响",
                    "map.x": "\(Int(x.rounded()) + 2)", "map.y": "\(Int(y.rounded()))", "map_view": view,
                    "map_area": area, "place": "\(fixture.tree.community.id)",
                    "idempotency_key": Self.value("idempotency_key", in: page) ?? "k",
                ])
            // then: the form again, nothing filed, building 4 chosen, the point kept and marked
            #expect(status.status == .ok)
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
            #expect(html.contains(#"<option value="\#(fixture.tree.buildings[3].id)" selected>"#))
            #expect(html.contains("井盖松动") && html.contains("车一过就响"))
            let lat = try #require(Double(Self.value("lat", in: html) ?? ""))
            #expect(abs(lat - 22.5420) < 0.0001)
            #expect(html.contains("&amp;mark=") || html.contains("&mark="))
            // when the form is sent: filed at building 4 with the point
            let (sent, _) = try await browser.post(
                "/cases",
                form: [
                    "_csrf": Browser.csrf(in: html), "title": "井盖松动", "description": "车一过就响",
                    "place": "\(fixture.tree.buildings[3].id)", "lat": Self.value("lat", in: html) ?? "",
                    "long": Self.value("long", in: html) ?? "", "idempotency_key": "k2",
                ])
            #expect(sent.status == .found || sent.status == .seeOther)
            let filed = try #require(try await CaseStore(db: fixture.db).all().first)
            #expect(filed.nodeID == fixture.tree.buildings[3].id)
            #expect(abs((filed.latitude ?? 0) - 22.5420) < 0.0001)
        }
    }

    @Test func aPointAloneOnTheWebIsPlacedByTheSameRule() async throws {
        try await WebFixture.run { fixture, client in
            // given
            try await Self.placed(fixture, boundaries: true)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when: "use my location" filled the point; no place was chosen
            let (status, _) = try await browser.post(
                "/cases",
                form: [
                    "title": "路灯不亮", "description": "整晚不亮", "lat": "22.5400", "long": "113.9312",
                    "idempotency_key": "p1",
                ], csrfFrom: "/cases/new")
            // then
            #expect(status.status == .found || status.status == .seeOther)
            #expect(try await CaseStore(db: fixture.db).all().first?.nodeID == fixture.tree.buildings[2].id)
        }
    }

    @Test func decodeReadsTheTapOrTheLocationAndConvertsGCJ() {
        let p = MapProjection(
            bounds: GeoBounds(minLat: 22.53, maxLat: 22.55, minLng: 113.92, maxLng: 113.94), width: 340, height: 300,
            padding: 8)
        var form = Form(values: [:])
        form.values = ["map.x": ["170"], "map.y": ["150"], "map_view": [MapPick.view(p)]]
        let tapped = try? #require(MapPick.decode(form: form))
        #expect(tapped.map { abs($0.lat - 22.54) < 1e-6 && abs($0.lng - 113.93) < 1e-6 } == true)
        form.values = ["map_lat": ["22.540796131694766"], "map_lng": ["113.9171764808363"], "map_datum": ["gcj02"]]
        let back = MapPick.decode(form: form)
        #expect(back.map { $0.distance(to: GeoPoint(lat: 22.543847, lng: 113.912316)) < 0.5 } == true)
        form.values = ["map.x": ["9999"], "map.y": ["1"], "map_view": [MapPick.view(p)]]
        #expect(MapPick.decode(form: form) == nil)
    }

    @Test func mapImageIsSmallAndOnlyForThoseWhoMaySeeTheArea() async throws {
        try await WebFixture.run { fixture, client in
            try await Self.placed(fixture, boundaries: true)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (ok, svg) = try await worker.get("/nodes/\(fixture.tree.community.id)/map.svg")
            #expect(ok.status == .ok)
            #expect(ok.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(svg.hasPrefix("<svg") && svg.contains("<path d=\"M") && svg.contains("第一网格") && svg.contains("1栋"))
            #expect(svg.utf8.count < 50_000)
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get("/nodes/\(fixture.tree.community.id)/map.svg").0.status == .notFound)
            #expect(try await Self.fetch(client, "/nodes/\(fixture.tree.community.id)/map.svg").0.status != .ok)
        }
    }

    @Test func treePageImportsAndExportsBoundariesAllOrNothing() async throws {
        try await WebFixture.run { fixture, client in
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let node = "/nodes/\(fixture.tree.community.id)"
            let (_, page) = try await browser.get(node)
            #expect(page.contains("\(node)/boundaries.geojson") && page.contains("\(node)/boundaries?_csrf="))
            let good = Self.box(113.9280, 22.5390, 113.9305, 22.5430).geoJSON
            let bad = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"id":\(fixture.tree.grid1.id)},"geometry":\(good)},
                {"type":"Feature","properties":{"code":"无此网格"},"geometry":\(good)}]}
                """
            // when a feature is wrong: nothing is written and it is named beside the form
            let (refused, html) = try await browser.postFile(
                "\(node)/boundaries", form: ["_csrf": Browser.csrf(in: page)],
                file: (field: "file", name: "b.geojson", bytes: Array(bad.utf8)))
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains("无此网格") && html.contains("找不到该网格"))
            #expect(try await JurisdictionStore(db: fixture.db).boundaries(inside: "/").isEmpty)
            // when right
            let fixed = bad.replacingOccurrences(
                of: #"{"code":"无此网格"}"#, with: #"{"id":\#(fixture.tree.grid2.id)}"#)
            let (done, doneHTML) = try await browser.post(
                "\(node)/boundaries", form: ["geojson": fixed], csrfFrom: node)
            #expect(done.status == .ok)
            #expect(doneHTML.contains("已更新 2 个网格的边界"))
            let (export, text) = try await browser.get("\(node)/boundaries.geojson")
            #expect(export.headers[.contentType]?.hasPrefix("application/geo+json") == true)
            #expect(try BoundaryCollection.parse(text).map(\.id) == [fixture.tree.grid1.id, fixture.tree.grid2.id])
        }
    }

    @Test func apiGetsAndPutsABoundaryAndListsThemInside() async throws {
        try await WebFixture.run { fixture, client in
            let worker = try #require(try await AccountStore(db: fixture.db).user(username: "worker"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: worker.id))
            let (_, token) = try await AccountCommands(db: fixture.db).createToken(actor, name: "api")
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/geo+json"]
            let grid = fixture.tree.grid1.id
            let geometry = Self.box(113.9280, 22.5390, 113.9305, 22.5430).geoJSON
            // when
            let put = try await client.execute(
                uri: "/api/v1/nodes/\(grid)/boundary", method: .put, headers: auth,
                body: ByteBuffer(string: #"{"type":"Feature","properties":{},"geometry":\#(geometry)}"#))
            // then
            #expect(put.status == .ok)
            #expect(put.headers[.eTag] != nil)
            let got = try await client.execute(uri: "/api/v1/nodes/\(grid)/boundary", method: .get, headers: auth)
            #expect(String(buffer: got.body).contains(#""geometry":{"type":"Polygon""#))
            let list = try await client.execute(
                uri: "/api/v1/boundaries.geojson?inside=\(fixture.tree.community.id)", method: .get, headers: auth)
            #expect(try BoundaryCollection.parse(String(buffer: list.body)).map(\.id) == [grid])
            // an open ring is a 422 problem; a building has no boundary
            let open = try await client.execute(
                uri: "/api/v1/nodes/\(grid)/boundary", method: .put, headers: auth,
                body: ByteBuffer(
                    string: #"{"type":"Polygon","coordinates":[[[113.9,22.5],[114,22.5],[114,22.6],[113.95,22.6]]]}"#))
            #expect(open.status == .unprocessableContent)
            #expect(String(buffer: open.body).contains("boundary_ring_not_closed"))
            let building = try await client.execute(
                uri: "/api/v1/nodes/\(fixture.tree.buildings[0].id)/boundary", method: .put, headers: auth,
                body: ByteBuffer(string: geometry))
            #expect(building.status == .unprocessableContent)
            // null clears it
            let cleared = try await client.execute(
                uri: "/api/v1/nodes/\(grid)/boundary", method: .put, headers: auth,
                body: ByteBuffer(string: #"{"type":"Feature","properties":{},"geometry":null}"#))
            #expect(cleared.status == .ok && String(buffer: cleared.body).contains(#""geometry":null"#))
        }
    }

    @Test func casePageShowsThePointAndThePublicPageOnlyRoughly() async throws {
        try await WebFixture.run { fixture, client in
            // given: two public cases at one building, 30 m apart
            try await Self.placed(fixture, boundaries: true)
            let wang = try await fixture.signUpWang()
            let resident = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            var numbers: [String] = []
            var ids: [Int64] = []
            for (lat, lng) in [(22.54012, 113.93011), (22.54038, 113.93019)] {
                let c = try await CaseCommands(db: fixture.db).submit(
                    resident,
                    CaseSubmission(
                        title: "路灯不亮", description: "门口", nodeID: fixture.tree.buildings[0].id, isPublic: true,
                        latitude: lat, longitude: lng))
                numbers.append(c.number)
                ids.append(c.id)
            }
            // when
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, staffPage) = try await browser.get("/cases/\(ids[0])")
            let (_, first) = try await Self.fetch(client, "/reports/\(numbers[0])")
            let (_, second) = try await Self.fetch(client, "/reports/\(numbers[1])")
            // then: staff see the exact mark; the public see the same rough circle, at the building, for both
            #expect(staffPage.contains(#"class="map-svg""#) && staffPage.contains(#"r="7""#))
            func svg(_ html: String) -> Substring? {
                guard let start = html.range(of: "<svg"), let end = html.range(of: "</svg>") else { return nil }
                return html[start.lowerBound..<end.upperBound]
            }
            let a = try #require(svg(first)), b = try #require(svg(second))
            #expect(a.contains(#"r="14""#))
            #expect(a == b)
            #expect(!a.contains("1栋"))
            #expect(CaseMaps.coarse(GeoPoint(lat: 22.54012, lng: 113.93011)) == GeoPoint(lat: 22.540, lng: 113.930))
        }
    }

    @Test func districtMapCountsByAreaAndStaysUnder50KB() async throws {
        try await withTestDatabase { db in
            // given: a district of 12 communities, 96 grids and 1,200 open cases with points
            let (district, places) = try await db.command(.commandLine, clock: .system) { tx in
                let tree = try JurisdictionBulk(tx)
                let cases = try CaseBulk(tx)
                let district = try await tree.addNode(.district, name: "南山区", code: "440305", under: nil)
                let sub = try await tree.addNode(.subdistrict, name: "南头街道", code: "440305001", under: district)
                var places: [Node] = []
                for c in 0..<12 {
                    let community = try await tree.addNode(.community, name: "第\(c)社区", under: sub)
                    for g in 0..<8 {
                        let grid = try await tree.addNode(.grid, name: "第\(g)网格", under: community)
                        let lat = 22.50 + Double(c) * 0.004, lng = 113.90 + Double(g) * 0.0005
                        let building = try await tree.addNode(
                            .building, name: "\(c)-\(g)栋", under: grid, latitude: lat, longitude: lng)
                        places.append(building)
                    }
                }
                for i in 0..<1200 {
                    let place = places[i % places.count]
                    var seed = CaseSeed(
                        kind: .event, channel: .patrol, status: .submitted, title: "占道经营\(i)", description: "x",
                        categoryID: nil, place: place, createdAt: Date(),
                        events: [.init(action: "submit", from: nil, to: .submitted, at: Date())])
                    seed.latitude = 22.50 + Double(i % 12) * 0.004 + Double(i % 7) * 0.0001
                    seed.longitude = 113.90 + Double(i % 8) * 0.0005
                    seed.isPublic = i % 2 == 0
                    _ = try await cases.add(seed)
                }
                return (district, places)
            }
            #expect(places.count == 96)
            let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
            _ = try await accounts.createUser(
                .root, username: "district", displayName: "区", password: WebFixture.password, role: .districtAdmin,
                nodeID: district.id)
            let services = AppServices(
                db: db, config: WebConfig(secret: String(repeating: "s", count: 40), secureCookies: false),
                views: try await Views.load())
            let app = Application(router: buildRouter(services))
            try await app.test(.router) { client in
                var browser = Browser(client: client)
                _ = try await browser.logIn("district", WebFixture.password)
                // when
                let (response, html) = try await browser.get("/cases/map")
                // then: counted circles, no dot per case, and a small page
                #expect(response.status == .ok)
                #expect(html.contains("件数较多"))
                #expect(!html.contains("占道经营1199"))
                #expect(html.components(separatedBy: "<circle").count - 1 == 96)
                #expect(html.utf8.count < 50_000, "\(html.utf8.count) bytes")
                let (reports, publicHTML) = try await Self.fetch(client, "/reports")
                #expect(reports.status == .ok)
                #expect(publicHTML.contains("件数较多"))
                #expect(publicHTML.utf8.count < 50_000, "\(publicHTML.utf8.count) bytes")
            }
        }
    }

    @Test func leafletIsServedAndUsedOnlyWhenInstalledAndConfigured() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leaflet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("window.L = {};".utf8).write(to: dir.appendingPathComponent("leaflet.js"))
        try Data(".leaflet-container{}".utf8).write(to: dir.appendingPathComponent("leaflet.css"))
        defer { try? FileManager.default.removeItem(at: dir) }
        try await WebFixture.run(configure: {
            $0.leafletDirectory = dir.path
            $0.mapTiles = MapTiles(
                urlTemplate: "https://{s}.tiles.example.cn/{z}/{x}/{y}.png", attribution: "示例", gcj02: true)
        }) { fixture, client in
            try await Self.placed(fixture, boundaries: true)
            let (js, body) = try await Self.fetch(client, "/assets/leaflet/leaflet.js")
            #expect(js.status == .ok && body == "window.L = {};")
            #expect(try await Self.fetch(client, "/assets/leaflet/other.js").0.status == .notFound)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (page, html) = try await browser.get("/cases/new")
            #expect(html.contains(#"data-datum="gcj02""#) && html.contains("/assets/leaflet/leaflet.js"))
            #expect(
                page.headers[.contentSecurityPolicy]?.contains("img-src 'self' data: https://*.tiles.example.cn")
                    == true)
            // the shapes are given in GCJ-02: building 1's WGS 84 point does not appear, its GCJ-02 one does
            let gcj = ChinaCoordinates.toGCJ02(GeoPoint(lat: 22.54, lng: 113.93))
            #expect(html.contains(String(format: "[%.6f,%.6f]", gcj.lat, gcj.lng)))
        }
        // without a tile service, the same page has no Leaflet at all
        try await WebFixture.run(configure: { $0.leafletDirectory = dir.path }) { fixture, client in
            try await Self.placed(fixture, boundaries: true)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (_, html) = try await browser.get("/cases/new")
            #expect(!html.contains("/assets/leaflet/") && html.contains(#"<input type="image" name="map""#))
        }
    }
}
