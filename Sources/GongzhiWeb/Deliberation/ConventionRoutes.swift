import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

extension Convention: ResponseEncodable {}

extension Convention {
    var etag: String { "\"\(version)\"" }
}

/// A convention to create, from the form or JSON alike.
struct ConventionDraftInput: Decodable, Sendable {
    var community: LooseInt?
    var estate: LooseInt?
    var kind: String?
    var title: String?
    var text: String?
    var resolution: LooseInt?
    var effectiveOn: String?

    enum CodingKeys: String, CodingKey {
        case community, estate, kind, title, text, resolution
        case effectiveOn = "effective_on"
    }

    func draft() throws -> ConventionDraft {
        guard let community = community?.value else {
            throw DomainError.invalid("meeting_community_invalid", field: "community")
        }
        guard let kind = kind.flatMap(ConventionKind.init(rawValue:)) else {
            throw DomainError.invalid("convention_kind_invalid", field: "kind")
        }
        return ConventionDraft(
            communityID: community, estateID: estate?.value, kind: kind, title: title ?? "", text: text ?? "",
            resolutionID: resolution?.value, effectiveOn: try ConventionStepInput.day(effectiveOn))
    }
}

/// A step on a convention, from the form or JSON alike.
struct ConventionStepInput: Decodable, Sendable {
    var text: String?
    var resolution: LooseInt?
    var effectiveOn: String?
    var number: LooseInt?

    enum CodingKeys: String, CodingKey {
        case text, resolution, number
        case effectiveOn = "effective_on"
    }

    static func day(_ text: String?) throws -> CalendarDate {
        guard let day = text.flatMap({ CalendarDate($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw DomainError.invalid("convention_effective_invalid", field: "effective_on")
        }
        return day
    }

    func command(_ step: ConventionCapability) throws -> ConventionCommand {
        switch step {
        case .addVersion:
            return .addVersion(
                text: text ?? "", resolutionID: resolution?.value, effectiveOn: try Self.day(effectiveOn))
        case .file, .acknowledge:
            guard let number = number?.value else {
                throw DomainError.invalid("convention_version_unknown", field: "number")
            }
            return step == .file ? .file(number: Int(clamping: number)) : .acknowledge(number: Int(clamping: number))
        case .read: throw DomainError.notFound
        }
    }
}

/// Conventions (居民公约, 居民自治章程, 管理规约): the list with the form for a new one, the convention page with its
/// versions, a readable difference between any two, the forms for a new version, its filing and acknowledgement,
/// the public page, and the same steps in the API.
struct ConventionRoutes {
    let services: AppServices
    var views: Views { services.views }
    var store: ConventionStore { ConventionStore(db: services.db) }
    var commands: ConventionCommands {
        ConventionCommands(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
    }
    static let steps: [ConventionCapability] = [.addVersion, .file, .acknowledge]

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/deliberation/conventions") { _, context in try await listPage(context) }
        router.post("/deliberation/conventions") { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let c = try await commands.create(actor, try decode(ConventionDraftInput.self, form).draft())
                return Response.redirect(to: "/deliberation/conventions/\(c.id)")
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var extra = views.formErrors(error, context)
                for field in ["title", "text", "effective_on", "resolution", "kind", "community", "estate"] {
                    extra["form_" + field] = form[field]
                }
                return try await listPage(context, extra: extra, status: .unprocessableContent)
            }
        }
        router.get("/deliberation/conventions/:id") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let record = try await store.record(id, for: try context.requireActor())
            return try await conventionPage(record, request, context, template: "deliberation/convention")
        }
        for step in Self.steps {
            router.post(RouterPath("/deliberation/conventions/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor)
                let form = try await Form.read(request, context)
                do {
                    try await commands.perform(
                        actor, id, try decode(ConventionStepInput.self, form).command(step),
                        expectedVersion: form.int("version").map(Int.init))
                    return Response.redirect(to: "/deliberation/conventions/\(id)")
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    var extra = views.formErrors(error, context)
                    for field in ["text", "effective_on", "resolution"] { extra["form_" + field] = form[field] }
                    let record = try await store.record(id, for: actor)
                    return try await conventionPage(
                        record, request, context, template: "deliberation/convention", extra: extra,
                        status: .unprocessableContent)
                }
            }
        }
        router.get("/public/conventions/:id") { request, context in
            let record = try await store.publicRecord(try context.parameters.require("id", as: Int64.self))
            return try await conventionPage(record, request, context, template: "deliberation/public_convention")
        }
        // The API: the same commands.
        api.get("/conventions") { _, context in
            Page(items: try await store.list(for: try context.requireActor()), nextCursor: nil)
        }
        api.post("/conventions") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(ConventionDraftInput.self, context: context)
            let c = try await commands.create(actor, try input.draft())
            var response = try EditedResponse(status: .created, response: c).response(from: request, context: context)
            response.headers[.eTag] = c.etag
            return response
        }
        api.get("/conventions/:id") { request, context in
            let record = try await store.record(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = try record.convention.response(from: request, context: context)
            response.headers[.eTag] = record.convention.etag
            return response
        }
        for step in Self.steps {
            api.post(RouterPath("/conventions/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                try await store.requireVisible(id, to: actor)
                let data = try await request.stepData(context: context)
                let input: ConventionStepInput
                do { input = try JSONDecoder().decode(ConventionStepInput.self, from: data) } catch let e as DomainError
                {
                    throw e
                } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
                let c = try await commands.perform(
                    actor, id, try input.command(step), expectedVersion: request.ifMatchVersion)
                var response = try c.response(from: request, context: context)
                response.headers[.eTag] = c.etag
                return response
            }
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ form: Form) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: form.json) } catch let error as DomainError {
            throw error
        } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
    }

    func listPage(
        _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let lang = context.language
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        let today = CalendarDate(services.clock.now())
        var data = extra
        data["conventions"] = try await store.list(for: actor).map { c in
            [
                "href": "/deliberation/conventions/\(c.id)", "title": c.title,
                "kind": t("convention_kind_\(c.kind.rawValue)"),
                "in_force": c.inForce(on: today).map {
                    t("convention_version_n", ["\($0.number)"]) + " · " + $0.effectiveOn.text(lang)
                }
                    ?? t("convention_not_in_force"),
                "versions": c.versions.count,
            ] as [String: Any]
        }
        // Organisers may write one for the communities they work in.
        let communities = try await MeetingStore(db: services.db).communities(for: actor).filter { c in
            actor.grants.contains { $0.role == .communityWorker }
        }
        data["may_create"] = !communities.isEmpty
        data["communities"] = communities.map { ["id": $0.id, "label": $0.name] as [String: Any] }
        var estates: [[String: Any]] = []
        for community in communities.prefix(20) {
            for e in try await services.jurisdiction.estates(of: community.id) {
                estates.append([
                    "id": e.id, "label": community.name + " · " + e.name,
                    "selected": "\(e.id)" == (extra["form_estate"] as? String),
                ])
            }
        }
        data["estates"] = estates
        data["resolutions"] = try await resolutionChoices(
            context, communityID: nil, chosen: extra["form_resolution"] as? String)
        data["kinds"] = ConventionKind.allCases.map {
            [
                "value": $0.rawValue, "label": t("convention_kind_\($0.rawValue)"),
                "selected": $0.rawValue == (extra["form_kind"] as? String),
            ]
                as [String: Any]
        }
        return views.page(
            "deliberation/conventions", context, title: t("conventions_title"), data: data, status: status,
            section: "deliberation")
    }

    /// The resolutions of the actor's communities (of one, when given) a version may name as adopting it.
    func resolutionChoices(
        _ context: AppRequestContext, communityID: Int64?, chosen: String?
    ) async throws -> [[String: Any]] {
        guard let actor = context.actor else { return [] }
        var filter = ResolutionFilter()
        filter.communityID = communityID
        filter.limit = 100
        return try await ResolutionStore(db: services.db).list(filter, for: actor, now: services.clock.now()).map {
            ["id": $0.id, "label": $0.number + " " + String($0.text.prefix(40)), "selected": "\($0.id)" == chosen]
        }
    }

    func conventionPage(
        _ record: ConventionRecord, _ request: Request, _ context: AppRequestContext, template: String,
        extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let c = record.convention
        let lang = context.language
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        let today = CalendarDate(services.clock.now())
        let inForce = c.inForce(on: today)?.number
        var data = extra
        data["convention"] =
            [
                "id": c.id, "title": c.title, "kind": t("convention_kind_\(c.kind.rawValue)"), "version": c.version,
                "community": record.communityName, "estate": record.estateName ?? "",
                "public_href": "/public/conventions/\(c.id)",
                "community_href": ResolutionURL.publicCommunity(c.communityID).path,
            ] as [String: Any]
        data["versions"] = c.versions.reversed().map { v in
            [
                "number": v.number, "title": t("convention_version_n", ["\(v.number)"]),
                "effective_on": v.effectiveOn.text(lang), "in_force": v.number == inForce,
                "resolution": record.resolutionNumbers[v.number] ?? "",
                "filed": v.filedAt != nil, "filed_at": DateText.format(v.filedAt, lang),
                "acknowledged": v.acknowledgedAt != nil, "acknowledged_at": DateText.format(v.acknowledgedAt, lang),
                "may_file": record.capabilities.contains(.file) && v.filedAt == nil,
                "may_acknowledge": record.capabilities.contains(.acknowledge) && v.filedAt != nil
                    && v.acknowledgedAt == nil,
                "text": v.text,
            ] as [String: Any]
        }
        // The difference between two versions: by default the latest against the one before.
        let q = request.uri.queryParameters
        let numbers = c.versions.map(\.number)
        let to = q["to"].flatMap { Int($0) }.flatMap { numbers.contains($0) ? $0 : nil } ?? numbers.last
        let from = q["from"].flatMap { Int($0) }.flatMap { numbers.contains($0) ? $0 : nil } ?? to.map { $0 - 1 }
        if let to, let from, from != to, let a = c.versions.first(where: { $0.number == from }),
            let b = c.versions.first(where: { $0.number == to })
        {
            data["diff_title"] = t("convention_diff_title", ["\(from)", "\(to)"])
            data["diff"] = LineDiff.diff(from: a.text, to: b.text).map { line -> [String: Any] in
                switch line {
                case .same(let text): ["text": text, "same": true]
                case .removed(let text): ["text": text, "removed": true]
                case .added(let text): ["text": text, "added": true]
                }
            }
        }
        data["version_choices"] = numbers.map { n in
            ["value": n, "from": n == from, "to": n == to] as [String: Any]
        }
        data["has_choices"] = numbers.count > 1
        data["may_add"] = record.capabilities.contains(.addVersion)
        if record.capabilities.contains(.addVersion) {
            data["resolutions"] = try await resolutionChoices(
                context, communityID: c.communityID, chosen: extra["form_resolution"] as? String)
        }
        return views.page(
            template, context, title: c.title, data: data, status: status, section: "deliberation")
    }
}
