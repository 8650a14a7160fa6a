import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Deliberation pages: the topic list with tabs and counts, the raise form, and the topic page with its progress
/// towards the threshold, its steps, linked cases and discussion.
struct DeliberationPages {
    let services: AppServices
    var views: Views { services.views }
    var store: TopicStore { TopicStore(db: services.db) }
    var commands: TopicCommands { services.topicCommands }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(DeliberationURL.list.path)) { request, context in try await list(request, context) }
        router.get(RouterPath(DeliberationURL.new.path)) { _, context in try await newPage(context) }
        router.post(RouterPath(DeliberationURL.create.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(RaiseInput.self)
                var topic = try await commands.raise(
                    actor, try input.proposal(), idempotencyKey: form["idempotency_key"])
                if input.submit?.value == true, topic.state == .draft {
                    topic = try await commands.perform(actor, topic.id, .submit, expectedVersion: topic.version)
                }
                return Response.redirect(to: DeliberationURL.show(topic.id).path + "?new=1")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .forbidden {
                var extra = views.formErrors(error, context)
                for field in ["title", "body", "place", "origin", "body_id", "idempotency_key"] {
                    extra["form_" + field] = form[field]
                }
                return try await newPage(context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/topics/:id") { request, context in try await topicPage(request, context) }
        for step in TopicStep.all {
            router.post(RouterPath(DeliberationURL.stepPattern(step.capability))) { request, context in
                try await take(request, context) { form, actor, id, version in
                    _ = try await commands.perform(actor, id, try step.fromData(form.json), expectedVersion: version)
                }
            }
        }
        router.post(RouterPath(DeliberationURL.stepPattern(.linkCase))) { request, context in
            try await take(request, context) { form, actor, id, version in
                _ = try await commands.linkCase(actor, id, caseNumber: form["case"], expectedVersion: version)
            }
        }
        router.post("/deliberation/topics/:id/comments") { request, context in
            try await take(request, context) { form, actor, id, _ in
                _ = try await commands.comment(actor, id, text: form["comment"])
            }
        }
        for (action, hide) in [("hide", true), ("report", false)] {
            router.post(RouterPath("/deliberation/comments/:id/\(action)")) { request, context in
                let actor = try context.requireActor()
                let commentID = try context.parameters.require("id", as: Int64.self)
                let topicID = try await store.topicID(ofComment: commentID, for: actor, now: services.clock.now())
                let form = try await Form.read(request, context)
                do {
                    if hide {
                        try await commands.hideComment(actor, commentID, reason: form["reason"])
                    } else {
                        try await commands.reportComment(actor, commentID, reason: form["reason"])
                    }
                    return Response.redirect(to: DeliberationURL.show(topicID).path + "#comment-\(commentID)")
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    return try await topicPage(
                        topicID, context, extra: views.formErrors(error, context), status: .unprocessableContent)
                }
            }
        }
    }

    /// Takes one step from its form; the topic must be readable before its body is read. An error shows the topic
    /// page again with the message beside the field.
    func take(
        _ request: Request, _ context: AppRequestContext,
        _ step: (Form, Actor, Int64, Int?) async throws -> Void
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        try await store.requireVisible(id, to: actor, now: services.clock.now())
        let form = try await Form.read(request, context)
        do {
            try await step(form, actor, id, form.int("version").map(Int.init))
            return Response.redirect(to: DeliberationURL.show(id).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var extra = views.formErrors(error, context)
            extra["form_comment"] = form["comment"]
            extra["form_case"] = form["case"]
            return try await topicPage(id, context, extra: extra, status: .unprocessableContent)
        }
    }

    // MARK: - list

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let q = request.uri.queryParameters
        var filter = TopicFilter(state: q["state"].flatMap { TopicState(rawValue: String($0)) }, mine: q["mine"] == "1")
        filter.search = q["q"].map(String.init)
        filter.beforeID = q["before"].flatMap { Int64($0) }
        let topics = try await store.list(filter, for: actor)
        let counts = try await store.counts(filter, for: actor)
        var base = DeliberationURL.list.path + "?"
        if filter.mine { base += "mine=1&" }
        if let search = filter.search, !search.isEmpty {
            base += "q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "&"
        }
        var tabs: [[String: Any]] = [
            [
                "href": String(base.dropLast()), "label": views.t("topic_all", context),
                "count": counts.values.reduce(0, +), "current": filter.state == nil,
            ]
        ]
        for state in TopicState.allCases {
            tabs.append([
                "href": base + "state=\(state.rawValue)", "label": views.t("topic_state_\(state.rawValue)", context),
                "count": counts[state] ?? 0, "current": filter.state == state,
            ])
        }
        let lang = context.language
        let rows = topics.map { DeliberationViews.row($0, language: lang, words: { views.t($0, context) }) }
        var next = ""
        if topics.count == filter.limit, let last = topics.last {
            next = base + (filter.state.map { "state=\($0.rawValue)&" } ?? "") + "before=\(last.id)"
        }
        let data: [String: Any] = [
            "tabs": tabs, "topics": rows, "q": filter.search ?? "", "mine": filter.mine,
            "all_href": DeliberationURL.list.path, "mine_href": DeliberationURL.list.path + "?mine=1",
            "new_href": DeliberationURL.new.path, "next": next,
        ]
        return views.page(
            "deliberation/list", context, title: views.t("topics_title", context), data: data, section: "deliberation")
    }

    // MARK: - raise

    func newPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let places = try await store.raisePlaces(for: actor)
        guard !places.isEmpty else { throw DomainError(.forbidden, "topic_raise_outside_scope") }
        var data = extra
        let chosen = extra["form_place"] as? String
        data["places"] = places.map { p in
            [
                "value": p.value, "label": views.t("topic_scope_\(p.kind.rawValue)", context) + " · " + p.name,
                "selected": p.value == chosen,
            ] as [String: Any]
        }
        // The rules of the first place's community, so the proposer knows what co-signing asks before raising.
        let rules = try await store.coSignatureRules(communityID: places[0].communityID, at: services.clock.now())
        data["rules"] = TopicScopeKind.allCases.map { kind in
            let rule = rules.rule(for: kind)
            return [
                "scope": views.t("topic_scope_\(kind.rawValue)", context),
                "text": views.t("topic_rule_text", context, ["\(rule.threshold)", "\(rule.windowDays)"]),
            ]
        }
        // Organisers may raise for a governance body of their communities.
        var bodies: [[String: Any]] = []
        if actor.grants.contains(where: { TopicPolicy.organiserRoles.contains($0.role) }) {
            for place in places where place.kind == .community {
                for body in try await services.jurisdiction.bodies(of: place.communityID) where body.isOpen {
                    bodies.append([
                        "id": body.id, "label": place.name + " · " + body.name,
                        "selected": "\(body.id)" == (extra["form_body_id"] as? String),
                    ])
                }
            }
        }
        data["bodies"] = bodies
        let origin = (extra["form_origin"] as? String) ?? "resident"
        data["origin_" + (origin.isEmpty ? "resident" : origin)] = true
        data["idempotency_key"] = (extra["form_idempotency_key"] as? String) ?? Secrets.token(prefix: "t_")
        data["title_max"] = Topic.maxTitle
        data["body_max"] = Topic.maxBody
        return views.page(
            "deliberation/new", context, title: views.t("topic_new_title", context), data: data, status: status,
            section: "deliberation")
    }

    // MARK: - topic

    func topicPage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var extra = extra
        if request.uri.queryParameters["new"] == "1" { extra["is_new"] = true }
        return try await topicPage(
            try context.parameters.require("id", as: Int64.self), context, extra: extra, status: status)
    }

    func topicPage(
        _ id: Int64, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let r = try await store.record(id, for: actor, now: services.clock.now())
        let t = r.topic
        let lang = context.language
        let words: DeliberationViews.Words = { views.t($0, context) }
        var can: [String: Bool] = [:]
        var url: [String: String] = [:]
        for capability in TopicCapability.allCases {
            can[capability.rawValue] = r.capabilities.contains(capability)
            url[capability.rawValue] = DeliberationURL.step(id, capability).path
        }
        url["comment"] = DeliberationURL.comment(id).path
        // Putting a topic to an online vote is drafting the vote on it: the vote's form, with the topic chosen.
        url[TopicCapability.putToVote.rawValue] = VoteURL.new.path + "?topic=\(id)"
        var data = extra
        data["topic"] =
            [
                "id": t.id, "number": t.number, "title": t.title, "body": t.body, "version": t.version,
                "state": words("topic_state_\(t.state.rawValue)"),
                "archive_reason": t.archiveReason.map { words("topic_archive_\($0.rawValue)") } ?? "",
                "scope": words("topic_scope_\(t.scope.kind.rawValue)") + " · " + r.scopeName,
                "origin": DeliberationViews.origin(r, words: words), "proposer": r.proposerName ?? "",
                "created_at": DateText.format(t.createdAt, lang), "agenda_at": DateText.format(t.agendaAt, lang),
                "placed_by_organiser": t.placedByOrganiser,
                "meeting_href": t.meetingID.map { DeliberationURL.meeting($0).path } ?? "",
                "vote_href": t.voteID.map { VoteURL.show($0).path } ?? "",
                "resolution_href": t.resolutionID.map { ResolutionURL.show($0).path } ?? "",
            ] as [String: Any]
        data["progress"] = DeliberationViews.progress(r, language: lang) { views.t($0, context, $1) }
        data["is_proposer"] = r.isProposer
        data["has_cosigned"] = r.hasCoSigned
        data["can"] = can
        data["url"] = url
        // Co-signing has its own button beside the progress; the steps section holds the others.
        data["any_step"] = !r.capabilities.subtracting([.read, .coSign, .edit]).isEmpty
        data["timeline"] = DeliberationViews.events(r, language: lang, words: words)
        data["cases"] = DeliberationViews.cases(r, words: words)
        data["comments"] = DeliberationViews.comments(r, actor: actor, language: lang)
        data["may_comment"] = r.mayComment
        // A decided topic is only concluded; an open one is declined or a duplicate (the workflow's rule).
        let reasons: [TopicArchiveReason] = t.state == .decided ? [.concluded] : [.declined, .duplicate]
        data["archive_reasons"] = reasons.map {
            ["value": $0.rawValue, "label": words("topic_archive_\($0.rawValue)")]
        }
        data["comment_max"] = TopicComment.maxBody
        return views.page(
            "deliberation/topic", context, title: t.number + " " + t.title, data: data, status: status,
            section: "deliberation")
    }
}

extension AppServices {
    var topicCommands: TopicCommands { TopicCommands(db: db, clock: clock, channels: channels.map(\.name)) }
}
