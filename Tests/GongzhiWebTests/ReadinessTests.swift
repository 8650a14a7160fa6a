import Foundation
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import Testing

@testable import GongzhiWeb

/// `/readyz` asks the database, `/healthz` does not: a proxy takes out an instance whose database is away while the
/// process itself stays alive.
@Suite struct ReadinessTests {
    @Test func readyWhileTheDatabaseAnswersAndUnavailableOnceItIsGone() async throws {
        try await WebFixture.run { fixture, client in
            // given: a reachable database
            var browser = Browser(client: client)
            // The probe allows 2 s; the whole suite running in parallel can starve one probe of the blocking thread
            // pool that long, so a reachable database gets three tries (a gone one fails all three below).
            try await fixture.db.ping()
            var (ready, body) = try await browser.get("/readyz")
            for _ in 0..<2 where ready.status != .ok { (ready, body) = try await browser.get("/readyz") }
            #expect(ready.status == .ok)
            #expect(body == "ready\n")
            #expect(ready.headers[.cacheControl] == "no-store")
            // when: the database goes away
            await fixture.db.shutdown()
            // then: not ready, and still alive
            let (gone, goneBody) = try await browser.get("/readyz")
            #expect(gone.status == .serviceUnavailable)
            #expect(goneBody == "database unreachable\n")
            #expect(try await browser.get("/healthz").0.status == .ok)
        }
    }

    @Test func unavailableWhenPostgreSQLIsOnAClosedPort() async throws {
        // given: an instance configured for a PostgreSQL server that is not there (port 1 refuses connections)
        let db = try Database.open(url: "postgres://gongzhi@127.0.0.1:1/gongzhi", connectionsPerLoop: 1)
        let services = AppServices(
            db: db, config: WebConfig(secret: String(repeating: "s", count: 40), secureCookies: false),
            views: try await Views.load())
        let app = Application(router: buildRouter(services), logger: Logger(label: "gongzhi.test"))
        try await app.test(.router) { client in
            // when
            let started = ContinuousClock.now
            let response = try await client.execute(uri: "/readyz", method: .get)
            // then: 503 within the readiness timeout (plus slack for a busy machine), not the pool's 10 s
            #expect(response.status == .serviceUnavailable)
            #expect(ContinuousClock.now - started < Readiness.timeout + .seconds(3))
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        await db.shutdown()
    }

    @Test func aProbeThatDoesNotAnswerInTimeCountsAsUnavailable() async throws {
        try await withTestDatabase { test in
            // given: the same database behind a pool of one connection on one event loop, held by a slow reader
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let db = try Database.open(url: test.url, connectionsPerLoop: 1, eventLoopGroup: loop)
            // (generous limits where the machine's load decides, tight ones where the probe does)
            #expect(await Readiness.databaseAnswers(db, within: .seconds(30)))
            let held = Task { try await db.read { _ in try await Task.sleep(for: .seconds(8)) } }
            try await Task.sleep(for: .milliseconds(200))
            // when
            let started = ContinuousClock.now
            let answered = await Readiness.databaseAnswers(db, within: .milliseconds(300))
            // then: unavailable when the time is up, not when the pool frees up (eight seconds on)
            #expect(answered == false)
            #expect(ContinuousClock.now - started < .seconds(4))
            try await held.value
            #expect(await Readiness.databaseAnswers(db, within: .seconds(30)))
            await db.shutdown()
            try await loop.shutdownGracefully()
        }
    }
}
