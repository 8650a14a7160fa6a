import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The account steps' routes: the page and the API call the same `perform`, with the version as the optimistic lock.
@Suite struct UserRoutesTests {
    func bearer(_ fixture: WebFixture, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4))
            .createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    @Test func theAPIAnswersWithTheVersionAndRefusesAStaleOne() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var admin = try await bearer(fixture, "admin")
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let shown = try await client.execute(uri: "/api/v1/users/\(target.id)", method: .get, headers: admin)
            #expect(shown.status == .ok)
            let etag = try #require(shown.headers[.eTag])
            // when
            admin[.ifMatch] = etag
            let done = try await client.execute(
                uri: "/api/v1/users/\(target.id)/require-password-change", method: .post, headers: admin)
            let stale = try await client.execute(
                uri: "/api/v1/users/\(target.id)/disable", method: .post, headers: admin)
            // then
            #expect(done.status == .ok)
            #expect(done.headers[.eTag] != etag)
            #expect(String(buffer: done.body).contains("\"mustChangePassword\":true"))
            #expect(stale.status == .conflict)
            #expect(try await AccountStore(db: fixture.db).user(target.id)?.disabledAt == nil)
        }
    }

    @Test func anAccountOfAnotherCommunityIsNotFoundOnPageAndAPI() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let worker = try await bearer(fixture, "worker")
            let other = try #require(try await AccountStore(db: fixture.db).user(username: "otherworker"))
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when
            let page = try await browser.get("/admin/users/\(other.id)").0
            let api = try await client.execute(uri: "/api/v1/users/\(other.id)", method: .get, headers: worker)
            let step = try await client.execute(
                uri: "/api/v1/users/\(other.id)/disable", method: .post, headers: worker)
            let list = try await client.execute(uri: "/api/v1/users", method: .get, headers: worker)
            // then
            #expect(page.status == .notFound)
            #expect(api.status == .notFound)
            #expect(step.status == .notFound)
            #expect(list.status == .ok)
            #expect(!String(buffer: list.body).contains("otherworker"))
            #expect(String(buffer: list.body).contains("gridworker"))
        }
    }

    @Test func aGrantFromThePageLandsAndAPeersPageHasNoResetButton() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let (_, html) = try await worker.get("/admin/users/\(target.id)")
            #expect(html.contains("/admin/users/\(target.id)/reset-password"))
            // when
            let (granted, _) = try await worker.post(
                "/admin/users/\(target.id)/grant",
                form: [
                    "_csrf": Browser.csrf(in: html), "role": "buildingHead", "node": "\(fixture.tree.buildings[0].id)",
                    "version": "1",
                ])
            // then
            #expect(granted.status == .seeOther)
            #expect(
                try await AccountStore(db: fixture.db).grants(of: target.id).map(\.role) == [
                    .gridWorker, .buildingHead,
                ])
            // A second worker of the same community is a peer: no reset, no disable form for them.
            let peer = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "peer", displayName: "peer", password: WebFixture.password, role: .communityWorker,
                nodeID: fixture.tree.community.id)
            let (_, peerPage) = try await worker.get("/admin/users/\(peer.id)")
            #expect(!peerPage.contains("/admin/users/\(peer.id)/reset-password"))
            #expect(peerPage.contains("/admin/users/\(peer.id)/disable"))
        }
    }
}
