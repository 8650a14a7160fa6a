import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The registry's import page: a houses or people file (UTF-8 or GB18030, Chinese or English headers) checked row
/// by row and imported all or nothing, with a report of line, column and reason. The same `RegistryImport` serves
/// `gongzhi import houses|people FILE` and `POST /api/v1/registry/import/{houses|people}` (the file as the body).
struct RegistryImportPages {
    let services: AppServices
    var views: Views { services.views }
    static let path = "/registry/import"

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { _, context in try page(context) }
        pages.post(RouterPath(Self.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context, upload: true)
            let kind = form["kind"] == "houses" ? "houses" : "people"
            guard let bytes = form.files["file"] else {
                return try page(
                    context, errors: views.formErrors(.invalid("file_required", field: "file"), context), kind: kind,
                    status: .unprocessableContent)
            }
            let report = try await run(actor, kind: kind, bytes: bytes)
            return try page(
                context, report: report, kind: kind, status: report.problems.isEmpty ? .ok : .unprocessableContent)
        }
        for kind in ["houses", "people"] {
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
        return kind == "houses"
            ? try await importer.importHouses(actor, file: url) : try await importer.importPeople(actor, file: url)
    }

    func page(
        _ context: AppRequestContext, report: ImportReport? = nil, errors: [String: Any] = [:], kind: String = "people",
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let actor = try context.requireActor()
        guard RegistryPolicy.holdsAnywhere(.importRows, actor) else { throw DomainError.forbidden }
        var data = errors
        data["kind_people"] = kind == "people"
        data["kind_houses"] = kind == "houses"
        data["people_columns"] = RegistryColumns.people.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")
        data["houses_columns"] = RegistryColumns.houses.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")
        if let report {
            if report.problems.isEmpty {
                data["notice"] = views.t("registry_import_done", context, ["\(report.imported)", report.encoding])
            } else {
                data["problems"] = report.problems.map { p in
                    [
                        "line": p.line, "field": p.field.map { views.t("person_field_\($0)", context) } ?? "",
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
}
