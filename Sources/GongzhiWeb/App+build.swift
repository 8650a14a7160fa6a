import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// Everything a request handler needs, built once at start-up and shared (all value types or thread-safe).
public struct AppServices: Sendable {
    public let db: Database
    public let config: WebConfig
    public let clock: Clock
    public let views: Views
    public let metrics: PrometheusCollectorRegistry
    /// Outbound channels for notifications (SMS, e-mail); the log channel when none is configured.
    public let channels: [any OutboundChannel]
    var caseCommands: CaseCommands { CaseCommands(db: db, clock: clock, channels: channels.map(\.name)) }
    var jurisdiction: JurisdictionStore { JurisdictionStore(db: db) }
    var jurisdictionCommands: JurisdictionCommands { JurisdictionCommands(db: db, clock: clock) }
    var exchange: TreeExchange { TreeExchange(db: db, clock: clock) }
    var accounts: AccountStore { AccountStore(db: db) }
    var accountCommands: AccountCommands {
        var settings = config.accounts
        settings.secretBox = secretBox
        return AccountCommands(db: db, clock: clock, settings: settings)
    }
    let secretBox: SecretBox

    public init(
        db: Database, config: WebConfig, clock: Clock = .system, views: Views,
        metrics: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        channels: [any OutboundChannel] = [LogChannel()]
    ) {
        self.channels = channels
        self.db = db
        self.config = config
        self.clock = clock
        self.views = views
        self.metrics = metrics
        self.secretBox = SecretBox(serverSecret: config.secret)
    }
}

/// The router: the middleware every request passes, then each module's routes (from `Modules.all`) on route groups
/// that carry their own middleware.
public func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(
        middleware: SecurityHeadersMiddleware(
            hsts: services.config.publicURL.hasPrefix("https:"), tileOrigin: services.config.mapTiles?.origin))
    router.add(
        middleware: FileMiddleware(
            Resources.root.appendingPathComponent("Public").path, urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])])))
    // Only what no group matched (an unknown path) reaches this one.
    router.add(middleware: ErrorMiddleware(views: services.views, db: services.db, clock: services.clock))
    router.add(middleware: RequestBasicsMiddleware(config: services.config))

    router.get("/healthz") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
    // Liveness above (no database), readiness here: 503 while `SELECT 1` fails or takes longer than two seconds.
    router.get("/readyz") { _, _ in await Readiness.response(services.db) }
    // Metrics tell a stranger too much (routes, volumes, timings): served only with a configured bearer token.
    if let token = services.config.metricsToken {
        router.get("/metrics") { request, _ in
            let auth = request.headers[.authorization] ?? ""
            guard auth.lowercased().hasPrefix("bearer "),
                constantTimeEqual(String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces), token)
            else {
                return Response(
                    status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "unauthorized\n")))
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.emitToBuffer())))
        }
    }
    let errors = { (format: ErrorMiddleware.Format) in
        ErrorMiddleware(views: services.views, db: services.db, clock: services.clock, format: format)
    }
    // Errors are answered twice over: inside, knowing who asked (so refusals are audited with the actor), and outside,
    // for what authentication itself throws.
    let pages = router.group()
        .add(middleware: errors(.page))
        .add(middleware: AuthMiddleware(accounts: services.accountCommands, config: services.config, db: services.db))
        .add(middleware: errors(.page))
    let machine = { (prefix: String) in
        router.group(RouterPath(prefix))
            .add(middleware: errors(.problem))
            .add(
                middleware: TokenMiddleware(accounts: services.accountCommands, db: services.db, views: services.views)
            )
            .add(middleware: errors(.problem))
    }
    let api = machine("/api/v1")
    APIRoutes().register(on: api)
    let groups = RouteGroups(pages: pages, api: api, machine: machine)
    for module in Modules.all { module.routes(services, groups) }
    return router
}

/// How long a connection may sit idle (no request under way) before the server closes it, so idle or slow clients
/// cannot hold connections open for ever.
public let idleConnectionTimeout: Duration = .seconds(60)

public func buildApplication(
    _ services: AppServices, host: String = "127.0.0.1", port: Int = 8080,
    idleTimeout: Duration = idleConnectionTimeout,
    logger: Logger = Logger(label: "gongzhi.web")
) -> some ApplicationProtocol {
    var app = Application(
        router: buildRouter(services), server: .http1(configuration: .init(idleTimeout: TimeAmount(idleTimeout))),
        configuration: .init(address: .hostname(host, port: port), serverName: "gongzhi"), logger: logger)
    for module in Modules.all { app.addServices(module.services(services)) }
    return app
}

extension AppRequestContext {
    /// The signed-in actor, or "please sign in".
    func requireActor() throws -> Actor {
        guard let actor else { throw DomainError(.unauthenticated, "login_required") }
        return actor
    }
}

extension Response {
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
