import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A browser-like client over the in-process router: keeps cookies, reads CSRF tokens from forms.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var acceptLanguage: String?

    mutating func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (TestResponse, String) {
        let response = try await client.execute(uri: uri, method: .get, headers: merged(headers), body: nil)
        remember(response)
        return (response, String(buffer: response.body))
    }

    mutating func post(
        _ uri: String, form: [String: String], csrfFrom page: String? = nil
    ) async throws -> (TestResponse, String) {
        var form = form
        if form["_csrf"] == nil {
            let (_, html) = try await get(page ?? "/login")
            form["_csrf"] = Self.csrf(in: html)
        }
        let body = form.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: merged([.contentType: "application/x-www-form-urlencoded"]),
            body: ByteBuffer(string: body))
        remember(response)
        return (response, String(buffer: response.body))
    }

    /// A multipart/form-data post with one file field, as a browser sends a form with `<input type=file>`. The pages'
    /// upload forms carry the CSRF token in their action URL as well, so it is checked before the body is read; so
    /// does this, unless `tokenInURL` is false.
    mutating func postFile(
        _ uri: String, form: [String: String], file: (field: String, name: String, bytes: [UInt8]),
        tokenInURL: Bool = true
    ) async throws -> (TestResponse, String) {
        var uri = uri
        if tokenInURL, let token = form["_csrf"] { uri += (uri.contains("?") ? "&" : "?") + "_csrf=" + token }
        let boundary = "----gongzhi\(UInt32.random(in: 0...UInt32.max))"
        var body = ByteBuffer()
        for (key, value) in form {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        let response = try await client.execute(
            uri: uri, method: .post, headers: merged([.contentType: "multipart/form-data; boundary=\(boundary)"]),
            body: body)
        remember(response)
        return (response, String(buffer: response.body))
    }

    mutating func logIn(_ username: String, _ password: String) async throws -> TestResponse {
        try await post("/login", form: ["username": username, "password": password, "next": "/home"]).0
    }

    func merged(_ headers: HTTPFields) -> HTTPFields {
        var h = headers
        if let acceptLanguage, h[.acceptLanguage] == nil { h[.acceptLanguage] = acceptLanguage }
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return h
    }

    mutating func remember(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || field.value.contains("Max-Age=0") {
                cookies[pair[0]] = nil
            } else {
                cookies[pair[0]] = pair[1]
            }
        }
    }

    static func csrf(in html: String) -> String {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// A migrated database with the small tree and one user per role, served by the real router.
struct WebFixture {
    let db: Database
    let tree: SmallTree
    static let password = "correct horse battery staple"

    /// Signs up the resident "wang" at the first building, as the case tests need.
    @discardableResult
    func signUpWang() async throws -> User {
        try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).signUpResident(
            username: "wang", displayName: "王", password: Self.password, buildingID: tree.buildings[0].id)
    }

    static func run(
        counting counter: QueryCounter? = nil, configure: @escaping @Sendable (inout WebConfig) -> Void = { _ in },
        logger: Logger? = nil,
        _ body: @escaping @Sendable (WebFixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withTestDatabase { db in
            let tree = try await SmallTree.make(db)
            let settings = AccountSettings(bcryptCost: 4)
            let accounts = AccountCommands(db: db, settings: settings)
            for (name, role, node) in [
                ("admin", Role.systemAdmin, tree.district), ("auditor", .auditor, tree.district),
                ("worker", .communityWorker, tree.community), ("otherworker", .communityWorker, tree.otherCommunity),
                ("gridworker", .gridWorker, tree.grid1),
            ] {
                _ = try await accounts.createUser(
                    .root, username: name, displayName: name, password: password, role: role, nodeID: node.id)
            }
            var config = WebConfig(secret: String(repeating: "s", count: 40), secureCookies: false, accounts: settings)
            configure(&config)
            let services = AppServices(
                db: counter.map(db.counting) ?? db, config: config, views: try await Views.load())
            let app = Application(router: buildRouter(services), logger: logger ?? Logger(label: "gongzhi.test"))
            try await app.test(.router) { client in
                try await body(WebFixture(db: db, tree: tree), client)
            }
        }
    }
}
