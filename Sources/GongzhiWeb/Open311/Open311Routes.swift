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
            guard let (name, format) = Open311Format.split(context.parameters.get("file") ?? "") else { throw HTTPError(.notFound) }
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
        v2.get("/services/:file") { _, context in
            guard let (code, format) = Open311Format.split(context.parameters.get("file") ?? "") else { throw HTTPError(.notFound) }
            guard let id = Int64(code), try await CaseSetupStore.categories(services.db).contains(where: { $0.id == id }) else {
                return format.error(.notFound, "service_code \(code) not found")
            }
            // No extra attributes: metadata is false for every service.
            return format.object(root: "service_definition", record: [("service_code", .string(code)), ("attributes", .records(item: "attribute", []))])
        }
        v2.get("/requests/:file") { _, context in
            guard let (id, format) = Open311Format.split(context.parameters.get("file") ?? "") else { throw HTTPError(.notFound) }
            guard let subject = try await store.publicCase(number: id) else {
                return format.error(.notFound, "service_request_id \(id) not found")
            }
            return format.response(root: "service_requests", item: "request", records: [try await record(subject)])
        }
        v2.get("/tokens/:file") { _, context in
            guard let (token, format) = Open311Format.split(context.parameters.get("file") ?? "") else { throw HTTPError(.notFound) }
            // Requests are created synchronously, so a token is the request's own id.
            guard try await store.publicCase(number: token) != nil else { return format.error(.notFound, "token \(token) not found") }
            return format.response(root: "service_requests", item: "request",
                                   records: [[("service_request_id", .string(token)), ("token", .string(token))]])
        }
        v2.post("/:file") { request, context in
            guard let (name, format) = Open311Format.split(context.parameters.get("file") ?? ""), name == "requests" else {
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
        return format.object(root: "discovery", record: [
            ("changeset", .string("2026-11-24T00:00:00+08:00")),
            ("contact", .string("Gongzhi — see \(services.config.publicURL)")),
            ("key_service", .string("\(services.config.publicURL)/account")),
            ("endpoints", .records(item: "endpoint", [[
                ("specification", .string("http://wiki.open311.org/GeoReport_v2")), ("url", .string(base)),
                ("changeset", .string("2026-11-24T00:00:00+08:00")), ("type", .string("production")),
                ("formats", .list(item: "format", [.string("application/json"), .string("text/xml")])),
            ]])),
        ])
    }

    func serviceList(_ request: Request, _ format: Open311Format) async throws -> Response {
        _ = try await jurisdiction(request.uri.queryParameters["jurisdiction_id"].map(String.init))
        let categories = try await CaseSetupStore.categories(services.db)
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) })
        let parents = Set(categories.compactMap(\.parentID))
        let records: [Open311Format.Record] = categories.filter { !parents.contains($0.id) }.map { c in
            [("service_code", .string("\(c.id)")), ("service_name", .string(c.name)), ("description", .string(c.name)),
             ("metadata", .bool(false)), ("type", .string("realtime")), ("keywords", .string("")),
             ("group", .string(c.parentID.flatMap { names[$0] } ?? c.name))]
        }
        return format.response(root: "services", item: "service", records: records)
    }

    func requestList(_ request: Request, _ format: Open311Format) async throws -> Response {
        let q = request.uri.queryParameters
        var filter = CaseFilter()
        filter.limit = 1000
        if let community = try await jurisdiction(q["jurisdiction_id"].map(String.init)) { filter.within = community.path }
        var cases: [Case]
        if let ids = q["service_request_id"] {
            cases = []
            for id in ids.split(separator: ",") {
                if let c = try await store.publicCase(number: String(id).trimmingCharacters(in: .whitespaces)) { cases.append(c) }
            }
        } else {
            if let status = q["status"] {
                let wanted = Set(status.split(separator: ","))
                filter.statuses = CaseStatus.allCases.filter { wanted.contains($0.isOpen ? "open" : "closed") }
            }
            cases = try await store.publicList(filter)
            let end = try q["end_date"].map { try Self.date(String($0)) } ?? services.clock.now()
            let start = try q["start_date"].map { try Self.date(String($0)) } ?? end.addingTimeInterval(-90 * 86400)
            cases = cases.filter { $0.createdAt >= start && $0.createdAt <= end }
            if let codes = q["service_code"] {
                let wanted = Set(codes.split(separator: ",").compactMap { Int64($0) })
                cases = cases.filter { $0.categoryID.map(wanted.contains) ?? false }
            }
        }
        var records: [Open311Format.Record] = []
        for c in cases where c.isPublic { records.append(try await record(c)) }
        return format.response(root: "service_requests", item: "request", records: records)
    }

    func create(_ request: Request, _ format: Open311Format) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var form = Form.parse(String(buffer: body))
        for (key, value) in request.uri.queryParameters where form.values[String(key)] == nil { form.values[String(key)] = [String(value)] }
        try form.refuseNUL()
        guard !form["api_key"].isEmpty, let actor = try await services.accountCommands.authenticateToken(form["api_key"]) else {
            throw DomainError(.unauthenticated, "token_invalid")
        }
        guard let code = form.int("service_code") else { throw DomainError.invalid("category_unknown", field: "service_code") }
        var place: Node?
        if let addressID = form.int("address_id") { place = try await services.jurisdiction.node(addressID) }
        if place == nil { place = try await jurisdiction(form["jurisdiction_id"].isEmpty ? nil : form["jurisdiction_id"]) }
        if place == nil, let home = try await services.accounts.user(actor.userID)?.homeNodeID { place = try await services.jurisdiction.node(home) }
        guard let place else { throw DomainError.invalid("case_place_invalid", field: "jurisdiction_id") }
        var description = form["description"]
        if !form["address_string"].isEmpty { description += "\n地址：" + form["address_string"] }
        let title = String(form["description"].split(whereSeparator: \.isNewline).first ?? "").prefix(Case.maxTitle)
        let created = try await services.caseCommands.submit(actor, CaseSubmission(
            kind: .appeal, channel: .open311, title: String(title), description: description, categoryID: code, nodeID: place.id,
            isPublic: true, latitude: Double(form["lat"]), longitude: Double(form["long"])),
            idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
        return format.response(root: "service_requests", item: "request", records: [[
            ("service_request_id", .string(created.number)), ("service_notice", .string("")), ("account_id", .null),
        ]], status: .created)
    }

    /// A community named by id ("42", "n42") or code; nil when none was given.
    func jurisdiction(_ ref: String?) async throws -> Node? {
        guard let ref, !ref.isEmpty else { return nil }
        let id = Int64(ref) ?? (ref.hasPrefix("n") ? Int64(ref.dropFirst()) : nil)
        let node = try await (id != nil ? services.jurisdiction.node(id!) : services.jurisdiction.node(code: ref))
        guard let node, node.kind.isCommunityLevel || node.kind == .subdistrict || node.kind == .town || node.kind == .district else {
            throw DomainError.invalid("jurisdiction_unknown", field: "jurisdiction_id")
        }
        return node
    }

    static func date(_ text: String) throws -> Date {
        guard let d = ISO8601DateFormatter().date(from: text) ?? iso.date(from: text) else { throw DomainError.invalid("date_invalid", field: "start_date") }
        return d
    }

    func record(_ c: Case) async throws -> Open311Format.Record {
        let category = try await CaseSetupStore.categories(services.db).first { $0.id == c.categoryID }
        let unit = try await CaseSetupStore.units(services.db).first { $0.id == c.unitID }
        let place = try await services.jurisdiction.node(c.nodeID)
        let events = try await store.publicTimeline(of: c)
        let updated = events.last?.at ?? c.createdAt
        let notes = events.last { ["reject", "verify", "resolve_at_once", "report_back"].contains($0.action) }?.note ?? ""
        let (lat, lng) = (c.latitude, c.longitude)
        let iso = Self.iso
        return [
            ("service_request_id", .string(c.number)), ("status", .string(c.status.isOpen ? "open" : "closed")),
            ("status_notes", .string(notes)), ("service_name", .optional(category?.name)),
            ("service_code", .optional(c.categoryID.map { "\($0)" })), ("description", .string(c.description)),
            ("agency_responsible", .optional(unit?.name)), ("service_notice", .string("")),
            ("requested_datetime", .string(iso.string(from: c.createdAt))), ("updated_datetime", .string(iso.string(from: updated))),
            ("expected_datetime", .optional(c.resolveBy.map(iso.string))), ("address", .optional(place?.name)),
            ("address_id", .string("\(c.nodeID)")), ("zipcode", .string("")),
            ("lat", lat.map { .number("\($0)") } ?? .null), ("long", lng.map { .number("\($0)") } ?? .null), ("media_url", .string("")),
        ]
    }
}
