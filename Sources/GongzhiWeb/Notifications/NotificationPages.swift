import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird
import Logging
import ServiceLifecycle

extension Notice: ResponseEncodable {}

/// The signed-in user's notifications: the page, the API, and the unread count in the navigation.
struct NotificationPages {
    let services: AppServices
    var views: Views { services.views }

    func register(on router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/notifications") { _, context in
            let actor = try context.requireActor()
            let items = try await Notifications.list(services.db, userID: actor.userID)
            let data: [String: Any] = [
                "items": items.map { n in
                    [
                        "text": views.t("notify_\(n.kind.replacingOccurrences(of: ".", with: "_"))", context),
                        "subject": n.subject,
                        "href": Modules.link(kind: n.subjectKind, id: n.subjectID) ?? "",
                        "at": DateText.format(n.at, context.language), "unread": n.readAt == nil,
                    ] as [String: Any]
                }
            ]
            return views.page(
                "notifications/notifications", context, title: views.t("notifications_title", context), data: data,
                section: "notifications")
        }
        router.post("/notifications/read") { request, context in
            let actor = try context.requireActor()
            _ = try await Form.read(request, context)
            try await Notifications.markAllRead(services.db, userID: actor.userID, at: services.clock.now())
            return Response.redirect(to: "/notifications")
        }
        api.get("/notifications") { _, context in
            Page(
                items: try await Notifications.list(services.db, userID: try context.requireActor().userID),
                nextCursor: nil)
        }
        api.post("/notifications/read") { _, context in
            try await Notifications.markAllRead(
                services.db, userID: try context.requireActor().userID, at: services.clock.now())
            return Response(status: .noContent)
        }
    }
}

/// A development channel: says in the log that a message would go out, with ids only (no personal data).
public struct LogChannel: OutboundChannel {
    public let name = "log"
    let logger = Logger(label: "gongzhi.outbox")
    public init() {}
    public func deliver(_ notification: Notice) async throws {
        logger.info(
            "outbound notification",
            metadata: [
                "notification": "\(notification.id)", "user": "\(notification.userID)", "kind": "\(notification.kind)",
            ])
    }
}

/// Delivers the outbox every few seconds.
public struct OutboxService: Service {
    let dispatcher: OutboxDispatcher
    let interval: Duration
    public init(dispatcher: OutboxDispatcher, interval: Duration = .seconds(5)) {
        self.dispatcher = dispatcher
        self.interval = interval
    }
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = try? await dispatcher.deliverDue()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
