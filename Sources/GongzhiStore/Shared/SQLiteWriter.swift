import AsyncKit
import Foundation
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
/// The writer's statements now run on their own thread and never wait behind a read, and the bodies' Swift code
/// between statements runs on a second thread of the writer's (`WriterExecutor`, a task executor preference) instead
/// of queueing behind the readers' jobs on the shared concurrency pool.
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
        /// A checkpoint (`RESTART`) after this many commands; see `checkpoint()`.
        var checkpointEvery = 500
        /// A checkpoint, too, once the WAL file outgrows this, whatever the number of commands: a few large
        /// commands (a bulk load, the big demo's batches of 5,000 cases) would otherwise grow it without end. Above
        /// `journal_size_limit` (64 MB), to which a checkpointed WAL is cut back, so it does not fire again at once.
        var checkpointAtWALBytes: Int64 = 96 << 20
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
        /// Commands (and checkpoints) waiting for the turn, first come first served.
        var queue: [Waiter] = []
        /// Commands of the open batch that ran and wait for its commit.
        var batch: [CheckedContinuation<Outcome, Never>] = []
        /// When the open transaction began (nil: none open), and how many commands it holds.
        var openedAt: ContinuousClock.Instant?
        var members = 0
        var connection: SQLiteConnection?
        var closed = false
        /// Commands committed since the last checkpoint, and whether one is queued.
        var sinceCheckpoint = 0
        var checkpointQueued = false
        var limits = Limits()
    }

    private struct Waiter {
        let turn: CheckedContinuation<Void, Never>
        /// A command may join the open batch; a checkpoint waits for it to commit.
        let command: Bool
    }

    private let source: TunedSQLiteSource
    private let threadPool: NIOThreadPool
    private let ownsThreads: Bool
    private let eventLoop: any EventLoop
    /// The writer's own event loop: its thread runs the bodies (see `WriterExecutor`); nil when shared (benchmarks).
    private let loopGroup: MultiThreadedEventLoopGroup?
    private let executor: WriterExecutor?
    private let logger: Logger
    /// The WAL file of a database on disk (nil in memory), whose size is looked at after each commit.
    private let walPath: String?
    /// Checkpoints that finished (tests).
    private let checkpoints = Mutex(0)
    var checkpointsDone: Int { checkpoints.withLock { $0 } }
    /// The batch bounds; tests may change them (`limits = …`).
    var limits: Limits {
        get { state.withLock { $0.limits } }
        set { state.withLock { $0.limits = newValue } }
    }
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
        if sharedThreads {
            self.loopGroup = nil
            self.executor = nil
            self.eventLoop = eventLoop
        } else {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            self.loopGroup = group
            self.eventLoop = group.next()
            self.executor = WriterExecutor(loop: self.eventLoop)
        }
        self.logger = logger
        if case .file(let path) = configuration.storage { walPath = path + "-wal" } else { walPath = nil }
        self.state.withLock { $0.limits = limits }
    }

    /// Commands waiting for the turn (tests).
    var waiting: Int { state.withLock { $0.queue.count } }

    /// Batches committed so far and the commands in them.
    var committed: (batches: Int, commands: Int) { stats.withLock { $0 } }

    /// Runs `body` as one command of the current batch; returns once the batch's commit is durable.
    /// `alone`: see `aloneTurn`.
    func run<R: Sendable>(
        key: AuditKey?, alone: Bool = false, wrap: @Sendable (any SQLDatabase) -> any SQLDatabase,
        _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        guard let executor else {
            return try await alone ? aloneTurn(key: key, wrap: wrap, body) : turn(key: key, wrap: wrap, body)
        }
        return try await withTaskExecutorPreference(executor) {
            try await alone ? aloneTurn(key: key, wrap: wrap, body) : turn(key: key, wrap: wrap, body)
        }
    }

    /// A bulk command (an import of a whole file, a migration) in a transaction of its own, without the batch's
    /// savepoint. Inside a savepoint SQLite keeps a copy of every page each statement changes in the sub-journal
    /// until the savepoint is released: a temporary file of 3 GB at two million people, written page by page
    /// (issue 12). Alone, the command needs no savepoint (a failure rolls the whole transaction back) and each
    /// statement's copies are dropped when it ends. (Keeping them in memory, `temp_store = MEMORY`, measured the same
    /// at 200,000 people and would hold a migration's whole-table statement in memory.) It waits for the open batch
    /// to commit and commits before the next batch begins; commands arriving meanwhile wait.
    private func aloneTurn<R: Sendable>(
        key: AuditKey?, wrap: @Sendable (any SQLDatabase) -> any SQLDatabase,
        _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        await acquireTurn(command: false)
        let conn: SQLiteConnection
        do { conn = try await begin() } catch {
            releaseTurn()
            throw error
        }
        let raw = conn.sql()
        let value: R
        do {
            value = try await AuditLog.$transactionKey.withValue(key) { try await body(wrap(raw)) }
        } catch {
            try? await raw.raw("ROLLBACK").run()
            state.withLock { $0.openedAt = nil }
            releaseTurn()
            throw error
        }
        let outcome = await finish(conn, lost: false, alone: true)
        switch outcome {
        case .committed: return value
        case .failed(let error): throw error
        case .retry: throw TransactionLost()
        }
    }

    private func turn<R: Sendable>(
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
        let conn = try await connection()
        if state.withLock({ $0.openedAt == nil }) {
            try await conn.sql().raw("BEGIN IMMEDIATE").run()
            state.withLock {
                $0.openedAt = .now
                $0.members = 0
            }
        }
        return conn
    }

    /// The writer's connection, opened by the first command that holds the turn.
    private func connection() async throws -> SQLiteConnection {
        let (existing, closed) = state.withLock { ($0.connection, $0.closed) }
        if closed { throw WriterClosed() }
        if let existing { return existing }
        let conn = try await source.makeConnection(logger: logger, on: eventLoop).get()
        // The writer checkpoints on its own schedule (`checkpoint()`), not after every commit.
        try await conn.sql().raw("PRAGMA wal_autocheckpoint = 0").run()
        try await conn.sql().raw("PRAGMA journal_size_limit = 67108864").run()
        state.withLock { $0.connection = conn }
        return conn
    }

    private enum Next {
        case handOff(CheckedContinuation<Void, Never>)
        case commit
    }

    /// After a command ran: hand the turn to the next waiting command inside the same batch, or commit the batch.
    private func finish(_ conn: SQLiteConnection, lost: Bool, alone: Bool = false) async -> Outcome {
        let next = state.withLock { s -> Next in
            s.members += 1
            if !lost, !alone, s.queue.first?.command == true, s.members < s.limits.maxCommands, let opened = s.openedAt,
                ContinuousClock.now - opened < s.limits.maxOpen
            {
                return .handOff(s.queue.removeFirst().turn)
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
            var walBytes: Int64 = 0
            if case .committed = outcome, let walPath {
                let size = (try? FileManager.default.attributesOfItem(atPath: walPath))?[.size] as? NSNumber
                walBytes = size?.int64Value ?? 0
            }
            let (waiters, members, checkpointDue) = state.withLock { s in
                let waiters = s.batch
                s.batch = []
                s.openedAt = nil
                if case .committed = outcome { s.sinceCheckpoint += s.members }
                let due =
                    (s.sinceCheckpoint >= s.limits.checkpointEvery || walBytes > s.limits.checkpointAtWALBytes)
                    && !s.checkpointQueued
                if due { s.checkpointQueued = true }
                return (waiters, s.members, due)
            }
            if checkpointDue { Task { await self.checkpoint() } }
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

    /// Checkpoints the WAL into the database file and makes the next commit start it from the beginning again.
    ///
    /// SQLite's own automatic checkpoint (a `PASSIVE` one after any commit that leaves more than 1000 pages in the
    /// WAL) never finishes while readers overlap without a gap, as under a steady read load: each commit then copied
    /// pages again and the WAL grew without end (91 MB in 30 s of the mixed benchmark, issue 11). A `RESTART`
    /// checkpoint waits for the readers that still use old frames, briefly (readers that start meanwhile read
    /// the database file, so they do not hold it up), then the WAL is reused from its start. It takes the turn like
    /// a command, so it never runs inside a batch; a checkpoint that cannot finish in time is tried again later.
    func checkpoint() async {
        await acquireTurn(command: false)
        defer { releaseTurn() }
        guard let conn = state.withLock({ $0.closed ? nil : $0.connection }) else { return }
        let sql = conn.sql()
        do {
            try await sql.raw("PRAGMA busy_timeout = 250").run()
            let row = try await sql.raw("PRAGMA wal_checkpoint(RESTART)").first()
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
            let busy = try row?.decode(column: "busy", as: Int.self) ?? 1
            state.withLock { s in
                s.checkpointQueued = false
                if busy == 0 { s.sinceCheckpoint = 0 }
            }
            if busy == 0 { checkpoints.withLock { $0 += 1 } }
        } catch {
            try? await sql.raw("PRAGMA busy_timeout = 10000").run()
            state.withLock { $0.checkpointQueued = false }
            logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
        }
    }

    private func acquireTurn(command: Bool = true) async {
        let free = state.withLock { s in
            if s.busy { return false }
            s.busy = true
            return true
        }
        if free { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.busy {
                    s.queue.append(Waiter(turn: waiter, command: command))
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
            return s.queue.removeFirst().turn
        }
        next?.resume()
    }

    /// Closes the connection and stops the writer's thread; commands after this throw.
    func shutdown() async {
        await acquireTurn(command: false)
        let conn = state.withLock { s in
            s.closed = true
            let c = s.connection
            s.connection = nil
            return c
        }
        releaseTurn()
        if let conn { try? await conn.close().get() }
        if ownsThreads { try? await threadPool.shutdownGracefully() }
        try? await loopGroup?.shutdownGracefully()
    }
}

/// Runs the jobs of the tasks that prefer it on one event loop's thread, in order.
final class WriterExecutor: TaskExecutor {
    let loop: any EventLoop
    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
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
