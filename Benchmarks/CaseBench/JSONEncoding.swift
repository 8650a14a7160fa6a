import Foundation
import GongzhiDomain
import GongzhiWeb

/// `gongzhi-bench json [--rounds 2000]`: the JSON case list's answer (a page of 50 cases, as `GET /api/v1/cases`
/// sends it) encoded by each candidate encoder, in microseconds per page, with each candidate's output checked to
/// decode to the same page (issue 11: JSON encoding on hot paths measured, the fastest correct encoder chosen).
func jsonEncoding() throws {
    struct Page: Codable, Equatable {
        var items: [Case]
        var nextCursor: String?
    }
    let rounds = Int(argument("--rounds", "2000"))!
    let start = Date(timeIntervalSince1970: 1_796_000_000)
    let titles = ["路灯不亮", "楼道堆放杂物", "井盖破损", "噪音扰民", "垃圾清运不及时"]
    var items: [Case] = []
    for i in 0..<50 {
        var c = Case(
            id: Int64(1_000_000 - i), number: "GZ20261207-\(String(format: "%04d", i))", kind: .appeal, channel: .web,
            status: [.submitted, .dispatched, .handling, .closed][i % 4], title: titles[i % titles.count] + " \(i)",
            description: "第\(i % 30)栋居民反映" + titles[(i / 7) % titles.count] + "，已持续三天，请尽快处理。/ 附近有老人小孩。",
            categoryID: Int64(i % 12), communityID: 3, nodeID: Int64(100 + i), reporterUserID: Int64(500 + i),
            isPublic: i % 3 == 0, unitID: i % 4 == 0 ? nil : 7, createdAt: start.addingTimeInterval(Double(-i * 3600)),
            respondBy: start.addingTimeInterval(86_400), resolveBy: start.addingTimeInterval(3 * 86_400))
        c.latitude = 22.53 + Double(i) / 10_000
        c.longitude = 113.93 + Double(i) / 10_000
        c.version = 1 + i % 5
        items.append(c)
    }
    let page = Page(items: items, nextCursor: "999951")

    func encoder(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = formatting
        return e
    }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    let candidates: [(String, () throws -> Data)] = [
        (
            "JSONEncoder, sorted keys, ISO 8601 dates (today's, a new encoder per answer)",
            { try encoder([.sortedKeys, .withoutEscapingSlashes]).encode(page) }
        ),
        (
            "JSONEncoder, keys in declaration order, ISO 8601 dates",
            { try encoder([.withoutEscapingSlashes]).encode(page) }
        ),
        (
            "JSONEncoder, sorted keys, dates as seconds (not ISO 8601: not a candidate, for scale)",
            {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                e.dateEncodingStrategy = .secondsSince1970
                return try e.encode(page)
            }
        ),
        (
            "CaseListJSON, the list's direct writer (sorted keys, ISO 8601 dates: the same bytes as the first)",
            { Data(CaseListJSON.bytes(page.items, nextCursor: page.nextCursor)) }
        ),
    ]
    print("JSON case list, a page of 50 cases, \(rounds) rounds each")
    for (label, encode) in candidates {
        let bytes = try encode()
        let same = label.contains("not a candidate") || (try? decoder.decode(Page.self, from: bytes)) == page
        for _ in 0..<(rounds / 10) { _ = try encode() }  // warm up
        let began = ContinuousClock.now
        for _ in 0..<rounds { _ = try encode() }
        let d = ContinuousClock.now - began
        let micros = (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(rounds)
        print(
            String(
                format: "%8.1f µs/page  %6d bytes  %@  %@", micros, bytes.count, same ? "round-trips" : "DIFFERS", label
            )
        )
    }
}
