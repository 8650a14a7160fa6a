import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct PlacePickerTests {
    @Test func anAdministratorFindsABuildingByNameAndMakesABuildingHead() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let wang = try await fixture.signUpWang()
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            // when: searching the places for "3栋"
            let (page, html) = try await admin.get("/admin/users/\(wang.id)?place_q=3%E6%A0%8B")
            // then: the building is offered with its full path, and nothing that does not match
            #expect(page.status == .ok)
            let building = fixture.tree.buildings[2]
            #expect(html.contains(#"<option value="\#(building.id)">南头街道 › 同乐社区 › 第二网格 › 3栋</option>"#))
            #expect(!html.contains(">南头街道 › 同乐社区 › 第一网格 › 1栋<"))
            // when: granting the building head there
            let (granted, _) = try await admin.post(
                "/admin/users/\(wang.id)/grant",
                form: ["role": Role.buildingHead.rawValue, "node": "\(building.id)"],
                csrfFrom: "/admin/users/\(wang.id)")
            // then
            #expect(granted.status == .seeOther)
            let grants = try await AccountStore(db: fixture.db).grants(of: wang.id)
            #expect(grants.contains { $0.role == .buildingHead && $0.nodeID == building.id })
        }
    }

    @Test func withoutASearchTheListShowsPathsSoGridsCanBeToldApart() async throws {
        try await WebFixture.run { fixture, client in
            let wang = try await fixture.signUpWang()
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, html) = try await worker.get("/admin/users/\(wang.id)")
            #expect(html.contains(">南头街道 › 同乐社区 › 第一网格<"))
        }
    }
}
