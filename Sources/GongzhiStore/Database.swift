import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// The one database a Gongzhi process talks to, SQLite or PostgreSQL, chosen by URL at start-up.
/// Stores call `read` for queries and `transaction` for every change.
public final class Database: Sendable {
    public enum Backend: String, Sendable { case sqlite, postgres }

    public let backend: Backend
    public let url: String
    /// Readers (SQLite), or every connection (PostgreSQL).
    let pool: any SQLConnectionPool
    /// SQLite: the one writer connection, on its own thread, with group commit (see `SQLiteWriter`).
    let writer: SQLiteWriter?
    /// The key of the audit chain, derived from the server secret and set once at start-up (`useAuditSecret`) by
    /// `serve`, `migrate` and every other command-line tool, and by the tests' `withTestDatabase`. It lives here
    /// rather than in each command's parameters because every command already holds the `Database`: its
    /// `transaction` hands the key to `AuditLog.append` (see `AuditLog.transactionKey`), so no caller passes it.
    private let auditKeyStore = Mutex<AuditKey?>(nil)
    /// The seal for personal data, derived from the same server secret and set with it (`useServerSecret`).
    private let personalDataStore = Mutex<PersonalDataBox?>(nil)
    /// Reads and transactions under way, and whether the database is shutting down: `shutdown` closes the
    /// connections only after the last one ended, so no statement ever runs on a connection being closed (a
    /// readiness probe given up on, or a request still answering while the server stops).
    private let activity = Mutex<(running: Int, closing: Bool)>((0, false))
    /// When set, every statement sent through `read` and `transaction` is counted (tests and benchmarks).
    public let counter: QueryCounter?
    /// When set (GONGZHI_SLOW_STATEMENT_MS), statements slower than its threshold are logged with their SQL text.
    let slowLog: SlowStatementLog?

    init(
        backend: Backend, url: String, pool: any SQLConnectionPool, writer: SQLiteWriter? = nil,
        counter: QueryCounter? = nil, slowLog: SlowStatementLog? = nil
    ) {
        self.backend = backend
        self.url = url
        self.pool = pool
        self.writer = writer
        self.counter = counter
        self.slowLog = slowLog
    }

    /// The same database, with its statements counted by `counter`.
    public func counting(_ counter: QueryCounter) -> Database {
        let db = Database(backend: backend, url: url, pool: pool, writer: writer, counter: counter, slowLog: slowLog)
        let key = auditKey
        db.auditKeyStore.withLock { $0 = key }
        let box = personalDataBox
        db.personalDataStore.withLock { $0 = box }
        return db
    }

    func connection(_ sql: any SQLDatabase) -> any SQLDatabase {
        let timed: any SQLDatabase = slowLog.map { TimedSQLDatabase(base: sql, log: $0) } ?? sql
        return counter.map { CountingSQLDatabase(base: timed, counter: $0) } ?? timed
    }

    /// Opens `sqlite:///path/to/file`, `sqlite::memory:`, or `postgres://user:pass@host:port/db`.
    public static func open(
        url: String, logger: Logger = Logger(label: "gongzhi.store"), connectionsPerLoop: Int = 4,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, requestTimeoutSeconds: Int64 = 10
    ) throws -> Database {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw DatabaseURLError(url: url) }
            if path != ":memory:" {
                let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            }
            // One storage value for readers and writer: `.memory` names a new temporary file each time it is made.
            let storage: SQLiteConfiguration.Storage = path == ":memory:" ? .memory : .file(path: path)
            let configuration = SQLiteConfiguration(storage: storage)
            // Readers get a thread for each of their connections, so a short query (a token, a node) runs beside a
            // long one (a case list) instead of queueing behind it on the two shared blocking threads (issue 11).
            // GONGZHI_SQLITE_READER_THREADS overrides the count (benchmarks).
            let loops = eventLoopGroup.makeIterator().reduce(0) { n, _ in n + 1 }
            let threads =
                ProcessInfo.processInfo.environment["GONGZHI_SQLITE_READER_THREADS"].flatMap(Int.init)
                ?? connectionsPerLoop * loops
            let readerThreads = NIOThreadPool(numberOfThreads: max(1, threads))
            readerThreads.start()
            let source = TunedSQLiteSource(
                inner: SQLiteConnectionSource(configuration: configuration, threadPool: readerThreads))
            let pool = EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: connectionsPerLoop,
                requestTimeout: .seconds(requestTimeoutSeconds), pruneInterval: nil,
                logger: logger, on: eventLoopGroup)
            // Two knobs for benchmarks only (BENCHMARKS.md): GONGZHI_SQLITE_BATCH=1 turns group commit off,
            // GONGZHI_SQLITE_WRITER_THREAD=shared runs the writer on the readers' threads.
            let env = ProcessInfo.processInfo.environment
            var limits = SQLiteWriter.Limits()
            if let n = env["GONGZHI_SQLITE_BATCH"].flatMap(Int.init), n > 0 { limits.maxCommands = n }
            let writer = SQLiteWriter(
                configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger, limits: limits,
                sharedThreads: env["GONGZHI_SQLITE_WRITER_THREAD"] == "shared")
            return Database(
                backend: .sqlite, url: url, pool: PooledSQLite(pool: pool, threads: readerThreads), writer: writer,
                slowLog: SlowStatementLog.fromEnvironment(env, logger: logger))
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let config: SQLPostgresConfiguration
            do { config = try SQLPostgresConfiguration(url: url) } catch { throw DatabaseURLError(url: url) }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: config),
                maxConnectionsPerEventLoop: connectionsPerLoop, requestTimeout: .seconds(requestTimeoutSeconds),
                pruneInterval: nil, logger: logger,
                on: eventLoopGroup)
            return Database(
                backend: .postgres, url: url, pool: PooledPostgres(pool: pool),
                slowLog: SlowStatementLog.fromEnvironment(ProcessInfo.processInfo.environment, logger: logger))
        }
        throw DatabaseURLError(url: url)
    }

    /// Keys the audit chain and the personal-data seal with `secret` (the server's GONGZHI_SECRET); appending to a
    /// migrated audit log, or sealing personal data, without it fails. Refuses a crypto suite that fails its
    /// published test vectors.
    public func useServerSecret(_ secret: String, suite: CryptoSuiteName = .national, dataKeys: [DataKey] = []) throws {
        let key = AuditKey(secret: secret)
        let box = try PersonalDataBox(serverSecret: secret, suite: suite, dataKeys: dataKeys)
        auditKeyStore.withLock { $0 = key }
        personalDataStore.withLock { $0 = box }
    }

    /// The personal-data seal, if the server secret was set.
    public var personalDataBox: PersonalDataBox? { personalDataStore.withLock { $0 } }

    /// The seal, or the reason nothing personal can be read or written now.
    func requirePersonalDataBox() throws -> PersonalDataBox {
        guard let box = personalDataBox else {
            throw CryptoFailure(description: "personal data needs the server secret (GONGZHI_SECRET)")
        }
        return box
    }

    /// The audit chain's key, if one was set.
    public var auditKey: AuditKey? { auditKeyStore.withLock { $0 } }

    /// Runs queries on one pooled connection, outside any transaction.
    public func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try enter()
        defer { leave() }
        return try await pool.withConnection { sql in try await body(self.connection(sql)) }
    }

    private func enter() throws {
        try activity.withLock {
            guard !$0.closing else { throw DatabaseClosed() }
            $0.running += 1
        }
    }

    private func leave() { activity.withLock { $0.running -= 1 } }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// The answer to a request is sent only after the commit is durable (SQLite `synchronous=FULL`).
    ///
    /// SQLite: bodies that arrive together share one transaction on the writer connection, each in its own
    /// savepoint, so one that throws leaves nothing and does not touch the others (group commit, `SQLiteWriter`).
    /// PostgreSQL: one transaction per call on a pooled connection.
    ///
    /// `alone`: a bulk write (an import) runs in a SQLite transaction of its own rather than in a batch's savepoint
    /// (`SQLiteWriter.aloneTurn`); the same on PostgreSQL.
    public func transaction<R: Sendable>(
        alone: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try enter()
        defer { leave() }
        let key = auditKey
        if let writer {
            return try await writer.run(key: key, alone: alone, wrap: { self.connection($0) }, body)
        }
        return try await pool.withConnection { raw in
            let sql = self.connection(raw)
            try await sql.raw("BEGIN").run()
            do {
                let result = try await AuditLog.$transactionKey.withValue(key) { try await body(sql) }
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Sends `SELECT 1` on a pooled connection: throws when the database cannot be reached (readiness checks).
    public func ping() async throws {
        try await read { sql in try await sql.raw("SELECT 1 AS one").run() }
    }

    /// Refuses a PostgreSQL server that could lose committed transactions (fsync, synchronous_commit or
    /// full_page_writes off). SQLite connections are opened with `synchronous = FULL` already.
    public func checkDurability() async throws {
        guard backend == .postgres else { return }
        for setting in ["fsync", "synchronous_commit", "full_page_writes"] {
            let value = try await read { sql in
                try await sql.raw(SQLQueryString("SHOW \(unsafeRaw: setting)")).first()?.decode(
                    column: setting, as: String.self)
            }
            if value == "off" { throw DurabilityError(setting: setting) }
        }
    }

    public func shutdown() async {
        let first = activity.withLock { state -> Bool in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        // New work is refused from here on; what is under way finishes first (bounded, so a stuck statement cannot
        // hold a stopping server forever).
        for _ in 0..<3000 where activity.withLock({ $0.running }) > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await writer?.shutdown()
        try? await pool.shutdown()
    }
}

/// The database was shut down: no more reads or transactions.
public struct DatabaseClosed: Error, CustomStringConvertible {
    public var description: String { "the database was shut down" }
}

public struct DatabaseURLError: Error, CustomStringConvertible {
    public let url: String
    public var description: String {
        "unsupported database URL (expected sqlite:///path/file.sqlite or postgres://user@host:port/db)"
    }
}

public struct DurabilityError: Error, CustomStringConvertible {
    public let setting: String
    public var description: String {
        "PostgreSQL has \(setting) = off; Gongzhi refuses to run where committed data can be lost"
    }
}

protocol SQLConnectionPool: Sendable {
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func shutdown() async throws
}

// The AsyncKit pool guards its state with a lock; it predates Sendable annotations.
struct PooledSQLite: SQLConnectionPool, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<TunedSQLiteSource>
    /// The readers' blocking threads, stopped after their connections are closed.
    let threads: NIOThreadPool
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    {
        try await pool.withConnection { conn in
            conn.eventLoop.makeFutureWithTask { try await body(conn.sql()) }
        }.get()
    }
    func shutdown() async throws {
        try await pool.shutdownAsync()
        try await threads.shutdownGracefully()
    }
}

struct PooledPostgres: SQLConnectionPool, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    {
        try await pool.withConnection { conn in
            conn.eventLoop.makeFutureWithTask { try await body(conn.sql()) }
        }.get()
    }
    func shutdown() async throws { try await pool.shutdownAsync() }
}

/// Opens SQLite connections with the settings durability and concurrency need.
struct TunedSQLiteSource: ConnectionPoolSource {
    let inner: SQLiteConnectionSource
    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        inner.makeConnection(logger: logger, on: eventLoop).flatMap { conn in
            eventLoop.makeFutureWithTask {
                for pragma in [
                    "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 10000",
                    "PRAGMA foreign_keys = ON",
                ] {
                    try await conn.sql().raw(SQLQueryString(pragma)).run()
                }
                return conn
            }
        }
    }
}
