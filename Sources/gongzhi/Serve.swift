import ArgumentParser
import Configuration
import Foundation
import GongzhiDemo
import GongzhiDomain
import GongzhiStore
import GongzhiWeb
import Hummingbird
import Logging
import Metrics
import Prometheus

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env GONGZHI_HOST).") var host: String?
    @Option(help: "Port to listen on (env GONGZHI_PORT, default 8080).") var port: Int?
    @Option(help: "Secret of 32+ characters that signs CSRF tokens (env GONGZHI_SECRET). Required by serve.")
    var secret: String?
    @Flag(
        help: "Send cookies without Secure, for plain-HTTP use other than localhost (env GONGZHI_INSECURE_COOKIES=1).")
    var insecureCookies = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env GONGZHI_LOG_LEVEL, default info).")
    var logLevel: String?
    @Flag(help: "Staff must use a TOTP second factor (env GONGZHI_REQUIRE_STAFF_2FA=1).") var requireStaffSecondFactor =
        false
    @Option(help: "Minutes of inactivity that end a session (env GONGZHI_SESSION_IDLE_MINUTES, default 30).")
    var sessionIdleMinutes: Int?
    @Option(
        help:
            "Comma-separated addresses of reverse proxies whose X-Forwarded-For names the client (env GONGZHI_TRUSTED_PROXIES, default none)."
    )
    var trustedProxy: String?
    @Option(
        help:
            "The address people reach the server at, e.g. https://gongzhi.example.gov.cn (env GONGZHI_PUBLIC_URL); https turns on HSTS and Secure cookies' expectations, and Open311 discovery names it."
    )
    var publicURL: String?
    @Option(
        help:
            "Metres within which an Open311 request given only lat/long is placed at the nearest building (env GONGZHI_OPEN311_SNAP_METERS, default 500)."
    )
    var open311SnapMeters: Double?
    @Option(
        help:
            "Bearer token that /metrics asks for (env GONGZHI_METRICS_TOKEN, 16+ characters); without it /metrics answers 404."
    )
    var metricsToken: String?
    @Option(
        help:
            "Algorithms that seal personal data: sm (SM3/SM4 from the system's OpenSSL) or intl (SHA-256/AES-GCM) (env GONGZHI_CRYPTO_SUITE, default sm)."
    )
    var cryptoSuite: String?
    @Option(
        help:
            "Map tile URL template for Leaflet maps, e.g. https://{s}.tile.example.cn/{z}/{x}/{y}.png (env GONGZHI_MAP_TILES_URL); used only when Debian's libjs-leaflet is installed, otherwise maps are drawn by the server."
    )
    var mapTilesURL: String?
    @Option(help: "Attribution shown on the tiles (env GONGZHI_MAP_TILES_ATTRIBUTION).") var mapTilesAttribution:
        String?
    @Flag(help: "The tiles are drawn in GCJ-02 (most Chinese services; env GONGZHI_MAP_TILES_GCJ02=1).")
    var mapTilesGcj02 = false

    /// The settings, from the flags given here, then the environment, then `.env`, then the defaults.
    func settings() async throws -> ServerSettings {
        let config = try await Settings.reader(flags: [
            "host": host, "port": port.map(String.init), "secret": secret,
            "insecure.cookies": insecureCookies ? "1" : nil,
            "log.level": logLevel, "require.staff.2fa": requireStaffSecondFactor ? "1" : nil,
            "session.idle.minutes": sessionIdleMinutes.map(String.init), "trusted.proxies": trustedProxy,
            "public.url": publicURL,
            "open311.snap.meters": open311SnapMeters.map { "\($0)" },
            "metrics.token": metricsToken, "crypto.suite": cryptoSuite, "map.tiles.url": mapTilesURL,
            "map.tiles.attribution": mapTilesAttribution, "map.tiles.gcj02": mapTilesGcj02 ? "1" : nil,
        ])
        return ServerSettings(config)
    }
}

/// The server's settings, checked: a bad or missing value stops start-up with one line saying which.
struct ServerSettings {
    let host: String
    let port: Int
    let secret: String?
    let secureCookies: Bool
    let level: Logger.Level
    let staffSecondFactor: Bool
    let idleMinutes: Int
    let trustedProxies: Set<String>
    let publicURL: String
    let open311SnapMeters: Double
    let metricsToken: String?
    let cryptoSuite: CryptoSuiteName
    let dataKeys: [DataKey]
    let mapTiles: MapTiles?

    init(_ config: ConfigReader) {
        cryptoSuite = Settings.cryptoSuite(config)
        dataKeys = Settings.dataKeys(config)
        host = config.text("host")
        let rawPort = config.text("port")
        guard let port = Int(rawPort), (1...65535).contains(port) else {
            fail("GONGZHI_PORT must be a port number from 1 to 65535, got '\(rawPort)'")
        }
        self.port = port
        let secret = config.text("secret")
        if !secret.isEmpty, secret.count < 32 { fail("GONGZHI_SECRET must be at least 32 characters") }
        self.secret = secret.isEmpty ? nil : secret
        secureCookies = !config.flag("insecure.cookies")
        let rawLevel = config.text("log.level")
        guard let level = Logger.Level(rawValue: rawLevel) else {
            fail("GONGZHI_LOG_LEVEL: unknown level '\(rawLevel)' (trace, debug, info, notice, warning, error)")
        }
        self.level = level
        staffSecondFactor = config.flag("require.staff.2fa")
        let rawIdle = config.text("session.idle.minutes")
        guard let idle = Int(rawIdle), (1...720).contains(idle) else {
            fail("GONGZHI_SESSION_IDLE_MINUTES must be 1 to 720, got '\(rawIdle)'")
        }
        idleMinutes = idle
        // Without a trusted proxy the TCP peer is the client: a forged X-Forwarded-For cannot dodge the per-address block.
        let entries = config.text("trusted.proxies").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        for entry in entries where !entry.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) {
            fail("GONGZHI_TRUSTED_PROXIES must list IP addresses separated by commas, got '\(entry)'")
        }
        trustedProxies = Set(entries)
        let url = config.text("public.url").trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        guard url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") else {
            fail("GONGZHI_PUBLIC_URL must start with http:// or https://, got '\(url)'")
        }
        publicURL = url.isEmpty ? "http://\(host):\(port)" : url
        let rawSnap = config.text("open311.snap.meters")
        guard let snap = Double(rawSnap), snap > 0, snap <= 50_000 else {
            fail("GONGZHI_OPEN311_SNAP_METERS must be 1 to 50000, got '\(rawSnap)'")
        }
        open311SnapMeters = snap
        let token = config.text("metrics.token")
        if !token.isEmpty, token.count < 16 { fail("GONGZHI_METRICS_TOKEN must be at least 16 characters") }
        metricsToken = token.isEmpty ? nil : token
        let tiles = config.text("map.tiles.url").trimmingCharacters(in: .whitespaces)
        guard tiles.isEmpty || tiles.hasPrefix("https://") || tiles.hasPrefix("http://") else {
            fail("GONGZHI_MAP_TILES_URL must start with https:// or http://, got '\(tiles)'")
        }
        mapTiles =
            tiles.isEmpty
            ? nil
            : MapTiles(
                urlTemplate: tiles, attribution: config.text("map.tiles.attribution"),
                gcj02: config.flag("map.tiles.gcj02"))
    }

    func requireSecret(generateIfMissing: Bool) -> String {
        if let secret { return secret }
        if generateIfMissing { return Secrets.token(prefix: "") }
        fail("GONGZHI_SECRET is not set: give 32+ random characters (e.g. `openssl rand -hex 32`)")
    }
}

/// Starts the web server (migrating first unless --no-migrate).
func runServer(db: Database, options: ServerSettings, secret: String, migrate: Bool) async throws {
    let level = options.level
    // Lines are written out in batches (warnings and errors at once), so a request's log line costs no write of
    // its own; the flusher writes the rest within a quarter of a second, and the end of `runServer` what is left.
    let sink = LogSink()
    LoggingSystem.bootstrap { label in BufferedLogHandler(label: label, sink: sink, level: level) }
    let flusher = Task { await sink.run() }
    defer {
        flusher.cancel()
        sink.flush()
    }
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    try db.useServerSecret(secret, suite: options.cryptoSuite, dataKeys: options.dataKeys)
    do {
        try await db.checkDurability()
        if migrate {
            try await Migrator().migrate(db)
        } else if try await !Migrator().pending(db).isEmpty {
            fail("the database needs migrations: run `gongzhi migrate` first")
        } else {
            try await AuditLog.prepare(db)
        }
    } catch let error as DurabilityError {
        fail(error.description)
    } catch let error as AuditError {
        fail(error.description)
    } catch {
        fail("cannot use the database at \(redacted(db.url)): \(String(describing: error).prefix(200))")
    }
    let port = options.port
    let accounts = AccountSettings(sessions: SessionPolicy(idleTimeout: Double(options.idleMinutes * 60)))
    let config = WebConfig(
        secret: secret, secureCookies: options.secureCookies, accounts: accounts,
        publicURL: options.publicURL, requireStaffSecondFactor: options.staffSecondFactor,
        trustedProxies: options.trustedProxies, open311SnapMeters: options.open311SnapMeters,
        metricsToken: options.metricsToken, mapTiles: options.mapTiles)
    let services = AppServices(db: db, config: config, views: try await Views.load(), metrics: registry)
    let app = buildApplication(services, host: options.host, port: port)
    try await app.runService()
    await db.shutdown()
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web server and JSON API (applies pending migrations first).")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions
    @Flag(help: "Do not migrate; refuse to start if migrations are pending.") var noMigrate = false

    func run() async throws {
        let settings = try await server.settings()
        let secret = settings.requireSecret(generateIfMissing: false)
        let db = try await database.open()
        try await runServer(db: db, options: settings, secret: secret, migrate: !noMigrate)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (a no-op when up to date).")
    @OptionGroup var database: DatabaseOptions
    func run() async throws {
        let db = try await database.open()
        let applied: [Int]
        do { applied = try await Migrator().migrate(db) } catch let error as AuditError { fail(error.description) }
        print(
            applied.isEmpty
                ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        await db.shutdown()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Create the demo district (Nanshan: 8 subdistricts, 100 communities) in a fresh database and serve it.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions
    @Option(help: "Size relative to the real district: 0.1 is 10 communities, 5 is 500.") var scale: Double = 1
    @Flag(help: "Build the data and exit without serving.") var noServe = false
    @Option(
        help:
            "People registered per building: every building of the first community, one building of each other (0 for none)."
    )
    var peoplePerBuilding: Int = 200
    @Option(
        help: "More cases over three years on top of the demo's, e.g. 1000000 to feel the speed at a district's size.")
    var cases: Int = 0

    func run() async throws {
        let db = try await database.open()
        let settings = try await server.settings()
        let secret = settings.requireSecret(generateIfMissing: true)
        try db.useServerSecret(secret, suite: settings.cryptoSuite, dataKeys: settings.dataKeys)
        do { try await Migrator().migrate(db) } catch let error as AuditError { fail(error.description) }
        let started = Date()
        let summary: DemoBuilder.Summary
        do {
            summary = try await DemoBuilder(db: db).build(
                scale: scale, peoplePerBuilding: peoplePerBuilding, cases: cases)
        } catch let error as DomainError {
            fail(
                describe(error)
                    + " (use a fresh --database-url, e.g. sqlite://./data/demo-\(Int(Date().timeIntervalSince1970)).sqlite)"
            )
        }
        let kinds: [NodeKind] = [.district, .subdistrict, .community, .grid, .building]
        print(
            "Demo district built in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: "
                + kinds.map { "\(summary.counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                + ", \(summary.bodies) governance bodies, \(summary.duties) duty items, \(summary.cases) cases, "
                + "\(summary.topics) topics, \(summary.votes) votes, \(summary.houses) houses and \(summary.people) people in the registry."
        )
        // One line per account: username, password, then what it is; scripts read the first two columns.
        func line(_ account: DemoBuilder.Account) -> String {
            let units = account.units.isEmpty ? "" : " for " + account.units.joined(separator: ", ")
            return "  \(account.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(account.password)  "
                + "\(account.role.rawValue) @ \(account.nodeName)\(units)"
        }
        print("\nDemo accounts (passwords are new each time; write them down):")
        for account in summary.accounts { print(line(account)) }
        print("\nFurther unit handlers (every unit has two, so work can be shared):")
        for account in summary.handlers { print(line(account)) }
        if settings.secret == nil {
            // The generated secret keys this database's audit chain: `serve` needs it again later.
            print("\nServer secret of this demo (to serve it again: GONGZHI_SECRET=… gongzhi serve): \(secret)")
        }
        // A token of the demo resident, so an Open311 client can be tried at once.
        if let resident = summary.accounts.first(where: { $0.role == .resident }),
            let user = try await AccountStore(db: db).user(username: resident.username),
            let actor = try await AccountStore(db: db).actor(for: user.id)
        {
            let (_, key) = try await AccountCommands(db: db).createToken(actor, name: "open311 demo")
            print("\nOpen311 api_key of \(resident.username) (service requests at /open311/v2/requests.json): \(key)")
        }
        if noServe { await db.shutdown(); return }
        print("\nOpen http://localhost:\(settings.port)/ and log in with one of the accounts above.\n")
        try await runServer(db: db, options: settings, secret: secret, migrate: false)
    }
}
