import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import GongzhiWeb

/// An error as a database driver might throw it: its reflection holds the statement and its bind values.
struct LeakyDatabaseError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    var description: String { "LeakyDatabaseError: statement failed" }
    var debugDescription: String {
        "LeakyDatabaseError(query: INSERT INTO residents VALUES ($1), binds: [\"13800138000\"])"
    }
}

@Suite struct LogPrivacyTests {
    @Test func requestLinesHoldMethodPathStatusAndDurationButNoQuery() async throws {
        let capture = LogCapture()
        try await WebFixture.run(logger: capture.logger) { _, client in
            // when
            let response = try await client.execute(
                uri: "/healthz?api_key=gz_SECRET123&q=%E7%8E%8B%E5%B0%8F%E6%98%8E", method: .get)
            #expect(response.status == .ok)
            // then
            let lines = capture.all
            #expect(
                !lines.contains {
                    $0.contains("SECRET123") || $0.contains("api_key") || $0.contains("%E7%8E%8B") || $0.contains("王")
                })
            let line = try #require(lines.first { $0.contains("path=/healthz") })
            #expect(line.contains("method=GET"))
            #expect(line.contains("status=200"))
            #expect(line.contains("duration_ms="))
        }
    }

    @Test func oneLinePerRequestWithoutQueryWhateverTheAnswer() async throws {
        let capture = LogCapture()
        try await WebFixture.run(logger: capture.logger) { _, client in
            // when: an answer, a missing page, a page that asks to sign in, and a refused API call
            for (uri, status) in [
                ("/healthz?q=%E7%8E%8B", 200), ("/no-such-page?q=13800138000", 404), ("/home?q=13800138000", 303),
                ("/api/v1/cases?q=13800138000", 401),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(Int(response.status.code) == status, "\(uri)")
            }
            // then: one request line each, with its status, none with the query
            let lines = capture.all.filter { $0.hasPrefix("request ") }
            #expect(lines.count == 4)
            for (path, status) in [("/healthz", 200), ("/no-such-page", 404), ("/home", 303), ("/api/v1/cases", 401)] {
                #expect(lines.filter { $0.contains("path=\(path) ") && $0.contains("status=\(status)") }.count == 1)
            }
            #expect(
                !capture.all.contains { $0.contains("13800138000") || $0.contains("%E7%8E%8B") || $0.contains("q=") })
        }
    }

    @Test func durationsAndPathsAreWrittenWithoutFoundationFormatting() {
        #expect(RequestLogMiddleware.milliseconds(.zero) == "0.0")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(1_234)) == "1.2")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(1_250)) == "1.3")
        #expect(RequestLogMiddleware.milliseconds(.seconds(2) + .microseconds(49)) == "2000.0")
        #expect(RequestLogMiddleware.milliseconds(.milliseconds(-5)) == "0.0")
        #expect(RequestLogMiddleware.loggable("/cases/12") == "/cases/12")
        #expect(RequestLogMiddleware.loggable("/a\nb") == "/a%0Ab")
        #expect(RequestLogMiddleware.loggable("/王") == "/%738B")
        #expect(RequestLogMiddleware.loggable("/" + String(repeating: "x", count: 300)).count == 200)
    }

    @Test func errorLinesNameTheErrorWithoutItsSQLOrBindValues() async throws {
        try await withTestDatabase { db in
            let capture = LogCapture()
            let router = Router(context: AppRequestContext.self)
            router.add(
                middleware: ErrorMiddleware(views: try await Views.load(), db: db, clock: .system, format: .problem))
            router.get("/fail") { _, _ -> Response in throw LeakyDatabaseError() }
            let app = Application(router: router, logger: capture.logger)
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/fail", method: .get)
                #expect(response.status == .internalServerError)
            }
            let lines = capture.all
            #expect(!lines.contains { $0.contains("13800138000") || $0.contains("INSERT") })
            #expect(lines.contains { $0.contains("LeakyDatabaseError") && $0.contains("request failed") })
        }
    }
}
