import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

/// Open311 GeoReport v2 at /open311/v2: discovery, services (categories), requests (cases) and tokens, in JSON
/// or XML. Creating needs an `api_key` (an API token from the account page); reading lists only public cases and
/// never says who reported them. `jurisdiction_id` names a community by id or code.
struct Open311Routes {
    let services: AppServices
    var store: CaseStore { CaseStore(db: services.db) }

    /// A new formatter each time: the type is not Sendable, and this is not a hot path.
    static var iso: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.timeZone = WorkCalendar.zone
        f.formatOptions = [.withInternetDateTime]
        return f
    }

    func register(on v2: RouterGroup<AppRequestContext>) {
        v2.get("/:file") { request, context in
            guard let (name, format) = Open311Format.split(context.parameters.get("file") ?? "") else {
                throw HTTPError(.notFound)
            }
            do {
                switch name {
                case "discovery": return discovery(format)
                case "services": return try await serviceList(request, format)
                case "requests": return try await requestList(request, format)
                default: throw HTTPError(.notFound)
                }
            } catch let error as DomainError {
                return format.error(Self.status(error), services.views.localizer.message(error, context.language))
            }
        }
        v2.get("/services/:file") { request, context in
            guard let (code, format) = Open311Format.split(context.parameters.get("file") ?? "") else {
                throw HTTPError(.notFound)
            }
            do {
                _ = try await jurisdiction(
                    Self.arguments(request.uri.queryParameters.map { ($0.key, $0.value) })["jurisdiction_id"])
            } catch let error as DomainError {
                return format.error(Self.status(error), services.views.localizer.message(error, context.language))
            }
            guard let id = Int64(code),
                try await CaseSetupStore.categories(services.db).contains(where: { $0.id == id })
            else {
                return format.error(.notFound, "service_code \(code) not found")
            }
            let settings = try await CaseSetupStore.serviceSettings(services.db)[id] ?? ServiceSettings()
            return format.object(
                root: "service_definition",
                record: [
                    ("service_code", .string(code)),
                    ("attributes", .records(item: "attribute", settings.attributes.map(Self.attribute))),
                ])
        }
        v2.get("/requests/:file") { _, context in
            guard let (id, format) = Open311Format.split(context.parameters.get("file") ?? "") else {
                throw HTTPError(.notFound)
            }
            guard let subject = try await store.publicRequests(numbers: [id]).first else {
                return format.error(.notFound, "service_request_id \(id) not found")
            }
            return format.response(root: "service_requests", item: "request", records: [record(subject)])
        }
        v2.get("/tokens/:file") { _, context in
            guard let (token, format) = Open311Format.split(context.parameters.get("file") ?? "") else {
                throw HTTPError(.notFound)
            }
            // A batch request's token resolves to its number once a person accepted the case (filed it or resolved it at
            // once); a realtime request's number is its own token. Private cases answer exactly like unknown tokens.
            if let subject = try await store.publicCase(token: token) {
                let accepted = subject.status != .submitted && subject.status != .rejected
                return format.response(
                    root: "service_requests", item: "request",
                    records: [
                        [("service_request_id", accepted ? .string(subject.number) : .null), ("token", .string(token))]
                    ])
            }
            guard try await store.publicCase(number: token) != nil else {
                return format.error(.notFound, "token \(token) not found")
            }
            return format.response(
                root: "service_requests", item: "request",
                records: [[("service_request_id", .string(token)), ("token", .string(token))]])
        }
        v2.get("/media/:file") { _, context in
            // The first photo of a public case, without metadata; no sign-in, nothing for private cases.
            let file = context.parameters.get("file") ?? ""
            let number = String(file.split(separator: ".", maxSplits: 1).first ?? "")
            guard let (type, bytes) = try await store.publicFirstPhoto(number: number) else {
                throw HTTPError(.notFound)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: type, .cacheControl: "public, max-age=300",
                    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        v2.post("/:file") { request, context in
            guard let (name, format) = Open311Format.split(context.parameters.get("file") ?? ""), name == "requests"
            else {
                throw HTTPError(.notFound)
            }
            do { return try await create(request, format) } catch let error as DomainError {
                return format.error(Self.status(error), services.views.localizer.message(error, context.language))
            }
        }
    }

    static func status(_ error: DomainError) -> HTTPResponse.Status {
        switch error.kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .forbidden, .unauthenticated: .forbidden
        case .conflict: .conflict
        case .tooManyAttempts: .tooManyRequests
        }
    }

    func discovery(_ format: Open311Format) -> Response {
        let base = services.config.publicURL + "/open311/v2/"
        return format.object(
            root: "discovery",
            record: [
                ("changeset", .string("2026-11-24T00:00:00+08:00")),
                ("contact", .string("Gongzhi — see \(services.config.publicURL)")),
                ("key_service", .string("\(services.config.publicURL)/account")),
                (
                    "endpoints",
                    .records(
                        item: "endpoint",
                        [
                            [
                                ("specification", .string("http://wiki.open311.org/GeoReport_v2")),
                                ("url", .string(base)),
                                ("changeset", .string("2026-11-24T00:00:00+08:00")), ("type", .string("production")),
                                ("formats", .list(item: "format", [.string("application/json"), .string("text/xml")])),
                            ]
                        ])
                ),
            ])
    }

    func serviceList(_ request: Request, _ format: Open311Format) async throws -> Response {
        _ = try await jurisdiction(request.uri.queryParameters["jurisdiction_id"].map(String.init))
        let categories = try await CaseSetupStore.categories(services.db)
        let settings = try await CaseSetupStore.serviceSettings(services.db)
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) })
        let parents = Set(categories.compactMap(\.parentID))
        let records: [Open311Format.Record] = categories.filter { !parents.contains($0.id) }.map { c in
            [
                ("service_code", .string("\(c.id)")), ("service_name", .string(c.name)),
                ("description", .string(c.name)),
                ("metadata", .bool(!(settings[c.id]?.attributes.isEmpty ?? true))),
                ("type", .string((settings[c.id]?.type ?? .realtime).rawValue)),
                ("keywords", .string("")),
                ("group", .string(c.parentID.flatMap { names[$0] } ?? c.name)),
            ]
        }
        return format.response(root: "services", item: "service", records: records)
    }

    /// Query arguments with empty values left out: `status=` means no status was given.
    static func arguments(_ params: some Sequence<(key: Substring, value: Substring)>) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in params {
            let v = String(value).trimmingCharacters(in: .whitespaces)
            if !v.isEmpty, out[String(key)] == nil { out[String(key)] = v }
        }
        return out
    }

    /// A comma-separated argument as its non-empty items.
    static func items(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The most requests one answer holds; more are reached with `page` (a GeoReport extension).
    static let maxPageSize = 1000

    func requestList(_ request: Request, _ format: Open311Format) async throws -> Response {
        let q = Self.arguments(request.uri.queryParameters.map { ($0.key, $0.value) })
        let community = try await jurisdiction(q["jurisdiction_id"])
        var found: [PublicCase]
        if let ids = q["service_request_id"] {
            // By id the other filters do not apply (GeoReport v2).
            found = try await store.publicRequests(numbers: Self.items(ids))
            if let community { found = found.filter { NodePath.isInside($0.path, community.path) } }
        } else {
            var filter = CaseFilter()
            if let community { filter.within = community.path }
            if let status = q["status"] {
                var statuses: [CaseStatus] = []
                for item in Self.items(status) {
                    switch item.lowercased() {
                    case "open": statuses += CaseStatus.allCases.filter(\.isOpen)
                    case "closed": statuses += CaseStatus.allCases.filter { !$0.isOpen }
                    default: throw DomainError.invalid("open311_status_invalid", field: "status")
                    }
                }
                filter.statuses = statuses
            }
            if let codes = q["service_code"] {
                filter.categoryIDs = try Self.items(codes).map { code in
                    guard let id = Int64(code) else {
                        throw DomainError.invalid("category_unknown", field: "service_code")
                    }
                    return id
                }
            }
            // Without dates, the last 90 days (GeoReport v2); one date alone bounds a 90-day window from that side.
            let window: TimeInterval = 90 * 86400
            let end = try q["end_date"].map { try Self.date($0, field: "end_date") }
            let start = try q["start_date"].map { try Self.date($0, field: "start_date") }
            switch (start, end) {
            case (nil, nil):
                (filter.createdFrom, filter.createdUntil) = (services.clock.now().addingTimeInterval(-window), nil)
            case (nil, let end?): (filter.createdFrom, filter.createdUntil) = (end.addingTimeInterval(-window), end)
            case (let start, let end): (filter.createdFrom, filter.createdUntil) = (start, end)
            }
            let pageSize =
                try q["page_size"].map { text in
                    guard let n = Int(text), (1...Self.maxPageSize).contains(n) else {
                        throw DomainError.invalid(
                            "open311_page_invalid", field: "page_size", args: ["\(Self.maxPageSize)"])
                    }
                    return n
                } ?? Self.maxPageSize
            let page =
                try q["page"].map { text in
                    guard let n = Int(text), n >= 1, n <= 1_000_000 else {
                        throw DomainError.invalid("open311_page_invalid", field: "page", args: ["\(Self.maxPageSize)"])
                    }
                    return n
                } ?? 1
            filter.limit = pageSize
            found = try await store.publicRequests(filter, offset: (page - 1) * pageSize)
        }
        return format.response(root: "service_requests", item: "request", records: found.map(record))
    }

    func create(_ request: Request, _ format: Open311Format) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var form = Form.parse(String(buffer: body))
        for (key, value) in request.uri.queryParameters where form.values[String(key)] == nil {
            form.values[String(key)] = [String(value)]
        }
        try form.refuseNUL()
        guard !form["api_key"].isEmpty,
            let actor = try await services.accountCommands.authenticateToken(form["api_key"])
        else {
            throw DomainError(.unauthenticated, "token_invalid")
        }
        guard let code = form.int("service_code") else {
            throw DomainError.invalid("category_unknown", field: "service_code")
        }
        let community = try await jurisdiction(form["jurisdiction_id"].trimmingCharacters(in: .whitespaces))
        let place = try await location(form, community: community, actor: actor)
        var description = form["description"]
        if !form["address_string"].isEmpty { description += "\n地址：" + form["address_string"] }
        let title = String(form["description"].split(whereSeparator: \.isNewline).first ?? "").prefix(Case.maxTitle)
        let settings = try await CaseSetupStore.serviceSettings(services.db)[code] ?? ServiceSettings()
        var submission = CaseSubmission(
            kind: .appeal, channel: .open311, title: String(title), description: description, categoryID: code,
            nodeID: place.id,
            isPublic: settings.publicByDefault, latitude: Double(form["lat"]), longitude: Double(form["long"]))
        submission.attributes = Self.attributes(form)
        if settings.type == .batch { submission.open311Token = Secrets.token(prefix: "t_") }
        let created = try await services.caseCommands.submit(
            actor, submission, idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
        if settings.type == .batch, let token = try await store.open311Token(caseID: created.id) {
            return format.response(
                root: "service_requests", item: "request",
                records: [
                    [
                        ("token", .string(token)), ("service_notice", .string("")), ("account_id", .null),
                    ]
                ], status: .created)
        }
        return format.response(
            root: "service_requests", item: "request",
            records: [
                [
                    ("service_request_id", .string(created.number)), ("service_notice", .string("")),
                    ("account_id", .null),
                ]
            ], status: .created)
    }

    /// Posted answers: `attribute[code]=v`, and `attribute[code][]=v` (several) for multi-value lists.
    static func attributes(_ form: Form) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (key, values) in form.values where key.hasPrefix("attribute[") {
            var code = key.dropFirst("attribute[".count)
            if code.hasSuffix("][]") {
                code = code.dropLast(3)
            } else if code.hasSuffix("]") {
                code = code.dropLast()
            } else {
                continue
            }
            out[String(code), default: []] += values
        }
        return out
    }

    static func attribute(_ a: ServiceAttribute) -> Open311Format.Record {
        [
            ("variable", .bool(a.variable)), ("code", .string(a.code)), ("datatype", .string(a.datatype.rawValue)),
            ("required", .bool(a.required)),
            ("datatype_description", .string(a.datatypeDescription)), ("order", .number("\(a.order)")),
            ("description", .string(a.description)),
            (
                "values",
                .records(item: "value", a.values.map { [("key", .string($0.key)), ("name", .string($0.name))] })
            ),
        ]
    }

    /// Where a request is placed: the building `address_id` names; else by `lat`/`long` with the store's one
    /// placement rule (`JurisdictionStore.place`: the grid whose boundary holds the point, at its nearest building
    /// within the configured distance or on the grid itself; without a boundary, the nearest building), inside the
    /// jurisdiction when given; else the building `address_string`
    /// names exactly inside the jurisdiction (or the reporter's community). A point near no building is refused.
    func location(_ form: Form, community: Node?, actor: Actor) async throws -> Node {
        let addressString = form["address_string"].trimmingCharacters(in: .whitespacesAndNewlines)
        func named() async throws -> Node? {
            guard !addressString.isEmpty else { return nil }
            var area = community
            if area == nil, let home = try await services.accounts.user(actor.userID)?.communityID {
                area = try await services.jurisdiction.node(home)
            }
            guard let area else { return nil }
            return try await services.jurisdiction.building(named: addressString, inside: area.path)
        }
        if let addressID = form.int("address_id") {
            guard let node = try await services.jurisdiction.node(addressID), node.isOpen,
                community.map({ NodePath.isInside(node.path, $0.path) }) ?? true
            else {
                throw DomainError.invalid("open311_address_unknown", field: "address_id")
            }
            return node
        }
        let (lat, lng) = (
            Double(form["lat"].trimmingCharacters(in: .whitespaces)),
            Double(form["long"].trimmingCharacters(in: .whitespaces))
        )
        if let lat, let lng {
            let meters = services.config.open311SnapMeters
            if let node = try await services.jurisdiction.place(
                GeoPoint(lat: lat, lng: lng), within: meters, inside: community?.path)
            {
                return node
            }
            if let node = try await named() { return node }
            throw DomainError.invalid("open311_point_outside", field: "lat", args: ["\(Int(meters))"])
        }
        if let node = try await named() { return node }
        if !addressString.isEmpty { throw DomainError.invalid("open311_address_unknown", field: "address_string") }
        throw DomainError.invalid("open311_location_required", field: "lat")
    }

    /// A community named by id ("42", "n42") or code; nil when none was given.
    func jurisdiction(_ ref: String?) async throws -> Node? {
        guard let ref, !ref.isEmpty else { return nil }
        let id = Int64(ref) ?? (ref.hasPrefix("n") ? Int64(ref.dropFirst()) : nil)
        let node = try await (id != nil ? services.jurisdiction.node(id!) : services.jurisdiction.node(code: ref))
        guard let node,
            node.kind.isCommunityLevel || node.kind == .subdistrict || node.kind == .town || node.kind == .district
        else {
            throw DomainError(.notFound, "jurisdiction_unknown", field: "jurisdiction_id")
        }
        return node
    }

    static func date(_ text: String, field: String) throws -> Date {
        guard let d = ISO8601DateFormatter().date(from: text) ?? iso.date(from: text) else {
            throw DomainError.invalid("date_invalid", field: field)
        }
        return d
    }

    static func `extension`(of type: String) -> String {
        switch type {
        case "image/png": "png";
        case "image/webp": "webp";
        default: "jpg"
        }
    }

    func record(_ p: PublicCase) -> Open311Format.Record {
        let c = p.case
        let iso = Self.iso
        return [
            ("service_request_id", .string(c.number)), ("status", .string(c.status.isOpen ? "open" : "closed")),
            ("status_notes", .string(p.statusNotes)), ("service_name", .string(p.categoryName ?? "")),
            ("service_code", .string(c.categoryID.map { "\($0)" } ?? "")), ("description", .string(c.description)),
            ("agency_responsible", .string(p.unitName ?? "")), ("service_notice", .string("")),
            ("requested_datetime", .string(iso.string(from: c.createdAt))),
            ("updated_datetime", .string(iso.string(from: p.updatedAt))),
            ("expected_datetime", .optional(c.resolveBy.map(iso.string))), ("address", .string(p.placeName ?? "")),
            ("address_id", .string("\(c.nodeID)")), ("zipcode", .string("")),
            ("lat", c.latitude.map { .number("\($0)") } ?? .null),
            ("long", c.longitude.map { .number("\($0)") } ?? .null),
            (
                "media_url",
                .string(
                    p.photoType.map {
                        services.config.publicURL + "/open311/v2/media/\(c.number)." + Self.extension(of: $0)
                    } ?? "")
            ),
        ]
    }
}
