import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The registry's import page: a houses, people, organisations or facilities file (UTF-8 or GB18030, Chinese or English headers) checked row
/// by row and imported all or nothing, with a report of line, column and reason. The same `RegistryImport` serves
/// `gongzhi import houses|people|organisations|facilities FILE` and `POST /api/v1/registry/import/{kind}` (the file as
/// the body).
struct RegistryImportPages {
    let services: AppServices
    var views: Views { services.views }
    static let path = "/registry/import"
    static let kinds = ["houses", "people", "organisations", "facilities"]
    static func columns(_ kind: String) -> [(field: String, headers: [String])] {
        switch kind {
        case "houses": RegistryColumns.houses
        case "organisations": RegistryColumns.organisations
        case "facilities": RegistryColumns.facilities
        default: RegistryColumns.people
        }
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { _, context in try page(context) }
        pages.post(RouterPath(Self.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context, upload: true)
            let kind = Self.kinds.first { $0 == form["kind"] } ?? "people"
            guard let bytes = form.files["file"] else {
                return try page(
                    context, errors: views.formErrors(.invalid("file_required", field: "file"), context), kind: kind,
                    status: .unprocessableContent)
            }
            let report = try await run(actor, kind: kind, bytes: bytes)
            return try page(
                context, report: report, kind: kind, status: report.problems.isEmpty ? .ok : .unprocessableContent)
        }
        for kind in Self.kinds {
            api.post(RouterPath("/registry/import/\(kind)")) { request, context in
                let actor = try context.requireActor()
                let buffer = try await request.body.collect(upTo: BodyLimits.upload)
                let report = try await run(actor, kind: kind, bytes: Array(buffer.readableBytesView))
                return try EditedResponse(
                    status: report.problems.isEmpty ? .ok : .unprocessableContent, response: report
                )
                .response(from: request, context: context)
            }
        }
    }

    func run(_ actor: Actor, kind: String, bytes: [UInt8]) async throws -> ImportReport {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gongzhi-upload-\(UUID()).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let importer = RegistryImport(db: services.db, clock: services.clock)
        switch kind {
        case "houses": return try await importer.importHouses(actor, file: url)
        case "organisations": return try await importer.importOrganisations(actor, file: url)
        case "facilities": return try await importer.importFacilities(actor, file: url)
        default: return try await importer.importPeople(actor, file: url)
        }
    }

    func page(
        _ context: AppRequestContext, report: ImportReport? = nil, errors: [String: Any] = [:], kind: String = "people",
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let actor = try context.requireActor()
        guard RegistryPolicy.holdsAnywhere(.importRows, actor) else { throw DomainError.forbidden }
        var data = errors
        for k in Self.kinds {
            data["kind_\(k)"] = kind == k
            data["\(k)_columns"] = Self.columns(k).map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")
        }
        if let report {
            if report.problems.isEmpty {
                data["notice"] = views.t("registry_import_done", context, ["\(report.imported)", report.encoding])
            } else {
                data["problems"] = report.problems.map { p in
                    [
                        "line": p.line, "field": p.field.map { fieldLabel($0, kind: kind, context) } ?? "",
                        "message": views.localizer.message(
                            DomainError.invalid(p.key, field: p.field, args: p.args), context.language),
                    ] as [String: Any]
                }
                data["problem_count"] = views.t("import_problems", context, ["\(report.problems.count)"])
            }
        }
        return views.page(
            "registry/import", context, title: views.t("import_title", context), data: data, status: status,
            section: "registry")
    }

    /// A problem's column as the page names it: the form's label where the registry has one, else the column's
    /// Chinese header (or its English name on English pages).
    func fieldLabel(_ field: String, kind: String, _ context: AppRequestContext) -> String {
        let table = views.localizer.tables[context.language] ?? [:]
        let prefix = kind == "organisations" ? "organisation" : kind == "facilities" ? "facility" : "person"
        if let label = table["\(prefix)_field_\(field)"] { return label }
        if context.language == .zh, let header = Self.columns(kind).first(where: { $0.field == field })?.headers.first {
            return header
        }
        return table["person_field_\(field)"] ?? field
    }
}
