import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// A resident's own record (`/registry/me`): claimed once with their ID number and phone, then shown in full to
/// them with their household, and every full view of it by staff — who, in which role, when, what and why.
struct RegistrySelfPages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    static let path = "/registry/me"

    /// The claim's input, from the form or JSON.
    struct BindInput: Decodable, Sendable {
        var idNumber: String?
        var phone: String?
        enum CodingKeys: String, CodingKey {
            case idNumber = "id_number"
            case phone
        }
    }

    struct Answer: ResponseEncodable {
        var record: OwnRecord?
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { _, context in try await page(context) }
        pages.post(RouterPath(Self.path + "/bind")) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            let input = (try? form.decode(BindInput.self)) ?? BindInput()
            do {
                try await store.bindOwnRecord(
                    actor, idNumber: input.idNumber ?? "", phone: input.phone ?? "",
                    homeNodeID: context.user?.homeNodeID, clock: services.clock)
                return Response.redirect(to: Self.path)
            } catch let error as DomainError
                where error.kind == .invalid || error.kind == .conflict || error.kind == .tooManyAttempts
            {
                return try await page(context, errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        api.get("/me/record") { _, context in Answer(record: try await store.ownRecord(for: try context.requireActor()))
        }
        api.post("/me/record/bind") { request, context in
            let input = try await request.decodeInput(BindInput.self, context: context)
            let actor = try context.requireActor()
            try await store.bindOwnRecord(
                actor, idNumber: input.idNumber ?? "", phone: input.phone ?? "", homeNodeID: context.user?.homeNodeID,
                clock: services.clock)
            return Answer(record: try await store.ownRecord(for: actor))
        }
    }

    func page(
        _ context: AppRequestContext, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let record = try await store.ownRecord(for: actor)
        let w = { (key: String) in views.t(key, context) }
        var data = errors
        if let r = record {
            data["record"] =
                [
                    "name": r.name, "document_kind": w("document_kind_\(r.documentKind.rawValue)"),
                    "document": r.documentNumber, "phone": r.phone ?? "—", "sex": w("sex_\(r.sex.rawValue)"),
                    "birth_date": r.birthDate.description,
                    "place": [r.building, r.room].compactMap { $0 }.joined(separator: " "),
                    "residence": w("residence_status_\(r.residence.rawValue)"),
                    "permit": r.residencePermit.map { "\($0.start) – \($0.end)" } ?? "",
                    "household": r.householdNumber ?? "",
                    "relation": r.relation.map { w("relation_\($0.rawValue)") } ?? "",
                    "members": r.household.map {
                        ["name": $0.name, "relation": $0.relation.map { w("relation_\($0.rawValue)") } ?? ""]
                    },
                    "tags": r.tags.map { w("person_tag_\($0.rawValue)") },
                    "views": r.views.map {
                        [
                            "at": DateText.format($0.at, context.language), "viewer": $0.viewer,
                            "role": $0.role.map { w("role_\($0.rawValue)") } ?? "",
                            "field": w("record_view_field_\($0.field)"), "reason": $0.reason,
                        ]
                    },
                    "has_views": !r.views.isEmpty,
                ] as [String: Any]
        }
        data["bound"] = record != nil
        if record != nil {
            // Corrections the resident asked for, and the form to ask (CorrectionPages).
            data["corrections"] = try await CorrectionPages(services: services).resident(
                actor, form: errors["correction_form"] as? [String: String] ?? [:], context)
        }
        return views.page(
            "registry/me", context, title: views.t("record_title", context), data: data, status: status,
            section: "my_record")
    }
}
