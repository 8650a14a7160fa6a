import Foundation
import GongzhiDomain
import SQLKit

extension CaseSetup {
    /// Sets a category's Open311 settings: realtime or batch, the attributes its requests answer, and whether its
    /// cases are public by default.
    public func setServiceSettings(_ actor: Actor, categoryID: Int64, _ settings: ServiceSettings) async throws {
        try settings.validate()
        let now = clock.now()
        let attributes = String(decoding: try JSONEncoder().encode(settings.attributes), as: UTF8.self)
        try await db.transaction { sql in
            guard
                let row = try await sql.raw("SELECT node_id FROM case_categories WHERE id = \(bind: categoryID)")
                    .first()
            else {
                throw DomainError.notFound
            }
            let node = try await loadNode(sql, try row.decode(column: "node_id", as: Int64.self))
            let role = try Authorize.check(actor, .configureCases, at: node.path)
            try await sql.raw(
                """
                UPDATE case_categories SET service_type = \(bind: settings.type.rawValue), attributes = \(bind: attributes),
                  public_by_default = \(bind: settings.publicByDefault ? 1 : 0) WHERE id = \(bind: categoryID)
                """
            ).run()
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: role, at: now,
                AuditRecord(
                    action: "case_category.set_service", objectType: "case_category", objectID: "\(categoryID)",
                    nodeID: node.id,
                    after: AuditJSON.encode(settings)))
        }
    }
}

extension CaseSetupStore {
    /// The Open311 settings of every open category, by category id.
    public static func serviceSettings(_ db: Database) async throws -> [Int64: ServiceSettings] {
        try await db.read { sql in
            var out: [Int64: ServiceSettings] = [:]
            for row in try await sql.raw(
                "SELECT id, service_type, attributes, public_by_default FROM case_categories WHERE closed_at IS NULL"
            ).all() {
                out[try row.decode(column: "id", as: Int64.self)] = try decodeSettings(row)
            }
            return out
        }
    }

    static func decodeSettings(_ row: any SQLRow) throws -> ServiceSettings {
        ServiceSettings(
            type: ServiceType(rawValue: try row.decode(column: "service_type", as: String.self)) ?? .realtime,
            attributes: try JSONDecoder().decode(
                [ServiceAttribute].self, from: Data(try row.decode(column: "attributes", as: String.self).utf8)),
            publicByDefault: try row.decode(column: "public_by_default", as: Int.self) != 0)
    }
}

extension CaseStore {
    /// The token a batch request was answered with.
    public func open311Token(caseID: Int64) async throws -> String? {
        try await db.read { sql in
            try await sql.raw("SELECT token FROM open311_tokens WHERE case_id = \(bind: caseID)").first()?.decode(
                column: "token", as: String.self)
        }
    }

    /// The public case a token stands for; nil for unknown tokens and for private cases alike.
    public func publicCase(token: String) async throws -> Case? {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT c.* FROM open311_tokens t JOIN cases c ON c.id = t.case_id WHERE t.token = \(bind: token) AND c.is_public = 1
                """
            ).first().map { row in
                var c = try CaseRow.decode(row).value
                c.reporterUserID = nil
                return c
            }
        }
    }

    /// The answers a case's request gave to its category's attributes, in the order stored.
    public func attributes(of caseID: Int64) async throws -> [(String, String)] {
        try await db.read { sql in
            try await sql.raw("SELECT code, value FROM case_attributes WHERE case_id = \(bind: caseID) ORDER BY code")
                .all().map {
                    (try $0.decode(column: "code", as: String.self), try $0.decode(column: "value", as: String.self))
                }
        }
    }

    /// The first photo of a public case, without its metadata (location, camera, time): what Open311's
    /// `media_url` points at. Nil for private cases, cases without photos and photos that cannot be cleaned.
    public func publicFirstPhoto(number: String) async throws -> (String, [UInt8])? {
        let found = try await db.read { sql in
            try await sql.raw(
                """
                SELECT p.content_type, p.bytes FROM case_photos p JOIN cases c ON c.id = p.case_id
                WHERE c.number = \(bind: number) AND c.is_public = 1 ORDER BY p.id LIMIT 1
                """
            ).first().map {
                (try $0.decode(column: "content_type", as: String.self), try $0.decode(column: "bytes", as: Data.self))
            }
        }
        guard let (type, data) = found else { return nil }
        let clean = PhotoMetadata.stripped([UInt8](data))
        return clean.isEmpty ? nil : (type, clean)
    }
}
