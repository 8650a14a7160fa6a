import Foundation
import SQLKit

/// Which tables belong to one community and which are shared. Every table is community-owned, and carries a NOT NULL
/// `community_id`, unless it is listed in `shared`; `CommunityTablesTests` checks the migrated schema against that
/// on both backends, so a new table without the column fails the suite until it gets one or is listed here with its
/// reason. The same lists give the statements that distribute a PostgreSQL database over Citus by `community_id`
/// (`gongzhi citus`, README "Several instances, replicas, Citus").
public enum CommunityTables {
    /// Where a tenant-sharded PostgreSQL (Citus) keeps a shared table.
    public enum Placement: String, Sendable, Equatable {
        /// Copied to every worker (`create_reference_table`): small set-up data that community rows join with.
        case reference
        /// Left as it is on the coordinator: one global sequence, or per-user rows that are not joined with a
        /// community's rows.
        case coordinator
    }

    /// The tables not owned by one community, and why.
    public static let shared: [String: Placement] = [
        // The jurisdiction tree itself: district, subdistrict and grid nodes above and beside communities have no
        // community (their community_id is NULL), and every community's rows refer to nodes.
        "nodes": .reference,
        // Moves, splits and merges of the tree, which may span communities.
        "node_history": .reference,
        // Accounts: staff work above one community (community_id NULL); residents move between communities.
        "users": .reference,
        // A user's roles, held at nodes at any level of the tree.
        "role_grants": .reference,
        // Users' API tokens: they belong to the account, not to a community.
        "api_tokens": .reference,
        // Handling units (offices, departments) sit at any node; many serve several communities.
        "units": .reference,
        "unit_members": .reference,
        // Case categories and routing rules are set at a node and inherited by the subtree below it.
        "case_categories": .reference,
        "routing_rules": .reference,
        // The working-day calendar that deadlines count in: one for the whole district.
        "calendar_days": .reference,
        // The audit log is one hash chain for the whole system (its head and verified checkpoints with it), so it
        // has one sequence; entries carry a community_id where there is one, for reading.
        "audit_log": .coordinator,
        "audit_head": .coordinator,
        "audit_checkpoints": .coordinator,
        // Migration bookkeeping.
        "schema_migrations": .coordinator,
        // Sign-in state: per session token, per address and user name, per user and request key.
        "sessions": .coordinator,
        "login_failures": .coordinator,
        "idempotency_entries": .coordinator,
        // Notices go to a user, who may work above one community (community_id NULL there); the outbox holds their
        // deliveries.
        "notifications": .coordinator,
        "outbox": .coordinator,
    ]

    /// Community-owned rows that do not carry `community_id` yet: a gap that takes a migration to close (each Open311
    /// tracking token names one case). Listed so the suite stays green while it is known; the test fails once the
    /// column exists, so the entry is removed then.
    public static let missingCommunityID: Set<String> = []

    /// SQLite's full-text index over cases (FTS5 and its shadow tables): part of `cases`, absent on PostgreSQL.
    public static func isSQLiteSearchIndex(_ table: String) -> Bool {
        table == "cases_fts" || table.hasPrefix("cases_fts_")
    }

    /// One table of the migrated schema, as far as tenancy goes.
    public struct Table: Sendable, Equatable {
        public var name: String
        /// nil: no `community_id` column; true: the column allows NULL.
        public var communityIDNullable: Bool?
        public init(name: String, communityIDNullable: Bool?) {
            self.name = name
            self.communityIDNullable = communityIDNullable
        }
    }

    /// The tables of a migrated database (SQLite `PRAGMA table_info`, PostgreSQL `information_schema`), by name,
    /// without SQLite's search index.
    public static func tables(_ db: Database) async throws -> [Table] {
        try await db.read { sql in
            switch db.backend {
            case .sqlite:
                let names = try await sql.raw(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ).all().map { try $0.decode(column: "name", as: String.self) }.filter { !isSQLiteSearchIndex($0) }
                var tables: [Table] = []
                for name in names {
                    let column = try await sql.raw(
                        "SELECT \"notnull\" AS not_null FROM pragma_table_info(\(bind: name)) WHERE name = 'community_id'"
                    ).first()
                    tables.append(
                        Table(
                            name: name,
                            communityIDNullable: try column.map { try $0.decode(column: "not_null", as: Int.self) == 0 }
                        )
                    )
                }
                return tables
            case .postgres:
                return try await sql.raw(
                    """
                    SELECT t.table_name, c.is_nullable FROM information_schema.tables t
                    LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
                      AND c.column_name = 'community_id'
                    WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY t.table_name
                    """
                ).all().map {
                    Table(
                        name: try $0.decode(column: "table_name", as: String.self),
                        communityIDNullable: try $0.decode(column: "is_nullable", as: String?.self).map { $0 == "YES" })
                }
            }
        }
    }

    /// What breaks the rule in `tables`, one sentence per table: a table that is neither shared nor carries a NOT NULL
    /// `community_id`, a known gap that has the column now, and a listed table the schema does not have.
    public static func problems(_ tables: [Table]) -> [String] {
        var problems: [String] = []
        for table in tables where shared[table.name] == nil {
            if missingCommunityID.contains(table.name) {
                if table.communityIDNullable != nil {
                    problems.append(
                        "\(table.name) has community_id now: remove it from CommunityTables.missingCommunityID")
                }
            } else if table.communityIDNullable != false {
                problems.append(
                    "\(table.name) is community-owned but has \(table.communityIDNullable == nil ? "no" : "a nullable") "
                        + "community_id column: give it one (NOT NULL), or list it in CommunityTables.shared with the "
                        + "reason")
            }
        }
        let names = Set(tables.map(\.name))
        for table in (shared.keys.sorted() + missingCommunityID.sorted()) where !names.contains(table) {
            problems.append("CommunityTables lists \(table), which the schema does not have")
        }
        return problems
    }

    /// The community-owned tables of a migrated database: every table that is not shared.
    public static func communityOwned(_ db: Database) async throws -> [String] {
        try await tables(db).map(\.name).filter { shared[$0] == nil }
    }

    /// The Citus statements for a database whose community-owned tables are `owned`: reference tables first (the
    /// community tables refer to them), then every community-owned table distributed by `community_id`, `cases`
    /// first so the others are co-located with it; the coordinator's tables and the known gaps are named in comments.
    public static func citusStatements(owned: [String]) -> String {
        let distributed = owned.filter { !missingCommunityID.contains($0) }.sorted { a, b in
            a == "cases" ? true : b == "cases" ? false : a < b
        }
        var lines = ["-- Shared set-up, copied to every worker:"]
        lines += shared.filter { $0.value == .reference }.keys.sorted().map {
            "SELECT create_reference_table('\($0)');"
        }
        lines.append("-- Community-owned, distributed by community_id:")
        lines += distributed.map { "SELECT create_distributed_table('\($0)', 'community_id');" }
        let coordinator = shared.filter { $0.value == .coordinator }.keys.sorted()
        lines.append("-- Left on the coordinator: \(coordinator.joined(separator: ", ")).")
        let gaps = owned.filter { missingCommunityID.contains($0) }.sorted()
        if !gaps.isEmpty {
            lines.append(
                "-- Community-owned but without community_id yet (needs a migration): \(gaps.joined(separator: ", ")).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
