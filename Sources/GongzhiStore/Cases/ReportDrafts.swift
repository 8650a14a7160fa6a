import Foundation
import GongzhiDomain
import SQLKit

/// A resident's report on its question pages: one draft per resident, its answers checked as they come, filed as a
/// case through `CaseCommands.submit` and removed in the same transaction.
public struct ReportDrafts: Sendable {
    public let db: Database
    public let clock: Clock
    public let commands: CaseCommands

    public init(db: Database, clock: Clock, commands: CaseCommands) {
        self.db = db
        self.clock = clock
        self.commands = commands
    }

    /// The caller's draft, if they started one.
    public func draft(for actor: Actor) async throws -> ReportDraft? {
        guard let user = actor.storedUserID else { return nil }
        return try await db.read { sql in try await Self.load(sql, user: user) }
    }

    /// Applies one answer, starting the draft on the first. A resident reports in the community they live in, so a
    /// draft needs an account with a home; the place must be an open node of that community.
    @discardableResult
    public func answer(_ actor: Actor, _ answer: ReportAnswer, expectedVersion: Int? = nil) async throws -> ReportDraft
    {
        guard let user = actor.storedUserID, actor.principal == .user else { throw DomainError.forbidden }
        return try await db.command(actor, clock: clock) { tx in
            let sql = tx.sql
            var draft: ReportDraft
            if let existing = try await Self.load(sql, user: user) {
                if let expectedVersion, expectedVersion != existing.version {
                    throw DomainError(.conflict, "report_changed_meanwhile")
                }
                draft = existing
            } else {
                guard let community = try await AccountStore.user(sql, user)?.communityID else {
                    throw DomainError.invalid("report_needs_home", field: "place")
                }
                draft = ReportDraft(
                    userID: user, communityID: community, idempotencyKey: Secrets.token(prefix: "r_"))
                try await Self.insert(sql, draft, now: tx.now)
            }
            var next = try answer.applied(to: draft)
            switch answer {
            case .kind(let category?):
                guard
                    try await sql.raw(
                        "SELECT id FROM case_categories WHERE id = \(bind: category) AND closed_at IS NULL"
                    ).first() != nil
                else {
                    throw DomainError.invalid("category_unknown", field: "category")
                }
            case .place(let nodeID, _, _):
                guard let node = try await JurisdictionStore.node(sql, nodeID), node.isOpen,
                    node.communityID == draft.communityID
                else { throw DomainError.invalid("case_place_outside", field: "place") }
            case .addPhoto(let bytes):
                let type = try PhotoRules.contentType(of: bytes)
                let id = try await sql.raw(
                    """
                    INSERT INTO report_draft_photos (draft_id, community_id, content_type, size, bytes, created_at)
                    VALUES ((SELECT id FROM report_drafts WHERE user_id = \(bind: user)), \(bind: draft.communityID),
                      \(bind: type), \(bind: bytes.count), \(bind: Data(bytes)), \(bind: tx.now.epochMillis)) RETURNING id
                    """
                ).first().map { try $0.decode(column: "id", as: Int64.self) }
                next.photos.append(DraftPhoto(id: id ?? 0, contentType: type, size: bytes.count))
            case .removePhoto(let id):
                try await sql.raw(
                    """
                    DELETE FROM report_draft_photos WHERE id = \(bind: id)
                      AND draft_id = (SELECT id FROM report_drafts WHERE user_id = \(bind: user))
                    """
                ).run()
            default: break
            }
            try await Self.save(sql, next, now: tx.now)
            try await tx.audit(
                AuditRecord(
                    action: "report.\(answer.name)", objectType: "report_draft", objectID: "\(user)",
                    communityID: draft.communityID, nodeID: next.nodeID),
                role: .resident)
            return next
        }
    }

    /// A photo of the caller's own draft.
    public func photoBytes(_ photoID: Int64, for actor: Actor) async throws -> (String, Data) {
        guard let user = actor.storedUserID else { throw DomainError.notFound }
        return try await db.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT p.content_type, p.bytes FROM report_draft_photos p JOIN report_drafts d ON d.id = p.draft_id
                    WHERE p.id = \(bind: photoID) AND d.user_id = \(bind: user)
                    """
                ).first()
            else { throw DomainError.notFound }
            return (
                try row.decode(column: "content_type", as: String.self), try row.decode(column: "bytes", as: Data.self)
            )
        }
    }

    /// Files the draft as the resident's case (an appeal on the web channel) and removes it in the same transaction;
    /// sending twice answers with the same case.
    public func submit(_ actor: Actor) async throws -> Case {
        guard let user = actor.storedUserID else { throw DomainError.forbidden }
        let loaded = try await db.read { sql -> (ReportDraft, [[UInt8]])? in
            guard let draft = try await Self.load(sql, user: user) else { return nil }
            let photos = try await sql.raw(
                """
                SELECT p.bytes FROM report_draft_photos p JOIN report_drafts d ON d.id = p.draft_id
                WHERE d.user_id = \(bind: user) ORDER BY p.id
                """
            ).all().map { [UInt8](try $0.decode(column: "bytes", as: Data.self)) }
            return (draft, photos)
        }
        guard let (draft, photos) = loaded else { throw DomainError.invalid("report_nothing_to_send") }
        if let missing = ReportQuestion.allCases.first(where: { $0 != .check && !$0.isAnswered(in: draft) }) {
            throw DomainError.invalid("report_question_unanswered", field: missing.rawValue)
        }
        var submission = CaseSubmission(
            kind: .appeal, channel: .web, title: draft.title, description: draft.description,
            categoryID: draft.categoryID, nodeID: draft.nodeID ?? 0, isPublic: draft.isPublic ?? false,
            latitude: draft.latitude, longitude: draft.longitude)
        submission.photos = photos
        return try await commands.submit(actor, submission, idempotencyKey: draft.idempotencyKey) { tx, _ in
            try await Self.remove(tx.sql, user: user)
        }
    }

    /// Throws the draft away.
    public func discard(_ actor: Actor) async throws {
        guard let user = actor.storedUserID else { throw DomainError.forbidden }
        try await db.command(actor, clock: clock) { tx in
            guard let draft = try await Self.load(tx.sql, user: user) else { return }
            try await Self.remove(tx.sql, user: user)
            try await tx.audit(
                AuditRecord(
                    action: "report.discard", objectType: "report_draft", objectID: "\(user)",
                    communityID: draft.communityID),
                role: .resident)
        }
    }

    static func remove(_ sql: any SQLDatabase, user: Int64) async throws {
        try await sql.raw(
            "DELETE FROM report_draft_photos WHERE draft_id IN (SELECT id FROM report_drafts WHERE user_id = \(bind: user))"
        ).run()
        try await sql.raw("DELETE FROM report_drafts WHERE user_id = \(bind: user)").run()
    }

    static func load(_ sql: any SQLDatabase, user: Int64) async throws -> ReportDraft? {
        guard let row = try await sql.raw("SELECT * FROM report_drafts WHERE user_id = \(bind: user)").first() else {
            return nil
        }
        var draft = ReportDraft(
            userID: user, communityID: try row.decode(column: "community_id", as: Int64.self),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String.self))
        draft.kindAnswered = try row.decode(column: "kind_answered", as: Int.self) != 0
        draft.categoryID = try row.decode(column: "category_id", as: Int64?.self)
        draft.nodeID = try row.decode(column: "node_id", as: Int64?.self)
        draft.latitude = try row.decode(column: "latitude", as: Double?.self)
        draft.longitude = try row.decode(column: "longitude", as: Double?.self)
        draft.title = try row.decode(column: "title", as: String.self)
        draft.description = try row.decode(column: "description", as: String.self)
        draft.isPublic = try row.decode(column: "is_public", as: Int?.self).map { $0 != 0 }
        draft.version = try row.decode(column: "version", as: Int.self)
        let draftID = try row.decode(column: "id", as: Int64.self)
        draft.photos = try await sql.raw(
            "SELECT id, content_type, size FROM report_draft_photos WHERE draft_id = \(bind: draftID) ORDER BY id"
        ).all().map { p in
            DraftPhoto(
                id: try p.decode(column: "id", as: Int64.self),
                contentType: try p.decode(column: "content_type", as: String.self),
                size: try p.decode(column: "size", as: Int.self))
        }
        return draft
    }

    static func insert(_ sql: any SQLDatabase, _ d: ReportDraft, now: Date) async throws {
        try await sql.raw(
            """
            INSERT INTO report_drafts (user_id, community_id, idempotency_key, created_at, updated_at)
            VALUES (\(bind: d.userID), \(bind: d.communityID), \(bind: d.idempotencyKey), \(bind: now.epochMillis),
              \(bind: now.epochMillis))
            """
        ).run()
    }

    static func save(_ sql: any SQLDatabase, _ d: ReportDraft, now: Date) async throws {
        try await sql.raw(
            """
            UPDATE report_drafts SET kind_answered = \(bind: d.kindAnswered ? 1 : 0), category_id = \(bind: d.categoryID),
              node_id = \(bind: d.nodeID), latitude = \(bind: d.latitude), longitude = \(bind: d.longitude),
              title = \(bind: d.title), description = \(bind: d.description), is_public = \(bind: d.isPublic.map { $0 ? 1 : 0 }),
              version = \(bind: d.version), updated_at = \(bind: now.epochMillis)
            WHERE user_id = \(bind: d.userID)
            """
        ).run()
    }
}

extension ReportAnswer {
    /// The answer's name in the audit log (`report.<name>`); never its content.
    var name: String {
        switch self {
        case .kind: "kind"
        case .place: "place"
        case .details: "details"
        case .keepText: "keep_text"
        case .addPhoto: "add_photo"
        case .removePhoto: "remove_photo"
        case .visibility: "visibility"
        }
    }
}
