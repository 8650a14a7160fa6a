import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GongzhiWeb

@Suite struct ReportMapPickTests {
    @Test func aResidentAnswersWhereByTappingTheMapWithoutJavaScript() async throws {
        try await WebFixture.run { fixture, client in
            // given: wang on the place question, buildings and grid boundaries on the map
            try await MapTests.placed(fixture, boundaries: true)
            _ = try await fixture.signUpWang()
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            _ = try await wang.post("/report/kind", form: ["category": "unsure"], csrfFrom: "/report/kind")
            let (_, page) = try await wang.get("/report/place")
            #expect(page.contains(#"<input type="image" name="map""#))
            let view = try #require(MapTests.value("map_view", in: page))
            let area = try #require(MapTests.value("map_area", in: page))
            let projection = try #require(MapPick.projection(from: view))
            // when: a tap beside building 2 (the form's own submit button is not pressed)
            let (x, y) = projection.pixel(GeoPoint(lat: 22.5420, lng: 113.9290))
            let (tapped, _) = try await wang.post(
                "/report/place",
                form: [
                    "_csrf": Browser.csrf(in: page), "map.x": "\(Int(x.rounded()))", "map.y": "\(Int(y.rounded()))",
                    "map_view": view, "map_area": area, "version": MapTests.value("version", in: page) ?? "",
                ])
            // then: the page comes back with building 2 chosen and the point marked, ready to go on
            #expect(tapped.status == .seeOther)
            let (_, again) = try await wang.get(tapped.headers[.location] ?? "/report/place")
            #expect(again.contains(#"value="\#(fixture.tree.buildings[1].id)" checked"#))
            #expect(again.contains("mark="))
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "wang"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let drafts = ReportDrafts(db: fixture.db, clock: .system, commands: CaseCommands(db: fixture.db))
            let draft = try #require(try await drafts.draft(for: actor))
            #expect(draft.nodeID == fixture.tree.buildings[1].id)
            #expect(abs((draft.latitude ?? 0) - 22.5420) < 0.0002)
            // a tap far outside every building and grid is refused beside the question
            let (far, farHTML) = try await wang.post(
                "/report/place",
                form: [
                    "_csrf": Browser.csrf(in: again), "map.x": "0", "map.y": "0", "map_view": view,
                    "map_area": area,
                ])
            #expect(far.status == .unprocessableContent || far.status == .seeOther)
            if far.status == .unprocessableContent { #expect(farHTML.contains("该位置附近没有楼栋或网格")) }
        }
    }
}
