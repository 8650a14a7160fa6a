import SQLKit

/// Stored facilities move from the class codes of the first class table, where 17 classes carried a code the
/// standard gives another class, to GB/T 30428.2-2013's codes (or a local extension's), and so do the class digits
/// (7–10) of a 16-digit standard code, which the form requires to agree with the class. The moves form chains
/// (0117→0113 while 0113→0114), so each is read from the stored value, never from an already moved one. The audit
/// log keeps the old codes: it records what was true when it was written.
struct Migration0065_FacilityClassesFollowStandard: Migration {
    let version = 65
    let name = "facility classes follow GB/T 30428.2"

    /// The old code and the new code of the same thing. 隔离墩 has no class of its own in the standard and goes to
    /// 交通护栏; 房屋 has none either and goes to the local extension 0599 其他房屋.
    static let moves: [(old: String, new: String)] = [
        ("0113", "0114"), ("0117", "0113"), ("0119", "0118"), ("0121", "0120"), ("0123", "0136"), ("0124", "0115"),
        ("0125", "0134"), ("0216", "0211"), ("0303", "0304"), ("0305", "0307"), ("0306", "0305"), ("0307", "0121"),
        ("0310", "0501"), ("0409", "0126"), ("0501", "0599"), ("0503", "0502"), ("0606", "0199"),
    ]

    func apply(on sql: any SQLDatabase, backend: Database.Backend) async throws {
        let whens = Self.moves.map { "WHEN '\($0.old)' THEN '\($0.new)'" }.joined(separator: " ")
        let olds = Self.moves.map { "'\($0.old)'" }.joined(separator: ", ")
        // Digits only when nothing is left once every digit is removed: the two backends share no pattern match.
        let digits = (0...9).reduce("code") { "replace(\($0), '\($1)', '')" } + " = ''"
        let standard = "length(code) = 16 AND \(digits) AND substr(code, 7, 4) IN (\(olds))"
        // Qualified where it names the row being moved inside a subquery over the same table.
        func moved(_ code: String) -> String {
            "substr(\(code), 1, 6) || CASE substr(\(code), 7, 4) \(whens) END || substr(\(code), 11)"
        }
        try await sql.exec([
            // Both backends check a unique index row by row, so a code moving onto one not yet moved away (0117's
            // onto 0113's) would clash: moved codes are parked behind '~', which no code may hold, then unparked.
            // Only 隔离墩 merges into a class that stays (交通护栏), so its code can meet one already taken: it
            // is kept, and the form asks for a new code when the facility is next edited. The version moves so
            // that a form opened before cannot save an old code that now means another class.
            """
            UPDATE registry_facilities SET
              class_code = CASE class_code \(whens) ELSE class_code END,
              code = CASE WHEN \(standard) AND NOT EXISTS (
                  SELECT 1 FROM registry_facilities taken WHERE taken.district_id = registry_facilities.district_id
                  AND taken.code = \(moved("registry_facilities.code")) AND substr(taken.code, 7, 4) NOT IN (\(olds)))
                THEN '~' || \(moved("code")) ELSE code END,
              version = version + 1
            WHERE class_code IN (\(olds)) OR (\(standard))
            """,
            "UPDATE registry_facilities SET code = substr(code, 2) WHERE code LIKE '~%'",
        ])
    }
}
