import GongzhiDomain
import GongzhiStore
import ServiceLifecycle

extension ModuleManifest {
    /// In-app notifications and the outbox that delivers them after commit.
    static let notifications = ModuleManifest(
        name: "notifications", templates: ["notifications/notifications"],
        navigation: [
            NavigationEntry(
                order: 80, href: "/notifications", label: "nav_notifications", section: "notifications",
                badge: { context in context.unread > 0 ? context.unread : nil })
        ],
        routes: { services, groups in NotificationPages(services: services).register(on: groups.pages, api: groups.api)
        },
        services: { services in
            [
                OutboxService(
                    dispatcher: OutboxDispatcher(db: services.db, clock: services.clock, channels: services.channels))
            ]
        })
}
