import Crypto
import Foundation
import GongzhiDomain
import Logging
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

/// What the audit page narrows the log to; every filter is optional and all are combined.
public struct AuditFilter: Sendable, Equatable {
    /// Part of the acting account's login name or display name.
    public var person: String?
    /// An action (`case.file`) or its locale key form (`case_file`).
    public var action: String?
    public var objectType: String?
    public var objectID: String?
    /// Entries about objects inside this subtree: their node or community lies in it.
    public var within: String?
    /// From this moment (inclusive) until that one (exclusive).
    public var from: Date?
    public var until: Date?
    public init() {}
}

/// The hash-chained, append-only audit log. Entries are written inside the transaction of the change they
/// record, so a change and its entry commit or vanish together. Each entry's hash is an HMAC-SHA256 under the
/// `AuditKey` (entries older than `audit_head.keyed_from` keep the plain SHA-256 they were written with), and the head
/// row carries a MAC too, so neither an edited entry nor a cut-off end can be covered up without the server secret.
public enum AuditLog {
    static let logger = Logger(label: "gongzhi.audit")

    /// Appends one entry. The head row is locked first (PostgreSQL `FOR UPDATE`; SQLite holds the write lock
    /// already), so concurrent writers extend one chain instead of forking it. The key comes from the transaction
    /// (`Database.transaction` binds `transactionKey`); without one the append throws instead of writing an entry
    /// nobody could verify.
    public static func append(
        _ sql: any SQLDatabase, backend: Database.Backend, actor: Actor?, role: Role? = nil, at: Date,
        _ record: AuditRecord
    ) async throws {
        try await append(sql, backend: backend, actor: actor, role: role, at: at, [record])
    }

    /// Rows of one multi-row `INSERT INTO audit_log` (15 values each, well under either backend's limit of binds).
    static let rowsPerInsert = 400

    /// Appends one entry per record, in order, under one acquisition of the head: the entries are chained in memory
    /// (each linked to the one before, exactly as one `append` after another would link them), inserted in multi-row
    /// statements, and the head moved once to the last. A set-based step (the escalation tick) writes a page of
    /// changes this way and still leaves one entry per object changed.
    public static func append(
        _ sql: any SQLDatabase, backend: Database.Backend, actor: Actor?, role: Role? = nil, at: Date,
        _ records: [AuditRecord]
    ) async throws {
        guard let key = transactionKey else { throw AuditError.keyMissing }
        guard !records.isEmpty else { return }
        let lock = backend == .postgres ? " FOR UPDATE" : ""
        guard
            let head = try await sql.raw(
                SQLQueryString("SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1\(unsafeRaw: lock)")
            ).first()
        else { throw AuditError.headMissing }
        var prevSeq = try head.decode(column: "seq", as: Int64.self)
        var prevHash = try head.decode(column: "hash", as: String.self)
        let keyedFrom = try head.decode(column: "keyed_from", as: Int64.self)
        var entries: [AuditEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            var entry = AuditEntry(
                seq: prevSeq + 1, at: Date(epochMillis: at.epochMillis), actorUserID: actor?.storedUserID,
                actorName: actor?.username ?? "system", role: role?.rawValue, nodeID: record.nodeID,
                communityID: record.communityID, action: record.action, objectType: record.objectType,
                objectID: record.objectID, result: record.result, before: record.before, after: record.after,
                prevHash: prevHash, hash: "")
            entry.hash = hash(entry, key: key, keyedFrom: keyedFrom)
            entries.append(entry)
            prevSeq = entry.seq
            prevHash = entry.hash
        }
        for start in stride(from: 0, to: entries.count, by: rowsPerInsert) {
            var q: SQLQueryString = """
                INSERT INTO audit_log (seq, at, actor_user_id, actor_name, role, node_id, community_id, action, object_type,
                  object_id, result, before_state, after_state, prev_hash, hash) VALUES
                """
            for (i, entry) in entries[start..<min(start + rowsPerInsert, entries.count)].enumerated() {
                q =
                    q + (i == 0 ? " " : ", ") + """
                        (\(bind: entry.seq), \(bind: entry.at.epochMillis), \(bind: entry.actorUserID), \(bind: entry.actorName),
                          \(bind: entry.role), \(bind: entry.nodeID), \(bind: entry.communityID), \(bind: entry.action),
                          \(bind: entry.objectType), \(bind: entry.objectID), \(bind: entry.result), \(bind: entry.before),
                          \(bind: entry.after), \(bind: entry.prevHash), \(bind: entry.hash))
                        """
            }
            try await sql.raw(q).run()
        }
        let mac = key.mac(AuditKey.headText(seq: prevSeq, hash: prevHash, keyedFrom: keyedFrom))
        try await sql.raw(
            "UPDATE audit_head SET seq = \(bind: prevSeq), hash = \(bind: prevHash), mac = \(bind: mac) WHERE id = 1"
        ).run()
    }

    /// Records a refused or failed attempt in a transaction of its own (the attempt itself changed nothing). A failed
    /// write is tried once more; if that fails too the loss is logged as an error, and the request is answered anyway.
    public static func recordRefusal(
        _ db: Database, actor: Actor?, role: Role? = nil, at: Date, _ record: AuditRecord
    ) async {
        await recordRefusal(actor: actor, record) {
            try await db.transaction { sql in
                try await append(sql, backend: db.backend, actor: actor, role: role ?? actor?.ownRole, at: at, record)
            }
        }
    }

    /// The retry of `recordRefusal`, apart so that a test can make the write fail.
    static func recordRefusal(actor: Actor?, _ record: AuditRecord, write: () async throws -> Void) async {
        do { try await write(); return } catch {}
        do { try await write() } catch {
            logger.error(
                "audit entry of a refusal lost",
                metadata: [
                    "action": "\(record.action)", "object_type": "\(record.objectType)", "result": "\(record.result)",
                    "actor": "\(actor?.storedUserID.map(String.init) ?? "-")",
                    "error": "\(String(describing: error).prefix(200))",
                ])
        }
    }

    /// The hash of an entry: HMAC-SHA256 under the key from `keyedFrom` on, the plain SHA-256 of older versions before.
    static func hash(_ entry: AuditEntry, key: AuditKey, keyedFrom: Int64) -> String {
        entry.seq >= keyedFrom ? key.mac(entry.canonicalForm) : plainHash(entry)
    }

    static func plainHash(_ entry: AuditEntry) -> String {
        SHA256.hash(data: Data(entry.canonicalForm.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Gives the head its MAC if it has none yet (a database migrated before the chain was keyed, or fresh), and
    /// refuses a key that does not match the MAC already there — a server started with another secret would write
    /// entries nobody can verify. Run by `Migrator.migrate` whenever the database has a key.
    public static func prepare(_ db: Database) async throws {
        guard let key = db.auditKey else { throw AuditError.keyMissing }
        try await db.transaction { sql in
            guard let head = try await sql.raw("SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1").first()
            else { throw AuditError.headMissing }
            let text = AuditKey.headText(
                seq: try head.decode(column: "seq", as: Int64.self),
                hash: try head.decode(column: "hash", as: String.self),
                keyedFrom: try head.decode(column: "keyed_from", as: Int64.self))
            if let mac = try head.decode(column: "mac", as: String?.self) {
                guard key.check(text, against: mac) else { throw AuditError.keyMismatch }
            } else {
                try await sql.raw("UPDATE audit_head SET mac = \(bind: key.mac(text)) WHERE id = 1").run()
            }
        }
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int64)
        /// The first entry whose stored hash or link does not match; everything before it is intact.
        case broken(atSeq: Int64, reason: String)
    }

    /// A point up to which a verification found the chain intact.
    public struct Checkpoint: Equatable, Sendable {
        public var seq: Int64
        public var hash: String
        public var verifiedAt: Date
    }

    /// What a verification found, where it started and the checkpoint it recorded.
    public struct Report: Equatable, Sendable {
        public var verification: Verification
        /// The checkpoint it started from; nil when it walked the chain from the first entry.
        public var from: Checkpoint?
        /// The checkpoint it wrote (nil when asked not to, when the chain is broken or nothing new was verified).
        public var recorded: Checkpoint?
        /// How many entries it checked.
        public var checked: Int64
    }

    public enum Start: Sendable { case firstEntry, newestCheckpoint }

    /// Walks the whole chain from the first entry and reports the first broken link.
    public static func verify(_ db: Database) async throws -> Verification {
        try await verify(db, from: .firstEntry, recordCheckpoint: false, at: Date()).verification
    }

    /// Verifies the chain from the first entry or from the newest checkpoint (itself checked: its MAC, and that its
    /// entry still has its hash), up to the authenticated head; when intact and `recordCheckpoint`, writes a new
    /// checkpoint at the last entry. Throws `AuditError.keyMissing` when the database has no key.
    public static func verify(
        _ db: Database, from start: Start, recordCheckpoint: Bool, at now: Date
    ) async throws -> Report {
        guard let key = db.auditKey else { throw AuditError.keyMissing }
        var prevHash = AuditEntry.genesisHash
        var expectedSeq: Int64 = 1
        var from: Checkpoint?
        func report(_ v: Verification) -> Report {
            Report(verification: v, from: from, recorded: nil, checked: expectedSeq - 1 - (from?.seq ?? 0))
        }
        guard
            let keyedFrom = try await db.read({ sql in
                try await sql.raw("SELECT keyed_from FROM audit_head WHERE id = 1").first()?.decode(
                    column: "keyed_from", as: Int64.self)
            })
        else { throw AuditError.headMissing }
        if start == .newestCheckpoint, let checkpoint = try await newestCheckpoint(db) {
            from = checkpoint.0
            let cp = checkpoint.0
            guard
                key.check(
                    AuditKey.checkpointText(seq: cp.seq, hash: cp.hash, verifiedAt: cp.verifiedAt.epochMillis),
                    against: checkpoint.mac)
            else {
                return report(.broken(atSeq: cp.seq, reason: "checkpoint not authentic"))
            }
            guard let entry = try await page(db, afterSeq: cp.seq - 1, limit: 1).first, entry.seq == cp.seq,
                entry.hash == cp.hash
            else {
                from = nil
                return report(.broken(atSeq: cp.seq, reason: "entry changed since its checkpoint"))
            }
            prevHash = cp.hash
            expectedSeq = cp.seq + 1
        }
        func walk() async throws -> Verification? {
            while true {
                let batch = try await page(db, afterSeq: expectedSeq - 1, limit: 2000)
                for entry in batch {
                    if entry.seq != expectedSeq { return .broken(atSeq: expectedSeq, reason: "missing entry") }
                    if entry.prevHash != prevHash {
                        return .broken(atSeq: entry.seq, reason: "link to previous entry broken")
                    }
                    if hash(entry, key: key, keyedFrom: keyedFrom) != entry.hash {
                        return .broken(atSeq: entry.seq, reason: "content altered")
                    }
                    prevHash = entry.hash
                    expectedSeq += 1
                }
                if batch.count < 2000 { return nil }
            }
        }
        if let broken = try await walk() { return report(broken) }
        // The head is read after the walk; writers that committed meanwhile moved it on, so walk on to it.
        var head = try await readHead(db)
        for _ in 0..<3 where head.seq > expectedSeq - 1 {
            if let broken = try await walk() { return report(broken) }
            head = try await readHead(db)
        }
        if head.seq != expectedSeq - 1 || head.hash != prevHash {
            return report(.broken(atSeq: min(head.seq, expectedSeq - 1) + 1, reason: "entries removed from the end"))
        }
        if head.mac == nil {
            // Never sealed (migrated without the secret and nothing written since), or its MAC removed: not trusted.
            return report(
                .broken(
                    atSeq: expectedSeq,
                    reason: "head not authenticated yet: run `gongzhi migrate` or `serve` with GONGZHI_SECRET"))
        }
        guard key.check(AuditKey.headText(seq: head.seq, hash: head.hash, keyedFrom: keyedFrom), against: head.mac)
        else {
            return report(
                .broken(atSeq: expectedSeq, reason: "head not authentic: entries removed from the end or head reset"))
        }
        var result = report(.intact(entries: expectedSeq - 1))
        if recordCheckpoint, expectedSeq - 1 > (from?.seq ?? 0) {
            let cp = Checkpoint(seq: expectedSeq - 1, hash: prevHash, verifiedAt: Date(epochMillis: now.epochMillis))
            let mac = key.mac(
                AuditKey.checkpointText(seq: cp.seq, hash: cp.hash, verifiedAt: cp.verifiedAt.epochMillis))
            try await db.transaction { sql in
                try await sql.raw(
                    """
                    INSERT INTO audit_checkpoints (seq, hash, verified_at, mac) VALUES (\(bind: cp.seq), \(bind: cp.hash),
                      \(bind: cp.verifiedAt.epochMillis), \(bind: mac)) ON CONFLICT (seq) DO NOTHING
                    """
                ).run()
            }
            result.recorded = cp
        }
        return result
    }

    /// The newest recorded checkpoint with its stored MAC.
    public static func newestCheckpoint(_ db: Database) async throws -> (Checkpoint, mac: String)? {
        try await db.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT seq, hash, verified_at, mac FROM audit_checkpoints ORDER BY seq DESC LIMIT 1"
                ).first()
            else { return nil }
            return (
                Checkpoint(
                    seq: try row.decode(column: "seq", as: Int64.self),
                    hash: try row.decode(column: "hash", as: String.self),
                    verifiedAt: Date(epochMillis: try row.decode(column: "verified_at", as: Int64.self))),
                try row.decode(column: "mac", as: String.self)
            )
        }
    }

    static func readHead(_ db: Database) async throws -> (seq: Int64, hash: String, mac: String?) {
        guard
            let head = try await db.read({ sql in
                try await sql.raw("SELECT seq, hash, mac FROM audit_head WHERE id = 1").first()
            })
        else { throw AuditError.headMissing }
        return (
            try head.decode(column: "seq", as: Int64.self), try head.decode(column: "hash", as: String.self),
            try head.decode(column: "mac", as: String?.self)
        )
    }

    /// Entries in sequence order after `afterSeq`.
    public static func page(_ db: Database, afterSeq: Int64, limit: Int) async throws -> [AuditEntry] {
        try await db.read { sql in
            try await sql.raw(
                "SELECT * FROM audit_log WHERE seq > \(bind: afterSeq) ORDER BY seq LIMIT \(bind: limit)"
            ).all().map(decode)
        }
    }

    /// The newest entries first, for the audit page. With `scope` (the node paths of an auditor's grants), only the
    /// entries whose node or community lies in one of those subtrees; entries that name neither (log-ins of staff,
    /// tokens, refused requests) belong to no subtree and are shown only to auditors granted at a root of the tree.
    public static func recent(
        _ db: Database, beforeSeq: Int64?, limit: Int, objectType: String? = nil, objectID: String? = nil,
        scope: [String]? = nil
    ) async throws -> [AuditEntry] {
        var filter = AuditFilter()
        filter.objectType = objectType
        filter.objectID = objectID
        return try await recent(db, beforeSeq: beforeSeq, limit: limit, filter: filter, scope: scope)
    }

    /// `recent`, narrowed by the audit page's filters (all combined).
    public static func recent(
        _ db: Database, beforeSeq: Int64?, limit: Int, filter: AuditFilter, scope: [String]? = nil
    ) async throws -> [AuditEntry] {
        try await db.read { sql in
            var q = SQLQueryString("SELECT * FROM audit_log WHERE seq < \(bind: beforeSeq ?? Int64.max)")
            if let objectType = filter.objectType { q = q + " AND object_type = \(bind: objectType)" }
            if let objectID = filter.objectID { q = q + " AND object_id = \(bind: objectID)" }
            if let action = filter.action {
                // The page names actions by their locale key (`case_file` for `case.file`).
                q = q + " AND (action = \(bind: action) OR REPLACE(action, '.', '_') = \(bind: action))"
            }
            if let person = filter.person?.trimmingCharacters(in: .whitespaces), !person.isEmpty {
                let like =
                    "%"
                    + person.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(
                        of: "_", with: "") + "%"
                q =
                    q
                    + " AND (LOWER(actor_name) LIKE \(bind: like) OR actor_user_id IN (SELECT u.id FROM users u WHERE LOWER(u.username) LIKE \(bind: like) OR LOWER(u.display_name) LIKE \(bind: like)))"
            }
            if let within = filter.within {
                q =
                    q
                    + " AND EXISTS (SELECT 1 FROM nodes w WHERE w.id IN (audit_log.node_id, audit_log.community_id) AND w.path >= \(bind: within) AND w.path < \(bind: NodePath.upperBound(within)))"
            }
            if let from = filter.from { q = q + " AND at >= \(bind: from.epochMillis)" }
            if let until = filter.until { q = q + " AND at < \(bind: until.epochMillis)" }
            if let scope {
                var inside = SQLQueryString("1 = 0")
                for path in scope {
                    inside = inside + " OR (n.path >= \(bind: path) AND n.path < \(bind: NodePath.upperBound(path)))"
                }
                q =
                    q
                    + " AND (EXISTS (SELECT 1 FROM nodes n WHERE n.id IN (audit_log.node_id, audit_log.community_id) AND ("
                    + inside + "))"
                if scope.contains(where: { NodePath.ids($0).count == 1 }) {
                    q = q + " OR (audit_log.node_id IS NULL AND audit_log.community_id IS NULL)"
                }
                q = q + ")"
            }
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

public enum AuditError: Error, CustomStringConvertible {
    case headMissing, keyMissing, keyMismatch
    public var description: String {
        switch self {
        case .headMissing: "the audit log has no head row (is the database migrated?)"
        case .keyMissing:
            "the audit chain key is not set: give the server secret (GONGZHI_SECRET, 32+ characters) to this command"
        case .keyMismatch: "GONGZHI_SECRET does not match the key the audit chain was written with"
        }
    }
}

/// JSON for the before/after columns: sorted keys so equal states hash alike.
public enum AuditJSON {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
