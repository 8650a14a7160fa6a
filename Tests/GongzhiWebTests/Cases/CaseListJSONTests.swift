import Foundation
import GongzhiDomain
import Testing

@testable import GongzhiWeb

/// The case list's direct JSON writer against `JSONEncoder` with the API's settings: the same bytes.
@Suite struct CaseListJSONTests {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static func cases() -> [Case] {
        let t = Date(timeIntervalSince1970: 1_796_000_000.999)
        var full = Case(
            id: 9_007_199_254_740_993, number: "GZ20261207-0042", kind: .dispute, channel: .hotline, status: .closed,
            title: "引号\"反斜杠\\斜杠/换行\n制表\t回车\r退格\u{8}换页\u{C}控制\u{1}\u{1F}删除\u{7F}表情😀",
            description: "第3栋 <b>&amp;</b> 'quote' é", categoryID: 12, communityID: 3, nodeID: 104,
            reporterUserID: 501, isPublic: true, unitID: 7, createdAt: t, respondBy: t.addingTimeInterval(86_400.5),
            resolveBy: Date(timeIntervalSince1970: 0), closedAt: Date(timeIntervalSince1970: 951_782_400),
            rating: .basicallySatisfied, reopenCount: 2)
        full.escalationLevel = 2
        full.latitude = -22.5
        full.longitude = 113.0
        full.disputeGrade = .major
        full.respondedAt = Date(timeIntervalSince1970: 4_102_444_799.5)
        full.ratingComment = ""
        full.escalatedAt = Date(timeIntervalSince1970: 1_709_164_800)
        full.mergedIntoID = 1
        full.facilityID = 0
        full.version = 17
        let bare = Case(
            id: 1, number: "GZ19700101-0001", kind: .appeal, channel: .web, title: "t", description: "d",
            communityID: 1, nodeID: 1, createdAt: Date(timeIntervalSince1970: 1_796_000_000.001))
        var odd = bare
        odd.latitude = 22.530_123_456_789
        odd.longitude = 1e-7
        odd.categoryID = nil
        return [full, bare, odd]
    }

    @Test func aPageIsWrittenExactlyAsTheResponseEncoderWritesIt() throws {
        for (items, cursor) in [(Self.cases(), "99" as String?), ([], nil), (Array(Self.cases().prefix(1)), nil)] {
            var out = JSONBytes()
            CaseListJSON.write(items, nextCursor: cursor, into: &out)
            let expected = try Self.encoder().encode(Page(items: items, nextCursor: cursor))
            #expect(String(decoding: out.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test func everyDayOfFourCenturiesIsWrittenAsFoundationWritesIt() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var day = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        while day.timeIntervalSince1970 < 10_413_792_000 {  // 2300-01-01
            var bytes: [UInt8] = []
            let at = day.addingTimeInterval(86_399.75)
            ISO8601Instant.append(at, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == formatter.string(from: at))
            day = day.addingTimeInterval(86_400 * 7 + 3_600)
        }
    }
}
