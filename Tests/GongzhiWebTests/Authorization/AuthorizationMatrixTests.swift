import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// Every route the modules register (read from the router itself, so a new module's routes join by being
/// registered) × anonymous and every role × inside and outside the jurisdiction: nothing answers 5xx, anonymous
/// callers reach only the public routes, ids of another community answer 404 exactly like missing ones, and a
/// refused request changes nothing.
@Suite struct AuthorizationMatrixTests {
    /// Routes anyone may call without signing in.
    static let publicRoutes: Set<String> = [
        "GET /", "GET /login", "POST /login", "GET /login/otp", "POST /login/otp", "GET /signup", "POST /signup",
        "POST /language", "GET /track", "POST /track", "POST /track/rate", "POST /api/v1/track", "GET /reports",
        "GET /reports/{number}", "GET /assets/leaflet/{file}",
        "POST /api/v1/track/rate",
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/openapi.json", "GET /open311/v2/{file}",
        "GET /open311/v2/services/{file}",
        "GET /open311/v2/requests/{file}", "GET /open311/v2/tokens/{file}", "POST /open311/v2/{file}",
        "GET /public/communities/{id}", "GET /public/resolutions/{number}", "GET /public/conventions/{id}",
        "GET /public/communities",
    ]

    @Test func everyRouteTimesEveryRoleInsideAndOutside() async throws {
        try await WebFixture.run { fixture, client in
            // given: a resident's case in the community, filed by its worker; people of every role
            let db = fixture.db
            let tree = fixture.tree
            let wang = try await fixture.signUpWang()
            let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
            for (name, role, node) in [
                ("head", Role.buildingHead, tree.buildings[0]), ("supervisor", .supervisionMember, tree.community),
                ("dept", .departmentHandler, tree.subdistrict), ("subadmin", .subdistrictAdmin, tree.subdistrict),
            ] {
                _ = try await accounts.createUser(
                    .root, username: name, displayName: name, password: WebFixture.password, role: role,
                    nodeID: node.id)
            }
            let store = AccountStore(db: db)
            let resident = try #require(try await store.actor(for: wang.id))
            let submitted = try await CaseCommands(db: db).submit(
                resident,
                CaseSubmission(
                    title: "路灯不亮", description: "1栋门口", nodeID: tree.buildings[0].id))
            func actor(_ name: String) async throws -> Actor {
                let user = try #require(try await store.user(username: name))
                return try #require(try await store.actor(for: user.id))
            }
            let worker = try await actor("worker")
            try await CaseCommands(db: db).perform(worker, submitted.id, .file(categoryID: nil))
            let grant = try #require(try await store.grants(of: wang.id).first)
            let names = [
                "wang", "head", "gridworker", "worker", "supervisor", "dept", "subadmin", "admin", "auditor",
                "otherworker",
            ]
            var bearers: [String: String] = [:]
            var browsers: [String: Browser] = [:]
            for name in names {
                bearers[name] = try await accounts.createToken(try await actor(name), name: "matrix").1
                var browser = Browser(client: client)
                _ = try await browser.logIn(name, WebFixture.password)
                browsers[name] = browser
            }
            let spare = try await accounts.createToken(resident, name: "spare").0
            let body = try #require(
                try await JurisdictionCommands(db: db).perform(
                    .root, tree.community.id, .createBody(kind: .workstation, name: "工作站")
                ).body)
            // A topic of the community, collecting co-signatures, and a meeting announced for tomorrow.
            let topic = try await TopicCommands(db: db).raise(
                resident,
                TopicProposal(
                    placeKind: .community, placeID: tree.community.id, title: "加装电梯", body: "老楼加装电梯"))
            try await TopicCommands(db: db).perform(resident, topic.id, .submit)
            let comment = try await TopicCommands(db: db).comment(worker, topic.id, text: "欢迎大家发表意见")
            let meeting = try await MeetingCommands(db: db).schedule(
                worker,
                MeetingPlan(
                    communityID: tree.community.id, kind: .council, title: "议事会", place: "活动室",
                    startsAt: Date().addingTimeInterval(86400)))
            let ids: [String: String] = [
                "cases": "\(submitted.id)", "nodes": "\(tree.community.id)", "grids": "\(tree.grid2.id)",
                "users": "\(wang.id)",
                "roles": "\(grant.id)", "tokens": "\(spare.id)", "bodies": "\(body.id)",
                "topics": "\(topic.id)", "meetings": "\(meeting.id)", "comments": "\(comment.id)",
                "topic-comments": "\(comment.id)",
            ]
            let services = AppServices(
                db: db, config: WebConfig(secret: String(repeating: "s", count: 40), secureCookies: false),
                views: try await Views.load())
            let routes = buildRouter(services).routes.map { ($0.method.rawValue, $0.path.description) }
                .filter { !$0.1.hasPrefix("/static") && $0.1 != "/logout" }
            #expect(routes.count > 60)
            var checked = 0
            for (method, pattern) in routes.sorted(by: { "\($0)" < "\($1)" }) {
                let path = Self.fill(pattern, ids: ids)
                let key = "\(method) \(pattern)"
                let isAPI = pattern.hasPrefix("/api/") || pattern.hasPrefix("/open311/")
                let insideObject = [
                    "/cases/{id}", "/api/v1/cases/{id}", "/nodes/{id}", "/api/v1/nodes/{id}", "/bodies/{id}",
                    "/api/v1/bodies/{id}", "/deliberation/topics/{id}", "/api/v1/topics/{id}",
                    "/deliberation/meetings/{id}", "/api/v1/meetings/{id}", "/deliberation/comments/{id}",
                    "/api/v1/topic-comments/{id}",
                ].contains {
                    pattern.hasPrefix($0)
                }
                for name in [nil] + names.map(Optional.some) {
                    // when
                    let before = try await Self.fingerprint(db)
                    let status: Int
                    if isAPI {
                        var headers: HTTPFields = [.contentType: "application/json"]
                        if let name, let secret = bearers[name] { headers[.authorization] = "Bearer \(secret)" }
                        status = Int(
                            try await client.execute(
                                uri: path, method: .init(rawValue: method)!, headers: headers,
                                body: method == "GET" ? nil : ByteBuffer(string: "{}")
                            ).status.code)
                    } else {
                        var browser = name.flatMap { browsers[$0] } ?? Browser(client: client)
                        status = Int(
                            (method == "GET"
                                ? try await browser.get(path)
                                : try await browser.post(path, form: [:], csrfFrom: "/home")).0.status.code)
                    }
                    // then
                    let who = name ?? "anonymous"
                    #expect(status < 500, "\(key) as \(who) answered \(status)")
                    if name == nil, !Self.publicRoutes.contains(key) {
                        #expect(![200, 201, 204].contains(status), "\(key) is open to anonymous callers (\(status))")
                    }
                    if name == "otherworker", insideObject {
                        #expect(status == 404, "\(key) as a worker of another community answered \(status), not 404")
                    }
                    if status >= 400 {
                        #expect(
                            try await Self.fingerprint(db) == before,
                            "\(key) as \(who) was refused (\(status)) but changed data")
                    }
                    checked += 1
                }
            }
            #expect(checked == routes.count * (names.count + 1))
        }
    }

    /// Route parameters filled with objects of the first community (or harmless values).
    static func fill(_ pattern: String, ids: [String: String]) -> String {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        for (i, part) in parts.enumerated() {
            guard part.hasPrefix("{") else { out.append(part); continue }
            let previous = i > 0 ? parts[i - 1] : ""
            switch part {
            case "{id}": out.append(ids[previous] ?? "1")
            case "{file}": out.append(previous == "v2" ? "discovery.json" : "1.json")
            default: out.append("1")
            }
        }
        return out.joined(separator: "/")
    }

    /// What a refused request must leave as it was: the rows of every business table and the cases' versions.
    static func fingerprint(_ db: Database) async throws -> [Int] {
        try await db.read { sql in
            var out: [Int] = []
            for table in [
                "nodes", "bodies", "duty_items", "users", "role_grants", "api_tokens", "cases", "case_events",
                "case_photos",
                "case_categories", "units", "unit_members", "routing_rules", "calendar_days", "notifications",
                "case_callers", "topics", "topic_events", "topic_cosignatures", "topic_cases", "topic_comments",
                "topic_comment_reports", "topic_cosign_rules", "meetings", "meeting_events", "meeting_attendance",
                "meeting_attachments",
                "resolutions",
                "resolution_events", "resolution_progress", "resolution_photos", "resolution_ratings", "conventions",
                "convention_versions",
            ] {
                out.append(
                    try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(
                        column: "n", as: Int.self))
            }
            for table in ["cases", "nodes", "bodies", "topics", "meetings", "resolutions", "conventions"] {
                out.append(
                    try await sql.raw("SELECT COALESCE(SUM(version), 0) AS n FROM \(unsafeRaw: table)").first()!
                        .decode(column: "n", as: Int.self))
            }
            out.append(
                try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL").first()!.decode(
                    column: "n", as: Int.self))
            out.append(
                try await sql.raw("SELECT COUNT(*) AS n FROM api_tokens WHERE revoked_at IS NOT NULL").first()!.decode(
                    column: "n", as: Int.self))
            return out
        }
    }
}
