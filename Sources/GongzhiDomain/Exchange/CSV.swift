import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Rows keep their line number for error reports.
/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: CSV injection) is written with a
/// leading `'` so it opens as text, and read back without it; signed plain numbers are left alone.
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
        func finish(_ f: String) -> String {
            guard f.first == "'" else { return f }
            let rest = String(f.dropFirst())
            return neutralised(rest) == f ? rest : f
        }
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(finish(field)); field = ""
            case "\n", "\r\n", "\r":
                fields.append(finish(field))
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
                fields = []; field = ""; line += 1; rowStart = line
            default: field.append(c)
            }
        }
        if inQuotes { throw .invalid("csv_unclosed_quote", args: ["\(rowStart)"]) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(finish(field))
            rows.append(Row(line: rowStart, fields: fields))
        }
        return rows
    }

    public static func format(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { raw in
                let f = neutralised(raw)
                return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as written to a file: with a leading `'` when a spreadsheet would take it for a formula, or when it
    /// already starts with `'` before such a cell (so that reading it back is exact).
    static func neutralised(_ f: String) -> String { needsQuoteMark(f[...]) ? "'" + f : f }

    static func needsQuoteMark(_ f: Substring) -> Bool {
        guard let first = f.first else { return false }
        if first == "'" { return needsQuoteMark(f.dropFirst()) }
        guard formulaStarts.contains(first) else { return false }
        let rest = f.dropFirst()
        let signedNumber = (first == "-" || first == "+") && !rest.isEmpty
            && rest.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } && rest.filter { $0 == "." }.count <= 1
        return !signedNumber
    }
}
