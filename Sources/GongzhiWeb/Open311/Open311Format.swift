import Foundation
import Hummingbird

/// GeoReport v2 answers in JSON or XML, chosen by the path's extension. Values are strings or nested lists;
/// keys keep their order so the XML reads like the specification's examples.
enum Open311Format: String {
    case json, xml

    /// Splits "requests.json" into ("requests", .json); no extension means JSON.
    static func split(_ name: String) -> (String, Open311Format)? {
        if name.hasSuffix(".json") { return (String(name.dropLast(5)), .json) }
        if name.hasSuffix(".xml") { return (String(name.dropLast(4)), .xml) }
        return name.contains(".") ? nil : (name, .json)
    }

    typealias Record = [(String, Open311Value)]

    func response(root: String, item: String, records: [Record], status: HTTPResponse.Status = .ok) -> Response {
        switch self {
        case .json:
            let body = "[" + records.map(Self.json).joined(separator: ",") + "]"
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        case .xml:
            var body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(root)>"
            for record in records { body += "<\(item)>" + Self.xml(record) + "</\(item)>" }
            body += "</\(root)>\n"
            return Response(
                status: status, headers: [.contentType: "text/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// A single object (the discovery document) rather than a list.
    func object(root: String, record: Record) -> Response {
        switch self {
        case .json:
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.json(record))))
        case .xml:
            let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(root)>" + Self.xml(record) + "</\(root)>\n"
            return Response(
                status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    func error(_ status: HTTPResponse.Status, _ description: String) -> Response {
        response(
            root: "errors", item: "error",
            records: [[("code", .string("\(status.code)")), ("description", .string(description))]], status: status)
    }

    static func json(_ record: Record) -> String {
        "{" + record.map { "\"\($0.0)\":" + json($0.1) }.joined(separator: ",") + "}"
    }

    static func json(_ value: Open311Value) -> String {
        switch value {
        case .string(let s): return "\"" + escapeJSON(s) + "\""
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list(let item, let values): _ = item; return "[" + values.map(json).joined(separator: ",") + "]"
        case .records(let item, let records): _ = item; return "[" + records.map(json).joined(separator: ",") + "]"
        case .record(let record): return json(record)
        }
    }

    static func xml(_ record: Record) -> String {
        record.map { key, value in
            switch value {
            case .null: return "<\(key)/>"
            case .list(let item, let values):
                return "<\(key)>" + values.map { "<\(item)>" + xmlText($0) + "</\(item)>" }.joined() + "</\(key)>"
            case .records(let item, let records):
                return "<\(key)>" + records.map { "<\(item)>" + xml($0) + "</\(item)>" }.joined() + "</\(key)>"
            case .record(let inner): return "<\(key)>" + xml(inner) + "</\(key)>"
            default: return "<\(key)>" + xmlText(value) + "</\(key)>"
            }
        }.joined()
    }

    static func xmlText(_ value: Open311Value) -> String {
        switch value {
        case .string(let s):
            return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    static func escapeJSON(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

enum Open311Value {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case list(item: String, [Open311Value])
    case records(item: String, [Open311Format.Record])
    case record(Open311Format.Record)

    static func optional(_ s: String?) -> Open311Value { s.map { .string($0) } ?? .null }
}
