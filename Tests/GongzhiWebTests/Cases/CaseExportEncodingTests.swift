import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// CSV downloads in GB18030 on request, for the Excel and WPS versions that read a CSV in the system's code page.
@Suite struct CaseExportEncodingTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    @Test func theCaseExportIsGB18030OnRequestAndUTF8WithABOMOtherwise() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let wang = try await fixture.signUpWang()
            let resident = try #require(try await AccountStore(db: fixture.db).actor(for: wang.id))
            _ = try await CaseCommands(db: fixture.db).submit(
                resident, CaseSubmission(title: "社区路灯", description: "不亮", nodeID: fixture.tree.buildings[0].id))
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            // when
            let (_, list) = try await worker.get("/cases?view=area")
            let (gb, _) = try await worker.get("/cases/export.csv?view=area&encoding=gb18030")
            let (utf8, _) = try await worker.get("/cases/export.csv?view=area")
            // then: the list offers both; GB18030 bytes, no byte-order mark, and the text decodes back
            #expect(list.contains("/cases/export.csv?view=area&amp;encoding=gb18030"))
            #expect(gb.headers[.contentType] == "text/csv; charset=GB18030")
            let bytes = Array(gb.body.readableBytesView)
            #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            // 社区 is C9E7 C7F8 in GB18030 (as iconv writes it); in UTF-8 it would be E7A4BE E58CBA.
            #expect(bytes.windows(4).contains([0xC9, 0xE7, 0xC7, 0xF8]))
            #expect(!bytes.windows(3).contains([0xE7, 0xA4, 0xBE]))
            let text = try #require(String(data: Data(bytes), encoding: Self.gb18030))
            #expect(text.hasPrefix("编号,类型,来源,状态"))
            #expect(text.contains("社区路灯") && text.contains("1栋"))
            #expect(utf8.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Array(utf8.body.readableBytesView).starts(with: [0xEF, 0xBB, 0xBF]))
        }
    }

    @Test func theTreeExportToo() async throws {
        try await WebFixture.run { fixture, client in
            var admin = Browser(client: client)
            _ = try await admin.logIn("admin", WebFixture.password)
            let (page, html) = try await admin.get("/nodes/\(fixture.tree.community.id)")
            #expect(page.status == .ok)
            #expect(html.contains("/nodes/\(fixture.tree.community.id)/tree.csv?encoding=gb18030"))
            let (gb, _) = try await admin.get("/nodes/\(fixture.tree.community.id)/tree.csv?encoding=gb18030")
            let text = try #require(String(data: Data(gb.body.readableBytesView), encoding: Self.gb18030))
            #expect(text.contains("同乐社区") && text.contains("第一网格"))
            #expect(String(buffer: gb.body) != text, "not UTF-8")
        }
    }
}

extension Array where Element: Equatable {
    /// Every run of `n` consecutive elements.
    func windows(_ n: Int) -> [[Element]] {
        count < n ? [] : (0...(count - n)).map { Array(self[$0..<($0 + n)]) }
    }
}
