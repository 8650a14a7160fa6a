import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension CorrectionItem: ResponseEncodable {}

/// Residents' corrections (issue 12 item 9): on `/registry/me` a resident who claimed their record asks for one; the
/// grid worker answers it at `/registry/corrections`, applying it through the person's edit form (the registry's
/// writer) or declining with a reason the resident reads. The page and the API call the same writer.
struct CorrectionPages {
    let services: AppServices
    var views: Views { services.views }
    var corrections: RegistryCorrections {
        RegistryCorrections(db: services.db, clock: services.clock, channels: services.channels.map(\.name))
    }
    var today: CalendarDate { CalendarDate(services.clock.now()) }
    static let path = "/registry/corrections"

    struct AskInput: Decodable, Sendable {
        var field: String?
        var note: String?
    }
    struct DeclineInput: Decodable, Sendable {
        var reason: String?
    }
    struct Items: ResponseEncodable {
        var items: [CorrectionItem]
        var counts: [String: Int]?
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.post(RouterPath(RegistrySelfPages.path + "/corrections")) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(AskInput.self)
                try await corrections.ask(
                    actor, try CorrectionRequest(field: input.field ?? "", note: input.note ?? ""))
                return Response.redirect(to: RegistrySelfPages.path + "#corrections")
            } catch let error as DomainError where error.kind == .invalid {
                var errors = views.formErrors(error, context)
                errors["correction_form"] = ["field": form["field"], "note": form["note"]]
                return try await RegistrySelfPages(services: services).page(
                    context, errors: errors, status: .unprocessableContent)
            }
        }
        pages.get(RouterPath(Self.path)) { request, context in
            let raw = request.uri.queryParameters["status"].map(String.init) ?? ""
            return try await list(context, status: CorrectionStatus(rawValue: raw) ?? .pending)
        }
        pages.get(RouterPath(Self.path + "/:id/apply")) { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let item = try await corrections.request(id, for: actor)
            let record = try await RegistryStore(db: services.db).person(
                item.personID, for: actor, today: today, clock: services.clock)
            guard record.capabilities.contains(.edit) else { throw DomainError.forbidden }
            return try await RegistryPages(services: services).formPage(
                context, form: record.form, personID: item.personID, version: record.version,
                errors: ["correction_note": item.note], action: Self.path + "/\(id)/apply")
        }
        pages.post(RouterPath(Self.path + "/:id/apply")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let item = try await corrections.request(id, for: actor)
            let form = try await Form.read(request, context)
            let pages = RegistryPages(services: services)
            let input = (try? form.decode(PersonForm.self)) ?? PersonForm()
            do {
                let draft = try pages.personForm(form).draft(today: today)
                try await corrections.answer(
                    actor, request: id, .apply(draft), expectedVersion: form.int("version").map(Int.init))
                return Response.redirect(to: Self.path)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                var errors = views.formErrors(error, context)
                errors["correction_note"] = item.note
                return try await pages.formPage(
                    context, form: input, personID: item.personID, version: form.int("version").map(Int.init),
                    errors: errors, status: .unprocessableContent, action: Self.path + "/\(id)/apply")
            }
        }
        pages.post(RouterPath(Self.path + "/:id/decline")) { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await corrections.request(id, for: actor)
            let form = try await Form.read(request, context)
            do {
                try await corrections.answer(actor, request: id, try .decline(rawReason: form["reason"]))
                return Response.redirect(to: Self.path)
            } catch let error as DomainError where error.kind == .invalid {
                var errors = views.formErrors(error, context)
                errors["failed_id"] = id
                return try await list(context, status: .pending, errors: errors, status: .unprocessableContent)
            }
        }
        api.get("/me/record/corrections") { _, context in
            Items(items: try await corrections.mine(for: try context.requireActor()))
        }
        api.post("/me/record/corrections") { request, context in
            let input = try await request.decodeInput(AskInput.self, context: context)
            let actor = try context.requireActor()
            try await corrections.ask(actor, try CorrectionRequest(field: input.field ?? "", note: input.note ?? ""))
            return EditedResponse(status: .created, response: Items(items: try await corrections.mine(for: actor)))
        }
        api.get("/registry/corrections") { request, context in
            let raw = request.uri.queryParameters["status"].map(String.init) ?? ""
            let (items, counts) = try await corrections.list(
                status: CorrectionStatus(rawValue: raw) ?? .pending, for: try context.requireActor())
            return Items(items: items, counts: counts)
        }
        api.post("/registry/corrections/:id/apply") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await corrections.request(id, for: actor)
            let input = try await request.decodeInput(PersonForm.self, context: context)
            try await corrections.answer(
                actor, request: id, .apply(try input.draft(today: today)), expectedVersion: request.ifMatchVersion)
            return Response(status: .noContent)
        }
        api.post("/registry/corrections/:id/decline") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await corrections.request(id, for: actor)
            let input = try await request.decodeInput(DeclineInput.self, context: context)
            try await corrections.answer(actor, request: id, try .decline(rawReason: input.reason ?? ""))
            return Response(status: .noContent)
        }
    }

    /// The resident's part of `/registry/me`: the form and their requests with the answers.
    func resident(_ actor: Actor, form: [String: String], _ context: AppRequestContext) async throws -> [String: Any] {
        let w = { (key: String) in views.t(key, context) }
        let mine = try await corrections.mine(for: actor)
        return [
            "fields": CorrectionField.allCases.map {
                [
                    "value": $0.rawValue, "label": w("correction_field_\($0.rawValue)"),
                    "selected": $0.rawValue == form["field"],
                ] as [String: Any]
            },
            "note": form["note"] ?? "", "action": RegistrySelfPages.path + "/corrections",
            "items": mine.map { item -> [String: Any] in
                [
                    "field": w("correction_field_\(item.field.rawValue)"), "note": item.note,
                    "status": w("correction_status_\(item.status.rawValue)"),
                    "declined": item.status == .declined, "reason": item.reason ?? "",
                    "at": DateText.format(item.askedAt, context.language),
                ]
            },
            "has_items": !mine.isEmpty,
        ]
    }

    func list(
        _ context: AppRequestContext, status: CorrectionStatus, errors: [String: Any] = [:],
        status code: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let w = { (key: String) in views.t(key, context) }
        let (items, counts) = try await corrections.list(status: status, for: actor)
        let failed = errors["failed_id"] as? Int64
        var data = errors
        data["tabs"] = CorrectionStatus.allCases.map { s -> [String: Any] in
            [
                "href": "\(Self.path)?status=\(s.rawValue)", "label": w("correction_status_\(s.rawValue)"),
                "count": counts[s.rawValue] ?? 0, "current": s == status,
            ]
        }
        data["items"] = items.map { item -> [String: Any] in
            [
                "person": item.person, "href": RegistryURL.person(item.personID).path, "building": item.building ?? "",
                "field": w("correction_field_\(item.field.rawValue)"), "note": item.note,
                "at": DateText.format(item.askedAt, context.language), "reason": item.reason ?? "",
                "has_reason": item.reason != nil, "pending": item.status == .pending,
                "apply_href": "\(Self.path)/\(item.id)/apply", "decline_action": "\(Self.path)/\(item.id)/decline",
                "failed": failed == item.id, "id": item.id,
            ]
        }
        data["has_items"] = !items.isEmpty
        return views.page(
            "registry/corrections", context, title: w("correction_title"), data: data, status: code,
            section: "corrections")
    }
}
