import Crypto
import Foundation
import GongzhiDomain
import SQLKit

/// What a command tells the audit log about a change.
public struct AuditRecord: Sendable {
    public var action: String
    public var objectType: String
    public var objectID: String
    public var communityID: Int64?
    public var nodeID: Int64?
    public var before: String?
    public var after: String?
    public var result: String

    public init(
        action: String, objectType: String, objectID: String, communityID: Int64? = nil, nodeID: Int64? = nil,
        before: String? = nil, after: String? = nil, result: String = "ok"
    ) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.communityID = communityID
        self.nodeID = nodeID
        self.before = before
        self.after = after
        self.result = result
    }
}

/// The hash-chained, append-only audit log. Entries are written inside the transaction of the change they
/// record, so a change and its entry commit or vanish together.
public enum AuditLog {
    /// Appends one entry. The head row is locked first (PostgreSQL `FOR UPDATE`; SQLite holds the write lock
    /// already), so concurrent writers extend one chain instead of forking it.
    public static func append(
        _ sql: any SQLDatabase, backend: Database.Backend, actor: Actor?, role: Role? = nil, at: Date,
        _ record: AuditRecord
    ) async throws {
        let lock = backend == .postgres ? " FOR UPDATE" : ""
        guard let head = try await sql.raw(SQLQueryString("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)")).first()
        else { throw AuditError.headMissing }
        let prevSeq = try head.decode(column: "seq", as: Int64.self)
        let prevHash = try head.decode(column: "hash", as: String.self)
        var entry = AuditEntry(
            seq: prevSeq + 1, at: Date(epochMillis: at.epochMillis), actorUserID: actor?.storedUserID,
            actorName: actor?.username ?? "system", role: role?.rawValue, nodeID: record.nodeID,
            communityID: record.communityID, action: record.action, objectType: record.objectType,
            objectID: record.objectID, result: record.result, before: record.before, after: record.after,
            prevHash: prevHash, hash: "")
        entry.hash = hash(entry)
        try await sql.raw("""
            INSERT INTO audit_log (seq, at, actor_user_id, actor_name, role, node_id, community_id, action, object_type,
              object_id, result, before_state, after_state, prev_hash, hash)
            VALUES (\(bind: entry.seq), \(bind: entry.at.epochMillis), \(bind: entry.actorUserID), \(bind: entry.actorName),
              \(bind: entry.role), \(bind: entry.nodeID), \(bind: entry.communityID), \(bind: entry.action),
              \(bind: entry.objectType), \(bind: entry.objectID), \(bind: entry.result), \(bind: entry.before),
              \(bind: entry.after), \(bind: entry.prevHash), \(bind: entry.hash))
            """).run()
        try await sql.raw("UPDATE audit_head SET seq = \(bind: entry.seq), hash = \(bind: entry.hash) WHERE id = 1").run()
    }

    /// Records a refused or failed attempt in a transaction of its own (the attempt itself changed nothing).
    public static func recordRefusal(_ db: Database, actor: Actor?, at: Date, _ record: AuditRecord) async {
        _ = try? await db.transaction { sql in
            try await append(sql, backend: db.backend, actor: actor, at: at, record)
        }
    }

    static func hash(_ entry: AuditEntry) -> String {
        SHA256.hash(data: Data(entry.canonicalForm.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int64)
        /// The first entry whose stored hash or link does not match; everything before it is intact.
        case broken(atSeq: Int64, reason: String)
    }

    /// Walks the chain from the first entry in pages and reports the first broken link.
    public static func verify(_ db: Database) async throws -> Verification {
        var prevHash = AuditEntry.genesisHash
        var expectedSeq: Int64 = 1
        while true {
            let batch = try await page(db, afterSeq: expectedSeq - 1, limit: 2000)
            for entry in batch {
                if entry.seq != expectedSeq { return .broken(atSeq: expectedSeq, reason: "missing entry") }
                if entry.prevHash != prevHash { return .broken(atSeq: entry.seq, reason: "link to previous entry broken") }
                if hash(entry) != entry.hash { return .broken(atSeq: entry.seq, reason: "content altered") }
                prevHash = entry.hash
                expectedSeq += 1
            }
            if batch.count < 2000 { break }
        }
        let head = try await db.read { sql in
            try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
        }
        if let head, try head.decode(column: "seq", as: Int64.self) != expectedSeq - 1
            || head.decode(column: "hash", as: String.self) != prevHash
        {
            return .broken(atSeq: expectedSeq, reason: "entries removed from the end")
        }
        return .intact(entries: expectedSeq - 1)
    }

    /// Entries in sequence order after `afterSeq`, optionally only those of communities inside `scopePath`.
    public static func page(_ db: Database, afterSeq: Int64, limit: Int) async throws -> [AuditEntry] {
        try await db.read { sql in
            try await sql.raw(
                "SELECT * FROM audit_log WHERE seq > \(bind: afterSeq) ORDER BY seq LIMIT \(bind: limit)"
            ).all().map(decode)
        }
    }

    /// The newest entries first, for the audit page.
    public static func recent(_ db: Database, beforeSeq: Int64?, limit: Int, objectType: String? = nil, objectID: String? = nil) async throws -> [AuditEntry] {
        try await db.read { sql in
            var q = SQLQueryString("SELECT * FROM audit_log WHERE seq < \(bind: beforeSeq ?? Int64.max)")
            if let objectType { q = q + " AND object_type = \(bind: objectType)" }
            if let objectID { q = q + " AND object_id = \(bind: objectID)" }
            q = q + " ORDER BY seq DESC LIMIT \(bind: limit)"
            return try await sql.raw(q).all().map(decode)
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.decode(column: "seq", as: Int64.self),
            at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
            actorUserID: try row.decode(column: "actor_user_id", as: Int64?.self),
            actorName: try row.decode(column: "actor_name", as: String.self),
            role: try row.decode(column: "role", as: String?.self),
            nodeID: try row.decode(column: "node_id", as: Int64?.self),
            communityID: try row.decode(column: "community_id", as: Int64?.self),
            action: try row.decode(column: "action", as: String.self),
            objectType: try row.decode(column: "object_type", as: String.self),
            objectID: try row.decode(column: "object_id", as: String.self),
            result: try row.decode(column: "result", as: String.self),
            before: try row.decode(column: "before_state", as: String?.self),
            after: try row.decode(column: "after_state", as: String?.self),
            prevHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}

enum AuditError: Error { case headMissing }

/// JSON for the before/after columns: sorted keys so equal states hash alike.
enum AuditJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
