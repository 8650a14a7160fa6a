import Foundation
import GongzhiDomain
import Testing

@Suite struct MeetingAttachmentRulesTests {
    static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
    static let pdf = Array("%PDF-1.4\n1 0 obj\n".utf8)

    @Test(
        arguments: [
            ("纪要.pdf", pdf, "application/pdf"),
            ("现场.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], "image/jpeg"),
            ("签到表.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00], "image/png"),
            ("照片.webp", Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8), "image/webp"),
            ("方案.docx", zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("预算.XLSX", zip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("汇报.pptx", zip, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            // The type is the bytes', whatever the name says.
            ("扫描件.png", pdf, "application/pdf"),
        ] as [(String, [UInt8], String)])
    func eachTypeIsKnownByItsBytes(_ name: String, _ bytes: [UInt8], _ type: String) throws {
        let checked = try MeetingAttachmentRules.check(name: name, bytes: bytes, existing: 0)
        #expect(checked.contentType == type && checked.name == name)
    }

    @Test(
        arguments: [
            // A renamed HTML page, an SVG, a script, a ZIP that is no Office document, an old .doc.
            ("纪要.pdf", Array("<html><script>alert(1)</script>".utf8)),
            ("图.png", Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)),
            ("run.sh", Array("#!/bin/sh\n".utf8)),
            ("资料.zip", zip),
            ("资料.docx.exe", zip),
            ("旧文档.doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        ] as [(String, [UInt8])])
    func anythingElseIsRefused(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: DomainError.invalid("meeting_attachment_type_refused", field: "file")) {
            _ = try MeetingAttachmentRules.check(name: name, bytes: bytes, existing: 0)
        }
    }

    @Test func sizeAndCountHaveLimits() throws {
        #expect(throws: DomainError.invalid("meeting_attachment_empty", field: "file")) {
            _ = try MeetingAttachmentRules.check(name: "a.pdf", bytes: [], existing: 0)
        }
        let atLimit = Self.pdf + [UInt8](repeating: 0x20, count: MeetingAttachmentRules.maxBytes - Self.pdf.count)
        #expect(
            try MeetingAttachmentRules.check(name: "a.pdf", bytes: atLimit, existing: 19).contentType
                == "application/pdf")
        #expect(throws: DomainError.invalid("meeting_attachment_too_large", field: "file", args: ["10"])) {
            _ = try MeetingAttachmentRules.check(name: "a.pdf", bytes: atLimit + [0x20], existing: 0)
        }
        #expect(throws: DomainError.invalid("meeting_attachment_too_many", field: "file", args: ["20"])) {
            _ = try MeetingAttachmentRules.check(name: "a.pdf", bytes: Self.pdf, existing: 20)
        }
    }

    @Test(arguments: [
        ("  会议纪要.pdf \n", "会议纪要.pdf"),
        (String(repeating: "纪", count: 96) + ".pdf", String(repeating: "纪", count: 96) + ".pdf"),
    ])
    func namesAreTrimmed(_ raw: String, _ name: String) throws {
        #expect(try MeetingAttachmentRules.name(raw) == name)
    }

    @Test(arguments: [
        ("   ", "meeting_attachment_name_required", [String]()),
        (String(repeating: "纪", count: 97) + ".pdf", "meeting_attachment_name_too_long", ["100"]),
        ("../../etc/passwd.pdf", "meeting_attachment_name_invalid", []),
        ("C:\\temp\\a.pdf", "meeting_attachment_name_invalid", []),
        ("纪要\u{0}.pdf", "meeting_attachment_name_invalid", []),
        ("纪要\u{202E}fdp.exe", "meeting_attachment_name_invalid", []),
        ("..", "meeting_attachment_name_invalid", []),
    ])
    func badNamesAreRefused(_ raw: String, _ key: String, _ args: [String]) {
        #expect(throws: DomainError.invalid(key, field: "file", args: args)) {
            _ = try MeetingAttachmentRules.name(raw)
        }
    }

    @Test func sizesReadInKilobytesAndMegabytes() {
        #expect(MeetingAttachmentRules.sizeText(300) == "1 KB")
        #expect(MeetingAttachmentRules.sizeText(12 * 1024) == "12 KB")
        #expect(MeetingAttachmentRules.sizeText(1024 * 1024) == "1 MB")
        #expect(MeetingAttachmentRules.sizeText(1536 * 1024) == "1.5 MB")
    }

    static let now = Date(timeIntervalSince1970: 1_772_337_600)
    static let worker = Actor(
        userID: 7, username: "worker",
        grants: [RoleGrant(id: 7, userID: 7, role: .communityWorker, nodeID: 5, nodePath: "/1/5/")])
    static let resident = Actor(
        userID: 42, username: "r",
        grants: [RoleGrant(id: 1, userID: 42, role: .resident, nodeID: 9, nodePath: "/1/5/9/")])

    @Test func organisersAttachUntilCancelledAndRemoveOnlyUntilTheMinutesArePublished() throws {
        let set = try DecisionRuleCatalogue.national.inForce(on: CalendarDate(Self.now))
        var context = MeetingContext(
            now: Self.now, path: "/1/5/", actorInCommunity: true, rules: try set.rules(for: .council))
        var m = Meeting(
            id: 1, number: "HY1", communityID: 5, kind: .council, title: "会议", place: "活动室", startsAt: Self.now,
            announcedAt: Self.now - 86400, ruleSetID: set.id)
        // A resident reads the meeting but neither attaches nor reads its files before the minutes are published.
        #expect(throws: DomainError.forbidden) {
            try MeetingPolicy.require(.attach, of: Self.resident, on: m, in: context)
        }
        #expect(!MeetingPolicy.mayReadAttachments(Self.resident, m, in: context))
        #expect(MeetingPolicy.mayReadAttachments(Self.worker, m, in: context))
        // The timeline notes the trimmed file name.
        let attached = try MeetingWorkflow.transition(
            .attach(name: " 通知.pdf ", bytes: Self.pdf), of: m, by: Self.worker, in: context)
        #expect(attached.action == "attach" && attached.note == "通知.pdf")
        context.attachmentCount = 20
        #expect(throws: DomainError.invalid("meeting_attachment_too_many", field: "file", args: ["20"])) {
            _ = try MeetingWorkflow.transition(
                .attach(name: "通知.pdf", bytes: Self.pdf), of: m, by: Self.worker, in: context)
        }
        // Held with published minutes: still attached to, no longer removed from, read by residents.
        m.state = .held
        m.minutes = try Minutes(draft: "会议纪要").published(at: Self.now)
        #expect(MeetingPolicy.capabilities(of: Self.worker, on: m, in: context).contains(.attach))
        #expect(!MeetingPolicy.capabilities(of: Self.worker, on: m, in: context).contains(.removeAttachment))
        #expect(throws: DomainError(.conflict, "meeting_attachment_record_fixed")) {
            try MeetingPolicy.require(.removeAttachment, of: Self.worker, on: m, in: context)
        }
        #expect(MeetingPolicy.mayReadAttachments(Self.resident, m, in: context))
        context.actorInCommunity = false
        #expect(!MeetingPolicy.mayReadAttachments(Self.resident, m, in: context))
        // Cancelled: neither.
        m.state = .cancelled
        #expect(
            MeetingPolicy.capabilities(of: Self.worker, on: m, in: context).isDisjoint(with: [
                .attach, .removeAttachment,
            ]))
    }
}
