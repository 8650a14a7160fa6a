import Foundation
import SQLKit

/// A stable text form of the schema, committed beside the tests so every schema change shows up as a diff.
public enum SchemaDump {
    public static func dump(_ db: Database) async throws -> String {
        try await db.read { sql in
            switch db.backend {
            case .sqlite:
                let rows = try await sql.raw(
                    """
                    SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name
                    """
                ).all()
                return try rows.map { try $0.decode(column: "sql", as: String.self) + ";" }.joined(separator: "\n")
                    + "\n"
            case .postgres:
                var lines: [String] = []
                for row in try await sql.raw(
                    """
                    SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '') AS column_default,
                      COALESCE(collation_name, '') AS collation_name
                    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
                    """
                ).all() {
                    let parts = try [
                        "table_name", "column_name", "data_type", "is_nullable", "column_default", "collation_name",
                    ]
                    .map { try row.decode(column: $0, as: String.self) }
                    lines.append("column " + parts.joined(separator: " | "))
                }
                for row in try await sql.raw(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
                ).all() {
                    lines.append(try row.decode(column: "indexdef", as: String.self) + ";")
                }
                for row in try await sql.raw(
                    """
                    SELECT trigger_name, event_manipulation, event_object_table FROM information_schema.triggers
                    WHERE trigger_schema = 'public' ORDER BY trigger_name, event_manipulation
                    """
                ).all() {
                    let parts = try ["trigger_name", "event_manipulation", "event_object_table"].map {
                        try row.decode(column: $0, as: String.self)
                    }
                    lines.append("trigger " + parts.joined(separator: " | "))
                }
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }
}
