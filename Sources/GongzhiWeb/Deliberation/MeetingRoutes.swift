import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

extension Meeting: ResponseEncodable {}

/// A meeting as the API answers it: the meeting, its kind's rules, its agenda, the quorum's arithmetic and the
/// caller's steps.
struct MeetingDetail: ResponseEncodable {
    var meeting: Meeting
    var rules: MeetingRules
    var topics: [TopicSummary]
    var quorum: String?
    var capabilities: [String]
}

/// A meeting's attendance sheet as the API answers it.
struct AttendanceReply: ResponseEncodable {
    var basis: CountBasis?
    var present: Int
    var signatures: [AttendanceLine]
}

/// A file to keep with a meeting's record, in the API: its name and its bytes in base64.
struct MeetingAttachmentInput: Decodable, Sendable {
    var name: String?
    var content: Data?
}

/// Meeting pages and API: the list, the scheduling form, and the meeting page with its rules as data, agenda,
/// attendance, minutes and summary.
struct MeetingRoutes {
    let services: AppServices
    var views: Views { services.views }
    var store: MeetingStore { MeetingStore(db: services.db) }
    var commands: MeetingCommands {
        MeetingCommands(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
    }

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(DeliberationURL.meetings.path)) { _, context in
            let actor = try context.requireActor()
            let meetings = try await store.list(for: actor)
            let lang = context.language
            let rows: [[String: Any]] = meetings.map { m in
                [
                    "href": DeliberationURL.meeting(m.id).path, "number": m.number, "title": m.title,
                    "kind": views.t("meeting_kind_\(m.kind.rawValue)", context),
                    "state": views.t("meeting_state_\(m.state.rawValue)", context),
                    "starts_at": DateText.format(m.startsAt, lang),
                ]
            }
            let mayPlan = !(try await store.communities(for: actor)).isEmpty
            return views.page(
                "deliberation/meetings", context, title: views.t("meetings_title", context),
                data: ["meetings": rows, "may_plan": mayPlan, "new_href": DeliberationURL.newMeeting.path],
                section: "deliberation")
        }
        router.get(RouterPath(DeliberationURL.newMeeting.path)) { _, context in try await newPage(context) }
        router.post(RouterPath(DeliberationURL.meetings.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let m = try await commands.schedule(actor, try form.decode(MeetingPlanInput.self).plan())
                return Response.redirect(to: DeliberationURL.meeting(m.id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var extra = views.formErrors(error, context)
                for field in ["title", "place", "starts_at", "notice_reason", "kind", "community"] {
                    extra["form_" + field] = form[field]
                }
                return try await newPage(context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/meetings/:id") { _, context in
            try await meetingPage(try context.parameters.require("id", as: Int64.self), context)
        }
        for step in MeetingStep.all {
            router.post(RouterPath(DeliberationURL.meetingStepPattern(step.capability))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let form = try await Form.read(request, context)
                // The sign-in picker's search button posts here too: it answers with the people found, signing
                // nobody in.
                if step.capability == .signIn, PersonPicker.searched(form) != nil {
                    return try await meetingPage(
                        id, context, extra: ["q_person": form["q_person"], "form_basis": form["basis"]])
                }
                do {
                    try await commands.perform(
                        actor, id, try step.fromData(form.json), expectedVersion: form.int("version").map(Int.init))
                    let anchor =
                        [MeetingCapability.signIn, .removeSignature].contains(step.capability) ? "#attendance-h" : ""
                    return Response.redirect(to: DeliberationURL.meeting(id).path + anchor)
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    var extra = views.formErrors(error, context)
                    for field in ["text", "summary", "reason", "entitled", "present", "basis"] {
                        extra["form_" + field] = form[field]
                    }
                    extra["q_person"] = form["q_person"]
                    return try await meetingPage(id, context, extra: extra, status: .unprocessableContent)
                }
            }
        }
        // Attachments (会议附件): a multipart upload (read only for a meeting the caller may see), and downloads.
        router.post(RouterPath(DeliberationURL.meetingStepPattern(.attach))) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let form = try await Form.read(request, context, upload: true, limit: BodyLimits.attachment)
            do {
                guard let bytes = form.files["file"] else {
                    throw DomainError.invalid("meeting_attachment_empty", field: "file")
                }
                // Like a signature, a file is an entry on the record: a page loaded before another entry still
                // uploads (the version is checked when the API sends If-Match).
                try await commands.perform(actor, id, .attach(name: form.fileNames["file"] ?? "", bytes: bytes))
                return Response.redirect(to: DeliberationURL.meeting(id).path + "#attachments-h")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await meetingPage(
                    id, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        router.get("/deliberation/meetings/:id/attachments/:attachment") { _, context in
            let file = try await store.attachment(
                try context.parameters.require("attachment", as: Int64.self),
                meetingID: try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            return Self.download(file.name, file.contentType, file.bytes)
        }
        // The API: the same commands.
        api.get("/meetings") { _, context in
            let items = try await store.list(for: try context.requireActor())
            return Page(items: items, nextCursor: nil)
        }
        api.post("/meetings") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(MeetingPlanInput.self, context: context)
            let m = try await commands.schedule(actor, try input.plan())
            var response = try EditedResponse(status: .created, response: m).response(from: request, context: context)
            response.headers[.eTag] = m.etag
            return response
        }
        api.get("/meetings/:id") { request, context in
            let r = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            var response = try MeetingDetail(
                meeting: r.meeting, rules: r.rules, topics: r.topics, quorum: r.quorum?.summary,
                capabilities: r.capabilities.map(\.rawValue).sorted()
            ).response(from: request, context: context)
            response.headers[.eTag] = r.meeting.etag
            return response
        }
        // The attendance sheet: its basis, count and signatures (names masked; listed for the organisers only).
        api.get("/meetings/:id/attendance") { request, context in
            let r = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            return AttendanceReply(
                basis: r.attendance?.basis, present: r.attendance?.present ?? 0, signatures: r.signatures)
        }
        api.get("/meetings/:id/attachments") { _, context in
            let items = try await store.attachments(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            return Page(items: items, nextCursor: nil)
        }
        api.post("/meetings/:id/attachments") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let buffer = try await request.body.collect(upTo: BodyLimits.attachmentJSON)
            let data = Data(buffer.readableBytesView)
            if jsonHoldsNUL(data) { throw DomainError.invalid("text_nul") }
            let input: MeetingAttachmentInput
            do { input = try JSONDecoder().decode(MeetingAttachmentInput.self, from: data) } catch {
                throw DomainError.invalid("form_malformed", field: Form.field(of: error))
            }
            let m = try await commands.perform(
                actor, id, .attach(name: input.name ?? "", bytes: [UInt8](input.content ?? Data())),
                expectedVersion: request.ifMatchVersion)
            var response = try EditedResponse(status: .created, response: m).response(from: request, context: context)
            response.headers[.eTag] = m.etag
            return response
        }
        api.get("/meetings/:id/attachments/:attachment") { _, context in
            let file = try await store.attachment(
                try context.parameters.require("attachment", as: Int64.self),
                meetingID: try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            return Self.download(file.name, file.contentType, file.bytes)
        }
        for step in MeetingStep.all {
            api.post(RouterPath(DeliberationURL.meetingStepPattern(step.capability, api: true))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let command = try step.fromData(try await request.stepData(context: context))
                let m = try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
                var response = try m.response(from: request, context: context)
                response.headers[.eTag] = m.etag
                return response
            }
        }
    }

    /// An attachment as a download: never shown inline nor sniffed, its UTF-8 name percent-encoded (RFC 6266), kept in
    /// private caches only.
    static func download(_ name: String, _ type: String, _ bytes: Data) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename*=UTF-8''" + percentEncoded(name),
                .cacheControl: "private, max-age=300", .xContentTypeOptions: "nosniff",
                .contentSecurityPolicy: "default-src 'none'; sandbox",
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// RFC 5987's attr-char left as it is; every other byte of the UTF-8 name as %XX.
    static func percentEncoded(_ name: String) -> String {
        let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        return name.utf8.map { plain.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }

    func newPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let communities = try await store.communities(for: actor)
        guard !communities.isEmpty else { throw DomainError.forbidden }
        var data = extra
        let chosenKind = (extra["form_kind"] as? String) ?? MeetingKind.council.rawValue
        let set = try DecisionRuleCatalogue.national.inForce(on: CalendarDate(services.clock.now()))
        data["communities"] = communities.map { c in
            ["id": c.id, "label": c.name, "selected": "\(c.id)" == (extra["form_community"] as? String)]
                as [String: Any]
        }
        data["kinds"] = MeetingKind.allCases.map { kind in
            let notice = (try? set.rules(for: kind))?.notice
            return [
                "value": kind.rawValue, "selected": kind.rawValue == chosenKind,
                "label": views.t("meeting_kind_\(kind.rawValue)", context)
                    + (notice.map { " · " + views.t("meeting_notice_days", context, ["\($0.minimumDays)"]) } ?? ""),
            ] as [String: Any]
        }
        return views.page(
            "deliberation/meeting_new", context, title: views.t("meeting_new_title", context), data: data,
            status: status, section: "deliberation")
    }

    /// The attendance sheet's part of the meeting page: the count and where the held form's number comes from,
    /// the signatures (organisers only), and the sign-in form with its person picker.
    func attendanceData(
        _ r: MeetingRecord, _ id: Int64, _ context: AppRequestContext, into data: inout [String: Any]
    ) async throws {
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        let lang = context.language
        let sheet = r.attendance.flatMap { $0.present > 0 ? $0 : nil }
        data["sheet_count"] = sheet?.present ?? 0
        data["sheet_has_signatures"] = sheet != nil
        data["sheet_basis"] = sheet.map { t("count_basis_\($0.basis.rawValue)") } ?? ""
        data["sheet_count_text"] =
            sheet.map {
                t(
                    $0.basis.countsHouseholds ? "attendance_count_households" : "attendance_count_people",
                    ["\($0.present)"])
            } ?? ""
        data["signatures"] = r.signatures.map { s in
            [
                "person": s.personID, "name": s.name, "place": s.place, "household": s.household ?? "",
                "at": DateText.time(s.signedAt, onDayOf: r.meeting.startsAt, lang), "recorder": s.recordedBy ?? "",
                "has_household": s.household != nil, "has_recorder": s.recordedBy != nil,
            ] as [String: Any]
        }
        let showSheet = r.capabilities.contains(.signIn) || !r.signatures.isEmpty
        data["show_sheet"] = showSheet
        guard r.capabilities.contains(.signIn) else { return }
        // The first signature chooses the sheet's basis when the kind allows several.
        let chosenBasis = data["form_basis"] as? String
        data["sheet_bases"] =
            sheet == nil && r.sheetBases.count > 1
            ? r.sheetBases.map {
                [
                    "value": $0.rawValue, "label": t("count_basis_\($0.rawValue)"),
                    "selected": $0.rawValue == chosenBasis,
                ]
                    as [String: Any]
            } : []
        let query = (data["q_person"] as? String) ?? ""
        var picker = PersonPicker(
            field: "person", label: t("attendance_person"), hint: t("attendance_person_hint"), query: query,
            chooseName: "person", chooseLabel: t("attendance_sign_in_button"),
            error: (data["error_person"] as? String) ?? "")
        if !query.trimmingCharacters(in: .whitespaces).isEmpty {
            let signed = Set(r.attendance?.signatures.map(\.personID) ?? [])
            picker.searched = true
            picker.choices = try await store.signInChoices(
                id, query: query, for: try context.requireActor(), now: services.clock.now()
            ).map { c in
                PersonPicker.Choice(
                    value: "\(c.id)",
                    label: PersonPicker.label(c) { t("picker_age", ["\($0)"]) }
                        + (signed.contains(c.id) ? " · " + t("attendance_already_signed") : "")
                )
            }
        }
        data["picker_person"] = picker.data
    }

    func meetingPage(
        _ id: Int64, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let r = try await store.record(id, for: actor, now: services.clock.now())
        let m = r.meeting
        let lang = context.language
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        var can: [String: Bool] = [:]
        var url: [String: String] = [:]
        for capability in MeetingCapability.allCases {
            can[capability.rawValue] = r.capabilities.contains(capability)
            url[capability.rawValue] = DeliberationURL.meetingStep(id, capability).path
        }
        var data = extra
        data["meeting"] =
            [
                "id": m.id, "number": m.number, "title": m.title, "place": m.place, "version": m.version,
                "kind": t("meeting_kind_\(m.kind.rawValue)"), "state": t("meeting_state_\(m.state.rawValue)"),
                "starts_at": DateText.format(m.startsAt, lang), "announced_at": DateText.format(m.announcedAt, lang),
                "notice_reason": m.noticeReason ?? "", "community": r.communityName,
                "rule_set": DecisionRuleCatalogue.national.sets.first { $0.id == m.ruleSetID }.map {
                    $0.title + " · " + $0.effectiveFrom.text(lang)
                } ?? m.ruleSetID,
                "cancel_reason": m.cancelReason ?? "", "summary": m.summary,
                "minutes": m.minutes.currentText, "minutes_published": m.minutes.isPublished,
                "minutes_published_at": DateText.format(m.minutes.publishedAt, lang),
            ] as [String: Any]
        // The kind's rules as data: who is invited, the notice, what makes it quorate, how it decides.
        data["invitees"] = r.rules.invitees.map { t("meeting_invitee_\($0.rawValue)") }.joined(separator: "、")
        data["notice_rule"] = r.rules.notice.map { t("meeting_notice_days", ["\($0.minimumDays)"]) } ?? ""
        if let quorum = r.rules.quorum {
            data["quorum_rule"] = t(
                "meeting_quorum_rule",
                [
                    quorum.bases.map { t("count_basis_\($0.rawValue)") }.joined(separator: " / "),
                    quorum.threshold.description,
                ])
            data["bases"] = quorum.bases.map { ["value": $0.rawValue, "label": t("count_basis_\($0.rawValue)")] }
        }
        switch r.rules.decision {
        case .majorityOfPresent(let threshold):
            data["decision_rule"] = t("meeting_decides_majority", [threshold.description])
        case .owners: data["decision_rule"] = t("meeting_decides_owners")
        case .consultation: data["decision_rule"] = t("meeting_decides_consultation")
        }
        try await attendanceData(r, id, context, into: &data)
        data["attachments"] = r.attachments.map { a in
            [
                "id": a.id, "name": a.name, "size": MeetingAttachmentRules.sizeText(a.size),
                "at": DateText.format(a.uploadedAt, lang), "by": a.uploadedBy ?? t("topic_by_system"),
                "href": DeliberationURL.meeting(id).path + "/attachments/\(a.id)",
            ] as [String: Any]
        }
        data["show_attachments"] = !r.attachments.isEmpty || r.capabilities.contains(.attach)
        data["attachment_limits"] = t(
            "meeting_attachment_limits",
            ["\(MeetingAttachmentRules.maxBytes / 1024 / 1024)", "\(MeetingAttachmentRules.maxPerMeeting)"])
        if let entitled = m.entitled, let present = m.present {
            data["attendance"] =
                t("meeting_attendance_text", ["\(present)", "\(entitled)"])
                + (r.quorum.map { " · " + $0.summary } ?? "")
            // A consultation has no quorum: its attendance is shown without a verdict.
            data["quorate"] = r.rules.quorum != nil && m.quorate == true
            data["not_quorate"] = r.rules.quorum != nil && m.quorate == false
        }
        data["amendments"] = m.minutes.amendments.map { a in
            ["number": a.number, "at": DateText.format(a.at, lang), "reason": a.reason, "previous": a.previousText]
                as [String: Any]
        }
        data["topics"] = r.topics.map { s in
            [
                "href": DeliberationURL.show(s.id).path, "number": s.number, "title": s.title,
                "state": t("topic_state_\(s.state.rawValue)"),
            ]
        }
        data["candidates"] = r.candidates.map { s in ["id": s.id, "label": s.number + " " + s.title] as [String: Any] }
        data["timeline"] = r.timeline.map { e in
            [
                "at": DateText.format(e.at, lang), "who": e.actorName ?? t("topic_by_system"),
                "action": t("meeting_step_\(e.action)"), "note": e.note,
            ]
        }
        data["can"] = can
        data["url"] = url
        // A held, quorate meeting's organisers record its resolutions (issue 13).
        data["adopt_href"] =
            m.state == .held && m.quorate != false && (can["amend_minutes"] == true || can["edit_minutes"] == true)
            ? ResolutionURL.new.path + "?meeting=\(id)" : ""
        return views.page(
            "deliberation/meeting", context, title: m.number + " " + m.title, data: data, status: status,
            section: "deliberation")
    }
}
