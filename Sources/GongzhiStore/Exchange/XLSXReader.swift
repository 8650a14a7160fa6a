import CSV
import Foundation
import GongzhiDomain
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Turns the first worksheet of an Excel workbook (.xlsx, Office Open XML) into a UTF-8 CSV file, so that imports read
/// workbooks and CSV files through one streaming reader (issue 12: the files community workers actually have).
/// The sheet is unpacked to a temporary file and parsed as a stream; only the shared strings (every distinct text of
/// the workbook, as Excel keeps them) are held in memory. Empty rows between rows are written as empty lines, so a
/// problem's line is the spreadsheet's row number. Numbers are written as Excel shows them in a general cell (an
/// 11-digit phone stays whole), cells formatted as dates as `yyyy-MM-dd`; formulas give their cached value.
public enum XLSXReader {
    /// Unpacked parts larger than this are refused: a workbook that expands beyond it is not a registry file.
    static let maxUnpackedBytes: Int64 = 1 << 30

    static func isWorkbook(_ head: Data) -> Bool { head.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Writes the first sheet of `url` to `target` as UTF-8 CSV (CRLF rows, RFC 4180 quoting).
    static func convert(_ url: URL, to target: URL) throws {
        guard let archive = try? Archive(url: url, accessMode: .read) else { throw unreadable }
        var unpacked: Int64 = 0
        for entry in archive {
            unpacked += Int64(entry.uncompressedSize)
            guard unpacked <= maxUnpackedBytes else { throw unreadable }
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { data.append($0) } } catch { throw unreadable }
            return data
        }
        guard let workbookXML = try part("xl/workbook.xml") else { throw unreadable }
        let workbook = WorkbookParser.parse(workbookXML)
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let rid = workbook.firstSheetRelation, let rels = try part("xl/_rels/workbook.xml.rels"),
            let target = RelationshipsParser.parse(rels)[rid]
        {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        guard let sheetEntry = archive[sheetPath] else { throw unreadable }
        let strings = try part("xl/sharedStrings.xml").map(SharedStringsParser.parse) ?? []
        let dateStyles = try part("xl/styles.xml").map(StylesParser.dateStyles) ?? []

        let sheetURL = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-sheet-\(UUID()).xml")
        FileManager.default.createFile(atPath: sheetURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: sheetURL) }
        do {
            let out = try FileHandle(forWritingTo: sheetURL)
            defer { try? out.close() }
            _ = try archive.extract(sheetEntry, skipCRC32: false) { try out.write(contentsOf: $0) }
        } catch { throw unreadable }

        FileManager.default.createFile(atPath: target.path, contents: nil)
        guard let output = try? FileHandle(forWritingTo: target), let stream = InputStream(url: sheetURL) else {
            throw unreadable
        }
        defer { try? output.close() }
        let sheet = SheetParser(
            strings: strings, dateStyles: dateStyles, date1904: workbook.date1904, output: output)
        let parser = XMLParser(stream: stream)
        parser.delegate = sheet
        guard parser.parse(), sheet.failure == nil else { throw sheet.failure ?? unreadable }
        try sheet.flush()
    }

    /// Every row of a workbook's first sheet, as text (for checks of a downloaded workbook; imports stream instead).
    public static func rows(_ workbook: Data) throws -> [[String]] {
        let directory = FileManager.default.temporaryDirectory
        let source = directory.appendingPathComponent("gongzhi-workbook-\(UUID()).xlsx")
        let target = directory.appendingPathComponent("gongzhi-workbook-\(UUID()).csv")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: target)
        }
        try workbook.write(to: source)
        try convert(source, to: target)
        guard let stream = InputStream(url: target) else { throw unreadable }
        let reader = try CSVReader(stream: stream, hasHeaderRow: false)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    static var unreadable: DomainError { .invalid("file_xlsx_unreadable", field: "file") }

    /// The zero-based column of a cell reference ("AB12" → 27).
    static func column(of reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    /// The row number of a cell or row reference ("AB12" → 12).
    static func row(of reference: String) -> Int? {
        Int(String(reference.unicodeScalars.drop { $0.value >= 65 && $0.value <= 90 }))
    }

    /// A number as a general cell shows it: integral values without a decimal point or exponent (phones, room and
    /// household numbers), others as written.
    static func general(_ value: String) -> String {
        guard let number = Double(value), number.isFinite else { return value }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return value
    }

    /// An Excel serial day as a calendar date (1900 system: day 1 is 1900-01-01, with Excel's phantom 1900-02-29).
    static func date(serial value: String, date1904: Bool) -> String? {
        guard let serial = Double(value), serial >= 1, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        if !date1904, days < 60 { days += 1 }
        let base = date1904 ? (1904, 1, 1) : (1899, 12, 30)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: base.0, month: base.1, day: base.2)),
            let day = calendar.date(byAdding: .day, value: days, to: start)
        else { return nil }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        guard let y = parts.year, let m = parts.month, let d = parts.day else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// RFC 4180: quote a cell holding a comma, quote or line break.
    static func csvCell(_ cell: String) -> String {
        // By scalar: "\r\n" is one Character, so a lone "\n" would not match it.
        cell.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}

/// The workbook part: the first sheet's relationship id and the date system.
private final class WorkbookParser: NSObject, XMLParserDelegate {
    var firstSheetRelation: String?
    var date1904 = false

    static func parse(_ data: Data) -> WorkbookParser {
        let delegate = WorkbookParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch local(name) {
        case "sheet" where firstSheetRelation == nil:
            firstSheetRelation = attributes.first { local($0.key) == "id" }?.value
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
        default: break
        }
    }
}

/// A relationships part: id → target.
private final class RelationshipsParser: NSObject, XMLParserDelegate {
    var targets: [String: String] = [:]

    static func parse(_ data: Data) -> [String: String] {
        let delegate = RelationshipsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.targets
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
            targets[id] = target
        }
    }
}

/// The shared strings: each `<si>` is one string, the text of its `<t>` elements (rich text runs included, the
/// phonetic guides `<rPh>` left out).
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var phonetic = 0

    static func parse(_ data: Data) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.strings
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch local(name) {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "si": strings.append(current)
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// The styles part: which cell formats (`s` indexes into `cellXfs`) show a date.
private final class StylesParser: NSObject, XMLParserDelegate {
    var customFormats: [Int: String] = [:]
    var formats: [Int] = []
    var inCellFormats = false

    /// Built-in date formats, including those Excel uses for Chinese dates (27–36, 50–58).
    static let builtInDates = Set(14...22).union(27...36).union(45...47).union(50...58)

    static func dateStyles(_ data: Data) -> Set<Int> {
        let delegate = StylesParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        var styles = Set<Int>()
        for (index, id) in delegate.formats.enumerated() {
            if builtInDates.contains(id) || delegate.customFormats[id].map(isDateFormat) == true {
                styles.insert(index)
            }
        }
        return styles
    }

    /// A custom format shows a date when, outside quoted text and brackets, it holds a day, month or year code.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var previous: Character = " "
        for c in code {
            defer { previous = c }
            if previous == "\\" { continue }
            switch c {
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "y", "Y", "d", "D", "m",
                "M" where !quoted && !bracket:
                return true
            default: break
            }
        }
        return false
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch local(name) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats: formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if local(name) == "cellXfs" { inCellFormats = false }
    }
}

/// The worksheet, streamed: each `<row>` becomes one CSV line, its cells placed by their references.
private final class SheetParser: NSObject, XMLParserDelegate {
    let strings: [String]
    let dateStyles: Set<Int>
    let date1904: Bool
    let output: FileHandle
    var failure: (any Error)?

    var buffer = ""
    var rowNumber = 0
    var cells: [String] = []
    var cellColumn = 0
    var cellType = ""
    var cellStyle = 0
    var value = ""
    var capturing = false
    /// Inside a phonetic guide (`<rPh>`), whose text is not the cell's.
    var phonetic = 0

    init(strings: [String], dateStyles: Set<Int>, date1904: Bool, output: FileHandle) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.output = output
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch local(name) {
        case "row":
            let number = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            // Rows missing between two rows are empty lines, so line numbers stay the sheet's row numbers.
            while rowNumber + 1 < number {
                buffer += "\r\n"
                rowNumber += 1
            }
            rowNumber = max(rowNumber, number - 1)
            cells = []
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.column(of:)) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v", "t":
            capturing = phonetic == 0
        case "rPh":
            phonetic += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "v", "t":
            capturing = false
        case "rPh":
            phonetic -= 1
        case "c":
            while cells.count < cellColumn { cells.append("") }
            let text = cellText()
            if cellColumn < cells.count { cells[cellColumn] = text } else { cells.append(text) }
        case "row":
            rowNumber += 1
            buffer += cells.map(XLSXReader.csvCell).joined(separator: ",") + "\r\n"
            if buffer.utf8.count > 1 << 16 {
                do { try flush() } catch {
                    failure = error
                    parser.abortParsing()
                }
            }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { value += string }
    }

    func cellText() -> String {
        switch cellType {
        case "s": return Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
        case "inlineStr", "str": return value
        case "b": return value == "1" ? "TRUE" : "FALSE"
        case "e": return ""
        default:
            if dateStyles.contains(cellStyle), let date = XLSXReader.date(serial: value, date1904: date1904) {
                return date
            }
            return XLSXReader.general(value)
        }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try output.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }
}

/// An element's name without its namespace prefix.
private func local(_ name: String) -> String {
    name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
}
