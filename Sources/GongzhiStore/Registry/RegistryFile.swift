import CSV
import Foundation
import GongzhiDomain

/// A registry import file read row by row (yaslab/CSV.swift streams it; nothing holds the whole file): UTF-8 with
/// or without a byte-order mark, or GB18030/GBK as Excel saves CSV on Chinese Windows, told apart by their bytes, or
/// an Excel workbook (.xlsx, told by its ZIP signature), whose first sheet is first written out as UTF-8 CSV.
/// A GB18030 file is first turned into UTF-8 a chunk at a time (its multi-byte characters never hold the newline
/// byte, so chunks cut after a newline decode alone); a file that is neither is refused with `file_encoding`.
struct RegistryFile {
    enum Encoding: String, Sendable { case utf8 = "UTF-8", gb18030 = "GB18030", xlsx = "XLSX" }

    let url: URL
    let encoding: Encoding
    /// The UTF-8 file the rows are read from (the original, or its transcoded copy, removed by `close`).
    let utf8URL: URL

    /// Foundation's GB18030 (kCFStringEncodingGB_18030_2000).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    init(_ url: URL) throws {
        self.url = url
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw DomainError.invalid("file_unreadable", field: "file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        guard !head.isEmpty else { throw DomainError.invalid("file_empty", field: "file") }
        // An Excel 97–2003 workbook (OLE2 compound file): named, so the worker knows to save it as .xlsx or CSV.
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw DomainError.invalid("file_xls_old", field: "file") }
        if XLSXReader.isWorkbook(head) {
            encoding = .xlsx
            utf8URL = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-import-\(UUID()).csv")
            do { try XLSXReader.convert(url, to: utf8URL) } catch {
                try? FileManager.default.removeItem(at: utf8URL)
                throw error
            }
            return
        }
        if Self.isUTF8(head, complete: head.count < 64 * 1024) {
            encoding = .utf8
            utf8URL = url
            return
        }
        let cut = head.lastIndex(of: 0x0A).map { head[..<$0] } ?? head
        guard String(data: Data(cut), encoding: Self.gb18030) != nil else {
            throw DomainError.invalid("file_encoding", field: "file")
        }
        encoding = .gb18030
        utf8URL = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-import-\(UUID()).csv")
        try Self.transcode(url, to: utf8URL)
    }

    func close() {
        if utf8URL != url { try? FileManager.default.removeItem(at: utf8URL) }
    }

    /// The file's rows from the first again (an import that puts rows off reads those a second time).
    func reader() throws -> ImportRows {
        guard let stream = InputStream(url: utf8URL) else {
            throw DomainError.invalid("file_unreadable", field: "file")
        }
        do { return ImportRows(try CSVReader(stream: stream, hasHeaderRow: true, trimFields: false)) } catch {
            throw DomainError.invalid("file_malformed", field: "file", args: ["1"])
        }
    }

    /// Valid UTF-8, allowing a sequence cut at the end of an incomplete sample.
    static func isUTF8(_ data: Data, complete: Bool) -> Bool {
        var bytes = Array(data)
        if !complete {
            // Drop a trailing partial sequence: at most three continuation bytes after a lead byte.
            var i = bytes.count - 1
            var back = 0
            while i >= 0, back < 4, bytes[i] & 0xC0 == 0x80 {
                i -= 1
                back += 1
            }
            if i >= 0, bytes[i] >= 0xC0 { bytes.removeSubrange(i...) }
        }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    static func transcode(_ url: URL, to target: URL) throws {
        guard let input = try? FileHandle(forReadingFrom: url) else {
            throw DomainError.invalid("file_unreadable", field: "file")
        }
        defer { try? input.close() }
        FileManager.default.createFile(atPath: target.path, contents: nil)
        let output = try FileHandle(forWritingTo: target)
        defer { try? output.close() }
        var carry = Data()
        while true {
            let chunk = (try? input.read(upToCount: 1 << 20)) ?? Data()
            var block = carry + chunk
            if !chunk.isEmpty {
                guard let newline = block.lastIndex(of: 0x0A) else {
                    carry = block
                    continue
                }
                carry = Data(block[block.index(after: newline)...])
                block = Data(block[...newline])
            } else {
                carry = Data()
            }
            if !block.isEmpty {
                guard let text = String(data: block, encoding: gb18030) else {
                    throw DomainError.invalid("file_encoding", field: "file")
                }
                try output.write(contentsOf: Data(text.utf8))
            }
            if chunk.isEmpty { break }
        }
    }
}

/// An import file's header and rows, each field without the white space around it. The trimming is done here rather
/// by CSV.swift's `trimFields`, which trims every field through Foundation's `NSString` on Linux: a tenth of
/// importing a person (issue 12), where a field with nothing to trim now costs a look at its first and last character.
final class ImportRows {
    let reader: CSVReader
    let headerRow: [String]

    init(_ reader: CSVReader) {
        self.reader = reader
        headerRow = (reader.headerRow ?? []).map(\.trimmedWhitespace)
    }

    func next() -> [String]? {
        guard var row = reader.next() else { return nil }
        for i in row.indices { row[i] = row[i].trimmedWhitespace }
        return row
    }

    /// The reader's error, if any other than the end of the file (Foundation's file stream on Linux says it has
    /// bytes until a read returns none, which CSV.swift reports as `cannotReadFile`).
    var failure: (any Error)? {
        guard let error = reader.error else { return nil }
        if case .cannotReadFile = error as? CSVError { return nil }
        return error
    }
}
