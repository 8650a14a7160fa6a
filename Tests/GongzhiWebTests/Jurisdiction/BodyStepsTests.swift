import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Bodies and duty items renamed, reordered and closed, and buildings put into estates, from the pages and through
/// the API: one route and one input per step on each side.
@Suite struct BodyStepsTests {
    /// A workstation with two major items, the first holding one minor item.
    static func workstation(_ fixture: WebFixture) async throws -> (body: Body, majors: [DutyItem], minor: DutyItem) {
        let c = JurisdictionCommands(db: fixture.db)
        let body = try #require(
            try await c.perform(.root, fixture.tree.community.id, .createBody(kind: .workstation, name: "工作站")).body)
        let a = try #require(try await c.perform(.root, body: body.id, .addDuty(parentID: nil, title: "党建")).item)
        let minor = try #require(try await c.perform(.root, body: body.id, .addDuty(parentID: a.id, title: "学习")).item)
        let b = try #require(try await c.perform(.root, body: body.id, .addDuty(parentID: nil, title: "服务")).item)
        return (body, [a, b], minor)
    }

    static func bearer(_ fixture: WebFixture, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    @Test func theBodyPageRenamesReordersAndClosesItemsAndTheBody() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (body, majors, minor) = try await Self.workstation(fixture)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let page = "/bodies/\(body.id)"
            let (shown, html) = try await browser.get(page)
            #expect(shown.status == .ok && html.contains("/rename_duty") && html.contains("/close_duty"))
            // when
            var statuses: [HTTPResponse.Status] = []
            for (step, form) in [
                ("rename_duty", ["item": "\(minor.id)", "title": "理论学习"]),
                ("reorder_duty", ["item": "\(majors[1].id)", "position": "1"]),
                ("rename", ["name": "同乐社区工作站"]),
            ] {
                statuses.append(try await browser.post("\(page)/\(step)", form: form, csrfFrom: page).0.status)
            }
            // then
            #expect(statuses == [.seeOther, .seeOther, .seeOther])
            let store = JurisdictionStore(db: fixture.db)
            let duties = try await store.duties(of: body.id)
            #expect(duties.map(\.major.title) == ["服务", "党建"])
            #expect(duties[1].minors.map(\.title) == ["理论学习"])
            #expect(try await store.body(body.id)?.name == "同乐社区工作站")
            // A major item with an open minor item stays, with the reason beside the list.
            let (refused, refusedHTML) = try await browser.post(
                "\(page)/close_duty", form: ["item": "\(majors[0].id)"], csrfFrom: page)
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("1 项小项"))
            let (closed, _) = try await browser.post("\(page)/close", form: [:], csrfFrom: page)
            #expect(closed.status == .seeOther)
            #expect(try await store.bodies(of: fixture.tree.community.id).isEmpty)
        }
    }

    @Test func aGridWorkerSeesTheBodyWithoutItsFormsAndIsRefused() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (body, majors, _) = try await Self.workstation(fixture)
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            let page = "/bodies/\(body.id)"
            // when
            let (shown, html) = try await browser.get(page)
            let (refused, _) = try await browser.post(
                "\(page)/close_duty", form: ["item": "\(majors[1].id)"], csrfFrom: page)
            // then
            #expect(shown.status == .ok && html.contains("服务") && !html.contains("/close_duty"))
            #expect(refused.status == .forbidden)
            #expect(try await JurisdictionStore(db: fixture.db).duties(of: body.id).count == 2)
        }
    }

    @Test func aBuildingIsPutIntoAnEstateFromItsPage() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let c = JurisdictionCommands(db: fixture.db)
            let estate = try #require(
                try await c.perform(.root, fixture.tree.community.id, .createEstate(name: "桃源居")).estate)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let building = fixture.tree.buildings[0]
            let page = "/nodes/\(building.id)"
            let (_, html) = try await browser.get(page)
            #expect(html.contains("/nodes/\(building.id)/estate") && html.contains("桃源居"))
            // when
            let (response, _) = try await browser.post(
                "\(page)/estate", form: ["estate": "\(estate.id)"], csrfFrom: page)
            // then
            #expect(response.status == .seeOther)
            #expect(try await JurisdictionStore(db: fixture.db).node(building.id)?.estateID == estate.id)
            let (_, after) = try await browser.get(page)
            #expect(after.contains("<option value=\"\(estate.id)\" selected>"))
        }
    }

    @Test func theAPITakesTheSameStepsWithTheVersionAsIfMatch() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let (body, majors, _) = try await Self.workstation(fixture)
            let headers = try await Self.bearer(fixture, "worker")
            let version = try #require(try await JurisdictionStore(db: fixture.db).body(body.id)).version
            var stale = headers
            stale[.ifMatch] = "\"\(version - 1)\""
            var current = headers
            current[.ifMatch] = "\"\(version)\""
            let rename = ByteBuffer(string: #"{"item":\#(majors[0].id),"title":"基层党建"}"#)
            // when
            let refused = try await client.execute(
                uri: "/api/v1/bodies/\(body.id)/rename_duty", method: .post, headers: stale, body: rename)
            let renamed = try await client.execute(
                uri: "/api/v1/bodies/\(body.id)/rename_duty", method: .post, headers: current, body: rename)
            let reordered = try await client.execute(
                uri: "/api/v1/bodies/\(body.id)/reorder", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"position":1}"#))
            let added = try await client.execute(
                uri: "/api/v1/bodies/\(body.id)/duties", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"title":"安全"}"#))
            // then
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("body_changed_meanwhile"))
            #expect(renamed.status == .ok && renamed.headers[.eTag] == "\"\(version + 1)\"")
            #expect(String(buffer: renamed.body).contains("基层党建"))
            #expect(reordered.status == .ok)
            #expect(added.status == .created)
            let titles = try await JurisdictionStore(db: fixture.db).duties(of: body.id).map(\.major.title)
            #expect(titles == ["基层党建", "服务", "安全"])
        }
    }

    @Test func theAPIPutsABuildingIntoAnEstateAndAnOutsiderGetsNotFound() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let headers = try await Self.bearer(fixture, "worker")
            let created = try await client.execute(
                uri: "/api/v1/nodes/\(fixture.tree.community.id)/estates", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"name":"桃源居"}"#))
            #expect(created.status == .created)
            let estate = try #require(
                try await JurisdictionStore(db: fixture.db).estates(of: fixture.tree.community.id).first)
            let building = fixture.tree.buildings[1]
            let other = try await Self.bearer(fixture, "otherworker")
            // when
            let outsider = try await client.execute(
                uri: "/api/v1/nodes/\(building.id)/estate", method: .post, headers: other, body: ByteBuffer(string: "{")
            )
            let assigned = try await client.execute(
                uri: "/api/v1/nodes/\(building.id)/estate", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"estate":\#(estate.id)}"#))
            // then
            #expect(outsider.status == .notFound)
            #expect(assigned.status == .ok)
            #expect(try await JurisdictionStore(db: fixture.db).node(building.id)?.estateID == estate.id)
        }
    }
}
