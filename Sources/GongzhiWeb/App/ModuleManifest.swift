import Foundation
import GongzhiDomain
import Hummingbird
import ServiceLifecycle

/// What a module adds to the application: its routes (pages and API), navigation entries, locale namespace,
/// templates and background services. `Modules.all` lists every manifest, so adding a module edits no other module's
/// files: the router, the navigation, the start-up template check and the authorization matrix all read the list.
struct ModuleManifest: Sendable {
    /// The module's name: its locale file (`Locales/<language>/<name>.json`) and template folder.
    var name: String
    /// Templates the module renders (`folder/name`); a missing one stops start-up.
    var templates: [String] = []
    var navigation: [NavigationEntry] = []
    /// Registers the module's pages on the site's group and its JSON routes on the API group (or a machine group).
    var routes: @Sendable (_ services: AppServices, _ groups: RouteGroups) -> Void
    /// Links to the module's subjects of notices, by kind ("case" → the case page).
    var noticeLinks: [String: @Sendable (Int64) -> String] = [:]
    /// Background work every instance runs (each must be safe to run on several instances at once).
    var services: @Sendable (AppServices) -> [any Service] = { _ in [] }
}

/// A link in the site's navigation, shown to those `visible` lets see it, in `order`.
struct NavigationEntry: Sendable {
    var order: Int
    var href: String
    /// The locale key of its label.
    var label: String
    /// The `section` a page names to mark this entry as current.
    var section: String
    var visible: @Sendable (Actor) -> Bool = { _ in true }
    /// A count shown beside the label (unread notifications), when there is one.
    var badge: @Sendable (AppRequestContext) -> Int? = { _ in nil }
}

/// Every module of the web application, in the order their routes are registered.
enum Modules {
    static let all: [ModuleManifest] = [
        .home, .accounts, .jurisdiction, .registry, .cases, .deliberation, .notifications, .audit,
    ]

    static var navigation: [NavigationEntry] { all.flatMap(\.navigation).sorted { $0.order < $1.order } }
    static var templates: [String] {
        ["layout", "error", "partials/step_hidden", "partials/error_summary", "partials/field"]
            + all.flatMap(\.templates)
    }

    /// The page of a notice's subject, from the module that owns its kind.
    static func link(kind: String, id: Int64?) -> String? {
        guard let id else { return nil }
        return all.lazy.compactMap { $0.noticeLinks[kind] }.first.map { $0(id) }
    }
}

/// The route groups a module registers on, each with its own middleware: pages (session, CSRF, error pages), the JSON
/// API under /api/v1 (bearer tokens, problem+json), and further machine interfaces at their own prefix (Open311).
struct RouteGroups {
    let pages: RouterGroup<AppRequestContext>
    let api: RouterGroup<AppRequestContext>
    let machine: (String) -> RouterGroup<AppRequestContext>
}
