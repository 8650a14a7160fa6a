import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

extension Vote: ResponseEncodable {}

/// Every URL of votes, on the pages and (`api`) under /api/v1.
enum VoteURL {
    case list
    case new
    case show(Int64)
    case cast(Int64)
    case step(Int64, VoteCapability)
    case receipt(Int64)
    /// The published receipts list, a page at a time.
    case receipts(Int64)
    case photo(Int64, String)

    var path: String {
        switch self {
        case .list: "/deliberation/votes"
        case .new: "/deliberation/votes/new"
        case .show(let id): "/deliberation/votes/\(id)"
        case .cast(let id): "/deliberation/votes/\(id)/cast"
        case .step(let id, let step): "/deliberation/votes/\(id)/\(step.rawValue)"
        case .receipt(let id): "/deliberation/votes/\(id)/receipt"
        case .receipts(let id): "/deliberation/votes/\(id)/receipts"
        case .photo(let id, let box):
            "/deliberation/votes/\(id)/boxes/\(box.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "")/photo"
        }
    }

    /// The organisers' steps, each with its own route on both sides.
    static let steps: [VoteCapability] = [
        .schedule, .proxy, .issuePaper, .paperBallot, .correctPaperBallot, .enterBox, .signBox, .secrecy, .close,
        .publish,
    ]
}

/// A vote as the API answers it: the vote (its stored result only when the caller may see it), its phase, the
/// result's arithmetic when visible, the caller's steps and where they stand on the roll.
struct VoteDetail: ResponseEncodable {
    var vote: Vote
    var phase: VotePhase
    var result: VoteResult?
    /// Each check of the decision as text: `participationArea: 239/359 m² = 66.6% (≥ 2/3): not met`.
    var arithmetic: [String]
    var publishedUntil: Date?
    var capabilities: [String]
    var standing: [VoterStanding]
    var boxes: [VoteBox]
}

/// A receipt and its choice in the published list.
struct ReceiptLine: ResponseEncodable {
    var receipt: String
    var channel: BallotChannel
    var ballot: PollBallot
}

struct CastReply: ResponseEncodable {
    var receipt: String
}

/// Vote pages and API: the list, the form for a new vote, the vote page (ballot, result with its arithmetic,
/// receipt check, organisers' steps) and the same steps as JSON.
struct VoteRoutes {
    let services: AppServices
    var views: Views { services.views }
    var store: VoteStore { VoteStore(db: services.db) }
    var commands: VoteCommands { VoteCommands(db: services.db, clock: services.clock) }

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(VoteURL.list.path)) { request, context in
            let actor = try context.requireActor()
            let topic = request.uri.queryParameters["topic"].flatMap { Int64(String($0)) }
            let meeting = request.uri.queryParameters["meeting"].flatMap { Int64(String($0)) }
            let votes = try await store.list(for: actor, topicID: topic, meetingID: meeting)
            let now = services.clock.now()
            let rows: [[String: Any]] = votes.map { v in
                [
                    "href": VoteURL.show(v.id).path, "number": v.number, "title": v.title,
                    "phase": views.t("vote_phase_\(v.phase(at: now).rawValue)", context),
                    "basis": views.t("vote_basis_\(v.basis.rawValue)", context),
                    "closes_at": DateText.format(v.window.closesAt, context.language),
                ]
            }
            let mayPlan = !(try await MeetingStore(db: services.db).communities(for: actor)).isEmpty
            var newHref = VoteURL.new.path
            if let topic { newHref += "?topic=\(topic)" } else if let meeting { newHref += "?meeting=\(meeting)" }
            return views.page(
                "deliberation/votes", context, title: views.t("vote_list_title", context),
                data: [
                    "votes": rows, "may_plan": mayPlan, "new_href": newHref,
                    // A list narrowed to one topic's or meeting's votes says so, with the way back to all of them.
                    "filtered": topic != nil || meeting != nil,
                    "filter_label": views.t(topic != nil ? "vote_filter_topic" : "vote_filter_meeting", context),
                    "filter_back": topic.map { DeliberationURL.show($0).path }
                        ?? meeting.map { DeliberationURL.meeting($0).path } ?? "",
                    "all_href": VoteURL.list.path,
                ], section: "deliberation")
        }
        router.get(RouterPath(VoteURL.new.path)) { request, context in
            var extra: [String: Any] = [:]
            for field in ["topic", "meeting"] {
                if let value = request.uri.queryParameters[Substring(field)] { extra["form_" + field] = String(value) }
            }
            return try await newPage(context, extra: extra)
        }
        router.post(RouterPath(VoteURL.list.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try JSONDecoder().decode(VotePlanInput.self, from: form.json)
                let v = try await commands.draft(actor, try input.plan())
                return Response.redirect(to: VoteURL.show(v.id).path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var extra = views.formErrors(error, context)
                for field in VotePlanInput.CodingKeys.allFields { extra["form_" + field] = form[field] }
                return try await newPage(context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/votes/:id") { _, context in
            try await votePage(try context.parameters.require("id", as: Int64.self), context)
        }
        router.post("/deliberation/votes/:id/cast") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let form = try await Form.read(request, context)
            do {
                let input = try JSONDecoder().decode(BallotInput.self, from: form.jsonWithLists)
                let v = try await store.record(id, for: actor, now: services.clock.now()).vote
                let receipt = try await commands.cast(
                    actor, id, try input.ballot(for: v.spec), for: try input.voterKey())
                // The receipt is shown once, on this answer, and never stored beside the voter.
                var response = try await votePage(id, context, extra: ["receipt": receipt.description])
                response.headers[.cacheControl] = "no-store"
                return response
            } catch let error as DomainError where error.kind != .notFound {
                return try await votePage(
                    id, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        router.get("/deliberation/votes/:id/receipt") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let code = request.uri.queryParameters["code"].map(String.init) ?? ""
            do {
                let found = try await store.checkReceipt(id, code: code, for: actor, now: services.clock.now())
                let v = try await store.record(id, for: actor, now: services.clock.now()).vote
                return try await votePage(
                    id, context,
                    extra: [
                        "receipt_checked": true, "receipt_found": found != nil, "form_code": code,
                        "receipt_choice": found.map { ballotText($0.ballot, v.spec, context) } ?? "",
                    ])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var extra = views.formErrors(error, context)
                extra["form_code"] = code
                return try await votePage(id, context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/votes/:id/receipts") { request, context in
            try await receiptsPage(try context.parameters.require("id", as: Int64.self), request, context)
        }
        router.get("/deliberation/votes/:id/boxes/:box/photo") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let box = context.parameters.get("box")?.removingPercentEncoding ?? ""
            let (type, bytes) = try await store.boxPhoto(id, box: box, for: actor, now: services.clock.now())
            return CasePages.photo(type, Data(bytes), cache: "private, max-age=3600")
        }
        for step in VoteURL.steps {
            router.post(RouterPath("/deliberation/votes/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let form = try await Form.read(request, context, upload: step == .enterBox)
                // The roll-entry pickers post here too: a search or a choice answers with the page, every field
                // kept as typed, and takes no step.
                let chosen = PersonPicker.chosen(form)
                if step == .proxy || step == .issuePaper || step == .paperBallot,
                    PersonPicker.searched(form) != nil || !chosen.isEmpty
                {
                    // Only who may take the step searches the registry through its picker.
                    let r = try await store.record(id, for: actor, now: services.clock.now())
                    guard r.capabilities.contains(step) else {
                        throw r.capabilities.contains(.proxy) || r.capabilities.contains(.issuePaper)
                            || r.capabilities.contains(.paperBallot)
                            ? DomainError(
                                .conflict, "vote_step_out_of_order", args: [step.rawValue, r.vote.state.rawValue])
                            : DomainError.forbidden
                    }
                    var extra: [String: Any] = ["search_field": PersonPicker.searched(form) ?? ""]
                    for field in Self.pickerFields + ["box", "document", "mark"] {
                        extra["form_" + field] = form[field]
                    }
                    for field in Self.pickerFields { extra["q_" + field] = form["q_" + field] }
                    for (field, value) in chosen where Self.pickerFields.contains(field) {
                        extra["form_" + field] = value
                        extra["q_" + field] = ""
                    }
                    return try await votePage(id, context, extra: extra)
                }
                do {
                    let input = try VoteStepInput.decode(form.json)
                    try await commands.perform(
                        actor, id, try input.command(step, today: CalendarDate(services.clock.now())),
                        expectedVersion: form.int("version").map(Int.init), photo: form.files["photo"] ?? [])
                    return Response.redirect(to: VoteURL.show(id).path)
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    var extra = views.formErrors(error, context)
                    for field in [
                        "box", "issued", "returned", "void", "blank", "marks", "scrutineers", "voter", "mark", "reason",
                    ] {
                        extra["form_" + field] = form[field]
                    }
                    // A ballot already read in for this owner: offer to correct it to what was just chosen.
                    extra["correct_offer"] =
                        (step == .paperBallot && error.key == "vote_paper_ballot_twice") || step == .correctPaperBallot
                    extra["form_principal"] = form["principal"]
                    extra["form_proxy_person"] = form["proxy_person"]
                    extra["form_document"] = form["document"]
                    return try await votePage(id, context, extra: extra, status: .unprocessableContent)
                }
            }
        }
        // The API: the same commands.
        api.get("/votes") { request, context in
            let topic = request.uri.queryParameters["topic"].flatMap { Int64(String($0)) }
            let meeting = request.uri.queryParameters["meeting"].flatMap { Int64(String($0)) }
            var items = try await store.list(for: try context.requireActor(), topicID: topic, meetingID: meeting)
            // A list never carries results; the vote itself says whether the caller may see them.
            for i in items.indices { items[i].result = nil }
            return Page(items: items, nextCursor: nil)
        }
        api.post("/votes") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(VotePlanInput.self, context: context)
            let v = try await commands.draft(actor, try input.plan())
            var response = try EditedResponse(status: .created, response: v).response(from: request, context: context)
            response.headers[.eTag] = v.etag
            return response
        }
        api.get("/votes/:id") { request, context in
            let r = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(),
                now: services.clock.now())
            var v = r.vote
            v.result = nil
            var response = try VoteDetail(
                vote: v, phase: r.phase, result: r.result,
                arithmetic: r.result?.outcome?.checks.map {
                    "\($0.kind.rawValue): \($0.summary): \($0.isMet ? "met" : "not met")"
                } ?? [], publishedUntil: r.vote.publishedUntil,
                capabilities: r.capabilities.map(\.rawValue).sorted(), standing: r.standing, boxes: r.boxes
            ).response(from: request, context: context)
            response.headers[.eTag] = r.vote.etag
            return response
        }
        api.post("/votes/:id/cast") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            try await store.requireVisible(id, to: actor, now: services.clock.now())
            let input = try await request.decodeInput(BallotInput.self, context: context)
            let v = try await store.record(id, for: actor, now: services.clock.now()).vote
            let receipt = try await commands.cast(actor, id, try input.ballot(for: v.spec), for: try input.voterKey())
            var response = try EditedResponse(status: .created, response: CastReply(receipt: receipt.description))
                .response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        api.get("/votes/:id/receipts") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let after = request.uri.queryParameters["cursor"].map(String.init)
            let lines = try await store.receipts(
                id, after: after, limit: 1000, for: try context.requireActor(), now: services.clock.now())
            return Page(
                items: lines.map {
                    ReceiptLine(receipt: $0.receipt.description, channel: $0.channel, ballot: $0.ballot)
                },
                nextCursor: lines.count == 1000 ? lines.last?.receipt.symbols : nil)
        }
        api.get("/votes/:id/receipts/:code") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let code = context.parameters.get("code") ?? ""
            guard
                let found = try await store.checkReceipt(
                    id, code: code, for: try context.requireActor(), now: services.clock.now())
            else { throw DomainError(.notFound, "vote_receipt_not_found") }
            return ReceiptLine(receipt: found.receipt.description, channel: found.channel, ballot: found.ballot)
        }
        for step in VoteURL.steps {
            api.post(RouterPath("/votes/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor, now: services.clock.now())
                let buffer = try await request.body.collect(
                    upTo: step == .enterBox ? BodyLimits.upload * 2 : context.maxUploadSize)
                let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
                if jsonHoldsNUL(data) { throw DomainError.invalid("text_nul") }
                let input = try VoteStepInput.decode(data)
                var v = try await commands.perform(
                    actor, id, try input.command(step, today: CalendarDate(services.clock.now())),
                    expectedVersion: request.ifMatchVersion, photo: input.photo.map { [UInt8]($0) } ?? [])
                v.result = nil
                var response = try v.response(from: request, context: context)
                response.headers[.eTag] = v.etag
                return response
            }
        }
    }

    /// Receipts a page of the published list shows.
    static let receiptsPerPage = 100

    /// A closed vote's published receipts with their choices, a page at a time in receipt order (which says nothing
    /// about who or when), for whoever may see its result; no voter appears. With `code`, the receipt check's answer
    /// on top.
    func receiptsPage(_ id: Int64, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let now = services.clock.now()
        let r = try await store.record(id, for: actor, now: now)
        guard r.vote.state == .closed || r.vote.state == .published, r.result != nil else {
            throw DomainError(.conflict, "vote_receipts_not_published")
        }
        let after = request.uri.queryParameters["after"].map(String.init).flatMap { ReceiptCode($0)?.symbols }
        let lines = try await store.receipts(
            id, after: after, limit: Self.receiptsPerPage + 1, for: actor, now: now)
        let shown = lines.prefix(Self.receiptsPerPage)
        var data: [String: Any] = [
            "vote": [
                "number": r.vote.number, "title": r.vote.title, "href": VoteURL.show(id).path,
                "published_until": DateText.format(r.vote.publishedUntil, context.language),
            ] as [String: Any],
            "receipts": shown.map { line in
                [
                    "code": line.receipt.description, "choice": ballotText(line.ballot, r.vote.spec, context),
                    "channel": views.t(line.channel == .paper ? "vote_paper" : "vote_online", context),
                ]
            },
            "first_page": after == nil, "first_href": VoteURL.receipts(id).path,
            "next_href": lines.count > Self.receiptsPerPage
                ? VoteURL.receipts(id).path + "?after=" + (shown.last?.receipt.symbols ?? "") : "",
            "check_url": VoteURL.receipts(id).path,
        ]
        let code = request.uri.queryParameters["code"].map(String.init) ?? ""
        if !code.isEmpty {
            data["form_code"] = code
            do {
                let found = try await store.checkReceipt(id, code: code, for: actor, now: now)
                data["receipt_checked"] = true
                data["receipt_found"] = found != nil
                data["receipt_choice"] = found.map { ballotText($0.ballot, r.vote.spec, context) } ?? ""
            } catch let error as DomainError where error.kind == .invalid {
                data.merge(views.formErrors(error, context)) { _, b in b }
            }
        }
        var response = views.page(
            "deliberation/receipts", context, title: views.t("vote_receipts_title", context) + " · " + r.vote.number,
            data: data, status: data["error_code"] != nil ? .unprocessableContent : .ok, section: "deliberation")
        response.headers[.cacheControl] = "private, max-age=60"
        return response
    }

    /// The fields chosen with a picker: a roll entry for a paper ballot or a proxy's principal, and the proxy.
    static let pickerFields = ["voter", "principal", "proxy_person"]

    /// A roll entry in words, masked: who may cast for it, where they live, and what kind of entry it is.
    func rollText(_ c: RollChoice, _ context: AppRequestContext) -> String {
        let kind =
            c.key == "developer" ? "developer" : String(c.key.prefix { $0 != ":" })
        var parts: [String] = []
        if !c.names.isEmpty { parts.append(c.names.joined(separator: views.t("vote_list_separator", context))) }
        if !c.place.isEmpty { parts.append(c.place) }
        parts.append(views.t("roll_entry_\(kind)", context))
        return parts.joined(separator: " · ")
    }

    /// The pickers of the proxy and paper-ballot forms: the chosen entries by their masked names, and the entries
    /// or people a search found.
    func pickerData(
        _ r: VoteRecord, _ extra: [String: Any], _ context: AppRequestContext
    ) async throws -> [String: Any] {
        let canProxy = r.capabilities.contains(.proxy)
        let canPaper = r.capabilities.contains(.issuePaper)
        guard canProxy || canPaper else { return [:] }
        let actor = try context.requireActor()
        let now = services.clock.now()
        func value(_ field: String) -> String {
            ((extra["form_" + field] as? String) ?? "").trimmingCharacters(in: .whitespaces)
        }
        let searched = (extra["search_field"] as? String) ?? ""
        let keys = [value("voter"), value("principal")].compactMap { VoteKeyText.parse($0)?.label }
        let rollLabels = try await store.labels(r.vote.id, keys: keys, for: actor)
        let proxyID = Int64(value("proxy_person"))
        let people = try await RegistryStore(db: services.db).labels(proxyID.map { [$0] } ?? [], for: actor)
        var out: [String: Any] = [:]
        for field in Self.pickerFields {
            guard field == "voter" ? canPaper : canProxy else { continue }
            let query = (extra["q_" + field] as? String) ?? ""
            var picker = PersonPicker(
                field: field,
                label: views.t(
                    field == "proxy_person" ? "vote_proxy_person" : field == "voter" ? "vote_voter" : "vote_principal",
                    context),
                hint: views.t(field == "proxy_person" ? "picker_person_hint" : "picker_roll_hint", context),
                chosen: value(field), query: query,
                chooseLabel: views.t("picker_choose", context), error: (extra["error_" + field] as? String) ?? "")
            if field == "proxy_person" {
                picker.chosenLabel = proxyID.flatMap { people[$0] }.map { PersonPicker.label($0) } ?? ""
            } else if let key = VoteKeyText.parse(picker.chosen)?.label, let c = rollLabels[key] {
                picker.chosenLabel = rollText(c, context)
            }
            if picker.chosen.isEmpty == false, picker.chosenLabel.isEmpty {
                picker.chosenLabel = views.t("picker_chosen_unknown", context)
            }
            if searched == field, !query.trimmingCharacters(in: .whitespaces).isEmpty {
                picker.searched = true
                if field == "proxy_person" {
                    picker.choices = try await RegistryStore(db: services.db).choices(
                        query: query, communityID: r.vote.communityID, for: actor, now: now
                    ).map { c in
                        PersonPicker.Choice(
                            value: "\(c.id)",
                            label: PersonPicker.label(c) { views.t("picker_age", context, ["\($0)"]) })
                    }
                } else {
                    picker.choices = try await store.rollChoices(r.vote.id, query: query, for: actor, now: now).map {
                        PersonPicker.Choice(value: $0.key, label: rollText($0, context))
                    }
                }
            }
            out["picker_" + field] = picker.data
        }
        // The mandates already recorded, by who they are rather than by their ids.
        if canProxy, !r.proxies.isEmpty {
            let principals = try await store.labels(r.vote.id, keys: r.proxies.map(\.principal.label), for: actor)
            let proxies = try await RegistryStore(db: services.db).labels(r.proxies.map(\.proxyPersonID), for: actor)
            out["proxy_list"] = r.proxies.map { p in
                [
                    "principal": principals[p.principal.label].map { rollText($0, context) }
                        ?? views.t("picker_chosen_unknown", context),
                    "proxy": proxies[p.proxyPersonID].map { PersonPicker.label($0) }
                        ?? views.t("picker_chosen_unknown", context),
                    "document": p.document,
                ]
            }
        }
        return out
    }

    /// A ballot in words: the answer's label, the options chosen, the scores or times.
    func ballotText(_ ballot: PollBallot, _ spec: PollSpec, _ context: AppRequestContext) -> String {
        let comma = views.t("vote_list_separator", context)
        switch ballot {
        case .proposal(let c): return views.t("proposal_choice_\(c.rawValue)", context)
        case .consent(let c): return views.t("consent_choice_\(c.rawValue)", context)
        case .choices(let picked):
            return picked.map { spec.options.indices.contains($0) ? spec.options[$0] : "?" }.joined(separator: comma)
        case .scores(let given):
            return zip(spec.options, given).map { "\($0) \($1)" }.joined(separator: comma)
        case .times(let given):
            return zip(spec.options, given).map { "\($0) \(views.t("availability_\($1.rawValue)", context))" }
                .joined(separator: comma)
        }
    }

    func newPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let communities = try await MeetingStore(db: services.db).communities(for: actor)
        guard !communities.isEmpty else { throw DomainError.forbidden }
        var data = extra
        func options<T: RawRepresentable>(_ all: [T], _ prefix: String, _ chosen: String?) -> [[String: Any]]
        where T.RawValue == String {
            all.map {
                [
                    "value": $0.rawValue, "label": views.t(prefix + $0.rawValue, context),
                    "selected": $0.rawValue == chosen,
                ]
            }
        }
        data["communities"] = communities.map { c in
            ["id": c.id, "label": c.name, "selected": "\(c.id)" == (extra["form_community"] as? String)]
                as [String: Any]
        }
        // A vote with no meeting may be on a topic of the agenda, which it then decides; a meeting's vote keeps the
        // topic it was drafted from.
        let meeting = (extra["form_meeting"] as? String) ?? ""
        let chosenTopic = (extra["form_topic"] as? String) ?? ""
        data["topic_pick"] = meeting.isEmpty
        if meeting.isEmpty {
            let ids = Set(communities.map(\.id))
            var topics = try await TopicStore(db: services.db).list(TopicFilter(state: .onAgenda), for: actor).filter {
                ids.contains($0.communityID)
            }
            if let id = Int64(chosenTopic), !topics.contains(where: { $0.id == id }),
                let chosen = try? await TopicStore(db: services.db).record(id, for: actor, now: services.clock.now())
            {
                topics.insert(chosen.topic, at: 0)
            }
            data["topic_options"] = topics.map { t in
                ["id": t.id, "label": t.number + " " + t.title, "selected": "\(t.id)" == chosenTopic] as [String: Any]
            }
        }
        data["kinds"] = options(PollKind.allCases, "poll_kind_", extra["form_kind"] as? String ?? "proposal")
        data["bases"] = options(VotingBasis.allCases, "vote_basis_", extra["form_basis"] as? String ?? "persons")
        data["matters"] = options(OwnersMatter.allCases, "owners_matter_", extra["form_matter"] as? String)
        data["secrecies"] = options(
            BallotSecrecy.allCases, "vote_secrecy_", extra["form_secrecy"] as? String ?? "secret")
        return views.page(
            "deliberation/vote_new", context, title: views.t("vote_new_title", context), data: data, status: status,
            section: "deliberation")
    }

    func votePage(
        _ id: Int64, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let now = services.clock.now()
        let r = try await store.record(id, for: actor, now: now)
        var data = extra
        data.merge(VoteViews.page(r, now: now, language: context.language) { views.t($0, context, $1) }) { a, _ in a }
        data.merge(try await pickerData(r, extra, context)) { _, b in b }
        for (i, s) in r.standing.enumerated() where !s.hasVoted {
            // The first entry the reader has not voted for is the ballot's default.
            data["ballot_voter"] = s.byProxy ? s.key.label : ""
            _ = i
            break
        }
        return views.page(
            "deliberation/vote", context, title: r.vote.number + " " + r.vote.title, data: data, status: status,
            section: "deliberation")
    }
}

extension VotePlanInput.CodingKeys {
    static let allFields = [
        "community", "scope", "topic", "meeting", "title", "kind", "options", "choices_min", "choices_max", "basis",
        "matter", "opens_at", "closes_at", "secrecy",
    ]
}

/// The vote page's model, built by a pure function from the read model.
enum VoteViews {
    typealias Words = (String, [String]) -> String

    /// A counted result as the vote page and the public vote page show it: turnout by channel, the count per answer
    /// and the decision with each line of its arithmetic and its legal basis. Never a name or a choice of anyone.
    static func result(_ result: VoteResult, spec: PollSpec, final: Bool, _ t: Words) -> [String: Any] {
        func w(_ key: String, _ args: [String] = []) -> String { t(key, args) }
        var data: [String: Any] = [:]
        data["result"] =
            [
                "participants": result.participants, "roll_size": result.rollSize, "online": result.online,
                "paper": result.paper, "by_proxy": result.byProxy, "ballots": result.poll.ballots,
                "void": result.poll.void, "blank": result.poll.blank,
                "turnout": ThresholdCheck(
                    .attendance, part: Int64(result.participants), of: Int64(result.rollSize),
                    threshold: .atLeast(.whole)
                ).arithmetic,
                "final": final,
            ] as [String: Any]
        let labels: [String] =
            switch spec.kind {
            case .proposal: ProposalChoice.allCases.map { w("proposal_choice_\($0.rawValue)") }
            case .consent: ConsentChoice.allCases.map { w("consent_choice_\($0.rawValue)") }
            default: spec.options
            }
        data["tally"] = result.poll.options.enumerated().map { i, o in
            [
                "label": labels[i], "count": spec.kind == .score ? o.scoreTotal : o.count,
                "if_need_be": o.ifNeedBe, "timed": spec.kind == .meetingTime,
                "leading": result.poll.leading.contains(i),
            ] as [String: Any]
        }
        if let outcome = result.outcome {
            data["outcome"] =
                [
                    "passed": outcome.passed, "failed": !outcome.passed,
                    "basis": outcome.basis.map { Self.legalBasis($0, w) }.joined(
                        separator: w("vote_basis_separator")),
                ] as [String: Any]
            data["checks"] = outcome.checks.map { c in
                [
                    "label": w("deliberation_check_\(c.kind.rawValue)"), "summary": c.summary, "met": c.isMet,
                    "not_met": !c.isMet,
                ] as [String: Any]
            }
        }
        return data
    }

    /// A rule's source as the reader's language cites it: `民法典（2020-05-28）第278条第2款`, `… art. 278 ¶2`.
    static func legalBasis(_ b: LegalBasis, _ w: Words) -> String {
        if b.isProjectDefault { return w("vote_basis_project_default", [b.article]) }
        let parts = b.article.components(separatedBy: " ¶")
        return parts.count == 2
            ? w("vote_basis_article_paragraph", [b.law, b.version, parts[0], parts[1]])
            : w("vote_basis_article", [b.law, b.version, b.article])
    }

    /// The secrecy step's timeline note (`secret`, `open+results` …) in words.
    static func secrecyNote(_ note: String, _ w: Words) -> String {
        let parts = note.split(separator: "+")
        guard let first = parts.first, BallotSecrecy(rawValue: String(first)) != nil else { return note }
        return w("vote_secrecy_\(first)", []) + (parts.count > 1 ? w("vote_secrecy_with_results", []) : "")
    }

    static func page(_ r: VoteRecord, now: Date, language: Language, t: Words) -> [String: Any] {
        let v = r.vote
        func w(_ key: String, _ args: [String] = []) -> String { t(key, args) }
        var can: [String: Bool] = [:]
        var url: [String: String] = ["cast": VoteURL.cast(v.id).path, "receipt": VoteURL.receipt(v.id).path]
        for capability in VoteCapability.allCases {
            can[capability.rawValue] = r.capabilities.contains(capability)
            url[capability.rawValue] = VoteURL.step(v.id, capability).path
        }
        // The page's one secrecy button makes an open vote secret; a secret vote has nothing left to tighten.
        can[VoteCapability.secrecy.rawValue] = r.capabilities.contains(.secrecy) && v.secrecy.secrecy == .open
        var data: [String: Any] = [:]
        data["vote"] =
            [
                "id": v.id, "number": v.number, "title": v.title, "version": v.version,
                "phase": w("vote_phase_\(r.phase.rawValue)"), "kind": w("poll_kind_\(v.spec.kind.rawValue)"),
                "basis": w("vote_basis_\(v.basis.rawValue)"),
                "matter": v.matter.map { w("owners_matter_\($0.rawValue)") } ?? "",
                "secrecy": w("vote_secrecy_\(v.secrecy.secrecy.rawValue)"),
                "results_before_close": v.secrecy.resultsBeforeClose,
                "opens_at": DateText.format(v.window.opensAt, language),
                "closes_at": DateText.format(v.window.closesAt, language), "community": r.communityName,
                "scope": r.scopeName, "roll_size": v.rollSize, "frozen": v.state != .draft,
                "frozen_at": DateText.format(v.frozenAt, language), "rule_set": v.ruleSetID,
                "proxies": v.proxies.allowed
                    ? (v.proxies.maxMandatesPerProxy.map { w("vote_proxies_cap", ["\($0)"]) }
                        ?? w("vote_proxies_allowed"))
                    : w("vote_proxies_none"),
                "topic_href": v.topicID.map { DeliberationURL.show($0).path } ?? "",
                "meeting_href": v.meetingID.map { DeliberationURL.meeting($0).path } ?? "",
                "published": v.state == .published,
                "published_at": DateText.format(v.publishedAt, language),
                "published_until": DateText.format(v.publishedUntil, language),
                "public_href": ResolutionURL.publicVote(v.number).path,
                "receipts_open": v.state == .closed || v.state == .published,
                // The published receipts list has its page once the result is published to the reader.
                "receipts_href": v.state == .published && r.result != nil ? VoteURL.receipts(v.id).path : "",
            ] as [String: Any]
        // The ballot: one control per answer.
        let answers: [[String: Any]]
        switch v.spec.kind {
        case .proposal:
            answers = ProposalChoice.allCases.map {
                ["value": $0.rawValue, "label": w("proposal_choice_\($0.rawValue)")]
            }
        case .consent:
            answers = ConsentChoice.allCases.map {
                ["value": $0.rawValue, "label": w("consent_choice_\($0.rawValue)")]
            }
        default:
            answers = v.spec.options.enumerated().map { ["value": "\($0.offset)", "label": $0.element] }
        }
        data["answers"] = answers
        // One paper form: the voter signs for a ballot while the vote runs; an owners' ballot is then read into
        // its owner's entry until the close.
        data["paper_form"] = r.capabilities.contains(.issuePaper) || r.capabilities.contains(.paperBallot)
        data["paper_marks"] = PaperMark.allCases.map {
            ["value": $0.rawValue, "label": w("paper_mark_\($0.rawValue)")]
        }
        // What has been read in so far, per box, to check against the box's totals before entering them.
        data["paper_ballots"] = r.paperBallots.keys.sorted().map { box in
            let counts = r.paperBallots[box] ?? [:]
            return [
                "box": box, "total": counts.values.reduce(0, +),
                "counts": PaperMark.allCases.filter { (counts[$0] ?? 0) > 0 }.map {
                    w("paper_mark_\($0.rawValue)") + " \(counts[$0] ?? 0)"
                }.joined(separator: " · "),
            ] as [String: Any]
        }
        data["single_answer"] = [.proposal, .consent, .singleChoice].contains(v.spec.kind)
        data["multiple_answers"] = v.spec.kind == .multipleChoice
        data["scored"] = v.spec.kind == .score
        data["timed"] = v.spec.kind == .meetingTime
        data["score_range"] = "\(v.spec.scores.lowerBound)–\(v.spec.scores.upperBound)"
        data["availabilities"] = Availability.allCases.map {
            ["value": $0.rawValue, "label": w("availability_\($0.rawValue)")]
        }
        let pending = r.standing.filter { !$0.hasVoted }
        data["may_vote"] = r.capabilities.contains(.cast) && r.phase == .open && !pending.isEmpty
        data["has_voted"] = !r.standing.isEmpty && pending.isEmpty
        // Someone who may not vote here is told why, and where to check their record, rather than shown nothing.
        data["not_on_roll"] =
            r.phase == .open && r.standing.isEmpty && !r.capabilities.contains(.close)
            && !r.capabilities.contains(.enterBox)
        data["awaiting_publication"] = v.state == .closed && r.result == nil
        // A proxy's entries are named by the mandate they hold (the letter's number and date), never by an id.
        let mandates = Dictionary(r.heldMandates.map { ($0.principal, $0) }, uniquingKeysWith: { a, _ in a })
        data["entries"] = pending.map { s in
            let mandate = mandates[s.key].map { "\($0.document)\(w("paren_open"))\($0.signedOn)\(w("paren_close"))" }
            return [
                "value": s.byProxy ? s.key.label : "", "by_proxy": s.byProxy,
                "label": s.byProxy
                    ? w("vote_entry_proxy", [mandate ?? w("vote_entry_proxy_unnamed")]) : w("vote_entry_own"),
            ] as [String: Any]
        }
        data["several_entries"] = pending.count > 1
        if let result = r.result {
            data.merge(Self.result(result, spec: v.spec, final: v.state == .closed || v.state == .published, t)) {
                $1
            }
        }
        data["turnout_online"] = r.turnout[.online] ?? 0
        data["turnout_paper"] = r.turnout[.paper] ?? 0
        data["boxes"] = r.boxes.map { b in
            [
                "box": b.totals.box, "issued": b.totals.issued, "returned": b.totals.returned, "void": b.totals.void,
                "blank": b.totals.blank, "marks": b.totals.marks.map(String.init).joined(separator: " / "),
                "scrutineers": b.totals.scrutineers.joined(separator: "、"), "signatures": b.signatures,
                "signed": b.signedBy.count, "signed_off": b.isSignedOff, "open": !b.isSignedOff,
                "photo_href": VoteURL.photo(v.id, b.totals.box).path,
            ] as [String: Any]
        }
        data["proxy_list"] = r.proxies.map { p in
            // Replaced by names in `pickerData` for the staff who may read the registry.
            ["principal": w("picker_chosen_unknown"), "proxy": w("picker_chosen_unknown"), "document": p.document]
        }
        data["marks_hint"] = w(
            "vote_marks_hint", [answers.map { $0["label"] as? String ?? "" }.joined(separator: " / ")])
        data["timeline"] = r.timeline.map { e in
            [
                "at": DateText.format(e.at, language), "who": e.actorName ?? w("topic_by_system", []),
                "action": w("vote_step_\(e.action)"),
                "note": e.action == VoteCapability.secrecy.rawValue ? Self.secrecyNote(e.note, w) : e.note,
            ]
        }
        data["can"] = can
        data["url"] = url
        return data
    }
}
