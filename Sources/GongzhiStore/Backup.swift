import Foundation
import SQLKit

/// Consistent copies of a running database.
public enum Backup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// SQLite: `VACUUM INTO` writes a transactionally consistent copy while others read and write.
    /// PostgreSQL: `pg_dump` (custom format) takes a snapshot; restore with `pg_restore -d NEWDB FILE`.
    /// The file is created empty first, readable and writable by its owner only (0600), whatever the umask, and both
    /// backends write into it; a failed backup removes it.
    public static func run(_ db: Database, to path: String) async throws {
        try createPrivateFile(path)
        do {
            try await write(db, to: path)
            // Whatever the writer did with the file, it stays the owner's only.
            guard chmod(path, 0o600) == 0 else { throw Failure(description: "cannot restrict \(path) to its owner") }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Creates `path` (it must not exist) with mode 0600 in one step, so no other user can open it in between.
    static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw Failure(description: "\(path) exists already") }
            throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    static func write(_ db: Database, to path: String) async throws {
        switch db.backend {
        case .sqlite:
            try await db.read { sql in try await sql.raw("VACUUM INTO \(bind: path)").run() }
        case .postgres:
            let pgDump = ["/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
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
