import Foundation
import GongzhiDomain

/// Every URL of the case module, used by routes and views alike so a link and its route cannot drift apart.
enum CaseURL {
    case list, new, export, grids, map
    /// The area list of one node's subtree: its open cases, its overdue ones, or those closed since a day.
    case area(Int64, AreaList)
    enum AreaList: Sendable, Equatable {
        case open, overdue
        case closedSince(Date)
    }
    /// One step on the cases selected in a list (POST), and its API twin.
    case bulk, apiBulk
    case show(Int64)
    case step(Int64, CaseCapability)
    case photo(Int64, Int64)
    case api(Int64)
    case apiStep(Int64, CaseCapability)
    /// The caller of a hotline or walk-in case: shown in full with a reason (POST).
    case caller(Int64)
    case apiCaller(Int64)
    case apiCallerReveal(Int64)
    /// Where a caller follows their case with its number and tracking code, and rates it.
    case track, trackRate, apiTrack, apiTrackRate
    /// Public reports, for anyone: the list and one report by its number.
    case reports
    case report(String)
    /// Following a public report, or saying it is one's problem too.
    case reportStep(String, CaseCapability)

    var path: String {
        switch self {
        case .list: "/cases"
        case .new: "/cases/new"
        case .export: "/cases/export.csv"
        case .grids: "/cases/grids"
        case .map: "/cases/map"
        case .area(let node, .open): "/cases?view=area&node=\(node)&open=1"
        case .area(let node, .overdue): "/cases?view=area&node=\(node)&overdue=1"
        case .area(let node, .closedSince(let day)):
            "/cases?view=area&node=\(node)&status=closed&closed_since=\(WorkCalendar.dayKey(day))"
        case .bulk: "/cases/bulk"
        case .apiBulk: "/api/v1/cases/bulk"
        case .show(let id): "/cases/\(id)"
        case .step(let id, let step): "/cases/\(id)/\(step.rawValue)"
        case .photo(let id, let photo): "/cases/\(id)/photos/\(photo)"
        case .api(let id): "/api/v1/cases/\(id)"
        case .apiStep(let id, let step): "/api/v1/cases/\(id)/\(step.rawValue)"
        case .caller(let id): "/cases/\(id)/caller"
        case .apiCaller(let id): "/api/v1/cases/\(id)/caller"
        case .apiCallerReveal(let id): "/api/v1/cases/\(id)/caller/reveal"
        case .reports: "/reports"
        case .reportStep(let number, let step): CaseURL.report(number).path + "/\(step.rawValue)"
        case .report(let number):
            "/reports/\(number.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? number)"
        case .track: "/track"
        case .trackRate: "/track/rate"
        case .apiTrack: "/api/v1/track"
        case .apiTrackRate: "/api/v1/track/rate"
        }
    }

    /// The route pattern of a step, for the router.
    static func stepPattern(_ step: CaseCapability) -> String { "/cases/:id/\(step.rawValue)" }
}
