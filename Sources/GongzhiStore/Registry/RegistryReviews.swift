import Foundation
import GongzhiDomain
import SQLKit

/// A change in the review queue as the queue shows it: who changed whose record how, the fields that changed (masked),
/// and where it stands.
public struct ReviewItem: Sendable, Equatable, Encodable {
    public var id: Int64
    public var personID: Int64
    /// The person's name, masked (as the audit log keeps it).
    public var person: String
    public var building: String?
    public var action: String
    public var changes: [Change]
    public var author: String?
    public var authorUserID: Int64?
    public var createdAt: Date
    public var status: ReviewStatus
    public var note: String?
    public var reviewer: String?
    public var reviewedAt: Date?

    public struct Change: Sendable, Equatable, Encodable {
        public var field: String
        public var before: String
        public var after: String
    }
}

/// What the queue asks for: a status (pending by default), one grid, the page before a cursor.
public struct ReviewFilter: Sendable, Equatable {
    public var status: ReviewStatus = .pending
    public var gridID: Int64?
    public var before: Int64?
    public var limit = 50
    public init() {}
}

/// A page of the queue with the count of each status (the tabs), inside what the reader may see.
public struct ReviewPage: Sendable, Encodable {
    public var items: [ReviewItem]
    public var counts: [String: Int]
    public var nextCursor: String?
    /// Whether the reader decides (a reviewer) or only follows their own changes (a grid worker).
    public var reviewing: Bool
    public init(items: [ReviewItem], counts: [String: Int], nextCursor: String? = nil, reviewing: Bool) {
        self.items = items
        self.counts = counts
        self.nextCursor = nextCursor
        self.reviewing = reviewing
    }
}

/// The registry's review queue: changes grid workers make land here when they are applied (`enqueue`, called by the
/// registry's writer in its transaction); community workers read the queue of their communities and decide each
/// change once (`decide`, the queue's one writer, audited; a change sent back tells its author).
public struct RegistryReviews: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    /// Called by `RegistryCommands` for each change it applies: a grid worker's register, amend or move-out goes
    /// into the queue with its before and after as the audit log keeps them (masked).
    static func enqueue(
        _ tx: Transaction, _ command: RegistryCommand, _ after: Person, before: Person?, role: Role?
    ) async throws {
        guard ReviewQueue.needsReview(command, by: role) else { return }
        try await tx.sql.raw(
            """
            INSERT INTO registry_reviews (community_id, person_id, action, before_json, after_json, author_user_id, created_at)
            VALUES (\(bind: after.communityID), \(bind: after.id), \(bind: command.action),
              \(bind: before.map { AuditJSON.encode(PersonAuditSnapshot($0)) }), \(bind: AuditJSON.encode(PersonAuditSnapshot(after))),
              \(bind: tx.actor.storedUserID), \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    /// The queue: for reviewers the changes of the places they review, for everyone else their own changes.
    public func list(_ filter: ReviewFilter, for actor: Actor) async throws -> ReviewPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let reviewPaths = RegistryPolicy.paths(.review, of: actor)
        let reviewing = !reviewPaths.isEmpty
        return try await db.read { sql in
            var scope = SQLQueryString(" WHERE ")
            if reviewing {
                let communities = try await RegistryStore.communities(sql, inside: reviewPaths)
                guard !communities.isEmpty else { return ReviewPage(items: [], counts: [:], reviewing: true) }
                scope = scope + RegistryStore.inList("v.community_id", communities) + " AND ("
                scope = scope + RegistryStore.inside("b.path", reviewPaths) + ")"
            } else {
                scope = scope + "v.author_user_id = \(bind: actor.storedUserID ?? -1)"
            }
            if let grid = filter.gridID {
                guard
                    let path = try await sql.raw("SELECT path FROM nodes WHERE id = \(bind: grid)").first()?.decode(
                        column: "path", as: String.self)
                else { throw DomainError.invalid("review_grid_unknown", field: "grid") }
                scope = scope + " AND (" + RegistryStore.inside("b.path", [path]) + ")"
            }
            let from = SQLQueryString(
                """
                 FROM registry_reviews v JOIN registry_people p ON p.id = v.person_id
                 LEFT JOIN nodes b ON b.id = p.building_id
                """)
            var counts: [String: Int] = [:]
            for row in try await sql.raw(
                SQLQueryString("SELECT v.status, COUNT(*) AS n") + from + scope + " GROUP BY v.status"
            ).all() {
                counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            let limit = max(1, min(filter.limit, 200))
            var q =
                SQLQueryString(
                    """
                    SELECT v.*, b.name AS building_name, a.display_name AS author_name, r.display_name AS reviewer_name
                    """) + from
                + " LEFT JOIN users a ON a.id = v.author_user_id LEFT JOIN users r ON r.id = v.reviewer_user_id"
                + scope + " AND v.status = \(bind: filter.status.rawValue)"
            if let before = filter.before { q = q + " AND v.id < \(bind: before)" }
            q = q + " ORDER BY v.id DESC LIMIT \(bind: limit + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(limit).map(Self.item)
            return ReviewPage(
                items: items, counts: counts, nextCursor: rows.count > limit ? items.last.map { "\($0.id)" } : nil,
                reviewing: reviewing)
        }
    }

    /// Accepts a change or sends it back with a note: once, by a reviewer of the person's place, audited; a change
    /// sent back tells its author.
    public func decide(_ actor: Actor, review id: Int64, _ decision: ReviewDecision) async throws {
        try await db.command(actor, clock: clock) { tx in
            guard
                let row = try await tx.sql.raw(
                    """
                    SELECT v.*, b.path AS place_path, p.building_id FROM registry_reviews v
                    JOIN registry_people p ON p.id = v.person_id LEFT JOIN nodes b ON b.id = p.building_id
                    WHERE v.id = \(bind: id)
                    """
                ).first()
            else { throw DomainError.notFound }
            let place = try row.decode(column: "place_path", as: String?.self) ?? "/"
            try RegistryPolicy.require(.view, of: actor, at: place)
            let role = try RegistryPolicy.require(.review, of: actor, at: place)
            let status = ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending
            try ReviewQueue.requireUndecided(status)
            var note: String?
            if case .sendBack(let text) = decision { note = text }
            guard
                try await tx.sql.raw(
                    """
                    UPDATE registry_reviews SET status = \(bind: decision.status.rawValue), note = \(bind: note),
                      reviewer_user_id = \(bind: actor.storedUserID), reviewed_at = \(bind: tx.now.epochMillis)
                    WHERE id = \(bind: id) AND status = 'pending' RETURNING id
                    """
                ).first() != nil
            else { throw DomainError.invalid("review_decided") }
            let person = try row.decode(column: "person_id", as: Int64.self)
            let community = try row.decode(column: "community_id", as: Int64.self)
            try await tx.audit(
                AuditRecord(
                    action: decision.action, objectType: "registry_review", objectID: "\(id)", communityID: community,
                    nodeID: try row.decode(column: "building_id", as: Int64?.self),
                    after: AuditJSON.encode(["person": "\(person)", "note": note ?? ""])),
                role: role)
            if case .sendBack = decision, let author = try row.decode(column: "author_user_id", as: Int64?.self) {
                let name = Self.fields(try row.decode(column: "after_json", as: String.self))["name"] ?? ""
                try await Notifications.notify(
                    tx, users: [author],
                    subject: NoticeSubject(kind: "person", id: person, communityID: community, title: name),
                    kind: "registry.review_returned", channels: channels)
            }
        }
    }

    static func item(_ row: any SQLRow) throws -> ReviewItem {
        let after = fields(try row.decode(column: "after_json", as: String.self))
        let before = try row.decode(column: "before_json", as: String?.self).map(fields)
        return ReviewItem(
            id: try row.decode(column: "id", as: Int64.self),
            personID: try row.decode(column: "person_id", as: Int64.self), person: after["name"] ?? "",
            building: try row.decode(column: "building_name", as: String?.self),
            action: try row.decode(column: "action", as: String.self),
            changes: ReviewQueue.changes(before: before, after: after).map {
                ReviewItem.Change(field: $0.0, before: $0.1, after: $0.2)
            },
            author: try row.decode(column: "author_name", as: String?.self),
            authorUserID: try row.decode(column: "author_user_id", as: Int64?.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            status: ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            note: try row.decode(column: "note", as: String?.self),
            reviewer: try row.decode(column: "reviewer_name", as: String?.self),
            reviewedAt: try row.decode(column: "reviewed_at", as: Int64?.self).map { Date(epochMillis: $0) })
    }

    /// A masked snapshot's fields as text: lists joined by ";", numbers written out, nulls empty.
    static func fields(_ json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.mapValues { value in
            switch value {
            case let list as [Any]: list.map { "\($0)" }.joined(separator: ";")
            case is NSNull: ""
            default: "\(value)"
            }
        }
    }
}
