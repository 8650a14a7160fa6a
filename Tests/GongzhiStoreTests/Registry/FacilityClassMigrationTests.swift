import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct FacilityClassMigrationTests {
    /// A facility as stored before migration 0065 and as it should be after.
    struct Row: Equatable, Sendable, CustomStringConvertible {
        var district: Int64
        var code: String
        var classCode: String
        var version: Int
        var description: String { "\(district) \(code) \(classCode) v\(version)" }
    }

    /// Old code → the standard's, as the migration must apply them (written out again, not read from it).
    static let moves: [(String, String)] = [
        ("0113", "0114"), ("0117", "0113"), ("0119", "0118"), ("0121", "0120"), ("0123", "0136"), ("0124", "0115"),
        ("0125", "0134"), ("0216", "0211"), ("0303", "0304"), ("0305", "0307"), ("0306", "0305"), ("0307", "0121"),
        ("0310", "0501"), ("0409", "0126"), ("0501", "0599"), ("0503", "0502"), ("0606", "0199"),
    ]

    @Test func storedFacilitiesMoveToTheStandardsCodesWithTheirStandardCodes() async throws {
        try await withEmptyTestDatabase { db in
            // given: the schema before migration 0065, two districts, and facilities under every old code, with a
            // free code and a 16-digit standard code each, stored in the order in which a move done one row at a
            // time would clash (0305's code onto 0307's before 0307's moved away)
            try await Migrator(migrations: Migrations.all.filter { $0.version < 65 }).migrate(db)
            var before: [Row] = []
            var after: [Row] = []
            func add(_ district: Int64, _ code: String, _ old: String, _ new: String, _ newCode: String? = nil) {
                before.append(Row(district: district, code: code, classCode: old, version: 1))
                after.append(
                    Row(district: district, code: newCode ?? code, classCode: new, version: old == new ? 1 : 2))
            }
            add(1, "4403050211000001", "0211", "0211")
            add(2, "4403050211000003", "0211", "0211")
            add(1, "4403050102000001", "0102", "0102")
            for (old, new) in Self.moves {
                add(1, "JG-\(old)", old, new)
                // 隔离墩's serial 1 would land on the 交通护栏 already coded 4403050211000001: its code stays
                let kept = old == "0216"
                add(1, "440305\(old)000001", old, new, kept ? nil : "440305\(new)000001")
            }
            add(1, "4403050216000002", "0216", "0211", "4403050211000002")
            // the other district's 4403050211000003 does not stand in the way
            add(1, "4403050216000003", "0216", "0211", "4403050211000003")
            // 16 characters but not all digits: not a standard code, so only the class moves
            add(1, "44030501190000AB", "0119", "0118")
            let rows = before
            try await db.transaction { sql in
                for district: Int64 in [1, 2] {
                    try await sql.raw(
                        """
                        INSERT INTO nodes (id, kind, name, path, created_at)
                        VALUES (\(bind: district), 'district', \(bind: "区\(district)"), \(bind: "/\(district)/"), 0)
                        """
                    ).run()
                }
                for r in rows {
                    try await sql.raw(
                        """
                        INSERT INTO registry_facilities (community_id, district_id, node_id, code, class_code, latitude,
                          longitude, state, created_at, updated_at)
                        VALUES (\(bind: r.district), \(bind: r.district), \(bind: r.district), \(bind: r.code),
                          \(bind: r.classCode), 22.525, 113.925, 'in_use', 0, 0)
                        """
                    ).run()
                }
            }
            // when
            let applied = try await Migrator().migrate(db)
            // then: every facility under the standard's code, its own code agreeing, each moved one a version on
            #expect(applied.contains(65))
            let stored = try await db.read { sql in
                try await sql.raw("SELECT district_id, code, class_code, version FROM registry_facilities ORDER BY id")
                    .all().map {
                        Row(
                            district: try $0.decode(column: "district_id", as: Int64.self),
                            code: try $0.decode(column: "code", as: String.self),
                            classCode: try $0.decode(column: "class_code", as: String.self),
                            version: try $0.decode(column: "version", as: Int.self))
                    }
            }
            #expect(stored == after)
            // and the form takes each one as it stands, except the kept code, which it asks to change
            for r in stored {
                let form = FacilityForm(code: r.code, classCode: r.classCode, lat: "22.525", lng: "113.925", node: "1")
                if r.code == "4403050216000001" {
                    #expect(throws: DomainError.self) { try form.draft() }
                } else {
                    #expect(throws: Never.self, "\(r)") { try form.draft() }
                }
            }
        }
    }
}
