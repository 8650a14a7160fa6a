import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct APITests {
    /// Creates a token for `username` through the store and returns the bearer header.
    func bearer(_ fixture: WebFixture, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    @Test func meAndChildrenWithABearerToken() async throws {
        try await WebFixture.run { fixture, client in
            let headers = try await bearer(fixture, "worker")
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: headers)
            #expect(me.status == .ok)
            #expect(String(buffer: me.body).contains("\"username\":\"worker\""))
            let children = try await client.execute(
                uri: "/api/v1/nodes/\(fixture.tree.community.id)/children", method: .get, headers: headers)
            #expect(children.status == .ok)
            let page =
                try JSONSerialization.jsonObject(with: Data(String(buffer: children.body).utf8)) as? [String: Any]
            #expect((page?["items"] as? [Any])?.count == 2)
        }
    }

    @Test func errorsAreProblemJSON() async throws {
        try await WebFixture.run { fixture, client in
            let headers = try await bearer(fixture, "gridworker")
            let response = try await client.execute(
                uri: "/api/v1/nodes", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"kind":"building","name":"x","parentId":\#(fixture.tree.grid1.id)}"#))
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(problem?["status"] as? Int == 403)
            #expect(problem?["code"] as? String == "forbidden")
            let invalid = try await client.execute(
                uri: "/api/v1/nodes", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"kind":"tower","name":"x","parentId":\#(fixture.tree.grid1.id)}"#))
            #expect(invalid.status == .unprocessableContent)
            #expect(String(buffer: invalid.body).contains("node_kind_unknown"))
        }
    }

    @Test func unauthenticatedAndRevokedTokensAreRefused() async throws {
        try await WebFixture.run { fixture, client in
            let none = try await client.execute(uri: "/api/v1/me", method: .get)
            #expect(none.status == .unauthorized)
            let bad = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer gz_nope"])
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func gridWorkerCannotGrantRolesButAdminCan() async throws {
        try await WebFixture.run { fixture, client in
            let grid = try await bearer(fixture, "gridworker")
            let target = try #require(try await AccountStore(db: fixture.db).user(username: "otherworker"))
            let body = ByteBuffer(string: #"{"role":"gridWorker","node":\#(fixture.tree.grid1.id)}"#)
            let refused = try await client.execute(
                uri: "/api/v1/users/\(target.id)/grant", method: .post, headers: grid, body: body)
            // A grid worker manages no accounts: every account lies outside their jurisdiction, as if missing.
            #expect(refused.status == .notFound)
            let admin = try await bearer(fixture, "admin")
            let granted = try await client.execute(
                uri: "/api/v1/users/\(target.id)/grant", method: .post, headers: admin, body: body)
            #expect(granted.status == .ok)
            let again = try await client.execute(
                uri: "/api/v1/users/\(target.id)/grant", method: .post, headers: admin, body: body)
            #expect(again.status == .conflict)
        }
    }

    @Test func openAPIDocumentListsEveryAPIRoute() async throws {
        try await WebFixture.run { _, client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let doc = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: Any])
            for path in [
                "/me", "/nodes", "/nodes/{id}", "/nodes/{id}/children", "/nodes/{id}/move", "/nodes/{id}/close",
                "/nodes/{id}/rename", "/nodes/{id}/split", "/nodes/{id}/merge", "/nodes/{id}/bodies",
                "/nodes/{id}/estates",
                "/nodes/{id}/rename_estate", "/nodes/{id}/estate", "/bodies/{id}", "/bodies/{id}/duties",
                "/bodies/{id}/rename", "/bodies/{id}/reorder", "/bodies/{id}/close", "/bodies/{id}/rename_duty",
                "/bodies/{id}/reorder_duty", "/bodies/{id}/close_duty",
                "/users", "/users/{id}", "/users/{id}/grant", "/users/{id}/revoke", "/tokens", "/tokens/{id}",
            ] {
                #expect(paths[path] != nil, "missing \(path)")
            }
        }
    }
}
