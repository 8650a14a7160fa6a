import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Rows keep their line number for error reports.
///
/// Exports are safe to open in a spreadsheet (OWASP "CSV injection"): a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is written with a single quote before it, so it is shown as text, never run as a
/// formula. Parsing takes that quote off again, so our own exports import unchanged; a cell that itself starts with
/// quotes before such a character gets one more quote, so the rule round-trips every value.
public enum CSV {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    public static func parse(_ text: String) throws(DomainError) -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var iterator = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
                fields = []; field = ""; line += 1; rowStart = line
            default: field.append(c)
            }
        }
        if inQuotes { throw .invalid("csv_unclosed_quote", args: ["\(rowStart)"]) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowStart, fields: fields))
        }
        return rows.map { Row(line: $0.line, fields: $0.fields.map(unguarded)) }
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// Whether a cell would start a formula in a spreadsheet (or is one of our guarded cells, quotes first).
    static func needsGuard(_ field: Substring) -> Bool {
        guard let first = field.first else { return false }
        if formulaStarts.contains(first) { return true }
        return first == "'" && needsGuard(field.dropFirst())
    }

    /// A cell as a spreadsheet may show it: a quote before anything it would read as a formula.
    public static func guarded(_ field: String) -> String { needsGuard(field[...]) ? "'" + field : field }

    /// The value of a cell `guarded` wrote.
    public static func unguarded(_ field: String) -> String {
        field.first == "'" && needsGuard(field.dropFirst()) ? String(field.dropFirst()) : field
    }

    public static func format(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map(guarded).map { f in
                // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
                f.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }
}
