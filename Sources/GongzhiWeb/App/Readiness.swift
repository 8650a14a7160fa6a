import GongzhiStore
import Hummingbird
import NIOCore
import Synchronization

/// Whether this instance can serve: `/readyz` answers 200 when `SELECT 1` through the app's `Database` comes back
/// within `timeout`, and 503 otherwise, so a reverse proxy or an orchestrator takes the instance out while its database
/// cannot be reached and puts it back when it can. `/healthz` stays the liveness check and touches nothing.
enum Readiness {
    /// Well under the connection pool's own request timeout (10 s), so a probe never waits for the pool to give up.
    static let timeout: Duration = .seconds(2)

    /// True when the database answered `SELECT 1` within `timeout`. A probe that is still waiting when the time is up
    /// (a connection attempt to a host that does not answer) is cancelled and left to end on its own.
    static func databaseAnswers(_ db: Database, within timeout: Duration = timeout) async -> Bool {
        await withCheckedContinuation { continuation in
            let race = Race(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                race.finish(false)
            }
            Task {
                let answered = (try? await db.ping()) != nil
                race.finish(answered)
                timer.cancel()
            }
        }
    }

    static func response(_ db: Database, within timeout: Duration = timeout) async -> Response {
        let ready = await databaseAnswers(db, within: timeout)
        return Response(
            status: ready ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unreachable\n")))
    }

    /// The first of the probe and the timer to finish answers; the other finds nothing left to resume.
    final class Race: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, Never>?>
        init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }
        func finish(_ answer: Bool) { continuation.withLock { $0.take() }?.resume(returning: answer) }
    }
}
