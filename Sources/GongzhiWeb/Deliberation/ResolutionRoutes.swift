import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird
import Logging

extension Resolution: ResponseEncodable {}
extension ResolutionSummary: ResponseEncodable {}

/// A resolution as the API answers it: the resolution, who carries it out, its progress, review rounds, timeline and
/// the caller's steps.
struct ResolutionDetail: ResponseEncodable {
    var resolution: Resolution
    var executors: [NamedExecutor]
    var progress: [ResolutionProgressLine]
    var rounds: [ReviewRound]
    var timeline: [ResolutionEvent]
    var nextReviewOn: CalendarDate?
    var capabilities: [String]
}

/// Resolution pages and API: the list with filters, adoption from a held meeting, and the resolution page with its
/// progress, review ratings and escalation history; every step through `ResolutionCommands`.
struct ResolutionRoutes {
    let services: AppServices
    var views: Views { services.views }
    var store: ResolutionStore { ResolutionStore(db: services.db) }
    var commands: ResolutionCommands {
        ResolutionCommands(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
    }

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(ResolutionURL.list.path)) { request, context in
            let actor = try context.requireActor()
            let q = request.uri.queryParameters
            let filter = Self.filter(q)
            let now = services.clock.now()
            let items = try await store.list(filter, for: actor, now: now)
            let lang = context.language
            func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
            let rows: [[String: Any]] = items.map { r in
                [
                    "href": ResolutionURL.show(r.id).path, "number": r.number, "text": String(r.text.prefix(80)),
                    "state": t("resolution_state_\(r.state.rawValue)"), "deadline": r.deadline.text(lang),
                    "percent": r.percentDone, "overdue": r.overdue,
                    "escalated": r.escalationLevel > 0, "level": t("resolution_level_\(r.escalationLevel)"),
                ]
            }
            let tabs: [[String: Any]] = [
                ("", t("resolution_filter_all"), filter.state == nil && !filter.overdueOnly && !filter.mine),
                ("?state=inProgress", t("resolution_state_inProgress"), filter.state == .inProgress),
                ("?overdue=1", t("resolution_filter_overdue"), filter.overdueOnly),
                ("?state=completed", t("resolution_state_completed"), filter.state == .completed),
                ("?mine=1", t("resolution_filter_mine"), filter.mine),
            ].map { ["href": ResolutionURL.list.path + $0.0, "label": $0.1, "current": $0.2] }
            let mayAdopt = !(try await store.adoptionMeetings(for: actor)).isEmpty
            var data: [String: Any] = [
                "resolutions": rows, "tabs": tabs, "may_adopt": mayAdopt, "new_href": ResolutionURL.new.path,
            ]
            if items.count == filter.limit, let last = items.last {
                data["next"] = ResolutionURL.list.path + "?before=\(last.id)"
            }
            return views.page(
                "deliberation/resolutions", context, title: t("resolutions_title"), data: data,
                section: "deliberation")
        }
        router.get(RouterPath(ResolutionURL.new.path)) { request, context in
            try await newPage(
                context, meeting: request.uri.queryParameters["meeting"].flatMap { Int64($0) },
                vote: request.uri.queryParameters["vote"].flatMap { Int64($0) })
        }
        router.post(RouterPath(ResolutionURL.list.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = ResolutionDraftInput(
                    meeting: LooseInt(form.int("meeting")), vote: LooseInt(form.int("vote")),
                    topic: LooseInt(form.int("topic")),
                    text: form["text"], executors: LooseLines(form.all("executors")), deadline: form["deadline"])
                let r = try await commands.adopt(actor, try input.draft())
                return Response.redirect(to: ResolutionURL.show(r.id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var extra = views.formErrors(error, context)
                for field in ["text", "deadline", "topic", "vote"] { extra["form_" + field] = form[field] }
                extra["form_executors"] = form.all("executors")
                return try await newPage(
                    context, meeting: form.int("meeting"), vote: form.int("meeting") == nil ? form.int("vote") : nil,
                    extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/resolutions/:id") { _, context in
            try await resolutionPage(try context.parameters.require("id", as: Int64.self), context)
        }
        router.get("/deliberation/resolutions/:id/photos/:photo") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let (type, bytes) = try await store.photoBytes(
                try context.parameters.require("photo", as: Int64.self), resolutionID: id,
                for: try context.requireActor(), now: services.clock.now())
            return CasePages.photo(type, bytes, cache: "private, max-age=3600")
        }
        for step in ResolutionURL.steps {
            let upload = step == .reportProgress || step == .complete
            router.post(RouterPath(ResolutionURL.stepPattern(step))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                // A large body is read only for a resolution the caller may read.
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let form = try await Form.read(request, context, upload: upload)
                do {
                    var values = form.values.compactMapValues(\.first)
                    values.removeValue(forKey: "_csrf")
                    let data = try JSONSerialization.data(withJSONObject: values)
                    let command = try ResolutionStepInput.decode(data).command(step)
                    try await commands.perform(
                        actor, id, command, photos: form.files["photo"].map { [$0] } ?? [],
                        expectedVersion: form.int("version").map(Int.init))
                    return Response.redirect(to: ResolutionURL.show(id).path)
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    var extra = views.formErrors(error, context)
                    for field in ["note", "evidence", "percent_done", "comment", "reason"] {
                        extra["form_" + field] = form[field]
                    }
                    return try await resolutionPage(id, context, extra: extra, status: .unprocessableContent)
                }
            }
        }
        // The API: the same commands.
        api.get(RouterPath(ResolutionURL.apiList.path)) { request, context in
            let items = try await store.list(
                Self.filter(request.uri.queryParameters), for: try context.requireActor(), now: services.clock.now())
            return Page(items: items, nextCursor: items.count == 50 ? items.last.map { "\($0.id)" } : nil)
        }
        api.post(RouterPath(ResolutionURL.apiList.path)) { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(ResolutionDraftInput.self, context: context)
            let r = try await commands.adopt(actor, try input.draft())
            var response = try EditedResponse(status: .created, response: r).response(from: request, context: context)
            response.headers[.eTag] = r.etag
            return response
        }
        api.get("/resolutions/:id") { request, context in
            let r = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            var response = try ResolutionDetail(
                resolution: r.resolution, executors: r.executors, progress: r.progress, rounds: r.rounds,
                timeline: r.timeline, nextReviewOn: r.nextReviewOn,
                capabilities: r.capabilities.map(\.rawValue).sorted()
            ).response(from: request, context: context)
            response.headers[.eTag] = r.resolution.etag
            return response
        }
        for step in ResolutionURL.steps {
            api.post(RouterPath(ResolutionURL.stepPattern(step, api: true))) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let command = try ResolutionStepInput.decode(try await request.stepData(context: context)).command(step)
                let r = try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
                var response = try r.response(from: request, context: context)
                response.headers[.eTag] = r.etag
                return response
            }
        }
    }

    static func filter(_ q: some Sequence<(key: Substring, value: Substring)>) -> ResolutionFilter {
        var filter = ResolutionFilter()
        for (key, value) in q {
            switch key {
            case "state": filter.state = ResolutionState(rawValue: String(value))
            case "overdue": filter.overdueOnly = value == "1"
            case "mine": filter.mine = value == "1"
            case "community": filter.communityID = Int64(value)
            case "before": filter.beforeID = Int64(value)
            default: break
            }
        }
        return filter
    }

    func newPage(
        _ context: AppRequestContext, meeting chosen: Int64?, vote chosenVote: Int64? = nil,
        extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let meetings = try await store.adoptionMeetings(for: actor)
        // Closed votes taken purely online that passed: each may make a resolution without a meeting.
        let onlineVotes = try await store.adoptionVotes(for: actor)
        guard !meetings.isEmpty || !onlineVotes.isEmpty else { throw DomainError.forbidden }
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        // Who may carry the resolution out, by kind, each ticked as the form last had it.
        func executorGroups(communityID: Int64) async throws -> [[String: Any]] {
            let picked = extra["form_executors"] as? [String] ?? []
            let choices = try await store.executorChoices(communityID: communityID)
            func options(_ kind: String, _ list: [(id: Int64, name: String)]) -> [[String: Any]] {
                list.map {
                    let value = "\(kind):\($0.id)"
                    return [
                        "value": value, "label": $0.name, "checked": picked.contains(value), "id": "x-\(kind)-\($0.id)",
                    ]
                }
            }
            return [
                ["legend": t("resolution_executor_people"), "options": options("person", choices.people)],
                ["legend": t("resolution_executor_bodies"), "options": options("body", choices.bodies)],
                [
                    "legend": t("resolution_executor_departments"),
                    "options": options("department", choices.departments),
                ],
            ].filter { !(($0["options"] as? [[String: Any]]) ?? []).isEmpty }
        }
        var data = extra
        data["has_meetings"] = !meetings.isEmpty
        data["online_votes"] = onlineVotes.map { v in
            ["id": v.id, "label": v.number + " " + v.title, "selected": v.id == chosenVote] as [String: Any]
        }
        if chosen == nil, let v = onlineVotes.first(where: { $0.id == chosenVote }) {
            // From an online vote: no meeting, that vote cited, and the topic the vote was on (if any) decided.
            data["chosen"] = ["id": "", "label": v.number + " " + v.title] as [String: Any]
            data["chosen_online"] = true
            if let topicID = v.topicID,
                let topic = try? await TopicStore(db: services.db).record(
                    topicID, for: context.requireActor(), now: services.clock.now()
                ).topic
            {
                data["online_topic"] = [
                    "href": DeliberationURL.show(topic.id).path, "label": topic.number + " " + topic.title,
                ]
            }
            data["executor_groups"] = try await executorGroups(communityID: v.communityID)
            data["text_max"] = Resolution.maxText
            data["votes"] = [["id": v.id, "label": v.number + " " + v.title, "selected": true] as [String: Any]]
        }
        data["meetings"] = meetings.map { m in
            [
                "id": m.id, "selected": m.id == chosen,
                "label": m.number + " " + m.title
                    + (m.quorate ? "" : t("paren_open") + t("meeting_not_quorate") + t("paren_close")),
            ] as [String: Any]
        }
        if let m = meetings.first(where: { $0.id == chosen }) {
            data["chosen"] = ["id": m.id, "label": m.number + " " + m.title] as [String: Any]
            data["executor_groups"] = try await executorGroups(communityID: m.communityID)
            data["topics"] = m.topics.map { s in
                [
                    "id": s.id, "label": s.number + " " + s.title,
                    "selected": "\(s.id)" == (extra["form_topic"] as? String),
                ]
                    as [String: Any]
            }
            data["text_max"] = Resolution.maxText
            // Closed votes taken at this meeting or online in its community: a resolution may cite one.
            data["votes"] = try await VoteStore(db: services.db).list(for: actor).filter {
                $0.communityID == m.communityID && ($0.meetingID == nil || $0.meetingID == m.id)
                    && ($0.state == .closed || $0.state == .published)
            }.map { v in
                [
                    "id": v.id, "label": v.number + " " + v.title,
                    "selected": "\(v.id)" == (extra["form_vote"] as? String),
                ] as [String: Any]
            }
        }
        return views.page(
            "deliberation/resolution_new", context, title: t("resolution_new_title"), data: data, status: status,
            section: "deliberation")
    }

    func resolutionPage(
        _ id: Int64, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let now = services.clock.now()
        let rec = try await store.record(id, for: actor, now: now)
        let r = rec.resolution
        let lang = context.language
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        var can: [String: Bool] = [:]
        var url: [String: String] = [:]
        for step in ResolutionCapability.allCases {
            can[step.rawValue] = rec.capabilities.contains(step)
            url[step.rawValue] = ResolutionURL.step(id, step).path
        }
        var data = extra
        data["resolution"] =
            [
                "number": r.number, "text": r.text, "version": r.version,
                "state": t("resolution_state_\(r.state.rawValue)"), "community": rec.communityName,
                "adopted_on": r.adoptedOn.text(lang), "deadline": r.deadline.text(lang),
                "completed_on": r.completedOn?.text(lang) ?? "", "percent": r.percentDone,
                "overdue": r.isOverdue(on: CalendarDate(now)), "level": t("resolution_level_\(r.escalationLevel)"),
                "escalated": r.escalationLevel > 0, "round": r.reviewRound,
                "next_review": rec.nextReviewOn?.text(lang) ?? "",
                "meeting": rec.meetingNumber.map { ($0 + " " + (rec.meetingTitle ?? "")) } ?? "",
                "meeting_href": r.source.meetingID.map { DeliberationURL.meeting($0).path } ?? "",
            ] as [String: Any]
        if let topic = rec.topic {
            data["topic"] = ["href": DeliberationURL.show(topic.id).path, "label": topic.number + " " + topic.title]
        }
        data["executors"] = rec.executors.map { e in
            let kind: String =
                switch e.executor {
                case .person: "person"
                case .body: "body"
                case .department: "department"
                }
            return ["name": e.name, "kind": t("resolution_executor_kind_\(kind)")]
        }
        data["cases"] = rec.cases.map { c in
            [
                "href": "/cases/\(c.id)", "number": c.number, "title": c.title,
                "status": t("case_status_\(c.status.rawValue)"),
            ]
        }
        data["progress"] = rec.progress.map { p in
            [
                "at": DateText.format(p.at, lang), "who": p.byName ?? t("topic_by_system"), "note": p.note,
                "percent": p.percentDone, "evidence": p.evidence,
                "photos": p.photoIDs.map { ["href": ResolutionURL.photo(id, $0).path] },
            ] as [String: Any]
        }
        data["rounds"] = rec.rounds.map { round in
            let s = round.summary
            return [
                "title": t("resolution_round", ["\(round.round)"]),
                "counts": t(
                    "resolution_round_counts", ["\(s.satisfied)", "\(s.basicallySatisfied)", "\(s.dissatisfied)"]),
                "satisfaction": s.total > 0
                    ? t("resolution_round_satisfaction", [s.arithmetic]) : t("resolution_round_none"),
            ]
        }
        data["ratings"] = CaseRating.allCases.map { ["value": $0.rawValue, "label": t("case_rating_\($0.rawValue)")] }
        data["rated"] = rec.hasRatedThisRound
        data["timeline"] = rec.timeline.map { e in
            var note = e.note
            if e.action == "escalate", note.hasPrefix("auto:"), let level = Int(note.dropFirst(5)) {
                note = t("resolution_escalated_auto", [t("resolution_level_\(level)")])
            }
            return [
                "at": DateText.format(e.at, lang), "who": e.actorName ?? t("topic_by_system"),
                "action": t("resolution_step_\(e.action)"), "note": note,
            ]
        }
        data["can"] = can
        data["url"] = url
        return views.page(
            "deliberation/resolution", context, title: r.number, data: data, status: status, section: "deliberation")
    }
}

/// Follows resolutions up once a minute: overdue ones escalate (追踪督事) and due review rounds (定期评事) open. Every
/// instance may run it: each step goes through `perform` with the version the scan saw, so a resolution moves once.
struct ResolutionFollowUpService {
    static func make(_ commands: ResolutionCommands, every interval: Duration = .seconds(60)) -> PeriodicService {
        PeriodicService(label: "gongzhi.resolutions.follow-up", every: interval) { logger in
            let (escalated, reviews) = try await commands.followUp()
            if escalated + reviews > 0 {
                logger.info(
                    "followed resolutions up", metadata: ["escalated": "\(escalated)", "reviews_opened": "\(reviews)"])
            }
        }
    }
}

extension AppServices {
    var resolutionCommands: ResolutionCommands {
        ResolutionCommands(db: db, clock: clock, channels: channels.map(\.name))
    }
}
