import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension CaseMeasure: ResponseEncodable {}

/// Response, resolution and satisfaction rates (响应率、解决率、满意率), on-time rate and mean handling time,
/// for any date range, overall and per unit, community, grid or category; the definitions are on the page.
struct CaseMeasuresPage {
    let services: AppServices
    var views: Views { services.views }

    struct Query {
        var scope: RoleGrant
        var from: Date
        var to: Date
        var group: CaseMeasureGrouping
    }

    func register(on router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/cases/measures") { request, context in try await page(request, context) }
        api.get("/cases/measures") { request, context in
            let q = try query(request, context)
            let store = CaseStore(db: services.db)
            let overall = try await store.measures(scopePath: q.scope.nodePath, from: q.from, to: q.to, groupBy: nil)
            let groups = try await store.measures(scopePath: q.scope.nodePath, from: q.from, to: q.to, groupBy: q.group)
            return Page(items: overall + groups, nextCursor: nil)
        }
    }

    func query(_ request: Request, _ context: AppRequestContext) throws -> Query {
        let actor = try context.requireActor()
        guard
            let scope = actor.grants.filter({ $0.role.isStaff && $0.role != .departmentHandler })
                .min(by: { $0.nodePath.count < $1.nodePath.count })
        else { throw DomainError.forbidden }
        let q = request.uri.queryParameters
        let now = services.clock.now()
        // Whole days in Asia/Shanghai: "to" is inclusive, so the range ends at the next midnight.
        let to = try Self.day(q["to"].map(String.init) ?? WorkCalendar.dayKey(now), field: "to").addingTimeInterval(
            86400)
        let from = try q["from"].map { try Self.day(String($0), field: "from") } ?? to.addingTimeInterval(-90 * 86400)
        guard from < to else { throw DomainError.invalid("date_range_invalid", field: "from") }
        let group = q["group"].flatMap { CaseMeasureGrouping(rawValue: String($0)) } ?? .community
        return Query(scope: scope, from: from, to: to, group: group)
    }

    static func day(_ text: String, field: String) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WorkCalendar.zone
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
            let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
        else {
            throw DomainError.invalid("date_invalid", field: field)
        }
        return date
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q: Query
        do { q = try query(request, context) } catch let error as DomainError where error.kind == .invalid {
            return views.page(
                "error", context, title: views.t("error_title", context),
                data: ["message": views.localizer.message(error, context.language)], status: .unprocessableContent)
        }
        let store = CaseStore(db: services.db)
        let overall = try await store.measures(scopePath: q.scope.nodePath, from: q.from, to: q.to, groupBy: nil).first
        let groups = try await store.measures(scopePath: q.scope.nodePath, from: q.from, to: q.to, groupBy: q.group)
        let names = try await groupNames(q.group, keys: groups.compactMap(\.key))
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func row(_ m: CaseMeasure, label: String) -> [String: Any] {
            [
                "label": label, "total": m.total,
                "response": percent(m.responseRate), "response_of": "\(m.respondedInTime)/\(m.dispatched)",
                "resolution": percent(m.resolutionRate), "resolution_of": "\(m.closed)/\(m.filed)",
                "satisfaction": percent(m.satisfactionRate), "satisfaction_of": "\(m.satisfied)/\(m.rated)",
                "on_time": percent(m.onTimeRate), "on_time_of": "\(m.closedInTime)/\(m.closedWithDeadline)",
                "hours": m.averageHours.map { String(format: "%.1f", $0) } ?? "—",
            ]
        }
        let fmt = { (d: Date) in WorkCalendar.dayKey(d) }
        let data: [String: Any] = [
            "scope": q.scope.nodeName, "from": fmt(q.from), "to": fmt(q.to.addingTimeInterval(-86400)),
            "overall": overall.map { row($0, label: views.t("measures_overall", context)) } ?? [:],
            "rows": groups.map { row($0, label: $0.key.flatMap { names[$0] } ?? views.t("measures_none", context)) },
            "groups": CaseMeasureGrouping.allCases.map {
                [
                    "value": $0.rawValue, "label": views.t("measures_by_\($0.rawValue)", context),
                    "selected": $0 == q.group,
                ]
            },
            "group_label": views.t("measures_by_\(q.group.rawValue)", context),
        ]
        return views.page(
            "cases/measures", context, title: views.t("measures_title", context), data: data, section: "cases")
    }

    func groupNames(_ group: CaseMeasureGrouping, keys: [Int64]) async throws -> [Int64: String] {
        switch group {
        case .community, .grid:
            var out: [Int64: String] = [:]
            for key in keys { if let n = try await services.jurisdiction.node(key) { out[key] = n.name } }
            return out
        case .unit:
            return Dictionary(
                uniqueKeysWithValues: try await CaseSetupStore.units(services.db).map { ($0.id, $0.name) })
        case .category:
            return Dictionary(
                uniqueKeysWithValues: try await CaseSetupStore.categories(services.db).map { ($0.id, $0.name) })
        }
    }
}
