import Foundation
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MetricsAccessTests {
    @Test func metricsAreHiddenWithoutAConfiguredToken() async throws {
        try await WebFixture.run { _, client in
            let response = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer anything"])
            #expect(response.status == .notFound)
        }
    }

    @Test func metricsNeedTheConfiguredBearerToken() async throws {
        let token = "metrics-token-0123456789abcdef"
        try await WebFixture.run(configure: { $0.metricsToken = token }) { _, client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"])
                    .status == .unauthorized)
            let ok = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(ok.status == .ok)
            #expect(ok.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }
}
