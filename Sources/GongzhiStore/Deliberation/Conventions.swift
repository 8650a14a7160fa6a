import Foundation
import GongzhiDomain
import SQLKit

/// A convention to create: which community (and estate), what kind, its title, and its first version.
public struct ConventionDraft: Sendable, Equatable {
    public var communityID: Int64
    public var estateID: Int64?
    public var kind: ConventionKind
    public var title: String
    public var text: String
    public var resolutionID: Int64?
    public var effectiveOn: CalendarDate

    public init(
        communityID: Int64, estateID: Int64? = nil, kind: ConventionKind, title: String, text: String,
        resolutionID: Int64? = nil, effectiveOn: CalendarDate
    ) {
        self.communityID = communityID
        self.estateID = estateID
        self.kind = kind
        self.title = title
        self.text = text
        self.resolutionID = resolutionID
        self.effectiveOn = effectiveOn
    }
}

/// A convention as one actor may see it, with its community's and estate's names, the numbers of the resolutions
/// that adopted its versions, and what the actor may do.
public struct ConventionRecord: Sendable {
    public var convention: Convention
    public var communityName: String
    public var estateName: String?
    /// Version number → the adopting resolution's number.
    public var resolutionNumbers: [Int: String]
    public var capabilities: Set<ConventionCapability>
}

/// Reads of conventions; every public read but the public face's takes the actor.
public struct ConventionStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    static func load(_ sql: any SQLDatabase, _ id: Int64) async throws -> (Convention, path: String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT c.*, n.path AS community_path FROM conventions c JOIN nodes n ON n.id = c.community_id
                WHERE c.id = \(bind: id)
                """
            ).first()
        else { return nil }
        var c = Convention(
            id: id, communityID: try row.decode(column: "community_id", as: Int64.self),
            estateID: try row.decode(column: "estate_id", as: Int64?.self),
            kind: ConventionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .residentsConvention,
            title: try row.decode(column: "title", as: String.self),
            version: try row.decode(column: "version", as: Int.self))
        c.versions = try await sql.raw(
            "SELECT * FROM convention_versions WHERE convention_id = \(bind: id) ORDER BY number"
        ).all().map { v in
            var version = ConventionVersion(
                number: try v.decode(column: "number", as: Int.self),
                text: try v.decode(column: "text", as: String.self),
                resolutionID: try v.decode(column: "resolution_id", as: Int64?.self),
                effectiveOn: CalendarDate(try v.decode(column: "effective_on", as: String.self))
                    ?? CalendarDate(Date(timeIntervalSince1970: 0)),
                createdAt: Date(epochMillis: try v.decode(column: "created_at", as: Int64.self)))
            version.filedAt = try v.decode(column: "filed_at", as: Int64?.self).map(Date.init(epochMillis:))
            version.filedBy = try v.decode(column: "filed_by", as: Int64?.self)
            version.acknowledgedAt = try v.decode(column: "acknowledged_at", as: Int64?.self).map(
                Date.init(epochMillis:))
            version.acknowledgedBy = try v.decode(column: "acknowledged_by", as: Int64?.self)
            return version
        }
        return (c, try row.decode(column: "community_path", as: String.self))
    }

    static func inCommunity(_ sql: any SQLDatabase, _ actor: Actor, path: String) async throws -> Bool {
        try await TopicStore.home(sql, of: actor).map { NodePath.isInside($0.path, path) } ?? false
    }

    static func record(
        _ sql: any SQLDatabase, _ c: Convention, path: String, capabilities: Set<ConventionCapability>
    ) async throws -> ConventionRecord {
        var numbers: [Int: String] = [:]
        for v in c.versions {
            guard let r = v.resolutionID else { continue }
            numbers[v.number] = try await sql.raw("SELECT number FROM resolutions WHERE id = \(bind: r)").first()?
                .decode(column: "number", as: String.self)
        }
        var estateName: String?
        if let estate = c.estateID { estateName = try await JurisdictionStore.estate(sql, estate)?.name }
        return ConventionRecord(
            convention: c, communityName: try await JurisdictionStore.node(sql, c.communityID)?.name ?? "",
            estateName: estateName,
            resolutionNumbers: numbers, capabilities: capabilities)
    }

    public func record(_ id: Int64, for actor: Actor) async throws -> ConventionRecord {
        try await db.read { sql in
            guard let (c, path) = try await Self.load(sql, id) else { throw DomainError.notFound }
            let home = try await Self.inCommunity(sql, actor, path: path)
            try ConventionPolicy.require(.read, of: actor, path: path, actorInCommunity: home)
            return try await Self.record(
                sql, c, path: path,
                capabilities: ConventionPolicy.capabilities(of: actor, path: path, actorInCommunity: home))
        }
    }

    /// For anyone: conventions are published rules (居务公开), every version of them.
    public func publicRecord(_ id: Int64) async throws -> ConventionRecord {
        try await db.read { sql in
            guard let (c, path) = try await Self.load(sql, id) else { throw DomainError.notFound }
            return try await Self.record(sql, c, path: path, capabilities: [.read])
        }
    }

    public func requireVisible(_ id: Int64, to actor: Actor) async throws {
        _ = try await record(id, for: actor)
    }

    /// The conventions of the communities the actor works in or lives in, by community and title.
    public func list(for actor: Actor) async throws -> [Convention] {
        try await db.read { sql in
            var clause = SQLQueryString("(1 = 0")
            for area in actor.areas {
                clause =
                    clause
                    + " OR (n.path >= \(bind: area.nodePath) AND n.path < \(bind: NodePath.upperBound(area.nodePath)))"
            }
            if let community = try await TopicStore.home(sql, of: actor)?.communityID {
                clause = clause + " OR c.community_id = \(bind: community)"
            }
            let ids = try await sql.raw(
                SQLQueryString("SELECT c.id FROM conventions c JOIN nodes n ON n.id = c.community_id WHERE ") + clause
                    + ") ORDER BY c.community_id, c.id LIMIT 200"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            var out: [Convention] = []
            for id in ids { if let (c, _) = try await Self.load(sql, id) { out.append(c) } }
            return out
        }
    }

    /// A community's conventions for its public page.
    public func publicList(communityID: Int64) async throws -> [Convention] {
        try await db.read { sql in
            let ids = try await sql.raw(
                "SELECT id FROM conventions WHERE community_id = \(bind: communityID) ORDER BY id LIMIT 100"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            var out: [Convention] = []
            for id in ids { if let (c, _) = try await Self.load(sql, id) { out.append(c) } }
            return out
        }
    }
}

/// The conventions' one writer: `create` with its first version, `perform` for a later version, a filing or its
/// acknowledgement, each with the version check, notices and audit entry in one transaction.
public struct ConventionCommands: Sendable {
    let db: Database
    let clock: Clock
    let channels: [String]
    public init(db: Database, clock: Clock = .system, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    public func create(_ actor: Actor, _ draft: ConventionDraft) async throws -> Convention {
        try await db.command(actor, clock: clock) { tx in
            guard let community = try await JurisdictionStore.node(tx.sql, draft.communityID),
                community.kind.isCommunityLevel, community.isOpen
            else { throw DomainError.invalid("meeting_community_invalid", field: "community") }
            let role = try ConventionPolicy.require(
                .addVersion, of: actor, path: community.path,
                actorInCommunity: try await ConventionStore.inCommunity(tx.sql, actor, path: community.path))
            let title = try Convention.validate(title: draft.title, kind: draft.kind, estateID: draft.estateID)
            if let estate = draft.estateID {
                guard try await JurisdictionStore.estate(tx.sql, estate)?.communityID == community.id else {
                    throw DomainError.invalid("convention_estate_required", field: "estate")
                }
            }
            let id = try await tx.sql.raw(
                """
                INSERT INTO conventions (community_id, estate_id, kind, title, created_by, created_at, updated_at, version)
                VALUES (\(bind: community.id), \(bind: draft.estateID), \(bind: draft.kind.rawValue), \(bind: title),
                  \(bind: actor.storedUserID), \(bind: tx.now.epochMillis), \(bind: tx.now.epochMillis), 0)
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await tx.audit(
                AuditRecord(
                    action: "convention.create", objectType: "convention", objectID: "\(id)",
                    communityID: community.id, nodeID: community.id, after: draft.kind.rawValue), role: role)
            return try await Self.step(
                tx, id, .addVersion(text: draft.text, resolutionID: draft.resolutionID, effectiveOn: draft.effectiveOn),
                expectedVersion: 0, channels: channels)
        }
    }

    @discardableResult
    public func perform(
        _ actor: Actor, _ id: Int64, _ command: ConventionCommand, expectedVersion: Int? = nil
    ) async throws -> Convention {
        let channels = channels
        return try await db.command(actor, clock: clock) { tx in
            try await Self.step(tx, id, command, expectedVersion: expectedVersion, channels: channels)
        }
    }

    static func step(
        _ tx: Transaction, _ id: Int64, _ command: ConventionCommand, expectedVersion: Int?, channels: [String]
    ) async throws -> Convention {
        guard let (current, path) = try await ConventionStore.load(tx.sql, id) else { throw DomainError.notFound }
        let home = try await ConventionStore.inCommunity(tx.sql, tx.actor, path: path)
        try ConventionPolicy.require(.read, of: tx.actor, path: path, actorInCommunity: home)
        if let expectedVersion, expectedVersion != current.version {
            throw DomainError(.conflict, "convention_changed_meanwhile")
        }
        let capability: ConventionCapability =
            switch command {
            case .addVersion: .addVersion
            case .file: .file
            case .acknowledge: .acknowledge
            }
        let role = try ConventionPolicy.require(capability, of: tx.actor, path: path, actorInCommunity: home)
        if case .addVersion(_, let resolutionID?, _) = command {
            guard
                let r = try await tx.sql.raw("SELECT community_id FROM resolutions WHERE id = \(bind: resolutionID)")
                    .first()?.decode(column: "community_id", as: Int64.self), r == current.communityID
            else { throw DomainError.invalid("convention_resolution_unknown", field: "resolution") }
        }
        var (next, note) = try ConventionWorkflow.transition(command, of: current, by: tx.actor, at: tx.now)
        let saved = try await tx.sql.raw(
            """
            UPDATE conventions SET updated_at = \(bind: tx.now.epochMillis), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: current.version) RETURNING id
            """
        ).first()
        guard saved != nil else { throw DomainError(.conflict, "convention_changed_meanwhile") }
        next.version = current.version + 1
        var audience: Set<Int64> = []
        switch command {
        case .addVersion:
            guard let v = next.versions.last else { break }
            try await tx.sql.raw(
                """
                INSERT INTO convention_versions (convention_id, community_id, number, text, resolution_id, effective_on,
                  created_by, created_at)
                VALUES (\(bind: id), \(bind: next.communityID), \(bind: v.number), \(bind: v.text), \(bind: v.resolutionID),
                  \(bind: v.effectiveOn.description), \(bind: tx.actor.storedUserID), \(bind: tx.now.epochMillis))
                """
            ).run()
        case .file(let number):
            try await tx.sql.raw(
                """
                UPDATE convention_versions SET filed_at = \(bind: tx.now.epochMillis), filed_by = \(bind: tx.actor.storedUserID)
                WHERE convention_id = \(bind: id) AND number = \(bind: number)
                """
            ).run()
            // The sub-district's administrators above the community receive the filing.
            let ancestors = NodePath.ids(path)
            audience.formUnion(try await Notifications.usersHolding(tx.sql, ["subdistrictAdmin"], atNodes: ancestors))
        case .acknowledge(let number):
            try await tx.sql.raw(
                """
                UPDATE convention_versions SET acknowledged_at = \(bind: tx.now.epochMillis),
                  acknowledged_by = \(bind: tx.actor.storedUserID)
                WHERE convention_id = \(bind: id) AND number = \(bind: number)
                """
            ).run()
            audience.formUnion(
                try await Notifications.usersHolding(tx.sql, ["communityWorker"], atNodes: [next.communityID]))
        }
        try await Notifications.notify(
            tx, users: audience,
            subject: NoticeSubject(kind: "convention", id: id, communityID: next.communityID, title: next.title),
            kind: "convention.\(command.action)", channels: channels)
        try await tx.audit(
            AuditRecord(
                action: "convention.\(command.action)", objectType: "convention", objectID: "\(id)",
                communityID: next.communityID, nodeID: next.communityID, after: note), role: role)
        return next
    }
}

/// The conventions' fast path for seeding: command line only (`forbidden` otherwise), no per-row policy, notices or
/// audit; each version, filing and acknowledgement still goes through the domain's workflow.
public struct ConventionBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// A convention with its versions (text, adopting resolution, effective day, when written), each filed and
    /// acknowledged at the instants given.
    @discardableResult
    public func add(
        communityID: Int64, estateID: Int64? = nil, kind: ConventionKind, title rawTitle: String,
        versions: [(
            text: String, resolutionID: Int64?, effectiveOn: CalendarDate, at: Date, filedAt: Date?,
            acknowledgedAt: Date?
        )]
    ) async throws -> Int64 {
        let title = try Convention.validate(title: rawTitle, kind: kind, estateID: estateID)
        var c = Convention(id: 0, communityID: communityID, estateID: estateID, kind: kind, title: title)
        for v in versions {
            c = try ConventionWorkflow.transition(
                .addVersion(text: v.text, resolutionID: v.resolutionID, effectiveOn: v.effectiveOn), of: c,
                by: tx.actor, at: v.at
            ).next
            let number = c.versions.count
            if let filed = v.filedAt {
                c = try ConventionWorkflow.transition(.file(number: number), of: c, by: tx.actor, at: filed).next
            }
            if let acknowledged = v.acknowledgedAt {
                c = try ConventionWorkflow.transition(
                    .acknowledge(number: number), of: c, by: tx.actor, at: acknowledged
                )
                .next
            }
        }
        let first = versions.first?.at ?? tx.now
        let id = try await tx.sql.raw(
            """
            INSERT INTO conventions (community_id, estate_id, kind, title, created_at, updated_at, version)
            VALUES (\(bind: communityID), \(bind: estateID), \(bind: kind.rawValue), \(bind: title), \(bind: first.epochMillis),
              \(bind: (versions.last?.at ?? first).epochMillis), \(bind: max(1, versions.count)))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        for v in c.versions {
            try await tx.sql.raw(
                """
                INSERT INTO convention_versions (convention_id, community_id, number, text, resolution_id, effective_on,
                  created_at, filed_at, acknowledged_at)
                VALUES (\(bind: id), \(bind: communityID), \(bind: v.number), \(bind: v.text), \(bind: v.resolutionID),
                  \(bind: v.effectiveOn.description), \(bind: v.createdAt.epochMillis), \(bind: v.filedAt?.epochMillis),
                  \(bind: v.acknowledgedAt?.epochMillis))
                """
            ).run()
        }
        return id
    }
}
