import GongzhiDomain
import GongzhiStore

extension ModuleManifest {
    /// Signing in and up, one's own account and tokens, users and their roles.
    static let accounts = ModuleManifest(
        name: "accounts",
        templates: [
            "accounts/account", "accounts/login", "accounts/login_otp", "accounts/signup", "accounts/user",
            "accounts/users",
        ],
        navigation: [
            NavigationEntry(
                order: 40, href: AccountURL.list.path, label: "nav_users", section: "users",
                visible: { actor in AccountPolicy.managesUsers(actor) }),
            NavigationEntry(order: 90, href: "/account", label: "nav_account", section: "account"),
        ],
        routes: { services, groups in
            SessionPages(services: services).register(on: groups.pages)
            UserPages(services: services).register(on: groups.pages)
            AccountPages(services: services).register(on: groups.pages)
            AccountAPI(services: services).register(on: groups.api)
        },
        services: { services in
            [
                HousekeepingService.make(
                    Housekeeping(db: services.db, clock: services.clock, sessions: services.config.accounts.sessions))
            ]
        })
}
