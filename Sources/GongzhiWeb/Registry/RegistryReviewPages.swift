import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension ReviewPage: ResponseEncodable {}

/// The review queue (`/registry/reviews`, issue 12 item 5): community workers see the changes grid workers made, by
/// status with a count on each tab and filtered by grid, each with its before and after masked, and accept it or send
/// it back with a note; grid workers see their own changes and the notes. The page and the API call the same writer.
struct RegistryReviewPages {
    let services: AppServices
    var views: Views { services.views }
    var reviews: RegistryReviews {
        RegistryReviews(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
    }
    static let path = "/registry/reviews"

    /// The decision's input: a note when sending back.
    struct DecisionInput: Decodable, Sendable {
        var note: String?
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { request, context in
            try await list(request, context)
        }
        for step in ["accept", "return"] {
            pages.post(RouterPath("\(Self.path)/:id/\(step)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                let form = try await Form.read(request, context)
                let back = Self.path + (form["back"].hasPrefix("?") ? form["back"] : "")
                do {
                    let decision: ReviewDecision =
                        step == "accept" ? .accept : try .sendBack(rawNote: form["note"])
                    try await reviews.decide(actor, review: id, decision)
                    return Response.redirect(to: back)
                } catch let error as DomainError where error.kind == .invalid {
                    var errors = views.formErrors(error, context)
                    errors["failed_id"] = id
                    return try await list(request, context, errors: errors, status: .unprocessableContent)
                }
            }
        }
        api.get("/registry/reviews") { request, context in
            try await reviews.list(try filter(request), for: try context.requireActor())
        }
        for step in ["accept", "return"] {
            api.post(RouterPath("/registry/reviews/:id/\(step)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                let input = try await request.decodeInput(DecisionInput.self, context: context)
                let decision: ReviewDecision =
                    step == "accept" ? .accept : try .sendBack(rawNote: input.note ?? "")
                try await reviews.decide(actor, review: id, decision)
                return Response(status: .noContent)
            }
        }
    }

    func filter(_ request: Request) throws -> ReviewFilter {
        var filter = ReviewFilter()
        let params = request.uri.queryParameters
        if let raw = params["status"].map(String.init), !raw.isEmpty {
            guard let status = ReviewStatus(rawValue: raw) else {
                throw DomainError.invalid("review_status_unknown", field: "status")
            }
            filter.status = status
        }
        if let raw = params["grid"].map(String.init), !raw.isEmpty {
            guard let grid = Int64(raw) else { throw DomainError.invalid("review_grid_unknown", field: "grid") }
            filter.gridID = grid
        }
        filter.before = (params["cursor"] ?? params["before"]).flatMap { Int64(String($0)) }
        return filter
    }

    func list(
        _ request: Request, _ context: AppRequestContext, errors: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let w = { (key: String) in views.t(key, context) }
        var data = errors
        var current = ReviewFilter()
        var page = ReviewPage(items: [], counts: [:], reviewing: false)
        do {
            current = try filter(request)
            page = try await reviews.list(current, for: actor)
        } catch let error as DomainError where error.kind == .invalid {
            data.merge(views.formErrors(error, context)) { a, _ in a }
        }
        let grid = current.gridID.map { "&grid=\($0)" } ?? ""
        data["tabs"] = ReviewStatus.allCases.map { s -> [String: Any] in
            [
                "href": "\(Self.path)?status=\(s.rawValue)\(grid)", "label": w("review_status_\(s.rawValue)"),
                "count": page.counts[s.rawValue] ?? 0, "current": s == current.status,
            ]
        }
        let back = "?status=\(current.status.rawValue)\(grid)"
        let failed = errors["failed_id"] as? Int64
        data["items"] = page.items.map { item -> [String: Any] in
            let changes: [[String: String]] = item.changes.map {
                ["field": w("review_field_\($0.field)"), "before": $0.before, "after": $0.after]
            }
            var row: [String: Any] = [
                "person": item.person, "href": RegistryURL.person(item.personID).path, "building": item.building ?? "",
                "action": w("review_action_" + item.action.replacingOccurrences(of: ".", with: "_")),
                "author": item.author ?? "", "at": DateText.format(item.createdAt, context.language),
                "changes": changes,
            ]
            row["note"] = item.note ?? ""
            row["has_note"] = item.note != nil
            row["reviewer"] = item.reviewer ?? ""
            row["decidable"] = page.reviewing && item.status == .pending
            row["accept_action"] = "\(Self.path)/\(item.id)/accept"
            row["return_action"] = "\(Self.path)/\(item.id)/return"
            row["failed"] = failed == item.id
            row["id"] = item.id
            return row
        }
        data["has_items"] = !page.items.isEmpty
        data["back"] = back
        data["reviewing"] = page.reviewing
        if page.reviewing {
            var grids: [[String: Any]] = []
            for path in RegistryPolicy.paths(.review, of: actor) {
                for node in try await services.jurisdiction.descendants(of: path, kind: .grid, limit: 200) {
                    grids.append(["value": node.id, "label": node.name, "selected": node.id == current.gridID])
                }
            }
            data["grids"] = grids
            data["status"] = current.status.rawValue
        }
        if let cursor = page.nextCursor { data["older_href"] = Self.path + back + "&before=\(cursor)" }
        return views.page(
            "registry/reviews", context, title: w("review_title"), data: data, status: status, section: "reviews")
    }
}
