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

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/cases/new") { _, context in
            // Residents answer one question per page; staff keep the one-page form.
            let actor = try context.requireActor()
            guard actor.grants.contains(where: { $0.role.isStaff }) else {
                return Response.redirect(to: ReportURL.start.path)
            }
            return try await newPage(context)
        }
        router.post("/cases") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context, upload: true)
            // A tap on the map (or a zoom button) chooses a place and shows the form again; it files nothing.
            if MapPick.wasUsed(form) { return try await picked(form, actor, context) }
            do {
                let isStaff = actor.grants.contains { $0.role.isStaff }
                var submission = CaseSubmission(
                    kind: isStaff ? (CaseKind(rawValue: form["kind"]) ?? .event) : .appeal,
                    channel: isStaff ? (CaseChannel(rawValue: form["channel"]) ?? .patrol) : .web,
                    title: form["title"], description: form["description"], categoryID: form.int("category"),
                    nodeID: form.int("place") ?? 0, isPublic: form["public"] == "1")
                if !form["lat"].isEmpty || !form["long"].isEmpty {
                    guard let lat = Double(form["lat"]), let lng = Double(form["long"]) else {
                        throw DomainError.invalid("case_point_invalid", field: "lat")
                    }
                    submission.latitude = lat
                    submission.longitude = lng
                }
                // Only a point (from the map or "use my location"): placed by the one placement rule.
                if form.int("place") == nil, let lat = submission.latitude, let lng = submission.longitude {
                    var inside: String? = nil
                    if let id = form.int(MapPick.areaField) {
                        inside = try await services.jurisdiction.visible(id, to: actor).path
                    }
                    guard
                        let node = try await services.jurisdiction.place(
                            GeoPoint(lat: lat, lng: lng), within: MapPick.snapMeters, inside: inside)
                    else { throw DomainError.invalid("map_no_place", field: "lat") }
                    submission.nodeID = node.id
                }
                submission.disputeGrade = DisputeGrade(rawValue: form["grade"])
                // Staff filing for a caller record who it is; a caller who stays anonymous leaves both empty.
                if Caller.channels.contains(submission.channel),
                    !form["caller_name"].isEmpty || !form["caller_phone"].isEmpty
                {
                    submission.caller = try Caller.validate(name: form["caller_name"], phone: form["caller_phone"])
                }
                if isStaff { submission.facilityCode = form["facility"] }
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
                extra["form_caller_name"] = form["caller_name"]
                extra["form_caller_phone"] = form["caller_phone"]
                extra["form_facility"] = form["facility"]
                return try await newPage(
                    context, extra: extra, status: .unprocessableContent, mapArea: form.int(MapPick.areaField),
                    selected: Self.selection(form))
            }
        }
        router.get("/cases") { request, context in try await list(request, context) }
        router.get("/cases/export.csv") { request, context in try await export(request, context) }
        router.post(RouterPath(CaseURL.bulk.path)) { request, context in try await bulk(request, context) }
        router.get("/cases/grids") { request, context in try await gridView(request, context) }
        router.get("/cases/map") { _, context in try await mapView(context) }
        router.get("/cases/:id/photos/:photo") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let (type, bytes) = try await store.photoBytes(
                try context.parameters.require("photo", as: Int64.self), caseID: id, for: actor,
                now: services.clock.now())
            return Self.photo(type, bytes, cache: "private, max-age=3600")
        }
        router.get("/cases/:id") { request, context in try await casePage(request, context) }
        router.post("/cases/:id/caller") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let form = try await Form.read(request, context)
            do {
                let caller = try await store.revealCaller(id, for: actor, reason: form["reason"], clock: services.clock)
                var response = try await casePage(
                    request, context, extra: ["caller_full": ["name": caller.name, "phone": caller.phone]])
                // The full view is for this screen only: not cached, not kept in the history's copies.
                response.headers[.cacheControl] = "no-store"
                return response
            } catch let error as DomainError where error.kind == .invalid {
                return try await casePage(
                    request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        for step in CaseStep.all {
            router.post(RouterPath(CaseURL.stepPattern(step.capability))) { request, context in
                try await take(request, context) { form in try step.fromForm(form, services.clock.now()) }
            }
        }
        // Following needs no input; its API answer is in CasePublicPages (it says nothing more of the case).
        for (step, command) in [
            (CaseCapability.follow, CaseCommand.follow), (.unfollow, .unfollow), (.support, .support),
        ] {
            router.post(RouterPath(CaseURL.stepPattern(step))) { request, context in
                try await take(request, context) { _ in command }
            }
        }
        router.post(RouterPath(CaseURL.stepPattern(.addPhoto))) { request, context in
            try await take(request, context, upload: true) { form in
                guard let bytes = form.files["photo"] else { throw DomainError.invalid("photo_empty", field: "photo") }
                return .addPhoto(bytes: bytes)
            }
        }
    }

    /// A stored photo as a response. Only checked raster types are ever stored; still served with a locked-down
    /// policy of their own.
    static func photo(_ type: String, _ bytes: Data, cache: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "inline", .cacheControl: cache,
                .contentSecurityPolicy: "default-src 'none'; sandbox",
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Takes one step from its form: the same command as the API, with the page's version as the optimistic lock;
    /// an error shows the case page again with the message beside the field.
    func take(
        _ request: Request, _ context: AppRequestContext, upload: Bool = false, _ command: (Form) throws -> CaseCommand
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        // A large body is read only for a case the caller may see: others get 404, as for a missing id.
        if upload { try await store.requireVisible(id, to: actor, now: services.clock.now()) }
        let form = try await Form.read(request, context, upload: upload)
        do {
            let next = try await commands.perform(
                actor, id, try command(form), expectedVersion: form.int("version").map(Int.init))
            return Response.redirect(to: CaseURL.show(next.mergedIntoID ?? id).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await casePage(
                request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
        }
    }

    /// What the form had chosen, kept when it is shown again (after an error or a tap on the map).
    struct Selection {
        var kind = "", channel = "", category: Int64? = nil, place: Int64? = nil, grade = "", isPublic = false
    }

    static func selection(_ form: Form) -> Selection {
        Selection(
            kind: form["kind"], channel: form["channel"], category: form.int("category"), place: form.int("place"),
            grade: form["grade"], isPublic: form["public"] == "1")
    }

    /// The map picker was used: decode the point, place it with the one placement rule inside the area drawn, and
    /// show the form again with the point and the place chosen (or a zoomed map), keeping what was typed.
    func picked(_ form: Form, _ actor: Actor, _ context: AppRequestContext) async throws -> Response {
        var extra: [String: Any] = [
            "form_title": form["title"], "form_description": form["description"],
            "idempotency_key": form["idempotency_key"], "form_caller_name": form["caller_name"],
            "form_caller_phone": form["caller_phone"], "form_lat": form["lat"], "form_lng": form["long"],
        ]
        var selection = Self.selection(form)
        var area = form.int(MapPick.areaField)
        var point: GeoPoint? = nil
        var placedAt = ""
        if let zoom = form.int(MapPick.zoomField) {
            area = zoom
        } else if let p = MapPick.decode(form: form) {
            point = p
            extra["form_lat"] = String(format: "%.6f", p.lat)
            extra["form_lng"] = String(format: "%.6f", p.lng)
            var inside: String? = nil
            if let id = area { inside = try await services.jurisdiction.visible(id, to: actor).path }
            if let node = try await services.jurisdiction.place(p, within: MapPick.snapMeters, inside: inside) {
                selection.place = node.id
                placedAt = try await services.jurisdiction.pathLabels([node])[node.id] ?? node.name
                extra["notice"] = views.t("case_point_placed", context, [placedAt])
            } else {
                extra.merge(views.formErrors(DomainError.invalid("map_no_place", field: "lat"), context)) { $1 }
            }
        }
        return try await newPage(
            context, extra: extra, mapArea: area, picked: point, placedAt: placedAt, selection: selection)
    }

    func newPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        mapArea: Int64? = nil, picked: GeoPoint? = nil, placedAt: String = "", selection: Selection = Selection()
    ) async throws -> Response {
        try await newPage(
            context, extra: extra, status: status, mapArea: mapArea, selected: selection, picked: picked,
            placedAt: placedAt)
    }

    func newPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        mapArea: Int64?, selected: Selection, picked: GeoPoint? = nil, placedAt: String = ""
    ) async throws -> Response {
        let actor = try context.requireActor()
        var data = extra
        data["categories"] = try await categoryOptions(context)
        var places: [[String: Any]] = []
        // The resident's own building first; staff choose among the grids and buildings of their subtree.
        if let home = context.user?.homeNodeID, let node = try await services.jurisdiction.node(home) {
            places.append(["id": node.id, "label": node.name])
            if let grid = node.parentID, let g = try await services.jurisdiction.node(grid) {
                places.append(["id": g.id, "label": g.name])
            }
            if let community = node.communityID, let c = try await services.jurisdiction.node(community) {
                places.append(["id": c.id, "label": c.name])
            }
        }
        for grant in actor.grants where grant.role.isStaff {
            guard let top = try await services.jurisdiction.node(grant.nodeID) else { continue }
            if top.kind.isCommunityLevel || top.kind == .grid || top.kind == .building {
                places.append(["id": top.id, "label": top.name])
            }
            for kind in [NodeKind.community, .grid] where top.kind != kind {
                for n in try await services.jurisdiction.descendants(of: top.path, kind: kind, limit: 300) {
                    places.append(["id": n.id, "label": n.name])
                }
            }
        }
        // A place chosen on the map that the list does not offer (a building) comes first.
        if let chosen = selected.place, !places.contains(where: { ($0["id"] as? Int64) == chosen }),
            let node = try await services.jurisdiction.node(chosen)
        {
            places.insert(["id": node.id, "label": placedAt.isEmpty ? node.name : placedAt], at: 0)
        }
        data["places"] = places.map { p in p.merging(["selected": (p["id"] as? Int64) == selected.place]) { $1 } }
        data["categories"] = (data["categories"] as? [[String: Any]] ?? []).map { c in
            c.merging(["selected": (c["id"] as? Int64) == selected.category]) { $1 }
        }
        data["public_checked"] = selected.isPublic
        data["kind_" + (selected.kind.isEmpty ? "event" : selected.kind)] = true
        data["channel_" + (selected.channel.isEmpty ? "patrol" : selected.channel)] = true
        // The map picker: the area asked for (a zoom), else the first place's community or grid.
        var area: Node? = nil
        if let id = mapArea { area = try? await services.jurisdiction.visible(id, to: actor) }
        if area == nil, let first = places.first?["id"] as? Int64 {
            area = try await services.jurisdiction.node(first)
        }
        if let area, area.kind.isCommunityLevel || area.kind == .grid || area.kind == .building {
            data["map_picker"] = try await MapPick.picker(
                services, area: area, picked: picked, placedAt: placedAt, words: { views.t($0, context) })
        }
        data["staff"] = actor.grants.contains { $0.role.isStaff }
        // A second press of "send" (or a resend after a time-out) returns the same case.
        data["idempotency_key"] = (extra["idempotency_key"] as? String) ?? Secrets.token(prefix: "f_")
        data["grades"] = DisputeGrade.allCases.map {
            ["value": $0.rawValue, "label": views.t("dispute_grade_\($0.rawValue)", context)]
        }
        return views.page(
            "cases/new", context, title: views.t("case_new_title", context), data: data, status: status,
            section: "cases")
    }

    func categoryOptions(_ context: AppRequestContext) async throws -> [[String: Any]] {
        let all = try await CaseSetupStore.categories(services.db)
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) })
        return all.map { c in
            ["id": c.id, "label": c.parentID.flatMap { names[$0] }.map { "\($0) › \(c.name)" } ?? c.name]
        }
    }

    /// The list's filter from the URL, shared by the page and the CSV export.
    func filter(_ request: Request, _ context: AppRequestContext) async throws -> (CaseFilter, Bool, Set<Int64>) {
        let actor = try context.requireActor()
        let q = request.uri.queryParameters
        let units = try await CaseSetupStore.memberships(services.db, userID: actor.userID)
        let isArea = !actor.areas.isEmpty
        let scope =
            q["view"].flatMap { CaseScope(rawValue: String($0)) } ?? (isArea ? .area : units.isEmpty ? .mine : .unit)
        var filter = CaseFilter(scope: scope)
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
        if q["to_rate"] == "1" { filter.awaitingRating = true }
        filter.gridID = q["grid"].flatMap { Int64($0) }
        filter.search = q["q"].map(String.init)
        filter.beforeID = q["before"].flatMap { Int64($0) }
        // One area of the tree (a node page's counts link here); an unknown node finds nothing, not everything.
        if let node = q["node"] {
            filter.within = "/0/"
            if let id = Int64(node), let found = try await services.jurisdiction.node(id) { filter.within = found.path }
        }
        if q["open"] == "1" { filter.statuses = CaseStatus.allCases.filter(\.isOpen) }
        filter.closedFrom = q["closed_since"].flatMap { DateText.day(String($0)) }
        return (filter, isArea, units)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let (filter, isArea, units) = try await self.filter(request, context)
        let view = filter.scope.rawValue
        let listed = try await store.listed(filter, for: actor, now: services.clock.now())
        let cases = listed.map(\.case)
        let counts = try await store.counts(filter, for: actor)
        let q = request.uri.queryParameters
        var base = "/cases?view=\(view)"
        if let search = filter.search {
            base += "&q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        if let category = filter.categoryID { base += "&category=\(category)" }
        if let grid = filter.gridID { base += "&grid=\(grid)" }
        if let node = q["node"].flatMap({ Int64($0) }) { base += "&node=\(node)" }
        if let closed = filter.closedFrom { base += "&closed_since=\(WorkCalendar.dayKey(closed))" }
        var tabs: [[String: Any]] = [
            [
                "href": base, "label": views.t("case_all", context), "count": counts.values.reduce(0, +),
                "current": filter.statuses.isEmpty && filter.overdueAt == nil && !filter.awaitingRating,
            ]
        ]
        for status in CaseStatus.allCases {
            tabs.append([
                "href": base + "&status=\(status.rawValue)",
                "label": views.t("case_status_\(status.rawValue)", context),
                "count": counts[status] ?? 0, "current": filter.statuses == [status],
            ])
        }
        let now = services.clock.now()
        let lang = context.language
        let isStaff = actor.grants.contains { $0.role.isStaff }
        let bulkSteps = listed.reduce(into: Set<CaseBulkStep>()) { $0.formUnion($1.bulkSteps) }
        var withinName = ""
        if let id = q["node"].flatMap({ Int64($0) }), let node = try await services.jurisdiction.node(id) {
            withinName = node.name
        }
        let exportHref =
            base.replacingOccurrences(of: "/cases?", with: "/cases/export.csv?")
            + (filter.statuses.first.map { "&status=\($0.rawValue)" } ?? "")
            + (filter.overdueAt != nil ? "&overdue=1" : "")
        let data: [String: Any] = [
            "tabs": tabs, "q": filter.search ?? "", "view": view, "area": isArea, "staff": isStaff,
            "to_rate_href": "/cases?view=mine&to_rate=1", "to_rate_current": filter.awaitingRating,
            "export_href": exportHref, "export_gb_href": exportHref + "&encoding=gb18030",
            "views": [("area", isArea), ("unit", !units.isEmpty), ("mine", isStaff)].filter(\.1).map { v in
                ["href": "/cases?view=\(v.0)", "label": views.t("case_view_\(v.0)", context), "current": v.0 == view]
            },
            "overdue_href": base + "&overdue=1", "overdue_current": filter.overdueAt != nil,
            "due_soon_href": base + "&due_soon=1", "due_soon_current": filter.dueBefore != nil,
            "categories": try await categoryOptions(context).map { c in
                c.merging(["selected": (c["id"] as? Int64) == filter.categoryID]) { $1 }
            },
            "escalated_href": base + "&escalated=1", "escalated_current": filter.minEscalation != nil,
            "review_href": base + "&review=1", "review_current": filter.awaitingReview,
            "deliberation_href": base + "&deliberation=1", "deliberation_current": filter.sentToDeliberation,
            "cases": cases.map { c in
                var row = CaseViews.row(c, now: now, language: lang, words: { views.t($0, context) })
                row.selectable = isStaff
                return row
            },
            // Bulk steps: one form around the table; a button only for a step the actor may take on some row.
            "bulk": isStaff && !cases.isEmpty, "bulk_url": CaseURL.bulk.path,
            "bulk_file": bulkSteps.contains(.file), "bulk_dispatch": bulkSteps.contains(.dispatch),
            "back": request.uri.description.hasPrefix("/cases") ? request.uri.description : CaseURL.list.path,
            "within": filter.within != nil,
            "within_name": withinName,
            "next": cases.count == filter.limit ? base + "&before=\(cases.last!.id)" : "",
        ]
        return views.page("cases/list", context, title: views.t("cases_title", context), data: data, section: "cases")
    }

    /// Open cases per grid of the caller's area, heaviest first, each row linking to the grid's list.
    /// Above this many grids the view counts by community first, each community opening its own grids, so a
    /// district's page stays small (issue 10: under 50 KB).
    static let gridRowsLimit = 120

    func gridView(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var areas = actor.areas
        guard !areas.isEmpty else { throw DomainError.forbidden }
        // One community of the caller's area, when they opened it from the communities' view.
        var within: Node? = nil
        if let id = request.uri.queryParameters["community"].flatMap({ Int64($0) }) {
            let node = try await services.jurisdiction.visible(id, to: actor)
            guard node.kind.isCommunityLevel, areas.contains(where: { NodePath.isInside(node.path, $0.nodePath) })
            else { throw DomainError.notFound }
            within = node
        }
        let loads = try await store.openByGrid(for: actor, now: services.clock.now())
        var grids: [Node] = []
        var names: [Int64: String] = [:]
        let paths = within.map { [$0.path] } ?? areas.map(\.nodePath)
        if let within { areas = []; names[within.id] = within.name }
        for path in paths {
            grids += try await services.jurisdiction.descendants(of: path, kind: .grid, limit: 5000)
        }
        for area in areas {
            for c in try await services.jurisdiction.descendants(of: area.nodePath, kind: .community, limit: 1000) {
                names[c.id] = c.name
            }
            if let node = try await services.jurisdiction.node(area.nodeID), node.kind.isCommunityLevel {
                names[node.id] = node.name
            }
        }
        let byID = Dictionary(uniqueKeysWithValues: loads.map { ($0.gridID, $0) })
        let byCommunity = within == nil && grids.count > Self.gridRowsLimit
        var totals: [Int64: GridLoad] = [:]
        for g in grids {
            let load = byID[g.id] ?? GridLoad(gridID: g.id, open: 0, overdue: 0, escalated: 0)
            let key = byCommunity ? (g.communityID ?? 0) : g.id
            var sum = totals[key] ?? GridLoad(gridID: key, open: 0, overdue: 0, escalated: 0)
            sum.open += load.open
            sum.overdue += load.overdue
            sum.escalated += load.escalated
            totals[key] = sum
        }
        let gridNames = Dictionary(uniqueKeysWithValues: grids.map { ($0.id, ($0.name, $0.communityID)) })
        let heaviest = max(1, totals.values.map(\.open).max() ?? 1)
        let rows: [[String: Any]] = totals.values.map { load in
            let (name, community) = byCommunity ? (names[load.gridID] ?? "", load.gridID) : gridNames[load.gridID]!
            return [
                "href": byCommunity ? "/cases/grids?community=\(load.gridID)" : "/cases?view=area&grid=\(load.gridID)",
                "name": name, "community": byCommunity ? "" : community.flatMap { names[$0] } ?? "",
                "open": load.open, "overdue": load.overdue, "escalated": load.escalated,
                "bar": Int((Double(load.open) / Double(heaviest) * 100).rounded()),
            ]
        }.sorted { ($0["open"] as! Int, $1["name"] as! String) > ($1["open"] as! Int, $0["name"] as! String) }
        return views.page(
            "cases/grids", context, title: views.t("case_grids_title", context),
            data: [
                "rows": rows, "by_community": byCommunity,
                "scope": within?.name ?? actor.areas.map(\.nodeName).joined(separator: "、"),
                "within": within != nil,
            ], section: "cases")
    }

    /// Open cases of the caller's area on a schematic map (no tiles: positions only, drawn in SVG), coloured by
    /// state, each linking to its case; above `CaseMaps.dotLimit` cases they are counted by grid (or by community
    /// when there are many grids) as sized circles. The counts are written beside it.
    func mapView(_ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let areas = actor.areas
        guard !areas.isEmpty else { throw DomainError.forbidden }
        var filter = CaseFilter(scope: .area)
        filter.statuses = CaseStatus.allCases.filter(\.isOpen)
        filter.limit = 20_000
        let now = services.clock.now()
        let cases = try await store.mapPoints(filter, for: actor)
        var counts: [String: Int] = [:]
        let byGrid = Set(cases.map { $0.gridID ?? $0.communityID }).count <= CaseMaps.maxGridCircles
        let items = cases.map { c in
            let kind = CaseMaps.kind(c, now: now)
            counts[kind, default: 0] += 1
            return CaseMaps.Item(
                point: c.point, group: byGrid ? (c.gridID ?? c.communityID) : c.communityID,
                href: CaseURL.show(c.id).path, title: "\(c.number) \(c.title)", kind: kind)
        }
        let aggregated = items.count > CaseMaps.dotLimit
        let names = aggregated ? try await services.jurisdiction.names(of: Set(items.map(\.group))) : [:]
        let (picture, _) = CaseMaps.picture(
            items, names: names,
            groupHref: { id in byGrid ? "/cases?view=area&grid=\(id)" : nil },
            label: views.t("case_map_title", context))
        let legend = ["new", "open", "escalated", "overdue"].map { kind in
            ["kind": kind, "label": views.t("case_map_\(kind)", context), "count": counts[kind] ?? 0] as [String: Any]
        }
        var data: [String: Any] = [
            "map_figure": picture, "legend": legend, "scope": areas.map(\.nodeName).joined(separator: "、"),
            "total": items.count,
        ]
        if aggregated {
            data["aggregated"] = views.t(
                "case_map_aggregated", context,
                [views.t(byGrid ? "case_map_by_grid" : "case_map_by_community", context)])
        }
        return views.page("cases/map", context, title: views.t("case_map_title", context), data: data, section: "cases")
    }

    /// The list as CSV (up to 50,000 rows), without reporters' names.
    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        // Exports are a staff tool; a resident's own cases are on their list and pages.
        guard actor.grants.contains(where: { $0.role.isStaff }) else { throw DomainError.forbidden }
        var (filter, _, _) = try await self.filter(request, context)
        filter.limit = 50_000
        filter.beforeID = nil
        let cases = try await store.list(filter, for: actor, now: services.clock.now())
        return try await csv(cases, context, encoding: CSVEncoding(query: request.uri.queryParameters["encoding"]))
    }

    /// Cases as a CSV file: headers and values in the reader's language, places and units by name (Excel opens
    /// UTF-8 with the BOM; GB18030 on request for older versions).
    func csv(_ cases: [Case], _ context: AppRequestContext, encoding: CSVEncoding) async throws -> Response {
        let categories = Dictionary(
            uniqueKeysWithValues: try await CaseSetupStore.categories(services.db).map { ($0.id, $0.name) })
        let units = Dictionary(
            uniqueKeysWithValues: try await CaseSetupStore.units(services.db).map { ($0.id, $0.name) })
        let places = try await services.jurisdiction.names(of: Set(cases.map(\.nodeID)))
        let iso = { (d: Date?) in d.map { WorkCalendar.dayKey($0) } ?? "" }
        let word = { (key: String) in views.t(key, context) }
        var rows = [
            [
                "case_number", "case_kind", "case_channel", "case_status", "case_title", "case_category", "case_place",
                "case_unit", "created_at", "case_due", "case_closed_at", "case_rating", "csv_escalation",
            ].map(word)
        ]
        for c in cases {
            rows.append([
                c.number, word("case_kind_\(c.kind.rawValue)"), word("case_channel_\(c.channel.rawValue)"),
                word("case_status_\(c.status.rawValue)"), c.title, c.categoryID.flatMap { categories[$0] } ?? "",
                places[c.nodeID] ?? "", c.unitID.flatMap { units[$0] } ?? "", iso(c.createdAt), iso(c.resolveBy),
                iso(c.closedAt), c.rating.map { word("case_rating_\($0.rawValue)") } ?? "",
                c.escalationLevel > 0 ? word("case_escalation_\(c.escalationLevel)") : "",
            ])
        }
        return encoding.response(CSV.format(rows), filename: "cases.csv")
    }

    /// A step on the cases selected in a list: filing or dispatching by rule, each case through `perform` (so policy,
    /// version check and audit apply per case), answered with a summary of what was done and why the rest was not;
    /// or a CSV of just those cases.
    func bulk(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = try await Form.read(request, context)
        let back = form["back"].hasPrefix("/cases") ? form["back"] : CaseURL.list.path
        var data: [String: Any] = ["back": back]
        var ids: [Int64] = []
        for id in form.all("case").compactMap({ Int64($0) }) where !ids.contains(id) { ids.append(id) }
        let step = form["step"]
        func refuse(_ key: String) -> Response {
            data["message"] = views.t("error.\(key)", context, ["\(CaseBulkStep.maxCases)"])
            return views.page(
                "cases/bulk", context, title: views.t("case_bulk_title", context), data: data,
                status: .unprocessableContent, section: "cases")
        }
        guard !ids.isEmpty else { return refuse("case_bulk_none") }
        guard ids.count <= CaseBulkStep.maxCases else { return refuse("case_bulk_too_many") }
        let scope = CaseScope(rawValue: form["view"]) ?? .area
        if step == "export" {
            guard actor.grants.contains(where: { $0.role.isStaff }) else { throw DomainError.forbidden }
            var filter = CaseFilter(scope: scope)
            filter.ids = ids
            filter.limit = ids.count
            let cases = try await store.list(filter, for: actor, now: services.clock.now())
            return try await csv(cases, context, encoding: CSVEncoding(query: Substring(form["encoding"])))
        }
        guard let bulkStep = CaseBulkStep(rawValue: step) else { return refuse("case_bulk_step_unknown") }
        var versions: [Int64: Int] = [:]
        for id in ids { versions[id] = Int(form["v\(id)"]) }
        let results = try await commands.performEach(actor, ids, bulkStep, versions: versions)
        data["summary"] = CaseViews.bulkSummary(
            bulkStep, results, numbers: try await numbers(ids, actor),
            words: { views.t($0, context) }, message: { views.localizer.message($0, context.language) })
        return views.page(
            "cases/bulk", context, title: views.t("case_bulk_title", context), data: data, section: "cases")
    }

    /// The numbers of the cases the actor may see among `ids` (a query per scope, until all are found).
    func numbers(_ ids: [Int64], _ actor: Actor) async throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        for scope in CaseScope.allCases {
            var filter = CaseFilter(scope: scope)
            filter.ids = ids.filter { out[$0] == nil }
            guard !filter.ids.isEmpty else { break }
            filter.limit = filter.ids.count
            guard let found = try? await store.list(filter, for: actor, now: services.clock.now()) else { continue }
            for c in found { out[c.id] = c.number }
        }
        return out
    }

    func casePage(
        _ request: Request, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        let record: CaseRecord
        do {
            record = try await store.record(id, for: actor, now: services.clock.now())
        } catch let error as DomainError where error.kind == .notFound {
            // Someone who may not read the case (a neighbour following it, a notice's link) sees its public page.
            guard let number = try await store.publicNumber(of: id) else { throw error }
            return Response.redirect(to: CaseURL.report(number).path)
        }
        let can = record.capabilities
        let subject = record.case
        let lang = context.language
        // The place with its grid and community ("南头城社区 › 第3网格 › 3栋"), so staff see the grid at a glance.
        let located = try await services.jurisdiction.nodeWithLabel(path: record.path)
        let place = located?.0
        let placeLabel = located?.1 ?? ""
        // Form options are read only when their step is offered.
        let categories = can.contains(.file) ? try await categoryOptions(context) : []
        let allUnits = can.contains(.dispatch) ? try await CaseSetupStore.units(usableAt: record.path, services.db) : []
        var data = extra
        let words: CaseViews.Words = { views.t($0, context) }
        let facts = CaseViews.facts(
            subject, place: placeLabel, category: record.categoryName ?? "",
            unit: record.unitName ?? "", language: lang, words: words)
        data["case"] = facts
        data["public_label"] = words(subject.isPublic ? "case_public_yes" : "case_public_no")
        // Who reported it, for those who may know (a resident's account; hotline callers are shown below, masked).
        if let reporter = record.reporterName { data["reporter"] = reporter }
        if let facilityID = subject.facilityID,
            let facility = try await RegistryStore(db: services.db).caseFacility(facilityID, for: actor)
        {
            data["facility"] =
                [
                    "code": facility.code, "class_name": facility.className, "linkable": facility.linkable,
                    "href": RegistryFacilityPages.path(facility.id),
                    "state": views.t("facility_state_\(facility.state.rawValue)", context),
                ] as [String: Any]
        }
        if let place, let lat = subject.latitude, let lng = subject.longitude {
            data["map_figure"] = try await CaseMaps.figure(
                services, place: place, point: GeoPoint(lat: lat, lng: lng), coarse: false, label: subject.title)
        }
        if Caller.channels.contains(subject.channel), can.contains(.seeReporter),
            let caller = try await store.caller(of: id, for: actor, now: services.clock.now())
        {
            data["caller"] = [
                "name": caller.masked.name, "phone": caller.masked.phone, "code": caller.trackingCode,
                "reveal_url": CaseURL.caller(id).path,
            ]
        }
        // The buttons are the actor's capabilities; each form posts to its step's own URL.
        (data["can"], data["url"]) = CaseViews.steps(can, caseID: id)
        if record.supporters > 0 {
            data["supporters"] = views.t("reports_supporters", context, ["\(record.supporters)"])
        }
        // 民主议事: the topics the case was sent to or linked to, for those who may read them.
        data["topics"] = try await TopicStore(db: services.db).topics(
            ofCase: id, for: actor, now: services.clock.now()
        ).map { t in
            [
                "href": DeliberationURL.show(t.id).path, "number": t.number, "title": t.title,
                "state": views.t("topic_state_\(t.state.rawValue)", context),
            ]
        }
        if subject.kind == .dispute {
            data["mediations"] = record.mediations.map { m in
                [
                    "at": DateText.format(m.at, lang),
                    "method": views.t("mediation_method_\(m.method.rawValue)", context), "mediator": m.mediator,
                    "parties": m.parties, "summary": m.summary, "agreement": m.agreement,
                    "outcome": views.t("mediation_outcome_\(m.outcome.rawValue)", context),
                ] as [String: Any]
            }
            data["methods"] = MediationMethod.allCases.map {
                ["value": $0.rawValue, "label": views.t("mediation_method_\($0.rawValue)", context)]
            }
            data["outcomes"] = MediationOutcome.allCases.map {
                ["value": $0.rawValue, "label": views.t("mediation_outcome_\($0.rawValue)", context)]
            }
        }
        data["is_new"] = request.uri.queryParameters["new"] != nil
        data["timeline"] = CaseViews.timeline(record.timeline, language: lang, words: words)
        data["grid_steps"] = GridStep.allCases.filter { can.contains($0.capability) }
            .map {
                [
                    "value": $0.rawValue, "label": views.t("grid_step_\($0.rawValue)", context),
                    "url": CaseURL.step(id, $0.capability).path,
                ]
            }
        data["photos"] = record.photoIDs.map { ["href": CaseURL.photo(id, $0).path] }
        if let pending = record.pendingExtension {
            data["extension"] =
                ["until": DateText.format(pending.until, lang), "reason": pending.reason] as [String: Any]
        }
        data["categories"] = categories.map { c in
            c.merging(["selected": (c["id"] as? Int64) == subject.categoryID]) { $1 }
        }
        data["units"] = allUnits.map { ["id": $0.id, "label": $0.name] }
        data["ratings"] = CaseRating.allCases.enumerated().map { index, rating in
            [
                "value": rating.rawValue, "label": views.t("case_rating_\(rating.rawValue)", context),
                "first": index == 0,
            ] as [String: Any]
        }
        return views.page("cases/case", context, title: subject.title, data: data, status: status, section: "cases")
    }
}
