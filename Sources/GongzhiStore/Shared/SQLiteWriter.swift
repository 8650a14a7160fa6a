import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// The one connection that writes to a SQLite database, with group commit (issue 11).
///
/// Why a connection and a thread of its own: readers and the writer used to share the connection pool and the
/// blocking thread pool (two threads on two cores). Every statement of a transaction then queued behind the
/// readers' queries on those threads while the transaction held SQLite's write lock, so under a read load each
/// filing took the queue's length once per statement and writers, one at a time, fell to a few per second.
/// The writer's statements now run on their own thread and never wait behind a read.
///
/// Group commit: commands that arrive while another runs wait their turn, then run one after another inside the
/// same transaction, each in its own savepoint (`SAVEPOINT gz_command`). A body that throws rolls back to its
/// savepoint, so it leaves nothing and the others stay in. The last command of a batch commits, and every caller
/// of the batch is answered only after that one durable `COMMIT` (WAL with `synchronous = FULL`). A command that
/// finds nobody waiting commits at once, so there is no timer and no delay at light load; a batch ends after
/// `maxCommands` commands or once it has been open `maxOpen`, whichever comes first.
///
/// Bodies run in their callers' tasks (task-locals, such as `AuditLog.transactionKey`, reach them), one at a time
/// on the writer connection, so `AuditLog.append` reads the head that the previous command of the batch left and
/// the chain stays one chain. If SQLite rolls a whole transaction back by itself (a full disk, an I/O error: the
/// savepoint is then gone), the command that caused it gets its error and the other commands of the batch, whose
/// work was lost with it but never acknowledged, run again once in a new transaction.
final class SQLiteWriter: Sendable {
    /// Bounds on one batch.
    struct Limits: Sendable {
        var maxCommands = 64
        var maxOpen: Duration = .milliseconds(25)
    }

    private enum Outcome: Sendable {
        case committed
        case failed(any Error)
        /// The batch was rolled back by another command's failure: run the body again.
        case retry
    }

    private struct State {
        /// Someone holds the turn (runs a body or commits).
        var busy = false
        /// Commands waiting for the turn, first come first served.
        var queue: [CheckedContinuation<Void, Never>] = []
        /// Commands of the open batch that ran and wait for its commit.
        var batch: [CheckedContinuation<Outcome, Never>] = []
        /// When the open transaction began (nil: none open), and how many commands it holds.
        var openedAt: ContinuousClock.Instant?
        var members = 0
        var connection: SQLiteConnection?
        var closed = false
    }

    private let source: TunedSQLiteSource
    private let threadPool: NIOThreadPool
    private let ownsThreads: Bool
    private let eventLoop: any EventLoop
    private let logger: Logger
    let limits: Limits
    private let state = Mutex(State())
    /// How many batches committed and how many commands they held (benchmarks and tests).
    private let stats = Mutex<(batches: Int, commands: Int)>((0, 0))

    /// `sharedThreads` puts the writer's statements on the readers' blocking thread pool (only to measure what the
    /// thread of its own is worth: `GONGZHI_SQLITE_WRITER_THREAD=shared`).
    init(
        configuration: SQLiteConfiguration, eventLoop: any EventLoop, logger: Logger, limits: Limits = Limits(),
        sharedThreads: Bool = false
    ) {
        let threadPool = sharedThreads ? NIOThreadPool.singleton : NIOThreadPool(numberOfThreads: 1)
        if !sharedThreads { threadPool.start() }
        self.ownsThreads = !sharedThreads
        self.threadPool = threadPool
        self.source = TunedSQLiteSource(
            inner: SQLiteConnectionSource(configuration: configuration, threadPool: threadPool))
        self.eventLoop = eventLoop
        self.logger = logger
        self.limits = limits
    }

    /// Commands waiting for the turn (tests).
    var waiting: Int { state.withLock { $0.queue.count } }

    /// Batches committed so far and the commands in them.
    var committed: (batches: Int, commands: Int) { stats.withLock { $0 } }

    /// Runs `body` as one command of the current batch; returns once the batch's commit is durable.
    func run<R: Sendable>(
        key: AuditKey?, wrap: @Sendable (any SQLDatabase) -> any SQLDatabase,
        _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        var attempts = 0
        while true {
            attempts += 1
            await acquireTurn()
            let conn: SQLiteConnection
            do { conn = try await begin() } catch {
                releaseTurn()
                throw error
            }
            let raw = conn.sql()
            var result: Result<R, any Error> = .failure(TransactionLost())
            // The transaction is gone when a savepoint statement fails: SQLite rolled it back by itself.
            var lost = false
            do {
                try await raw.raw("SAVEPOINT gz_command").run()
                do {
                    let value = try await AuditLog.$transactionKey.withValue(key) { try await body(wrap(raw)) }
                    result = .success(value)
                } catch {
                    result = .failure(error)
                }
                switch result {
                case .success: try await raw.raw("RELEASE gz_command").run()
                case .failure:
                    try await raw.raw("ROLLBACK TO gz_command").run()
                    try await raw.raw("RELEASE gz_command").run()
                }
            } catch {
                lost = true
                if case .success = result { result = .failure(error) }
            }
            let outcome = await finish(conn, lost: lost)
            switch (result, outcome) {
            case (.failure(let error), _): throw error
            case (.success(let value), .committed): return value
            case (.success, .failed(let error)): throw error
            case (.success, .retry):
                if attempts >= 2 { throw TransactionLost() }
            }
        }
    }

    /// The command that holds the turn opens the connection (once) and the transaction (once per batch).
    private func begin() async throws -> SQLiteConnection {
        let (existing, open, closed) = state.withLock { ($0.connection, $0.openedAt != nil, $0.closed) }
        if closed { throw WriterClosed() }
        var conn: SQLiteConnection
        if let existing {
            conn = existing
        } else {
            conn = try await source.makeConnection(logger: logger, on: eventLoop).get()
            state.withLock { $0.connection = conn }
        }
        if !open {
            try await conn.sql().raw("BEGIN IMMEDIATE").run()
            state.withLock {
                $0.openedAt = .now
                $0.members = 0
            }
        }
        return conn
    }

    private enum Next {
        case handOff(CheckedContinuation<Void, Never>)
        case commit
    }

    /// After a command ran: hand the turn to the next waiting command inside the same batch, or commit the batch.
    private func finish(_ conn: SQLiteConnection, lost: Bool) async -> Outcome {
        let next = state.withLock { s -> Next in
            s.members += 1
            if !lost, !s.queue.isEmpty, s.members < limits.maxCommands, let opened = s.openedAt,
                ContinuousClock.now - opened < limits.maxOpen
            {
                return .handOff(s.queue.removeFirst())
            }
            return .commit
        }
        switch next {
        case .handOff(let waiter):
            // Joins the batch before passing the turn on, so the commit cannot happen before it waits for it.
            return await withCheckedContinuation { (done: CheckedContinuation<Outcome, Never>) in
                state.withLock { $0.batch.append(done) }
                waiter.resume()
            }
        case .commit:
            var outcome = Outcome.committed
            if lost {
                try? await conn.sql().raw("ROLLBACK").run()
                outcome = .retry
            } else {
                do { try await conn.sql().raw("COMMIT").run() } catch {
                    try? await conn.sql().raw("ROLLBACK").run()
                    outcome = .failed(error)
                }
            }
            let (waiters, members) = state.withLock { s in
                let waiters = s.batch
                s.batch = []
                s.openedAt = nil
                return (waiters, s.members)
            }
            if case .committed = outcome {
                stats.withLock {
                    $0.batches += 1
                    $0.commands += members
                }
            }
            for waiter in waiters { waiter.resume(returning: outcome) }
            releaseTurn()
            // The command that lost the transaction gets its own error from `run`; its outcome is not read.
            return outcome
        }
    }

    private func acquireTurn() async {
        let free = state.withLock { s in
            if s.busy { return false }
            s.busy = true
            return true
        }
        if free { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.busy {
                    s.queue.append(waiter)
                    return false
                }
                s.busy = true
                return true
            }
            if now { waiter.resume() }
        }
    }

    private func releaseTurn() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.queue.isEmpty {
                s.busy = false
                return nil
            }
            return s.queue.removeFirst()
        }
        next?.resume()
    }

    /// Closes the connection and stops the writer's thread; commands after this throw.
    func shutdown() async {
        await acquireTurn()
        let conn = state.withLock { s in
            s.closed = true
            let c = s.connection
            s.connection = nil
            return c
        }
        releaseTurn()
        if let conn { try? await conn.close().get() }
        if ownsThreads { try? await threadPool.shutdownGracefully() }
    }
}

/// The writer was shut down.
struct WriterClosed: Error, CustomStringConvertible {
    var description: String { "the database was closed" }
}

/// A command's batch was rolled back twice by other commands' failures; nothing of it was written.
public struct TransactionLost: Error, CustomStringConvertible {
    public var description: String { "the transaction was rolled back by the database; nothing was written" }
}
