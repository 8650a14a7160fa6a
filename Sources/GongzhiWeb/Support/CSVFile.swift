import Foundation
import Hummingbird

/// How a CSV download is encoded. UTF-8 with a byte-order mark opens in current Excel; GB18030, on request, in the
/// older Excel and WPS versions still common in offices, which read a CSV in the system's code page.
enum CSVEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case gb18030

    /// Foundation's GB18030: `CFStringConvertEncodingToNSStringEncoding(kCFStringEncodingGB_18030_2000)`, written
    /// as its value because Linux Foundation does not export the CoreFoundation names.
    static let gb18030Foundation = String.Encoding(rawValue: 0x8000_0632)

    /// The choice from `?encoding=` (unknown or absent: UTF-8).
    init(query value: Substring?) {
        self = value.flatMap { Self(rawValue: $0.lowercased()) } ?? .utf8
    }

    var charset: String { self == .utf8 ? "utf-8" : "GB18030" }

    /// The file's bytes. GB18030 encodes every Unicode character, so nothing is lost in either encoding.
    /// `bom` puts the byte-order mark before UTF-8 text (GB18030 has none).
    func bytes(_ text: String, bom: Bool = true) -> [UInt8] {
        switch self {
        case .utf8: return Array(((bom ? "\u{FEFF}" : "") + text).utf8)
        case .gb18030: return text.data(using: Self.gb18030Foundation).map { Array($0) } ?? Array(text.utf8)
        }
    }

    /// A download named `filename` (ASCII), in this encoding.
    func response(_ text: String, filename: String, bom: Bool = true) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=\(charset)",
                .contentDisposition: "attachment; filename=\"\(filename)\"",
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes(text, bom: bom))))
    }
}
