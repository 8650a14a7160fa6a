import Foundation
import GongzhiDomain
import HTTPTypes
import Hummingbird
import MultipartKit

/// How large a request body may be, stated once. Only the routes that take photos (the report form, the case page's
/// photo form and the photo API) read up to `upload`; every other body (forms, JSON, Open311) at most `ordinary`,
/// which is also `AppRequestContext.maxUploadSize`. A body over its limit answers 413.
public enum BodyLimits {
    /// One photo at its limit plus the other fields of its form.
    public static let upload = PhotoRules.maxBytes + 64 * 1024
    /// One meeting attachment at its limit plus the other fields of its form.
    public static let attachment = MeetingAttachmentRules.maxBytes + 64 * 1024
    /// One meeting attachment at its limit in base64 JSON.
    public static let attachmentJSON = MeetingAttachmentRules.maxBytes / 3 * 4 + 64 * 1024
    /// Everything else, a tree import of thousands of rows included.
    public static let ordinary = 1024 * 1024
}

/// A decoded `application/x-www-form-urlencoded` (or `multipart/form-data`) body. Reading one checks the CSRF token,
/// so every state-changing form goes through the same check, and refuses text holding a NUL character.
struct Form: Sendable {
    var values: [String: [String]]
    /// Uploaded files of a multipart form, by field name (only non-empty ones).
    var files: [String: [UInt8]] = [:]
    /// The file names the browser sent with them, by field name.
    var fileNames: [String: String] = [:]

    subscript(_ key: String) -> String { values[key]?.first ?? "" }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func int(_ key: String) -> Int64? { Int64(self[key].trimmingCharacters(in: .whitespaces)) }

    /// The header a script may send the CSRF token in instead of a form field.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// Reads and checks a form. `upload` is for the routes that take photos: their multipart bodies may be large, so
    /// the CSRF token must come before the body, in the form's action URL (`?_csrf=…`, which the pages write, so the
    /// form works without JavaScript) or an `X-CSRF-Token` header, and is checked before a byte of the body is
    /// buffered. Every other body (a urlencoded one on those routes too) is read up to `BodyLimits.ordinary` and may
    /// carry the token in its `_csrf` field.
    static func read(
        _ request: Request, _ context: AppRequestContext, upload: Bool = false, limit: Int = BodyLimits.upload
    ) async throws -> Form {
        let early = request.headers[csrfHeader] ?? request.uri.queryParameters["_csrf"].map(String.init)
        let contentType = request.headers[.contentType] ?? ""
        let boundary =
            contentType.lowercased().hasPrefix("multipart/form-data")
            ? contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.hasPrefix("boundary=") })?.dropFirst("boundary=".count) : nil
        let large = upload && boundary != nil
        if let early {
            guard validCSRF(early, context) else { throw DomainError(.forbidden, "csrf_invalid") }
        } else if large {
            throw DomainError(.forbidden, "csrf_invalid")
        }
        let buffer = try await request.body.collect(upTo: large ? limit : context.maxUploadSize)
        let form =
            if let boundary {
                try multipart(
                    buffer, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            } else {
                parse(String(buffer: buffer))
            }
        guard early != nil || validCSRF(form["_csrf"], context) else { throw DomainError(.forbidden, "csrf_invalid") }
        try form.refuseNUL()
        return form
    }

    static func validCSRF(_ token: String, _ context: AppRequestContext) -> Bool {
        !context.csrfToken.isEmpty && constantTimeEqual(token, context.csrfToken)
    }

    /// Text never holds a NUL character: it would cut values short in C libraries, logs and other systems.
    func refuseNUL() throws {
        for (key, list) in values
        where key.unicodeScalars.contains("\0") || list.contains(where: { $0.unicodeScalars.contains("\0") }) {
            throw DomainError.invalid("text_nul", field: key.unicodeScalars.contains("\0") ? nil : key)
        }
    }

    /// Text fields become values; parts with a filename become files.
    static func multipart(_ buffer: ByteBuffer, boundary: String) throws -> Form {
        var form = Form(values: [:])
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in body += chunk.readBytes(length: chunk.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition)
            if let name {
                if let fileName = Self.parameter("filename", in: disposition) {
                    if !body.isEmpty {
                        form.files[name] = body
                        form.fileNames[name] = fileName
                    }
                } else {
                    form.values[name, default: []].append(String(decoding: body, as: UTF8.self))
                }
            }
            headers = [:]
            body = []
        }
        do { try parser.execute(buffer) } catch { throw DomainError.invalid("form_malformed") }
        return form
    }

    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    static func parse(_ body: String) -> Form {
        var values: [String: [String]] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first, !key.isEmpty else { continue }
            values[key, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return Form(values: values)
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

/// JSON request bodies: at most `maxUploadSize`, and refused (422) when a string holds a NUL character.
public struct CheckedJSONDecoder: RequestDecoder {
    public func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext
    ) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        if jsonHoldsNUL(data) { throw DomainError.invalid("text_nul") }
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// Whether a JSON text holds a NUL character: a raw zero byte or a `\u0000` escape (an escaped backslash before
/// `u0000` is not one).
func jsonHoldsNUL(_ data: Data) -> Bool {
    let bytes = Array(data)
    var i = 0
    while i < bytes.count {
        switch bytes[i] {
        case 0: return true
        case UInt8(ascii: "\\"):
            if i + 5 < bytes.count, bytes[i + 1] == UInt8(ascii: "u"),
                bytes[(i + 2)...(i + 5)].allSatisfy({ $0 == UInt8(ascii: "0") })
            {
                return true
            }
            i += 2
        default: i += 1
        }
    }
    return false
}
