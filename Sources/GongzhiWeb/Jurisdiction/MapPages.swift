import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Maps and grid boundaries: the server-drawn map of an area (an image the map picker taps), the boundaries'
/// GeoJSON import and export on the tree page, and the same in the API. Every write goes through
/// `JurisdictionCommands` (`setBoundary`, `clearBoundary`, `importBoundaries`).
struct MapPages {
    let services: AppServices
    var views: Views { services.views }
    var store: JurisdictionStore { services.jurisdiction }
    var commands: JurisdictionCommands { services.jurisdictionCommands }

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/nodes/:id/map.svg") { request, context in try await mapImage(request, context) }
        router.get("/nodes/:id/boundaries.geojson") { _, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            return Self.geoJSON(
                try await commands.exportBoundaries(actor, rootID: id), filename: "boundaries-\(id).geojson")
        }
        router.post("/nodes/:id/boundaries") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            // The file is read only for a node the caller may see: others get 404, as for a missing id.
            _ = try await store.visible(id, to: actor)
            let form = try await Form.read(request, context, upload: true)
            let text = form.files["file"].map { String(decoding: $0, as: UTF8.self) } ?? form["geojson"]
            do {
                let count = try await commands.importBoundaries(actor, geoJSON: text)
                return try await TreePages(services: services).nodePage(
                    request, context, extra: ["notice": views.t("boundary_import_done", context, ["\(count)"])])
            } catch let error as BoundaryImportError {
                var extra: [String: Any] = [:]
                let lines = error.problems.map { p in
                    [
                        "feature": p.feature, "ref": p.ref,
                        "message": views.localizer.message(p.error, context.language),
                    ] as [String: Any]
                }
                extra["boundary_problems"] = lines
                extra["errors"] = [
                    [
                        "field": "geojson", "hasField": true,
                        "message": views.t("boundary_import_rejected", context, ["\(lines.count)"]),
                    ] as [String: Any]
                ]
                return try await TreePages(services: services).nodePage(
                    request, context, extra: extra, status: .unprocessableContent)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await TreePages(services: services).nodePage(
                    request, context, extra: views.formErrors(error, context), status: .unprocessableContent)
            }
        }

        api.get("/nodes/:id/boundary") { _, context in
            let (node, boundary) = try await store.boundary(
                of: try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = Self.geoJSON(try await feature(node, boundary))
            response.headers[.eTag] = node.etag
            return response
        }
        api.put("/nodes/:id/boundary") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            // Ids outside the caller's reach answer 404 before the body is read, whatever it holds.
            _ = try await store.visible(id, to: actor)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let text = String(buffer: body)
            guard let json = JSONValue.parse(text) else {
                throw DomainError.invalid("boundary_not_json", field: "geojson")
            }
            // A Feature or a bare geometry; a null geometry clears the boundary.
            let geometry = json["type"] == .string("Feature") ? (json["geometry"] ?? .null) : json
            let command: JurisdictionCommand =
                geometry == .null ? .clearBoundary : .setBoundary(try Boundary.parse(geometry: geometry))
            let outcome = try await commands.perform(actor, id, command, expectedVersion: request.ifMatchVersion)
            let (node, boundary) = try await store.boundary(of: id, for: actor)
            var response = Self.geoJSON(try await feature(node, boundary))
            response.headers[.eTag] = outcome.node.etag
            return response
        }
        api.get("/boundaries.geojson") { request, context in
            let actor = try context.requireActor()
            let inside = request.uri.queryParameters["inside"].flatMap { Int64($0) }
            guard let root = inside ?? actor.grants.min(by: { $0.nodePath.count < $1.nodePath.count })?.nodeID else {
                throw DomainError.notFound
            }
            return Self.geoJSON(try await commands.exportBoundaries(actor, rootID: root))
        }
    }

    /// One grid as a GeoJSON Feature with its id, code, name and path.
    func feature(_ node: Node, _ boundary: Boundary?) async throws -> String {
        let path = try await store.pathLabels([node])[node.id] ?? node.name
        let properties =
            #"{"id":\#(node.id),"code":\#(BoundaryCollection.quoted(node.code)),"name":\#(BoundaryCollection.quoted(node.name)),"path":\#(BoundaryCollection.quoted(path))}"#
        return
            #"{"type":"Feature","id":\#(node.id),"properties":\#(properties),"geometry":\#(boundary?.geoJSON ?? "null")}"#
    }

    static func geoJSON(_ text: String, filename: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/geo+json; charset=utf-8"]
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The area of a node drawn as SVG, for anyone who may see the node. With `view` (what the picker wrote into
    /// its form) the drawing uses exactly that projection, so a tap decodes against what was drawn; `mark` adds the
    /// chosen point.
    func mapImage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let node = try await store.visible(try context.parameters.require("id", as: Int64.self), to: actor)
        let q = request.uri.queryParameters
        let area = try await store.mapArea(of: node)
        var marks: [GeoPoint] = []
        if let mark = q["mark"] {
            let parts = mark.split(separator: ",").compactMap { Double($0) }
            if parts.count == 2, GeoPoint(lat: parts[0], lng: parts[1]).isValid {
                marks.append(GeoPoint(lat: parts[0], lng: parts[1]))
            }
        }
        let projection =
            q["view"].flatMap { MapPick.projection(from: String($0)) }
            ?? MapDrawing.projection(for: area)
            ?? MapProjection(
                bounds: GeoBounds(minLat: 22.5, maxLat: 22.51, minLng: 113.9, maxLng: 113.91), width: 340, height: 220)
        let picture = MapDrawing.picture(
            area, projection, marks: marks, highlight: node.kind == .grid ? node.id : nil, label: area.node.name)
        let svg = views.fragment("partials/map_svg", context, data: ["map_figure": picture, "standalone": true])
        return Response(
            status: .ok,
            headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: svg)))
    }
}

/// Debian's Leaflet (`libjs-leaflet`), served when installed so pages with maps can use it with a configured tile
/// service; 404 otherwise.
struct LeafletAssets {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/assets/leaflet/:file") { _, context in
            let file = try context.parameters.require("file")
            let types = ["leaflet.js": "text/javascript; charset=utf-8", "leaflet.css": "text/css; charset=utf-8"]
            guard let type = types[file], let dir = services.config.leafletDirectory,
                let data = FileManager.default.contents(atPath: dir + "/" + file)
            else { throw DomainError.notFound }
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
