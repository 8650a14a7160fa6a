import SQLKit

/// The audit chain becomes keyed: entries from `audit_head.keyed_from` on are HMAC-SHA256 under a key derived from the
/// server secret (entries before it, written by older versions, keep their plain SHA-256 and still verify), and the
/// head carries a MAC of (seq, hash, keyed_from) so cutting entries off the end is found. `audit_checkpoints` holds
/// the points up to which a verification found the chain intact, each with its MAC, so `/audit` verifies only what
/// came after the newest one.
struct Migration0023_AuditAddKeyAndCheckpoints: Migration {
    let version = 23
    let name = "audit add key and checkpoints"
    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        try await sql.exec([
            "ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1",
            "ALTER TABLE audit_head ADD COLUMN mac TEXT",
            "UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1",
            "CREATE TABLE audit_checkpoints (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, verified_at BIGINT NOT NULL, mac TEXT NOT NULL)",
        ])
    }
}
