import Foundation
import SQLKit

/// Consistent copies of a running database.
public enum Backup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// SQLite: `VACUUM INTO` writes a transactionally consistent copy while others read and write.
    /// PostgreSQL: `pg_dump` (custom format) takes a snapshot; restore with `pg_restore -d NEWDB FILE`.
    public static func run(_ db: Database, to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw Failure(description: "\(path) exists already") }
        switch db.backend {
        case .sqlite:
            try await db.read { sql in try await sql.raw("VACUUM INTO \(bind: path)").run() }
        case .postgres:
            let pgDump = ["/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let pgDump else { throw Failure(description: "pg_dump not found (install postgresql-client)") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: pgDump)
            process.arguments = ["--format=custom", "--file=\(path)", "--dbname=\(db.url)"]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw Failure(description: "pg_dump failed: \(text.prefix(300))")
            }
        }
    }
}
