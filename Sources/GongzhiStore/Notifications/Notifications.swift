import Foundation
import GongzhiDomain
import SQLKit

/// What a notice is about: a module's thing, by kind ("case") and id, with the words that name it and its community.
public struct NoticeSubject: Sendable, Equatable {
    public var kind: String
    public var id: Int64
    public var communityID: Int64?
    public var title: String
    public init(kind: String, id: Int64, communityID: Int64?, title: String) {
        self.kind = kind
        self.id = id
        self.communityID = communityID
        self.title = title
    }
}

/// A message to one user about one subject: `kind` is a step ("case.dispatch"), `subject` the words that name it
/// (a case's number and title), `subjectKind` and `subjectID` what it is about.
public struct Notice: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var userID: Int64
    public var subjectKind: String
    public var subjectID: Int64?
    public var caseID: Int64?
    public var at: Date
    public var kind: String
    public var subject: String
    public var readAt: Date?
}

/// Somewhere outside Gongzhi a notification can go (SMS gateway, mail server). Implementations must be safe to
/// call again for the same message: delivery is at least once.
public protocol OutboundChannel: Sendable {
    var name: String { get }
    func deliver(_ notification: Notice) async throws
}

public enum Notifications {
    /// The users holding one of `roles` at one of `nodes`: the common audience of modules' notices.
    public static func usersHolding(
        _ sql: any SQLDatabase, _ roles: [String], atNodes nodes: [Int64]
    ) async throws -> [Int64] {
        guard !nodes.isEmpty else { return [] }
        return try await sql.select().distinct().column("user_id").from("role_grants").where("role", .in, roles).where(
            "node_id", .in, nodes
        )
        .all().map { try $0.decode(column: "user_id", as: Int64.self) }
    }

    /// Records notifications (and outbox rows for each outbound channel) inside the command's transaction; the one
    /// acting is not told of their own step.
    public static func notify(
        _ tx: Transaction, users: Set<Int64>, subject: NoticeSubject, kind: String, channels: [String]
    ) async throws {
        try await notify(tx, [(users, subject, kind)], channels: channels)
    }

    /// Rows of one multi-row insert of notices (eight values each).
    static let rowsPerInsert = 500

    /// `notify` for several subjects at once (a set-based step's page), in multi-row inserts.
    public static func notify(
        _ tx: Transaction, _ notices: [(users: Set<Int64>, subject: NoticeSubject, kind: String)], channels: [String]
    ) async throws {
        let at = tx.now.epochMillis
        let rows = notices.flatMap { notice in
            notice.users.sorted().filter { $0 != tx.actor.storedUserID }.map { (user: $0, notice.subject, notice.kind) }
        }
        for start in stride(from: 0, to: rows.count, by: rowsPerInsert) {
            var q: SQLQueryString =
                "INSERT INTO notifications (user_id, community_id, case_id, subject_kind, subject_id, at, kind, subject) VALUES"
            for (i, row) in rows[start..<min(start + rowsPerInsert, rows.count)].enumerated() {
                let subject = row.1
                q =
                    q + (i == 0 ? " " : ", ") + """
                        (\(bind: row.user), \(bind: subject.communityID), \(bind: subject.kind == "case" ? subject.id : nil as Int64?),
                          \(bind: subject.kind), \(bind: subject.id), \(bind: at), \(bind: row.2), \(bind: subject.title))
                        """
            }
            let ids = try await tx.sql.raw(q + " RETURNING id").all().map {
                try $0.decode(column: "id", as: Int64.self)
            }
            guard !channels.isEmpty else { continue }
            let queued = ids.sorted().flatMap { id in channels.map { (id, $0) } }
            for from in stride(from: 0, to: queued.count, by: rowsPerInsert) {
                var outbox: SQLQueryString =
                    "INSERT INTO outbox (notification_id, channel, created_at, next_attempt_at) VALUES"
                for (i, item) in queued[from..<min(from + rowsPerInsert, queued.count)].enumerated() {
                    outbox =
                        outbox + (i == 0 ? " " : ", ") + "(\(bind: item.0), \(bind: item.1), \(bind: at), \(bind: at))"
                }
                try await tx.sql.raw(outbox).run()
            }
        }
    }

    public static func list(_ db: Database, userID: Int64, limit: Int = 50) async throws -> [Notice] {
        try await db.read { sql in
            try await sql.raw(
                "SELECT * FROM notifications WHERE user_id = \(bind: userID) ORDER BY id DESC LIMIT \(bind: limit)"
            )
            .all().map(decode)
        }
    }

    public static func unreadCount(_ db: Database, userID: Int64) async throws -> Int {
        try await db.read { sql in
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL"
            )
            .first()!.decode(column: "n", as: Int.self)
        }
    }

    public static func markAllRead(_ db: Database, userID: Int64, at: Date) async throws {
        try await db.transaction { sql in
            try await sql.raw(
                "UPDATE notifications SET read_at = \(bind: at.epochMillis) WHERE user_id = \(bind: userID) AND read_at IS NULL"
            ).run()
        }
    }

    static func decode(_ row: any SQLRow) throws -> Notice {
        Notice(
            id: try row.decode(column: "id", as: Int64.self), userID: try row.decode(column: "user_id", as: Int64.self),
            subjectKind: try row.decode(column: "subject_kind", as: String.self),
            subjectID: try row.decode(column: "subject_id", as: Int64?.self),
            caseID: try row.decode(column: "case_id", as: Int64?.self),
            at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
            kind: try row.decode(column: "kind", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            readAt: try row.decode(column: "read_at", as: Int64?.self).map(Date.init(epochMillis:)))
    }
}

/// Delivers the outbox after commit. Rows are claimed for a while before sending, so several instances can run
/// it side by side; failures are retried with growing pauses and the error is kept.
public struct OutboxDispatcher: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String: any OutboundChannel]
    public static let maxAttempts = 8
    /// Deliveries marked sent together.
    static let markChunk = 25

    public init(db: Database, clock: Clock = .system, channels: [any OutboundChannel]) {
        self.db = db
        self.clock = clock
        self.channels = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, $0) })
    }

    /// Sends what is due; returns how many were delivered.
    @discardableResult
    public func deliverDue(limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let claimUntil = now.addingTimeInterval(60).epochMillis
        let due: [(Int64, String, Int, Notice)] = try await db.transaction { sql in
            let rows = try await sql.raw(
                """
                SELECT o.id AS outbox_id, o.channel, o.attempts, n.* FROM outbox o JOIN notifications n ON n.id = o.notification_id
                WHERE o.sent_at IS NULL AND o.next_attempt_at <= \(bind: now.epochMillis) AND o.attempts < \(bind: Self.maxAttempts)
                AND (o.claimed_until IS NULL OR o.claimed_until < \(bind: now.epochMillis)) ORDER BY o.id LIMIT \(bind: limit)
                """
            ).all()
            guard !rows.isEmpty else { return [] }
            // One claim for the whole page: a row another instance claimed meanwhile is not returned, so it is
            // passed over here (each row's claim is checked again as it is updated).
            var ids: [Int64] = []
            for row in rows { ids.append(try row.decode(column: "outbox_id", as: Int64.self)) }
            let won = Set(
                try await sql.raw(
                    """
                    UPDATE outbox SET claimed_until = \(bind: claimUntil) WHERE id IN (\(binds: ids))
                    AND (claimed_until IS NULL OR claimed_until < \(bind: now.epochMillis)) RETURNING id
                    """
                ).all().map { try $0.decode(column: "id", as: Int64.self) })
            var claimed: [(Int64, String, Int, Notice)] = []
            for (id, row) in zip(ids, rows) where won.contains(id) {
                claimed.append(
                    (
                        id, try row.decode(column: "channel", as: String.self),
                        try row.decode(column: "attempts", as: Int.self),
                        try Notifications.decode(row)
                    ))
            }
            return claimed
        }
        var sent = 0
        // Delivered rows are marked sent a chunk at a time, one statement each; until then a row stays claimed, so
        // a crash in between sends at most that chunk once more after its claim runs out, and never loses one.
        for start in stride(from: 0, to: due.count, by: Self.markChunk) {
            var delivered: [Int64] = []
            for (id, channelName, attempts, notification) in due[start..<min(start + Self.markChunk, due.count)] {
                do {
                    guard let channel = channels[channelName] else { throw OutboxError.noChannel(channelName) }
                    try await channel.deliver(notification)
                    delivered.append(id)
                } catch {
                    let pause = min(3600.0, 30 * pow(2, Double(attempts)))
                    let message = String(String(describing: error).prefix(300))
                    try await db.transaction { sql in
                        try await sql.raw(
                            """
                            UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: message), claimed_until = NULL,
                              next_attempt_at = \(bind: now.addingTimeInterval(pause).epochMillis) WHERE id = \(bind: id)
                            """
                        ).run()
                    }
                }
            }
            guard !delivered.isEmpty else { continue }
            let sentAt = clock.now().epochMillis
            let ids = delivered
            try await db.transaction { sql in
                try await sql.raw(
                    "UPDATE outbox SET sent_at = \(bind: sentAt), attempts = attempts + 1 WHERE id IN (\(binds: ids))"
                ).run()
            }
            sent += delivered.count
        }
        return sent
    }
}

enum OutboxError: Error { case noChannel(String) }
