import Foundation
import ZIPFoundation

/// Writes rows of text as a one-sheet Excel workbook (.xlsx): the least a spreadsheet needs (content types, the
/// package and workbook relationships, the workbook and one sheet), every cell an inline string, so an ID number or
/// a phone stays text and nothing in a cell is ever taken for a formula.
public enum XLSXWriter {
    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public static func workbook(_ rows: [[String]], sheetName: String = "Sheet1") throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
        let officeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                header
                    + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                    + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                    + #"<Default Extension="xml" ContentType="application/xml"/>"#
                    + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                    + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                    + "</Types>"
            ),
            (
                "_rels/.rels",
                header + "<Relationships xmlns=\"\(relationships)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(officeDocument)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/workbook.xml",
                header + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(officeDocument)\"><sheets>"
                    + "<sheet name=\"\(escape(String(sheetName.prefix(31))))\" sheetId=\"1\" r:id=\"rId1\"/>"
                    + "</sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                header + "<Relationships xmlns=\"\(relationships)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(officeDocument)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "</Relationships>"
            ),
            ("xl/worksheets/sheet1.xml", sheet(rows, namespace: main, header: header)),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    static func sheet(_ rows: [[String]], namespace: String, header: String) -> String {
        var xml = header + "<worksheet xmlns=\"\(namespace)\"><sheetData>"
        for (r, row) in rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() where !cell.isEmpty {
                xml += "<c r=\"\(columnName(c))\(r + 1)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                xml += escape(cell) + "</t></is></c>"
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// The column's letters (0 → A, 26 → AA).
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// XML text: the five entities escaped, characters XML 1.0 cannot hold left out.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
