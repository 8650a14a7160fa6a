import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension Node: ResponseEncodable {}
extension Body: ResponseEncodable {}
extension DutyItem: ResponseEncodable {}
extension RoleGrant: ResponseEncodable {}
extension APIToken: ResponseEncodable {}
extension User: ResponseEncodable {}

struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var nextCursor: String?
}

struct Me: ResponseEncodable { var user: User?; var userID: Int64; var username: String; var grants: [RoleGrant] }
struct BodyDetail: ResponseEncodable {
    var body: Body; var duties: [Duty]
    struct Duty: Codable, Sendable { var item: DutyItem; var minors: [DutyItem] }
}
struct CreatedToken: ResponseEncodable { var token: APIToken; var secret: String }
struct UserWithRoles: Codable, Sendable { var user: User; var grants: [RoleGrant] }

/// The API's own document: the OpenAPI description of every route under /api/v1.
struct APIRoutes {
    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/openapi.json") { _, _ in
            let data = try Data(contentsOf: Resources.root.appendingPathComponent("openapi.json"))
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

extension AppRequestContext {
    /// API bodies use camelCase keys; a string holding a NUL character is refused.
    public var requestDecoder: CheckedJSONDecoder { CheckedJSONDecoder() }
}
