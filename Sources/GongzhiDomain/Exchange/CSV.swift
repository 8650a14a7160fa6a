import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Rows keep their line number for error reports.
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
                    } else { inQuotes = false }
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
        return rows
    }

    public static func format(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { f in
                f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }
}
