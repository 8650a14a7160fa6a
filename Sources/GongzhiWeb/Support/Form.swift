import Foundation
import GongzhiDomain
import Hummingbird
import MultipartKit

/// A decoded `application/x-www-form-urlencoded` body. Reading one checks the CSRF token, so every
/// state-changing form goes through the same check.
struct Form: Sendable {
    var values: [String: [String]]
    /// Uploaded files of a multipart form, by field name (only non-empty ones).
    var files: [String: [UInt8]] = [:]

    subscript(_ key: String) -> String { values[key]?.first ?? "" }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func int(_ key: String) -> Int64? { Int64(self[key].trimmingCharacters(in: .whitespaces)) }

    static func read(_ request: Request, _ context: AppRequestContext, limit: Int = 2 * 1024 * 1024) async throws -> Form {
        let contentType = request.headers[.contentType] ?? ""
        let form: Form
        if contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = contentType.split(separator: ";")
            .map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { $0.hasPrefix("boundary=") })?.dropFirst("boundary=".count)
        {
            let buffer = try await request.body.collect(upTo: 20 * 1024 * 1024)
            form = try multipart(buffer, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        } else {
            let buffer = try await request.body.collect(upTo: limit)
            form = parse(String(buffer: buffer))
        }
        guard !context.csrfToken.isEmpty, constantTimeEqual(form["_csrf"], context.csrfToken) else {
            throw DomainError(.forbidden, "csrf_invalid")
        }
        return form
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
                if Self.parameter("filename", in: disposition) != nil {
                    if !body.isEmpty { form.files[name] = body }
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
            if pair.count == 2, pair[0] == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
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
