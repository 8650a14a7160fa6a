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
            let found = try await store.publicRequests(filter)
            let words: CaseViews.Words = { views.t($0, context) }
            let rows = found.map { CaseViews.publicRow($0, language: context.language, words: words) }
            var data: [String: Any] = ["reports": rows, "has_reports": !rows.isEmpty, "q": filter.search ?? ""]
            if found.count == filter.limit, let last = found.last {
                data["next"] =
                    CaseURL.reports.path + "?before=\(last.case.id)"
                    + (filter.search.map {
                        "&q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                    }
                        ?? "")
            }
            // The map of every public case, with points coarsened (never a reporter's door), counted by community
            // when there are many.
            if filter.beforeID == nil {
                let points = try await store.publicMapPoints()
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
        router.get("/reports/:number") { _, context in
            let number = try context.parameters.require("number")
            guard let report = try await store.publicRequest(number: number) else { throw DomainError.notFound }
            let words: CaseViews.Words = { views.t($0, context) }
            let timeline = try await store.publicTimeline(of: report.case)
            var data: [String: Any] = [
                "report": CaseViews.publicRow(report, language: context.language, words: words),
                "description": report.case.description,
                "timeline": CaseViews.timeline(timeline, language: context.language, words: words),
            ]
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
    }
}
