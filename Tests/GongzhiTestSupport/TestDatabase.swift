import Foundation
import GongzhiDomain
import GongzhiStore
import SQLKit

/// Which backend the suite runs on: `GONGZHI_TEST_DB=sqlite` (default) or `postgres`, with
/// `GONGZHI_TEST_PG_URL` naming a maintenance database on a throw-away cluster.
public enum TestBackend {
    public static var current: Database.Backend {
        ProcessInfo.processInfo.environment["GONGZHI_TEST_DB"] == "postgres" ? .postgres : .sqlite
    }
    static var postgresURL: String {
        ProcessInfo.processInfo.environment["GONGZHI_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
    }
}

/// The server secret every test database keys its audit chain with.
public let testAuditSecret = "test-audit-secret-0123456789abcdef0123456789"

/// Gives `body` a fresh, migrated database of its own, so tests run in parallel. The schema is migrated once
/// per run into a template that each test copies (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL).
public func withTestDatabase<R>(_ body: (Database) async throws -> R) async throws -> R {
    await TestSlots.shared.acquire()
    let (db, cleanup): (Database, @Sendable () async -> Void)
    do { (db, cleanup) = try await Templates.shared.freshDatabase() } catch {
        await TestSlots.shared.release()
        throw error
    }
    do {
        let result = try await body(db)
        await db.shutdown()
        await cleanup()
        await TestSlots.shared.release()
        return result
    } catch {
        await db.shutdown()
        await cleanup()
        await TestSlots.shared.release()
        throw error
    }
}

/// Gives `body` an empty database on which no migration has run, for a test of a migration that moves data: migrate
/// part of the way, write rows as the schema stood then, migrate the rest.
public func withEmptyTestDatabase<R>(_ body: (Database) async throws -> R) async throws -> R {
    switch TestBackend.current {
    case .postgres:
        return try await withTestDatabase { db in
            try await db.read { sql in
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
            return try await body(db)
        }
    case .sqlite:
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gongzhi-test-\(UUID().uuidString).sqlite")
        let db = try Database.open(url: "sqlite://\(file.path)", connectionsPerLoop: 2, requestTimeoutSeconds: 120)
        @Sendable func cleanup() async {
            await db.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        }
        do {
            try db.useServerSecret(testAuditSecret)
            let result = try await body(db)
            await cleanup()
            return result
        } catch {
            await cleanup()
            throw error
        }
    }
}

/// How many test databases are open at once on PostgreSQL: every test runs in parallel and each holds a pool of a
/// few connections, so without a bound a large suite exceeds the cluster's `max_connections` (300 in `.ci/run`).
/// `GONGZHI_TEST_PG_SLOTS` overrides the bound; SQLite needs none.
actor TestSlots {
    static let shared = TestSlots()
    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init() {
        let configured = ProcessInfo.processInfo.environment["GONGZHI_TEST_PG_SLOTS"].flatMap { Int($0) }
        limit = TestBackend.current == .postgres ? max(1, configured ?? 24) : Int.max
    }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        // The slot passes straight to the next waiter, if any.
        if waiting.isEmpty { inUse -= 1 } else { waiting.removeFirst().resume() }
    }
}

actor Templates {
    static let shared = Templates()
    private var sqliteTemplate: Task<URL, any Error>?
    private var postgresTemplate: Task<Void, any Error>?
    private var admin: Database?

    func freshDatabase() async throws -> (Database, @Sendable () async -> Void) {
        switch TestBackend.current {
        case .sqlite:
            let template = try await sqliteTemplateFile()
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gongzhi-test-\(UUID().uuidString).sqlite")
            try FileManager.default.copyItem(at: template, to: file)
            let db = try Database.open(url: "sqlite://\(file.path)", connectionsPerLoop: 2, requestTimeoutSeconds: 120)
            try db.useServerSecret(testAuditSecret)
            return (
                db,
                {
                    for suffix in ["", "-wal", "-shm"] {
                        try? FileManager.default.removeItem(atPath: file.path + suffix)
                    }
                }
            )
        case .postgres:
            try await postgresTemplateReady()
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try adminDatabase()
            // One clone at a time: PostgreSQL refuses to copy a template that another copy is reading.
            try await admin.read { sql in
                try await sql.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: Self.templateName)").run()
            }
            let db = try Database.open(url: Self.url(database: name), connectionsPerLoop: 2, requestTimeoutSeconds: 120)
            try db.useServerSecret(testAuditSecret)
            return (
                db,
                {
                    _ = try? await admin.read { sql in
                        try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run()
                    }
                }
            )
        }
    }

    private func sqliteTemplateFile() async throws -> URL {
        if let sqliteTemplate { return try await sqliteTemplate.value }
        let task = Task<URL, any Error> {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gongzhi-template-\(UUID().uuidString).sqlite")
            let db = try Database.open(url: "sqlite://\(file.path)", connectionsPerLoop: 1)
            try db.useServerSecret(testAuditSecret)
            try await Migrator().migrate(db)
            try await db.read { sql in try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
            await db.shutdown()
            return file
        }
        sqliteTemplate = task
        return try await task.value
    }

    /// The PostgreSQL template's name; checkouts that share one cluster set `GONGZHI_TEST_PG_TEMPLATE` apart.
    static var templateName: String {
        let name = ProcessInfo.processInfo.environment["GONGZHI_TEST_PG_TEMPLATE"] ?? "gongzhi_template"
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : "gongzhi_template"
    }

    private func postgresTemplateReady() async throws {
        if let postgresTemplate { return try await postgresTemplate.value }
        let admin = try adminDatabase()
        let task = Task<Void, any Error> {
            try await admin.read { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: Self.templateName)").run()
                try await sql.raw("CREATE DATABASE \(unsafeRaw: Self.templateName)").run()
            }
            let db = try Database.open(url: Self.url(database: Self.templateName), connectionsPerLoop: 1)
            try db.useServerSecret(testAuditSecret)
            try await Migrator().migrate(db)
            await db.shutdown()
        }
        postgresTemplate = task
        try await task.value
    }

    private func adminDatabase() throws -> Database {
        if let admin { return admin }
        // A single connection serialises CREATE DATABASE calls.
        // Every test waits here for its CREATE DATABASE, so the wait may be long on a busy machine.
        let db = try Database.open(url: TestBackend.postgresURL, connectionsPerLoop: 1, requestTimeoutSeconds: 300)
        admin = db
        return db
    }

    static func url(database: String) -> String {
        var url = TestBackend.postgresURL
        if let slash = url.range(of: "/", options: .backwards) { url = String(url[..<slash.lowerBound]) }
        return url + "/" + database
    }
}
