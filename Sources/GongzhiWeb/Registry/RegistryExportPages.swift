import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension RegistryExport: ResponseEncodable {}

/// Exports of registry lists (`/registry/exports`): asked for from a filtered list with a reason, approved or
/// refused by a second person, downloaded once by the one who asked. The API has the same steps under
/// `/api/v1/registry/exports`.
struct RegistryExportPages {
    let services: AppServices
    var views: Views { services.views }
    var exports: RegistryExports { RegistryExports(db: services.db, clock: services.clock) }
    static let path = "/registry/exports"

    struct RequestInput: Decodable, Sendable {
        var community: LooseInt?
        var reason: String?
        var q: String?
        var tag: String?
        var residence: String?
        var building: String?
        var movedOut: String?
        enum CodingKeys: String, CodingKey {
            case community, reason, q, tag, residence, building
            case movedOut = "moved_out"
        }
        func filter() throws -> PersonFilter {
            var params: [String: String] = [:]
            params["q"] = q
            params["tag"] = tag
            params["residence"] = residence
            params["building"] = building
            params["moved_out"] = movedOut
            return try PersonQuery(params).filter(limit: 200)
        }
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get(RouterPath(Self.path)) { _, context in try await page(context) }
        pages.post(RouterPath(Self.path)) { request, context in
            let actor = try context.requireActor()
            let form = try await Form.read(request, context)
            do {
                let input = try form.decode(RequestInput.self)
                guard let community = input.community?.value else {
                    throw DomainError.invalid("export_community_required", field: "community")
                }
                try await exports.request(
                    actor, communityID: community, filter: try input.filter(), reason: input.reason ?? "")
                return Response.redirect(to: Self.path)
            } catch let error as DomainError where error.kind == .invalid {
                return try await page(context, errors: views.formErrors(error, context), status: .unprocessableContent)
            }
        }
        for (step, approve) in [("approve", true), ("refuse", false)] {
            pages.post(RouterPath(Self.path + "/:id/\(step)")) { request, context in
                _ = try await Form.read(request, context)
                try await exports.decide(
                    try context.requireActor(), try context.parameters.require("id", as: Int64.self), approve: approve)
                return Response.redirect(to: Self.path)
            }
            api.post(RouterPath("/registry/exports/:id/\(step)")) { _, context in
                try await exports.decide(
                    try context.requireActor(), try context.parameters.require("id", as: Int64.self), approve: approve)
            }
        }
        pages.get(RouterPath(Self.path + "/:id/file")) { request, context in try await file(request, context) }
        api.get(RouterPath("/registry/exports/:id/file")) { request, context in try await file(request, context) }
        api.get("/registry/exports") { _, context in
            Page(items: try await exports.list(for: try context.requireActor()), nextCursor: nil)
        }
        api.post("/registry/exports") { request, context in
            let input = try await request.decodeInput(RequestInput.self, context: context)
            guard let community = input.community?.value else {
                throw DomainError.invalid("export_community_required", field: "community")
            }
            let export = try await exports.request(
                try context.requireActor(), communityID: community, filter: try input.filter(),
                reason: input.reason ?? "")
            return EditedResponse(status: .created, response: export)
        }
    }

    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let file = try await exports.download(try context.requireActor(), id)
        if request.uri.queryParameters["format"] == "xlsx" {
            return Response(
                status: .ok,
                headers: [
                    .contentType: XLSXWriter.contentType,
                    .contentDisposition: "attachment; filename=\"registry-export-\(id).xlsx\"",
                    .cacheControl: "no-store",
                ], body: .init(byteBuffer: ByteBuffer(bytes: try file.workbook())))
        }
        return CSVEncoding(query: request.uri.queryParameters["encoding"]).response(
            file.csv, filename: "registry-export-\(id).csv")
    }

    func page(
        _ context: AppRequestContext, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let list = try await exports.list(for: actor)
        let w = { (key: String) in views.t(key, context) }
        var data = errors
        data["exports"] = list.map { e in
            [
                "id": e.id, "community": e.community, "requester": e.requester, "reason": e.reason,
                "status": w("export_status_\(e.status.rawValue)"), "decider": e.decider ?? "",
                "rows": e.rowCount.map(String.init) ?? "", "at": DateText.format(e.createdAt, context.language),
                "filter": [
                    e.filter.query, e.filter.tag.map { w("person_tag_\($0.rawValue)") } ?? "",
                    e.filter.residence.map { w("residence_status_\($0.rawValue)") } ?? "",
                ].filter { !$0.isEmpty }.joined(separator: " · "),
                "may_decide": e.mayDecide, "may_download": e.mayDownload,
                "approve_href": "\(Self.path)/\(e.id)/approve", "refuse_href": "\(Self.path)/\(e.id)/refuse",
                "file_href": "\(Self.path)/\(e.id)/file", "file_gb_href": "\(Self.path)/\(e.id)/file?encoding=gb18030",
                "file_xlsx_href": "\(Self.path)/\(e.id)/file?format=xlsx",
            ] as [String: Any]
        }
        data["has_exports"] = !list.isEmpty
        return views.page(
            "registry/exports", context, title: views.t("export_title", context), data: data, status: status,
            section: "registry")
    }
}
