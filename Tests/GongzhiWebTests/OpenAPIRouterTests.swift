import Foundation
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document and the router agree in both directions: every JSON route the modules register is
/// described, and every described operation is served.
@Suite struct OpenAPIRouterTests {
    @Test func theDocumentDescribesExactlyTheRoutesServed() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let db = fixture.db
            let services = AppServices(
                db: db, config: WebConfig(secret: String(repeating: "s", count: 40)), views: try await Views.load())
            let served = Set(
                buildRouter(services).routes.map { "\($0.method.rawValue) \($0.path.description)" }
                    .filter { $0.contains(" /api/v1/") && !$0.hasSuffix("/openapi.json") }
                    .map { $0.replacingOccurrences(of: " /api/v1", with: " ") })
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            let doc = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            // when
            var described = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    // OpenAPI names parameters {id}; so does the router's description.
                    described.insert("\(method.uppercased()) \(path)".replacingOccurrences(of: " //", with: " /"))
                }
            }
            let normalised = Set(served.map { $0.replacingOccurrences(of: " //", with: " /") })
            // then
            #expect(
                normalised.count > 30 && described.count > 30,
                "\(normalised.count) served, \(described.count) described")
            #expect(normalised.subtracting(described).sorted() == [], "served but not described")
            #expect(described.subtracting(normalised).sorted() == [], "described but not served")
        }
    }
}
