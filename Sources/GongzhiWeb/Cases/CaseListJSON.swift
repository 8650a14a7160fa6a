import Foundation
import GongzhiDomain
import Hummingbird

/// The JSON case list (`GET /api/v1/cases`) written straight into bytes, the same bytes `JSONEncoder` writes with
/// the API's settings (sorted keys, ISO 8601 dates, slashes unescaped; a test holds the two equal). Foundation's
/// encoder builds a tree of boxed values before writing: about 0.75 ms for a page of 50 cases, half of the answer's
/// cost (BENCHMARKS.md, `gongzhi-bench json`); this writes the same page in a small fraction of that.
public enum CaseListJSON {
    /// The page's JSON text (for `gongzhi-bench json`).
    public static func bytes(_ items: [Case], nextCursor: String?) -> [UInt8] {
        var out = JSONBytes()
        write(items, nextCursor: nextCursor, into: &out)
        return out.bytes
    }

    static func response(_ items: [Case], nextCursor: String?) -> Response {
        var out = JSONBytes()
        out.bytes.reserveCapacity(600 * items.count + 64)
        write(items, nextCursor: nextCursor, into: &out)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    static func write(_ items: [Case], nextCursor: String?, into out: inout JSONBytes) {
        out.raw("{\"items\":[")
        for (i, c) in items.enumerated() {
            if i > 0 { out.raw(",") }
            write(c, into: &out)
        }
        out.raw("]")
        if let nextCursor {
            out.raw(",\"nextCursor\":")
            out.string(nextCursor)
        }
        out.raw("}")
    }

    /// One case's fields in the order `JSONEncoder`'s sorted keys put them; nil ones left out, as it leaves them.
    static func write(_ c: Case, into out: inout JSONBytes) {
        out.beginObject()
        out.field("categoryID", c.categoryID)
        out.field("channel", c.channel.rawValue)
        out.field("closedAt", c.closedAt)
        out.field("communityID", c.communityID)
        out.field("createdAt", c.createdAt)
        out.field("description", c.description)
        out.field("disputeGrade", c.disputeGrade?.rawValue)
        out.field("escalatedAt", c.escalatedAt)
        out.field("escalationLevel", c.escalationLevel)
        out.field("facilityID", c.facilityID)
        out.field("id", c.id)
        out.field("isPublic", c.isPublic)
        out.field("kind", c.kind.rawValue)
        out.field("latitude", c.latitude)
        out.field("longitude", c.longitude)
        out.field("mergedIntoID", c.mergedIntoID)
        out.field("nodeID", c.nodeID)
        out.field("number", c.number)
        out.field("rating", c.rating?.rawValue)
        out.field("ratingComment", c.ratingComment)
        out.field("reopenCount", c.reopenCount)
        out.field("reporterUserID", c.reporterUserID)
        out.field("resolveBy", c.resolveBy)
        out.field("respondBy", c.respondBy)
        out.field("respondedAt", c.respondedAt)
        out.field("status", c.status.rawValue)
        out.field("title", c.title)
        out.field("unitID", c.unitID)
        out.field("version", c.version)
        out.endObject()
    }
}

/// A JSON text under construction, as UTF-8 bytes.
struct JSONBytes {
    var bytes: [UInt8] = []
    /// Whether the object being written still has no field (so the next one needs no comma).
    private var empty = true

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        empty = true
    }

    mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        field(name, Int64(value))
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        guard let value, value.isFinite else { return }
        key(name)
        // As Foundation writes a double: its shortest exact form, without a trailing ".0".
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func field(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        key(name)
        bytes.append(UInt8(ascii: "\""))
        ISO8601Instant.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string with JSON's escapes, as `JSONEncoder` writes them with slashes unescaped.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = { (n: UInt8) in n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "a") + n - 10 }
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(byte >> 4),
                    hex(byte & 0xF),
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// An instant as ISO 8601 in UTC to the second (`2026-12-07T01:22:07Z`), as `JSONEncoder`'s `.iso8601` writes it.
enum ISO8601Instant {
    static func append(_ date: Date, to bytes: inout [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ count: Int) {
            // Into the bytes directly, most significant first: no buffer per number.
            var divisor: Int64 = count == 4 ? 1000 : 10
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
    }
}
