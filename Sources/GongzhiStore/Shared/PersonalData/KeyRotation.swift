import Foundation
import GongzhiDomain
import SQLKit

/// Re-seals personal data under the current key version (`gongzhi keys rotate`): a batch of rows per transaction,
/// so a running server keeps serving and a stopped rotation resumes where it was; each batch is one audit entry.
/// Values are read under their own version and written under the current one; their keyed hashes do not change
/// (they are keyed by the server secret), so finding people works throughout.
public struct KeyRotation: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// Every sealed column, with the key of its table.
    static let sealed: [(table: String, key: String, columns: [String])] = [
        ("registry_people", "id", ["name_sealed", "document_sealed", "phone_sealed", "sensitive_sealed"]),
        ("case_callers", "case_id", ["name_sealed", "phone_sealed"]),
    ]

    func box() throws -> PersonalDataBox { try db.requirePersonalDataBox() }

    static func stale(_ columns: [String], prefix: String) -> SQLQueryString {
        SQLQueryString(
            columns.map { "(\($0) IS NOT NULL AND \($0) NOT LIKE '\(prefix):%')" }.joined(separator: " OR "))
    }

    /// Rows holding a value sealed under another version or suite than the current one.
    public func remaining() async throws -> Int {
        let prefix = try box().currentPrefix
        return try await db.read { sql in
            var total = 0
            for (table, _, columns) in Self.sealed {
                total += try await sql.raw(
                    SQLQueryString("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE ")
                        + Self.stale(columns, prefix: prefix)
                ).first()!.decode(column: "n", as: Int.self)
            }
            return total
        }
    }

    /// Re-seals until nothing is left; `progress` hears the running count after each batch.
    @discardableResult
    public func rotate(batch: Int = 500, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let box = try box()
        let prefix = box.currentPrefix
        var total = 0
        for (table, key, columns) in Self.sealed {
            while true {
                let done = try await db.command(.commandLine, clock: .system) { tx in
                    let rows = try await tx.sql.raw(
                        SQLQueryString(
                            "SELECT \(unsafeRaw: ([key] + columns).joined(separator: ", ")) FROM \(unsafeRaw: table) WHERE "
                        ) + Self.stale(columns, prefix: prefix) + " ORDER BY \(unsafeRaw: key) LIMIT \(bind: batch)"
                    ).all()
                    for row in rows {
                        let id = try row.decode(column: key, as: Int64.self)
                        var q = SQLQueryString("UPDATE \(unsafeRaw: table) SET ")
                        var first = true
                        for column in columns {
                            guard let value = try row.decode(column: column, as: String?.self),
                                box.needsResealing(value)
                            else { continue }
                            q =
                                q + (first ? "" : ", ")
                                + "\(unsafeRaw: column) = \(bind: try box.seal(try box.open(value)))"
                            first = false
                        }
                        guard !first else { continue }
                        try await tx.sql.raw(q + " WHERE \(unsafeRaw: key) = \(bind: id)").run()
                    }
                    if !rows.isEmpty {
                        try await tx.audit(
                            AuditRecord(
                                action: "personal_data.reseal", objectType: table, objectID: "",
                                after: AuditJSON.encode(["rows": "\(rows.count)", "key": prefix])),
                            role: .systemAdmin)
                    }
                    return rows.count
                }
                total += done
                progress(total)
                if done < batch { break }
            }
        }
        return total
    }
}
