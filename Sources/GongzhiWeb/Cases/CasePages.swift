import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Case pages: report a problem, lists with filters in the URL, the case page with its timeline and the next
/// step as the one obvious button.
struct CasePages {
    let services: AppServices
    var views: Views { services.views }
    var store: CaseStore { CaseStore(db: services.db) }
    var commands: CaseCommands { services.caseCommands }

    func register(on router: Router<AppRequestContext>) {
        router.get("/cases/new") { _, context in try await newPage(context) }
        router.post("/cases") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let isStaff = actor.grants.contains { $0.role.isStaff }
                var submission = CaseSubmission(
                    kind: isStaff ? (CaseKind(rawValue: form["kind"]) ?? .event) : .appeal,
                    channel: isStaff ? (CaseChannel(rawValue: form["channel"]) ?? .patrol) : .web,
                    title: form["title"], description: form["description"], categoryID: form.int("category"),
                    nodeID: form.int("place") ?? 0, isPublic: form["public"] == "1")
                if !form["lat"].isEmpty || !form["long"].isEmpty {
                    guard let lat = Double(form["lat"]), let lng = Double(form["long"]) else { throw DomainError.invalid("case_point_invalid", field: "lat") }
                    submission.latitude = lat
                    submission.longitude = lng
                }
                submission.disputeGrade = DisputeGrade(rawValue: form["grade"])
                submission.photos = form.files["photo"].map { [$0] } ?? []
                let created = try await commands.submit(actor, submission, idempotencyKey: form["idempotency_key"])
                return Response.redirect(to: "/cases/\(created.id)?new=1")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .forbidden {
                var extra = views.formErrors(error, context)
                extra["form_title"] = form["title"]
                extra["form_description"] = form["description"]
                extra["idempotency_key"] = form["idempotency_key"]
                extra["form_lat"] = form["lat"]
                extra["form_lng"] = form["long"]
                return try await newPage(context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/cases") { request, context in try await list(request, context) }
        router.get("/cases/export.csv") { request, context in try await export(request, context) }
        router.get("/cases/grids") { _, context in try await gridView(context) }
        router.get("/cases/map") { _, context in try await mapView(context) }
        router.get("/cases/:id/photos/:photo") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            guard let (subject, path) = try await store.find(id) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
            guard CaseAccess.canRead(actor, subject, path: path, units: units) else { throw DomainError.outsideJurisdiction }
            guard let (type, bytes) = try await store.photoBytes(try context.parameters.require("photo", as: Int64.self), caseID: id) else {
                throw DomainError.notFound
            }
            // Only checked raster types are ever stored; still served with a locked-down policy of their own.
            return Response(status: .ok, headers: [
                .contentType: type, .contentDisposition: "inline", .cacheControl: "private, max-age=3600",
                .contentSecurityPolicy: "default-src 'none'; sandbox",
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/cases/:id") { request, context in try await casePage(request, context) }
        router.post("/cases/:id/act") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                if form["step"] == "mediate" {
                    _ = try await commands.recordMediation(actor, caseID: id, MediationSession(
                        at: services.clock.now(), method: MediationMethod(rawValue: form["method"]) ?? .people, mediator: form["mediator"],
                        parties: form["parties"], summary: form["summary"], agreement: form["agreement"],
                        outcome: MediationOutcome(rawValue: form["outcome"]) ?? .continuing))
                    return Response.redirect(to: "/cases/\(id)")
                }
                switch form["step"] {
                case "merge":
                    guard let (primary, _) = try await store.find(number: form["into"].trimmingCharacters(in: .whitespaces)) else {
                        throw DomainError.invalid("merge_case_unknown", field: "into")
                    }
                    _ = try await commands.mergeDuplicate(actor, duplicateID: id, into: primary.id)
                    return Response.redirect(to: "/cases/\(primary.id)")
                case "photo":
                    guard let bytes = form.files["photo"] else { throw DomainError.invalid("photo_empty", field: "photo") }
                    _ = try await commands.addPhoto(actor, caseID: id, bytes: bytes)
                    return Response.redirect(to: "/cases/\(id)")
                case "request_extension":
                    let until = try CaseMeasuresPage.day(form["until"], field: "until").addingTimeInterval(18 * 3600)
                    try await commands.requestExtension(actor, caseID: id, until: until, reason: form["note"])
                    return Response.redirect(to: "/cases/\(id)")
                case "approve_extension", "refuse_extension":
                    _ = try await commands.decideExtension(actor, caseID: id, approve: form["step"] == "approve_extension", note: form["note"])
                    return Response.redirect(to: "/cases/\(id)")
                default: break
                }
                if let step = GridStep(rawValue: form["step"]) {
                    _ = try await commands.gridStep(actor, caseID: id, step, note: form["note"])
                    return Response.redirect(to: "/cases/\(id)")
                }
                if form["step"] == "escalate" {
                    _ = try await commands.escalate(actor, caseID: id, reason: form["note"])
                    return Response.redirect(to: "/cases/\(id)")
                }
                let action = try Self.action(from: form)
                if case .dispatch(let unit, _, _) = action {
                    _ = try await commands.dispatchByRule(actor, caseID: id, unitID: unit == 0 ? nil : unit)
                } else {
                    _ = try await commands.act(actor, caseID: id, action, expectedVersion: nil)
                }
                return Response.redirect(to: "/cases/\(id)")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await casePage(request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
    }

    /// Turns the step form into an action; dispatch without dates means "by the routing rule".
    static func action(from form: Form) throws -> CaseAction {
        switch form["step"] {
        case "file": return .file(categoryID: form.int("category"))
        case "reject": return .reject(reason: form["note"])
        case "resolve_at_once": return .resolveAtOnce(result: form["note"])
        case "dispatch": return .dispatch(unitID: form.int("unit") ?? 0, respondBy: .distantPast, resolveBy: .distantPast)
        case "accept_handling": return .acceptHandling
        case "return": return .returnCase(reason: form["note"])
        case "report_back": return .reportBack(result: form["note"])
        case "verify_pass": return .verify(passed: true, note: form["note"])
        case "verify_fail": return .verify(passed: false, note: form["note"])
        case "rate":
            guard let rating = CaseRating(rawValue: form["rating"]) else { throw DomainError.invalid("case_rating_required", field: "rating") }
            return .rate(rating, comment: form["note"], reopen: form["reopen"] == "1")
        default: throw DomainError.invalid("case_step_unknown", field: "step")
        }
    }

    func newPage(_ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.requireActor()
        var data = extra
        data["categories"] = try await categoryOptions(context)
        var places: [[String: Any]] = []
        // The resident's own building first; staff choose among the grids and buildings of their subtree.
        if let home = context.user?.homeNodeID, let node = try await services.jurisdiction.node(home) {
            places.append(["id": node.id, "label": node.name])
            if let grid = node.parentID, let g = try await services.jurisdiction.node(grid) { places.append(["id": g.id, "label": g.name]) }
            if let community = node.communityID, let c = try await services.jurisdiction.node(community) { places.append(["id": c.id, "label": c.name]) }
        }
        for grant in actor.grants where grant.role.isStaff {
            guard let top = try await services.jurisdiction.node(grant.nodeID) else { continue }
            if top.kind.isCommunityLevel || top.kind == .grid || top.kind == .building { places.append(["id": top.id, "label": top.name]) }
            for kind in [NodeKind.community, .grid] where top.kind != kind {
                for n in try await services.jurisdiction.descendants(of: top.path, kind: kind, limit: 300) {
                    places.append(["id": n.id, "label": n.name])
                }
            }
        }
        data["places"] = places
        data["staff"] = actor.grants.contains { $0.role.isStaff }
        // A second press of "send" (or a resend after a time-out) returns the same case.
        data["idempotency_key"] = (extra["idempotency_key"] as? String) ?? Secrets.token(prefix: "f_")
        data["grades"] = DisputeGrade.allCases.map { ["value": $0.rawValue, "label": views.t("dispute_grade_\($0.rawValue)", context)] }
        return views.page("case_new", context, title: views.t("case_new_title", context), data: data, status: status, section: "cases")
    }

    func categoryOptions(_ context: AppRequestContext) async throws -> [[String: Any]] {
        let all = try await CaseSetupStore.categories(services.db)
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) })
        return all.map { c in ["id": c.id, "label": c.parentID.flatMap { names[$0] }.map { "\($0) › \(c.name)" } ?? c.name] }
    }

    /// The list's filter from the URL, shared by the page and the CSV export.
    func filter(_ request: Request, _ context: AppRequestContext) async throws -> (CaseFilter, String, Bool, Set<Int64>) {
        let actor = try context.requireActor()
        let q = request.uri.queryParameters
        var filter = CaseFilter()
        let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
        let staffGrant = actor.grants.filter { $0.role.isStaff && $0.role != .departmentHandler }.min { $0.nodePath.count < $1.nodePath.count }
        let view = q["view"].map(String.init) ?? (staffGrant != nil ? "area" : units.isEmpty ? "mine" : "unit")
        switch view {
        case "unit": filter.unitIDs = Array(units)
        case "area":
            guard let staffGrant else { throw DomainError.forbidden }
            filter.scopePath = staffGrant.nodePath
        default: filter.reporterUserID = actor.userID
        }
        if let s = q["status"].flatMap({ CaseStatus(rawValue: String($0)) }) { filter.statuses = [s] }
        if let c = q["category"].flatMap({ Int64($0) }) { filter.categoryID = c }
        if q["overdue"] == "1" { filter.overdueAt = services.clock.now() }
        if q["due_soon"] == "1" {
            filter.dueSoonFrom = services.clock.now()
            filter.dueBefore = services.clock.now().addingTimeInterval(24 * 3600)
        }
        if q["escalated"] == "1" { filter.minEscalation = 1 }
        if q["review"] == "1" { filter.awaitingReview = true }
        if q["deliberation"] == "1" { filter.sentToDeliberation = true }
        filter.gridID = q["grid"].flatMap { Int64($0) }
        filter.search = q["q"].map(String.init)
        filter.beforeID = q["before"].flatMap { Int64($0) }
        return (filter, view, staffGrant != nil, units)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (filter, view, isArea, units) = try await self.filter(request, context)
        let cases = try await store.list(filter)
        let counts = try await store.counts(filter)
        let base = "/cases?view=\(view)" + (filter.search.map { "&q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
            + (filter.categoryID.map { "&category=\($0)" } ?? "") + (filter.gridID.map { "&grid=\($0)" } ?? "")
        var tabs: [[String: Any]] = [["href": base, "label": views.t("case_all", context), "count": counts.values.reduce(0, +),
                                      "current": filter.statuses.isEmpty && filter.overdueAt == nil]]
        for status in CaseStatus.allCases {
            tabs.append(["href": base + "&status=\(status.rawValue)", "label": views.t("case_status_\(status.rawValue)", context),
                         "count": counts[status] ?? 0, "current": filter.statuses == [status]])
        }
        let now = services.clock.now()
        let lang = context.language
        let data: [String: Any] = [
            "tabs": tabs, "q": filter.search ?? "", "view": view, "area": isArea,
            "export_href": base.replacingOccurrences(of: "/cases?", with: "/cases/export.csv?")
                + (filter.statuses.first.map { "&status=\($0.rawValue)" } ?? "") + (filter.overdueAt != nil ? "&overdue=1" : ""),
            "views": [("area", isArea), ("unit", !units.isEmpty), ("mine", true)].filter(\.1).map { v in
                ["href": "/cases?view=\(v.0)", "label": views.t("case_view_\(v.0)", context), "current": v.0 == view]
            },
            "overdue_href": base + "&overdue=1", "overdue_current": filter.overdueAt != nil,
            "due_soon_href": base + "&due_soon=1", "due_soon_current": filter.dueBefore != nil,
            "categories": try await categoryOptions(context).map { c in c.merging(["selected": (c["id"] as? Int64) == filter.categoryID]) { $1 } },
            "escalated_href": base + "&escalated=1", "escalated_current": filter.minEscalation != nil,
            "review_href": base + "&review=1", "review_current": filter.awaitingReview,
            "deliberation_href": base + "&deliberation=1", "deliberation_current": filter.sentToDeliberation,
            "cases": cases.map { c in
                var row: [String: Any] = [
                    "id": c.id, "number": c.number, "title": c.title, "status": views.t("case_status_\(c.status.rawValue)", context),
                    "created_at": DateText.format(c.createdAt, lang),
                ]
                if c.escalationLevel > 0 { row["escalated"] = views.t("case_escalation_\(c.escalationLevel)", context) }
                if let due = c.resolveBy, c.status.isOpen {
                    row["due"] = DateText.format(due, lang)
                    row["overdue"] = due < now
                }
                return row
            },
            "next": cases.count == filter.limit ? base + "&before=\(cases.last!.id)" : "",
        ]
        return views.page("cases", context, title: views.t("cases_title", context), data: data, section: "cases")
    }

    /// Open cases per grid of the caller's area, heaviest first, each row linking to the grid's list.
    func gridView(_ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let scope = actor.grants.filter({ $0.role.isStaff && $0.role != .departmentHandler })
            .min(by: { $0.nodePath.count < $1.nodePath.count }) else { throw DomainError.forbidden }
        let loads = try await store.openByGrid(scopePath: scope.nodePath, now: services.clock.now())
        let grids = try await services.jurisdiction.descendants(of: scope.nodePath, kind: .grid, limit: 5000)
        let byID = Dictionary(uniqueKeysWithValues: loads.map { ($0.gridID, $0) })
        let names = try await services.jurisdiction.descendants(of: scope.nodePath, kind: .community, limit: 1000)
            .reduce(into: [Int64: String]()) { $0[$1.id] = $1.name }
        let heaviest = max(1, loads.map(\.open).max() ?? 1)
        let rows: [[String: Any]] = grids.map { g in
            let load = byID[g.id] ?? GridLoad(gridID: g.id, open: 0, overdue: 0, escalated: 0)
            return ["id": g.id, "name": g.name, "community": g.communityID.flatMap { names[$0] } ?? "", "open": load.open,
                    "overdue": load.overdue, "escalated": load.escalated, "bar": Int((Double(load.open) / Double(heaviest) * 100).rounded())]
        }.sorted { ($0["open"] as! Int, $1["name"] as! String) > ($1["open"] as! Int, $0["name"] as! String) }
        return views.page("case_grids", context, title: views.t("case_grids_title", context),
                          data: ["rows": rows, "scope": scope.nodeName], section: "cases")
    }

    /// Open cases of the caller's area as points on a schematic map (no tiles: positions only, drawn in SVG),
    /// coloured by state, each linking to its case; the counts are written beside it.
    func mapView(_ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let scope = actor.grants.filter({ $0.role.isStaff && $0.role != .departmentHandler })
            .min(by: { $0.nodePath.count < $1.nodePath.count }) else { throw DomainError.forbidden }
        var filter = CaseFilter()
        filter.scopePath = scope.nodePath
        filter.statuses = CaseStatus.allCases.filter(\.isOpen)
        filter.limit = 3000
        let now = services.clock.now()
        let cases = try await store.list(filter).filter { $0.latitude != nil && $0.longitude != nil }
        let (width, height, pad) = (800.0, 560.0, 20.0)
        let lats = cases.compactMap(\.latitude), lngs = cases.compactMap(\.longitude)
        let (minLat, maxLat) = (lats.min() ?? 0, lats.max() ?? 1), (minLng, maxLng) = (lngs.min() ?? 0, lngs.max() ?? 1)
        // Equirectangular, with longitude shrunk by cos(latitude) so distances look right at Shenzhen's latitude.
        let k = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLng - minLng) * k, 0.0001), spanY = max(maxLat - minLat, 0.0001)
        let scale = min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
        var counts: [String: Int] = [:]
        let points: [[String: Any]] = cases.map { c in
            let overdue = c.resolveBy.map { $0 < now } ?? false
            let kind = overdue ? "overdue" : c.escalationLevel > 0 ? "escalated" : c.status == .submitted ? "new" : "open"
            counts[kind, default: 0] += 1
            return ["x": String(format: "%.1f", pad + (c.longitude! - minLng) * k * scale),
                    "y": String(format: "%.1f", height - pad - (c.latitude! - minLat) * scale),
                    "id": c.id, "label": "\(c.number) \(c.title)", "kind": kind]
        }
        let legend = ["new", "open", "escalated", "overdue"].map { kind in
            ["kind": kind, "label": views.t("case_map_\(kind)", context), "count": counts[kind] ?? 0] as [String: Any]
        }
        return views.page("case_map", context, title: views.t("case_map_title", context), data: [
            "points": points, "legend": legend, "scope": scope.nodeName, "width": Int(width), "height": Int(height),
            "total": points.count,
        ], section: "cases")
    }

    /// The list as CSV (up to 50,000 rows), without reporters' names.
    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var (filter, _, _, _) = try await self.filter(request, context)
        filter.limit = 50_000
        filter.beforeID = nil
        let cases = try await store.list(filter)
        let categories = Dictionary(uniqueKeysWithValues: try await CaseSetupStore.categories(services.db).map { ($0.id, $0.name) })
        let units = Dictionary(uniqueKeysWithValues: try await CaseSetupStore.units(services.db).map { ($0.id, $0.name) })
        let iso = { (d: Date?) in d.map { WorkCalendar.dayKey($0) } ?? "" }
        var rows = [["number", "kind", "channel", "status", "title", "category", "place_id", "unit", "created", "due", "closed", "rating", "escalation"]]
        for c in cases {
            rows.append([c.number, c.kind.rawValue, c.channel.rawValue, c.status.rawValue, c.title, c.categoryID.flatMap { categories[$0] } ?? "",
                         "\(c.nodeID)", c.unitID.flatMap { units[$0] } ?? "", iso(c.createdAt), iso(c.resolveBy), iso(c.closedAt),
                         c.rating?.rawValue ?? "", "\(c.escalationLevel)"])
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"cases.csv\"",
        ], body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + CSV.format(rows))))
    }

    func casePage(_ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        guard let (subject, path) = try await store.find(id) else { throw DomainError.notFound }
        let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
        guard CaseAccess.canRead(actor, subject, path: path, units: units) else { throw DomainError.outsideJurisdiction }
        let lang = context.language
        let place = try await services.jurisdiction.node(subject.nodeID)
        let allUnits = try await CaseSetupStore.units(services.db)
        let categories = try await categoryOptions(context)
        let names = try await services.accounts.displayNames(Set(try await store.events(of: id).compactMap(\.actorUserID)))
        var data = extra
        var caseData: [String: Any] = [
            "id": subject.id, "number": subject.number, "title": subject.title, "description": subject.description,
            "status": views.t("case_status_\(subject.status.rawValue)", context), "kind": views.t("case_kind_\(subject.kind.rawValue)", context),
            "channel": views.t("case_channel_\(subject.channel.rawValue)", context), "place": place?.name ?? "",
            "category": categories.first { ($0["id"] as? Int64) == subject.categoryID }?["label"] ?? "",
            "unit": allUnits.first { $0.id == subject.unitID }?.name ?? "",
            "created_at": DateText.format(subject.createdAt, lang), "resolve_by": DateText.format(subject.resolveBy, lang),
            "closed_at": DateText.format(subject.closedAt, lang),
        ]
        if let rating = subject.rating { caseData["rating"] = views.t("case_rating_\(rating.rawValue)", context) }
        if subject.escalationLevel > 0 { caseData["escalation"] = views.t("case_escalation_\(subject.escalationLevel)", context) }
        if let grade = subject.disputeGrade { caseData["grade"] = views.t("dispute_grade_\(grade.rawValue)", context) }
        data["case"] = caseData
        if subject.kind == .dispute {
            data["mediations"] = try await store.mediations(of: id).map { m in
                ["at": DateText.format(m.at, lang), "method": views.t("mediation_method_\(m.method.rawValue)", context), "mediator": m.mediator,
                 "parties": m.parties, "summary": m.summary, "agreement": m.agreement,
                 "outcome": views.t("mediation_outcome_\(m.outcome.rawValue)", context)] as [String: Any]
            }
            let staffHere = CasePolicy.supervises(actor, casePath: path)
            data["can_mediate"] = [.filed, .dispatched, .handling].contains(subject.status) && (staffHere || subject.unitID.map(units.contains) == true)
            data["methods"] = MediationMethod.allCases.map { ["value": $0.rawValue, "label": views.t("mediation_method_\($0.rawValue)", context)] }
            data["outcomes"] = MediationOutcome.allCases.map { ["value": $0.rawValue, "label": views.t("mediation_outcome_\($0.rawValue)", context)] }
        }
        data["is_new"] = request.uri.queryParameters["new"] != nil
        // Only staff of the case's area, and the reporter, see who reported it (anonymous to everyone else).
        let seesReporter = CaseAccess.seesReporter(actor, subject, path: path)
        data["timeline"] = try await store.events(of: id).map { e in
            let hidden = !seesReporter && e.actorUserID != nil && e.actorUserID == subject.reporterUserID
            return [
                "at": DateText.format(e.at, lang), "action": views.t("case_step_\(e.action)", context),
                "who": hidden ? views.t("case_reporter", context) : e.actorUserID.flatMap { names[$0] } ?? "", "note": e.note,
                "status": views.t("case_status_\(e.toStatus.rawValue)", context),
            ] as [String: Any]
        }
        // The steps this person may take now, the first being the obvious next one.
        func may(_ action: CaseAction) -> Bool {
            (try? CaseWorkflow.apply(action, to: subject, at: services.clock.now().addingTimeInterval(-1))) != nil
                && CasePolicy.allows(actor, action, on: subject, casePath: path, memberOf: units)
        }
        data["can_file"] = may(.file(categoryID: nil))
        data["can_reject"] = may(.reject(reason: "x"))
        data["can_resolve"] = may(.resolveAtOnce(result: "x"))
        data["can_dispatch"] = may(.dispatch(unitID: subject.unitID ?? 1, respondBy: .distantFuture, resolveBy: .distantFuture))
        data["can_accept"] = may(.acceptHandling)
        data["can_return"] = may(.returnCase(reason: "x"))
        data["can_report"] = may(.reportBack(result: "x"))
        data["can_verify"] = may(.verify(passed: true, note: "x"))
        data["can_rate"] = may(.rate(.satisfied, comment: "", reopen: false))
        let areaStaff = CasePolicy.keepsGridSteps(actor, casePath: path)
        data["grid_steps"] = GridStep.allCases.filter { areaStaff && $0.allowed(in: subject.status) }
            .map { ["value": $0.rawValue, "label": views.t("grid_step_\($0.rawValue)", context)] }
        data["photos"] = try await store.photos(of: id).map { ["href": "/cases/\(id)/photos/\($0.id)"] }
        data["can_add_photo"] = subject.status.isOpen
        data["can_request_extension"] = [.dispatched, .handling].contains(subject.status) && subject.unitID.map(units.contains) == true
        if let pending = try await commands.pendingExtension(id) {
            data["extension"] = ["until": DateText.format(pending.until, lang), "reason": pending.reason,
                                 "can_decide": CasePolicy.supervises(actor, casePath: path)] as [String: Any]
        }
        data["can_escalate"] = subject.status.isOpen && subject.escalationLevel < Escalation.maxLevel && CasePolicy.supervises(actor, casePath: path)
        data["categories"] = categories.map { c in c.merging(["selected": (c["id"] as? Int64) == subject.categoryID]) { $1 } }
        data["units"] = allUnits.map { ["id": $0.id, "label": $0.name] }
        data["ratings"] = CaseRating.allCases.map { ["value": $0.rawValue, "label": views.t("case_rating_\($0.rawValue)", context)] }
        return views.page("case", context, title: subject.title, data: data, status: status, section: "cases")
    }
}
