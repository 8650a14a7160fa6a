import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MeetingAttachmentPagesTests {
    static let pdf = Array("%PDF-1.4\n%会议通知\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]

    @Test func theWorkerUploadsDownloadsAndRemovesAnAttachmentOnTheMeetingPage() async throws {
        try await WebFixture.run { fixture, client in
            // given a meeting tomorrow
            try await fixture.signUpWang()
            let m = try await MeetingAttendancePagesTests().meeting(fixture)
            let page = "/deliberation/meetings/\(m.id)"
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (_, empty) = try await worker.get(page)
            #expect(empty.contains("附件") && empty.contains("暂无附件") && empty.contains(#"enctype="multipart/form-data""#))
            let csrf = Browser.csrf(in: empty)
            // when: the notice is uploaded, and a web page renamed .pdf
            let (uploaded, _) = try await worker.postFile(
                page + "/attach", form: ["_csrf": csrf], file: ("file", "会议通知 (定稿).pdf", Self.pdf))
            let (refused, refusedHTML) = try await worker.postFile(
                page + "/attach", form: ["_csrf": csrf],
                file: ("file", "纪要.pdf", Array("<html><script>alert(1)</script></html>".utf8)))
            // then
            #expect(uploaded.status == .seeOther || uploaded.status == .found)
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("按文件内容判断"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            let workerActor = try await VotePagesTests().actor(fixture, "worker")
            let listed = try await MeetingStore(db: fixture.db).record(m.id, for: workerActor, now: Date()).attachments
            #expect(listed.map(\.name) == ["会议通知 (定稿).pdf"])
            let (_, html) = try await worker.get(page)
            let href = "\(page)/attachments/\(listed[0].id)"
            #expect(html.contains(href) && html.contains("会议通知 (定稿).pdf") && html.contains("1 KB"))
            #expect(html.contains("/remove_attachment\"") && html.contains("上传附件：会议通知 (定稿).pdf"))
            // and it downloads as an attachment, never sniffed nor shown inline
            let (download, _) = try await worker.get(href)
            #expect(download.status == .ok && [UInt8](download.body.readableBytesView) == Self.pdf)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(
                download.headers[.contentDisposition]
                    == "attachment; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E9%80%9A%E7%9F%A5%20%28%E5%AE%9A%E7%A8%BF%29.pdf"
            )
            #expect(download.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(download.headers[.cacheControl]?.hasPrefix("private") == true)
            // and a resident reads no file before the minutes are published; another community's worker finds none
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (asResident, residentPage) = try await wang.get(page)
            #expect(asResident.status == .ok && !residentPage.contains(href))
            #expect(try await wang.get(href).0.status == .forbidden)
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            #expect(try await other.get(href).0.status == .notFound)
            // when the organiser removes it
            let (removed, _) = try await worker.post(
                page + "/remove_attachment", form: ["attachment": "\(listed[0].id)"], csrfFrom: page)
            #expect(removed.status == .seeOther || removed.status == .found)
            let (_, after) = try await worker.get(page)
            #expect(after.contains("暂无附件") && after.contains("删除附件：会议通知 (定稿).pdf"))
            #expect(try await worker.get(href).0.status == .notFound)
        }
    }

    @Test func theAPIUploadsListsReadsAndRemovesAttachments() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let m = try await MeetingAttendancePagesTests().meeting(fixture)
            let worker = try await VotePagesTests().actor(fixture, "worker")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let base = "/api/v1/meetings/\(m.id)/attachments"
            // when
            let added = try await client.execute(
                uri: base, method: .post, headers: headers,
                body: ByteBuffer(
                    string: #"{"name":"现场照片.png","content":"\#(Data(Self.png).base64EncodedString())"}"#))
            let renamed = try await client.execute(
                uri: base, method: .post, headers: headers,
                body: ByteBuffer(
                    string: #"{"name":"a.docx","content":"\#(Data("<html>".utf8).base64EncodedString())"}"#))
            let list = try await client.execute(uri: base, method: .get, headers: headers)
            // then
            #expect(added.status == .created && added.headers[.eTag] == "\"2\"")
            #expect(renamed.status == .unprocessableContent)
            #expect(String(buffer: renamed.body).contains("meeting_attachment_type_refused"))
            let body = String(buffer: list.body)
            #expect(list.status == .ok && body.contains("现场照片.png") && body.contains("image/png"))
            let id = try #require(
                try await MeetingStore(db: fixture.db).attachments(m.id, for: worker, now: Date()).first?.id)
            let file = try await client.execute(uri: "\(base)/\(id)", method: .get, headers: headers)
            #expect(file.status == .ok && [UInt8](file.body.readableBytesView) == Self.png)
            #expect(file.headers[.contentType] == "image/png")
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment; filename*=UTF-8''") == true)
            // when it is removed
            let removed = try await client.execute(
                uri: "/api/v1/meetings/\(m.id)/remove_attachment", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"attachment":\#(id)}"#))
            let again = try await client.execute(uri: base, method: .get, headers: headers)
            #expect(removed.status == .ok && !String(buffer: again.body).contains("现场照片.png"))
        }
    }
}
