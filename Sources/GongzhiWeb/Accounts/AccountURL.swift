import Foundation
import GongzhiDomain

/// Every URL of user administration, used by routes and views alike so a link and its route cannot drift apart.
enum AccountURL {
    case list
    case show(Int64)
    case step(Int64, AccountStep.Name)
    case api(Int64)
    case apiStep(Int64, AccountStep.Name)

    var path: String {
        switch self {
        case .list: "/admin/users"
        case .show(let id): "/admin/users/\(id)"
        case .step(let id, let step): "/admin/users/\(id)/\(step.rawValue)"
        case .api(let id): "/api/v1/users/\(id)"
        case .apiStep(let id, let step): "/api/v1/users/\(id)/\(step.rawValue)"
        }
    }

    /// The route pattern of a step on the page side; the API's is the same below its group.
    static func stepPattern(_ step: AccountStep.Name) -> String { "/admin/users/:id/\(step.rawValue)" }
    static func apiStepPattern(_ step: AccountStep.Name) -> String { "/users/:id/\(step.rawValue)" }
}
