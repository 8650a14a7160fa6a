import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The URLs of reporting a problem one question per page.
enum ReportURL {
    case start
    case question(ReportQuestion)
    case send, discard
    case photo(Int64)
    case sent(Int64)

    var path: String {
        switch self {
        case .start: "/report"
        case .question(let q): "/report/\(q.rawValue)"
        case .send: "/report/send"
        case .discard: "/report/discard"
        case .photo(let id): "/report/photos/\(id)"
        case .sent(let id): "/report/sent/\(id)"
        }
    }
}

/// A resident reports a problem one question per page (GOV.UK's question pages and "check your answers"): what kind,
/// where, what happened (with up to three photos), public or not, then a check of every answer and the confirmation
/// with the case number, who will handle it and when to expect the first answer. Answers are kept in a draft, so
/// "back", a reload or another device loses nothing. Staff keep the one-page form at /cases/new.
struct ReportPages {
    let services: AppServices
    var views: Views { services.views }
    var drafts: ReportDrafts { ReportDrafts(db: services.db, clock: services.clock, commands: services.caseCommands) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(ReportURL.start.path)) { _, context in
            let actor = try context.requireActor()
            let draft = try await drafts.draft(for: actor)
            let first = draft.map { ReportQuestion.reachable(.check, in: $0) } ?? .kind
            return Response.redirect(to: ReportURL.question(first).path)
        }
        for question in ReportQuestion.allCases {
            router.get(RouterPath(ReportURL.question(question).path)) { request, context in
                try await show(question, request, context)
            }
        }
        for question in ReportQuestion.allCases where question != .check {
            router.post(RouterPath(ReportURL.question(question).path)) { request, context in
                try await answer(question, request, context)
            }
        }
        router.post(RouterPath(ReportURL.send.path)) { request, context in
            let actor = try context.requireActor()
            _ = try await Form.read(request, context)
            do {
                let created = try await drafts.submit(actor)
                return Response.redirect(to: ReportURL.sent(created.id).path)
            } catch let error as DomainError where error.kind == .invalid {
                // An unanswered question (or an answer no longer valid, a place closed meanwhile) is asked again.
                let question = error.field.flatMap(ReportQuestion.init(rawValue:)) ?? .check
                return try await show(
                    question == .check ? .check : question, request, context, errors: views.formErrors(error, context),
                    status: .unprocessableContent)
            }
        }
        router.post(RouterPath(ReportURL.discard.path)) { request, context in
            let actor = try context.requireActor()
            _ = try await Form.read(request, context)
            try await drafts.discard(actor)
            return Response.redirect(to: "/home")
        }
        router.get("/report/photos/:photo") { _, context in
            let actor = try context.requireActor()
            let (type, bytes) = try await drafts.photoBytes(
                try context.parameters.require("photo", as: Int64.self), for: actor)
            return CasePages.photo(type, bytes, cache: "private, no-store")
        }
        router.get("/report/sent/:id") { _, context in try await sent(context) }
    }

    /// One question page, with the draft's answer filled in; a later question than the first unanswered one sends
    /// the resident back to that one.
    func show(
        _ wanted: ReportQuestion, _ request: Request, _ context: AppRequestContext, errors: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        guard let user = context.user, let community = user.communityID else {
            return views.page(
                "cases/report_home", context, title: views.t("report_title", context), data: [:], section: "cases")
        }
        let draft =
            try await drafts.draft(for: actor)
            ?? ReportDraft(userID: user.id, communityID: community, idempotencyKey: "")
        let question = ReportQuestion.reachable(wanted, in: draft)
        if question != wanted, errors.isEmpty { return Response.redirect(to: ReportURL.question(question).path) }
        let words: CaseViews.Words = { views.t($0, context) }
        var data = errors
        data["step"] = views.t("report_step", context, ["\(question.number)", "\(ReportQuestion.count)"])
        data["back"] = question.previous.map { ReportURL.question($0).path } ?? "/home"
        data["action"] = ReportURL.question(question).path
        data["version"] = draft.version
        let categories = try await CaseSetupStore.categories(services.db)
        switch question {
        case .kind:
            data["options"] = ReportViews.kindOptions(categories, chosen: draft.kindAnswered ? draft.categoryID : -1)
            data["unsure_checked"] = draft.kindAnswered && draft.categoryID == nil
        case .place:
            let query = request.uri.queryParameters["place_q"].map(String.init) ?? ""
            data["place_q"] = query
            data["options"] = try await placeOptions(user: user, draft: draft, query: query)
            data["searched"] = !query.isEmpty
            // The map of the resident's grid (or the area they zoomed to): a tap answers the question too.
            if let picker = try await mapPicker(
                user: user, draft: draft, area: request.uri.queryParameters["area"].flatMap { Int64($0) }, context)
            {
                data["map_picker"] = picker
            }
        case .details:
            data["field_title"] = FormField.text(
                "title", label: words("case_title"), value: draft.title, hint: words("case_title_hint"),
                errors: errors, maxLength: Case.maxTitle, required: true)
            data["field_description"] = FormField.text(
                "description", label: words("case_description"), value: draft.description,
                hint: words("report_description_hint"), errors: errors, maxLength: Case.maxDescription,
                multiline: true, rows: 6, required: true)
            data["photos"] = draft.photos.map { ["id": $0.id, "src": ReportURL.photo($0.id).path] as [String: Any] }
            data["can_add_photo"] = draft.photos.count < PhotoRules.maxPerCase
            data["photo_hint"] = views.t(
                "report_photo_hint", context, ["\(PhotoRules.maxPerCase - draft.photos.count)"])
            data["csrf_query"] = true
        case .visibility:
            data["public_checked"] = draft.isPublic == true
            data["private_checked"] = draft.isPublic == false
        case .check:
            let placeLabel = try await placeLabel(draft.nodeID)
            data["answers"] = ReportViews.answers(
                draft, categories: categories, place: placeLabel, words: words)
            data["photos"] = draft.photos.map { ["src": ReportURL.photo($0.id).path] }
            data["idempotency_key"] = draft.idempotencyKey
            // Before a second report of the same thing: open public cases nearby or with the same words.
            let point: (Double, Double)? =
                if let lat = draft.latitude, let lng = draft.longitude { (lat, lng) } else {
                    try await services.jurisdiction.point(of: draft.nodeID ?? 0)
                }
            let similar = try await CaseStore(db: services.db).similarOpen(
                communityID: draft.communityID, categoryID: draft.categoryID, nodeID: draft.nodeID, point: point,
                title: draft.title, excludingReporter: user.id)
            data["similar"] = similar.map { report in
                ReportViews.similar(
                    report, language: context.language, words: words,
                    supporters: views.t("reports_supporters", context, ["\(report.supporters)"]))
            }
            data["has_similar"] = !similar.isEmpty
        }
        return views.page(
            "cases/report_\(question.rawValue)", context, title: views.t("report_q_\(question.rawValue)", context),
            data: data, status: status, section: "cases")
    }

    func answer(_ question: ReportQuestion, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = try await Form.read(request, context, upload: question == .details)
        let version = form.int("version").map(Int.init)
        do {
            var after: ReportDraft
            switch question {
            case .kind:
                guard !form["category"].isEmpty else {
                    throw DomainError.invalid("report_kind_required", field: "category")
                }
                after = try await drafts.answer(
                    actor, .kind(categoryID: form["category"] == "unsure" ? nil : form.int("category")),
                    expectedVersion: version)
            case .place:
                if MapPick.wasUsed(form) { return try await mapAnswer(form, actor, context) }
                guard let node = form.int("place") else {
                    throw DomainError.invalid("report_place_required", field: "place")
                }
                after = try await drafts.answer(
                    actor, .place(nodeID: node, latitude: nil, longitude: nil), expectedVersion: version)
            case .details:
                if let remove = form.int("remove_photo") {
                    try await drafts.answer(actor, .keepText(title: form["title"], description: form["description"]))
                    try await drafts.answer(actor, .removePhoto(id: remove))
                    return Response.redirect(to: ReportURL.question(.details).path)
                }
                if let bytes = form.files["photo"] {
                    try await drafts.answer(actor, .keepText(title: form["title"], description: form["description"]))
                    try await drafts.answer(actor, .addPhoto(bytes: bytes))
                    // "Add this photo" stays to add another; "continue" goes on once the text is complete too.
                    if form["then"] == "photo" { return Response.redirect(to: ReportURL.question(.details).path) }
                } else if form["then"] == "photo" {
                    try await drafts.answer(actor, .keepText(title: form["title"], description: form["description"]))
                    throw DomainError.invalid("photo_empty", field: "photo")
                }
                after = try await drafts.answer(
                    actor, .details(title: form["title"], description: form["description"]))
            case .visibility:
                guard ["1", "0"].contains(form["public"]) else {
                    throw DomainError.invalid("report_visibility_required", field: "public")
                }
                after = try await drafts.answer(
                    actor, .visibility(isPublic: form["public"] == "1"), expectedVersion: version)
            case .check:
                return Response.redirect(to: ReportURL.question(.check).path)
            }
            return Response.redirect(to: ReportURL.question(question.next(in: after)).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await show(
                question, request, context, errors: views.formErrors(error, context), status: .unprocessableContent)
        }
    }

    /// Where the problem is: the resident's own building, grid and community first, then what a search of their
    /// community finds, each with its full path.
    func placeOptions(user: User, draft: ReportDraft, query: String) async throws -> [[String: Any]] {
        var nodes: [Node] = []
        if let home = user.homeNodeID, let node = try await services.jurisdiction.node(home) {
            nodes.append(node)
            for id in node.ancestry.reversed().dropFirst() {
                guard let up = try await services.jurisdiction.node(id) else { continue }
                nodes.append(up)
                if up.kind.isCommunityLevel { break }
            }
        }
        if let chosen = draft.nodeID, !nodes.contains(where: { $0.id == chosen }),
            let node = try await services.jurisdiction.node(chosen)
        {
            nodes.insert(node, at: 0)
        }
        if !query.isEmpty, let community = try await services.jurisdiction.node(draft.communityID) {
            for found in try await services.jurisdiction.search(inside: [community.path], query: query, limit: 30)
            where !nodes.contains(where: { $0.id == found.id }) {
                nodes.append(found)
            }
        }
        let labels = try await services.jurisdiction.pathLabels(nodes)
        let chosen = draft.nodeID ?? user.homeNodeID
        return nodes.map { n in
            ["id": n.id, "label": labels[n.id] ?? n.name, "checked": n.id == chosen] as [String: Any]
        }
    }

    /// The map picker of the place question: the area asked for when it lies in the resident's community, else the
    /// grid of the chosen place or of their home.
    func mapPicker(
        user: User, draft: ReportDraft, area wanted: Int64?, _ context: AppRequestContext
    ) async throws -> MapPicker? {
        var area: Node? = nil
        if let wanted, let node = try await services.jurisdiction.node(wanted),
            node.communityID == draft.communityID
                || node.id == draft.communityID
        {
            area = node
        }
        if area == nil, let around = draft.nodeID ?? user.homeNodeID,
            let node = try await services.jurisdiction.node(around)
        {
            area = node  // a building draws its grid
        }
        guard let area, area.kind.isCommunityLevel || area.kind == .grid || area.kind == .building else { return nil }
        let picked = draft.hasPoint ? GeoPoint(lat: draft.latitude!, lng: draft.longitude!) : nil
        return try await MapPick.picker(
            services, area: area, picked: picked, placedAt: picked == nil ? "" : try await placeLabel(draft.nodeID),
            words: { views.t($0, context) })
    }

    /// A tap on the map (or "use my location", or a zoom button): the point placed by the one placement rule inside
    /// the resident's community becomes the answer; the page comes back to show it before the resident goes on.
    func mapAnswer(_ form: Form, _ actor: Actor, _ context: AppRequestContext) async throws -> Response {
        if let zoom = form.int(MapPick.zoomField) {
            return Response.redirect(to: ReportURL.question(.place).path + "?area=\(zoom)")
        }
        guard let point = MapPick.decode(form: form) else {
            throw DomainError.invalid("map_no_place", field: "place")
        }
        guard let user = context.user, let community = user.communityID,
            let home = try await services.jurisdiction.node(community)
        else { throw DomainError.invalid("report_needs_home", field: "place") }
        guard let node = try await services.jurisdiction.place(point, within: MapPick.snapMeters, inside: home.path)
        else { throw DomainError.invalid("map_no_place", field: "place") }
        try await drafts.answer(
            actor, .place(nodeID: node.id, latitude: point.lat, longitude: point.lng),
            expectedVersion: form.int("version").map(Int.init))
        let area = form.int(MapPick.areaField).map { "?area=\($0)" } ?? ""
        return Response.redirect(to: ReportURL.question(.place).path + area)
    }

    func placeLabel(_ id: Int64?) async throws -> String {
        guard let id, let node = try await services.jurisdiction.node(id) else { return "" }
        return try await services.jurisdiction.pathLabels([node])[id] ?? node.name
    }

    /// The confirmation: the case number to keep, who handles it once known, and when to expect the first answer.
    func sent(_ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let store = CaseStore(db: services.db)
        let record = try await store.record(id, for: actor, now: services.clock.now())
        guard record.case.reporterUserID == actor.storedUserID else { throw DomainError.notFound }
        let expectation = try await store.expectation(of: record.case, now: services.clock.now())
        let data: [String: Any] = [
            "number": record.case.number, "case_href": CaseURL.show(id).path,
            "unit": expectation.unitName ?? "", "has_unit": expectation.unitName != nil,
            "respond_by": DateText.format(expectation.respondBy, context.language),
            "has_respond_by": expectation.respondBy != nil,
            "is_public": record.case.isPublic, "public_href": CaseURL.report(record.case.number).path,
        ]
        return views.page(
            "cases/report_sent", context, title: views.t("report_sent_title", context), data: data, section: "cases")
    }
}
