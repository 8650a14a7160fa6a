import Foundation
import GongzhiDomain
import SQLKit

public struct CasePhoto: Codable, Equatable, Sendable {
    public var id: Int64
    public var caseID: Int64
    public var contentType: String
    public var size: Int
}

extension CaseStore {
    static func photos(_ sql: any SQLDatabase, of caseID: Int64) async throws -> [CasePhoto] {
        try await sql.raw(
            "SELECT id, case_id, content_type, size FROM case_photos WHERE case_id = \(bind: caseID) ORDER BY id"
        ).all().map { row in
            CasePhoto(
                id: try row.decode(column: "id", as: Int64.self),
                caseID: try row.decode(column: "case_id", as: Int64.self),
                contentType: try row.decode(column: "content_type", as: String.self),
                size: try row.decode(column: "size", as: Int.self))
        }
    }

    /// The photos of a case, for those who may see it.
    public func photos(of caseID: Int64, for actor: Actor, now: Date) async throws -> [CasePhoto] {
        try await requireVisible(caseID, to: actor, now: now)
        return try await db.read { sql in try await Self.photos(sql, of: caseID) }
    }

    /// A photo's bytes, for those who may see its case.
    public func photoBytes(_ photoID: Int64, caseID: Int64, for actor: Actor, now: Date) async throws -> (String, Data)
    {
        try await requireVisible(caseID, to: actor, now: now)
        return try await db.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT content_type, bytes FROM case_photos WHERE id = \(bind: photoID) AND case_id = \(bind: caseID)"
                ).first()
            else { throw DomainError.notFound }
            return (
                try row.decode(column: "content_type", as: String.self), try row.decode(column: "bytes", as: Data.self)
            )
        }
    }
}
