import Foundation
import GongzhiDomain
import SQLKit

public struct CasePhoto: Codable, Equatable, Sendable {
    public var id: Int64
    public var caseID: Int64
    public var contentType: String
    public var size: Int
}

extension CaseCommands {
    /// Attaches a photo: by the reporter while the case is open, or by staff of its area or its unit.
    public func addPhoto(_ actor: Actor, caseID: Int64, bytes: [UInt8]) async throws -> CasePhoto {
        let type = try PhotoRules.contentType(of: bytes)
        let now = clock.now()
        return try await db.transaction { sql in
            guard let (current, path) = try await CaseStore.find(sql, caseID) else { throw DomainError.notFound }
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CaseAccess.canRead(actor, current, path: path, units: units) else { throw DomainError.outsideJurisdiction }
            guard current.status.isOpen else { throw DomainError(.conflict, "case_step_out_of_order", args: ["photo", current.status.rawValue]) }
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM case_photos WHERE case_id = \(bind: caseID)").first()!.decode(column: "n", as: Int.self)
            guard count < PhotoRules.maxPerCase else { throw DomainError.invalid("photo_too_many", field: "photo", args: ["\(PhotoRules.maxPerCase)"]) }
            let id = try await sql.raw("""
                INSERT INTO case_photos (case_id, community_id, content_type, bytes, size, uploaded_by, created_at)
                VALUES (\(bind: caseID), \(bind: current.communityID), \(bind: type), \(bind: Data(bytes)), \(bind: bytes.count),
                  \(bind: actor.userID == 0 ? nil : actor.userID), \(bind: now.epochMillis)) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            try await Self.event(sql, current, at: now, actor: actor, action: "photo", from: current.status, note: "")
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.photo", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, after: "\(id)"))
            return CasePhoto(id: id, caseID: caseID, contentType: type, size: bytes.count)
        }
    }
}

extension CaseStore {
    public func photos(of caseID: Int64) async throws -> [CasePhoto] {
        try await db.read { sql in
            try await sql.raw("SELECT id, case_id, content_type, size FROM case_photos WHERE case_id = \(bind: caseID) ORDER BY id").all().map { row in
                CasePhoto(id: try row.decode(column: "id", as: Int64.self), caseID: try row.decode(column: "case_id", as: Int64.self),
                          contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int.self))
            }
        }
    }

    public func photoBytes(_ photoID: Int64, caseID: Int64) async throws -> (String, Data)? {
        try await db.read { sql in
            guard let row = try await sql.raw("SELECT content_type, bytes FROM case_photos WHERE id = \(bind: photoID) AND case_id = \(bind: caseID)").first()
            else { return nil }
            return (try row.decode(column: "content_type", as: String.self), try row.decode(column: "bytes", as: Data.self))
        }
    }
}
