import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Public reports (FixMyStreet's model): the cases their reporters made public, for anyone to read without signing
/// in — what, where, its state and its public timeline, never who reported it. The same cases are in Open311's
/// `requests.json`, the JSON form of these pages.
struct CasePublicPages {
    let services: AppServices
    var views: Views { services.views }
    var store: CaseStore { CaseStore(db: services.db) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(CaseURL.reports.path)) { request, context in
            let q = request.uri.queryParameters
            // A number typed into the look-up goes straight to its page.
            if let number = q["number"].map(String.init)?.trimmingCharacters(in: .whitespaces), !number.isEmpty {
                return Response.redirect(to: CaseURL.report(number.uppercased()).path)
            }
            var filter = CaseFilter(scope: .area)
            filter.limit = 30
            filter.search = q["q"].map(String.init)
            filter.beforeID = q["before"].flatMap { Int64($0) }
            if let status = q["status"].flatMap({ CaseStatus(rawValue: String($0)) }) { filter.statuses = [status] }
            // An area: a community (or a sub-district), chosen from the list; the list and the map keep to it.
            var area: Node? = nil
            if let id = q["area"].flatMap({ Int64($0) }) { area = try await services.jurisdiction.node(id) }
            filter.within = area?.path
            let found = try await store.publicRequests(filter)
            let words: CaseViews.Words = { views.t($0, context) }
            let rows = found.map { CaseViews.publicRow($0, language: context.language, words: words) }
            var data: [String: Any] = [
                "reports": rows, "has_reports": !rows.isEmpty, "q": filter.search ?? "",
                "areas": try await areaOptions(chosen: area?.id), "area_name": area?.name ?? "",
            ]
            if found.count == filter.limit, let last = found.last {
                data["next"] =
                    CaseURL.reports.path + "?before=\(last.case.id)"
                    + (filter.search.map {
                        "&q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                    }
                        ?? "") + (area.map { "&area=\($0.id)" } ?? "")
            }
            // The map of every public case, with points coarsened (never a reporter's door), counted by community
            // when there are many.
            if filter.beforeID == nil {
                let points = try await store.publicMapPoints(inside: area?.path)
                let items = points.map { c in
                    CaseMaps.Item(
                        point: CaseMaps.coarse(c.point), group: c.communityID, href: CaseURL.report(c.number).path,
                        title: "\(c.number) \(c.title)", kind: CaseMaps.kind(c, now: services.clock.now()))
                }
                if !items.isEmpty {
                    let names =
                        items.count > CaseMaps.dotLimit
                        ? try await services.jurisdiction.names(of: Set(items.map(\.group))) : [:]
                    let (picture, aggregated) = CaseMaps.picture(
                        items, names: names, groupHref: { _ in nil }, width: 640, height: 400,
                        label: views.t("reports_map", context))
                    data["map_figure"] = picture
                    if aggregated {
                        data["aggregated"] = views.t(
                            "case_map_aggregated", context, [views.t("case_map_by_community", context)])
                    }
                }
            }
            return views.page("cases/reports", context, title: views.t("reports_title", context), data: data)
        }
        router.get("/reports/:number") { request, context in
            let number = try context.parameters.require("number")
            guard let report = try await store.publicRequest(number: number) else { throw DomainError.notFound }
            let words: CaseViews.Words = { views.t($0, context) }
            let timeline = try await store.publicTimeline(of: report.case)
            var data: [String: Any] = [
                "report": CaseViews.publicRow(report, language: context.language, words: words),
                "description": report.case.description,
                "timeline": CaseViews.timeline(timeline, language: context.language, words: words),
                "supporters": report.supporters > 0
                    ? views.t("reports_supporters", context, ["\(report.supporters)"]) : "",
                "signed_in": context.actor != nil,
                "login_href": "/login?next="
                    + (CaseURL.report(report.case.number).path
                        .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                    ,
            ]
            if let actor = context.actor {
                let steps = try await store.followState(report.case.id, for: actor, now: services.clock.now()).steps
                for step in [CaseCapability.follow, .unfollow, .support] {
                    data["can_\(step.rawValue)"] = steps.contains(step)
                    data["url_\(step.rawValue)"] = CaseURL.reportStep(report.case.number, step).path
                }
            }
            if let done = request.uri.queryParameters["done"].flatMap({ CaseCapability(rawValue: String($0)) }),
                done.reachesPublicCases
            {
                data["done"] = views.t("reports_done_\(done.rawValue)", context)
            }
            // The point coarsened to about 100 m, on the map of its grid with unlabelled buildings.
            if let lat = report.case.latitude, let lng = report.case.longitude,
                let place = try await services.jurisdiction.node(report.case.nodeID)
            {
                data["map_figure"] = try await CaseMaps.figure(
                    services, place: place, point: GeoPoint(lat: lat, lng: lng), coarse: true,
                    label: report.case.title)
            }
            return views.page("cases/report", context, title: report.case.title, data: data)
        }
        for step in [CaseCapability.follow, .unfollow, .support] {
            router.post("/reports/:number/\(step.rawValue)") { request, context in
                let actor = try context.requireActor()
                let number = try context.parameters.require("number")
                let form = try await Form.read(request, context)
                guard let report = try await store.publicRequest(number: number) else { throw DomainError.notFound }
                try await follow(step, report.case.id, actor)
                // "This is my problem too" from the check page replaces the resident's own report.
                if step == .support, form["from_draft"] == "1" {
                    try await ReportDrafts(db: services.db, clock: services.clock, commands: services.caseCommands)
                        .discard(actor)
                }
                return Response.redirect(to: CaseURL.report(report.case.number).path + "?done=\(step.rawValue)")
            }
        }
    }

    /// The communities to choose an area from, under their sub-districts (a district's hundred fit in a few KB).
    func areaOptions(chosen: Int64?) async throws -> [[String: Any]] {
        var groups: [[String: Any]] = []
        for root in try await services.jurisdiction.roots() {
            for sub in try await services.jurisdiction.descendants(of: root.path, kind: .subdistrict, limit: 200) {
                let communities = try await services.jurisdiction.descendants(
                    of: sub.path, kind: .community, limit: 500)
                groups.append([
                    "name": sub.name, "value": sub.id, "selected": sub.id == chosen,
                    "communities": communities.map { c in
                        ["name": c.name, "value": c.id, "selected": c.id == chosen] as [String: Any]
                    },
                ])
            }
        }
        return groups
    }

    func follow(_ step: CaseCapability, _ id: Int64, _ actor: Actor) async throws {
        let command: CaseCommand =
            switch step {
            case .support: .support
            case .unfollow: .unfollow
            default: .follow
            }
        _ = try await services.caseCommands.perform(actor, id, command)
    }

    /// Following a case over the API: the answer says where the caller stands, never more of the case.
    func register(api: RouterGroup<AppRequestContext>) {
        struct FollowAnswer: ResponseEncodable {
            var following: Bool
            var supporting: Bool
            var supporters: Int
        }
        for step in [CaseCapability.follow, .unfollow, .support] {
            api.post(RouterPath(CaseURL.stepPattern(step))) { _, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await follow(step, id, actor)
                let state = try await store.followState(id, for: actor, now: services.clock.now())
                return FollowAnswer(
                    following: state.following, supporting: state.supporting, supporters: state.supporters)
            }
        }
    }
}
