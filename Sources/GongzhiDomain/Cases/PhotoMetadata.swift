/// A copy of a photo without what it says about where and by whom it was taken, for public pages: JPEG without
/// APP1…APP15 segments (EXIF, XMP, ICC, maker notes) and comments; PNG without eXIf and text chunks; WebP without
/// EXIF and XMP chunks. Pixels are untouched. Anything not understood comes back empty rather than unstripped.
public enum PhotoMetadata {
    public static func stripped(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0xFF, 0xD8]) { return jpeg(bytes) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png(bytes) }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return webp(bytes)
        }
        return []
    }

    static func jpeg(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i + 1 < b.count {
            guard b[i] == 0xFF else { return [] }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD9 { out += [0xFF, 0xD9]; return out }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { out += [0xFF, marker]; i += 2; continue }
            guard i + 3 < b.count else { return [] }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { return [] }
            let end = i + 2 + length
            if marker == 0xDA {
                // Start of scan: the entropy-coded data and everything after it are kept as they are.
                out += b[i...]
                return out
            }
            if !(0xE1...0xEF).contains(marker) && marker != 0xFE { out += b[i..<end] }
            i = end
        }
        return []
    }

    static func png(_ b: [UInt8]) -> [UInt8] {
        let dropped: Set<String> = ["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]
        var out = Array(b[0..<8])
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 0, i + 12 + length <= b.count else { return [] }
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let end = i + 12 + length
            if !dropped.contains(type) { out += b[i..<end] }
            if type == "IEND" { return out }
            i = end
        }
        return []
    }

    static func webp(_ b: [UInt8]) -> [UInt8] {
        var body: [UInt8] = Array("WEBP".utf8)
        var i = 12
        var vp8xAt: Int?
        while i + 8 <= b.count {
            let type = String(decoding: b[i..<(i + 4)], as: UTF8.self)
            let size = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            let end = i + 8 + size + (size & 1)
            guard end <= b.count else { return [] }
            if type == "VP8X" { vp8xAt = body.count }
            if type != "EXIF" && type != "XMP " { body += b[i..<end] }
            i = end
        }
        // The VP8X flags must no longer announce EXIF (bit 3) or XMP (bit 2).
        if let at = vp8xAt, at + 8 < body.count { body[at + 8] &= ~0x0C }
        let size = UInt32(body.count)
        return Array("RIFF".utf8) + [
            UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24),
        ] + body
    }
}
