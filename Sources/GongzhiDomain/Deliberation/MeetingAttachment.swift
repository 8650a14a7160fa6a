import Foundation

/// A file kept with a meeting's record (会议附件): the notice, a sign-in sheet's scan, a presentation. Listed without
/// its bytes.
public struct MeetingAttachment: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var name: String
    public var contentType: String
    public var size: Int
    public var uploadedAt: Date
    /// Who uploaded it (their display name), nil for the command line.
    public var uploadedBy: String?

    public init(
        id: Int64, name: String, contentType: String, size: Int, uploadedAt: Date, uploadedBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
        self.uploadedAt = uploadedAt
        self.uploadedBy = uploadedBy
    }
}

/// Attachments are checked by their bytes, not their names: PDF, JPEG, PNG, WebP, and Office Open XML documents
/// (a ZIP archive, accepted only under a .docx, .xlsx or .pptx name). At most `maxBytes` each and `maxPerMeeting`
/// per meeting; a name of at most `maxName` characters without path separators or control characters. Anything
/// else (HTML, SVG, a script, a renamed file) is refused.
public enum MeetingAttachmentRules {
    public static let maxBytes = 10 * 1024 * 1024
    public static let maxPerMeeting = 20
    public static let maxName = 100

    /// The Office Open XML types, by the name's extension.
    public static let officeTypes: [String: String] = [
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]

    /// The name trimmed: `meeting_attachment_name_required`, `meeting_attachment_name_too_long`,
    /// `meeting_attachment_name_invalid` (a path separator, a control character, or only dots).
    public static func name(_ raw: String) throws(DomainError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalid("meeting_attachment_name_required", field: "file") }
        guard name.count <= maxName else {
            throw .invalid("meeting_attachment_name_too_long", field: "file", args: ["\(maxName)"])
        }
        let refused = name.unicodeScalars.contains {
            $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control
                || $0.properties.generalCategory == .format || $0.properties.generalCategory == .lineSeparator
                || $0.properties.generalCategory == .paragraphSeparator
        }
        guard !refused, name.contains(where: { $0 != "." }) else {
            throw .invalid("meeting_attachment_name_invalid", field: "file")
        }
        return name
    }

    /// The content type its bytes show: `meeting_attachment_empty`, `meeting_attachment_too_large`,
    /// `meeting_attachment_type_refused`.
    public static func contentType(of bytes: [UInt8], name: String) throws(DomainError) -> String {
        guard !bytes.isEmpty else { throw .invalid("meeting_attachment_empty", field: "file") }
        guard bytes.count <= maxBytes else {
            throw .invalid("meeting_attachment_too_large", field: "file", args: ["\(maxBytes / 1024 / 1024)"])
        }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]),
            let dot = name.lastIndex(of: "."),
            let type = officeTypes[name[name.index(after: dot)...].lowercased()]
        {
            return type
        }
        throw .invalid("meeting_attachment_type_refused", field: "file")
    }

    /// A new attachment checked whole: its name, its type by its bytes, and room for it
    /// (`meeting_attachment_too_many` when the meeting holds `maxPerMeeting`).
    public static func check(
        name raw: String, bytes: [UInt8], existing: Int
    ) throws(DomainError) -> (name: String, contentType: String) {
        guard existing < maxPerMeeting else {
            throw .invalid("meeting_attachment_too_many", field: "file", args: ["\(maxPerMeeting)"])
        }
        let name = try name(raw)
        return (name, try contentType(of: bytes, name: name))
    }

    /// A size as people read it: "12 KB", "1.5 MB".
    public static func sizeText(_ size: Int) -> String {
        if size < 1024 * 1024 { return "\(max(1, (size + 1023) / 1024)) KB" }
        let tenths = (size * 10 + 512 * 1024) / (1024 * 1024)
        return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10).\(tenths % 10) MB"
    }
}
