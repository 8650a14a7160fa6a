import Foundation

/// Photos are checked by their bytes, not their names: JPEG, PNG or WebP only, at most `maxBytes`, at most
/// `maxPerCase` per case. Anything else (HTML, SVG, a renamed file) is refused.
public enum PhotoRules {
    public static let maxBytes = 5 * 1024 * 1024
    public static let maxPerCase = 3

    public static func contentType(of bytes: [UInt8]) throws(DomainError) -> String {
        guard !bytes.isEmpty else { throw .invalid("photo_empty", field: "photo") }
        guard bytes.count <= maxBytes else {
            throw .invalid("photo_too_large", field: "photo", args: ["\(maxBytes / 1024 / 1024)"])
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        throw .invalid("photo_not_image", field: "photo")
    }
}
