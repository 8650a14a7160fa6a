import Foundation
import GongzhiDomain
import SQLKit

/// What someone reports.
public struct CaseSubmission: Sendable {
    public var kind: CaseKind
    public var channel: CaseChannel
    public var title: String
    public var description: String
    public var categoryID: Int64?
    public var nodeID: Int64
    public var isPublic: Bool
    /// A map point, when the reporter gave one (WGS 84).
    public var latitude: Double?
    public var longitude: Double?
    /// Required for disputes, ignored otherwise.
    public var disputeGrade: DisputeGrade?
    /// Photos to attach, checked before anything is written and stored in the same transaction.
    public var photos: [[UInt8]] = []
    public init(kind: CaseKind = .appeal, channel: CaseChannel = .web, title: String, description: String, categoryID: Int64? = nil,
                nodeID: Int64, isPublic: Bool = false, latitude: Double? = nil, longitude: Double? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.kind = kind
        self.channel = channel
        self.title = title
        self.description = description
        self.categoryID = categoryID
        self.nodeID = nodeID
        self.isPublic = isPublic
    }
}

/// The closed loop's use cases: submit, then every step through `act`. Each is one transaction with its
/// timeline line and audit entry; a step taken on a case someone else changed meanwhile is refused.
struct IdempotentReplay: Error {}

public struct CaseCommands: Sendable {
    let db: Database
    let clock: Clock
    /// Outbound channels (names) that every notification is also queued for.
    let channels: [String]
    public init(db: Database, clock: Clock = .system, channels: [String] = []) {
        self.db = db
        self.clock = clock
        self.channels = channels
    }

    /// Files a new case. With an `idempotencyKey`, a repeat of the same request by the same user returns the case
    /// the first one created instead of filing it twice.
    public func submit(_ actor: Actor, _ input: CaseSubmission, idempotencyKey: String? = nil) async throws -> Case {
        let key = idempotencyKey?.trimmingCharacters(in: .whitespaces).prefix(200).description
        if let key, !key.isEmpty, let existing = try await Self.existing(db, userID: actor.userID, key: key) { return existing }
        let (title, description) = try Case.validate(title: input.title, description: input.description)
        guard input.photos.count <= PhotoRules.maxPerCase else {
            throw DomainError.invalid("photo_too_many", field: "photo", args: ["\(PhotoRules.maxPerCase)"])
        }
        for photo in input.photos { _ = try PhotoRules.contentType(of: photo) }
        if let lat = input.latitude, let lng = input.longitude {
            guard (-90...90).contains(lat), (-180...180).contains(lng) else { throw DomainError.invalid("case_point_invalid", field: "lat") }
        }
        let now = clock.now()
        do {
            return try await insert(actor, input, title: title, description: description, key: key, now: now)
        } catch is IdempotentReplay {
            guard let key, let first = try await Self.existing(db, userID: actor.userID, key: key) else { throw DomainError(.conflict, "case_changed_meanwhile") }
            return first
        }
    }

    func insert(_ actor: Actor, _ input: CaseSubmission, title: String, description: String, key: String?, now: Date) async throws -> Case {
        try await db.transaction { sql in
            guard let node = try await JurisdictionStore.node(sql, input.nodeID), node.isOpen, let communityID = node.communityID else {
                throw DomainError.invalid("case_place_invalid", field: "place")
            }
            // Residents report within their own community; staff within their subtree.
            let home = try await AccountStore.user(sql, actor.userID)?.communityID
            let staffInside = actor.grants.contains { $0.role.isStaff && NodePath.isInside(node.path, $0.nodePath) }
            guard staffInside || home == communityID else { throw DomainError.invalid("case_place_outside", field: "place") }
            if input.kind == .event || input.kind == .dispute || input.channel == .patrol || input.channel == .hotline {
                guard staffInside else { throw DomainError.forbidden }
            }
            let grade = input.kind == .dispute ? input.disputeGrade : nil
            if input.kind == .dispute, grade == nil { throw DomainError.invalid("dispute_grade_required", field: "grade") }
            if let category = input.categoryID {
                guard try await sql.raw("SELECT id FROM case_categories WHERE id = \(bind: category) AND closed_at IS NULL").first() != nil else {
                    throw DomainError.invalid("category_unknown", field: "category")
                }
            }
            // The reporter's point if given, otherwise where the building stands.
            var point: (Double, Double)? = nil
            if let lat = input.latitude, let lng = input.longitude {
                point = (lat, lng)
            } else if let row = try await sql.raw("SELECT latitude, longitude FROM nodes WHERE id = \(bind: node.id)").first(),
                let lat = try row.decode(column: "latitude", as: Double?.self), let lng = try row.decode(column: "longitude", as: Double?.self)
            {
                point = (lat, lng)
            }
            let temp = "tmp-\(UUID().uuidString)"
            let id = try await sql.raw("""
                INSERT INTO cases (number, kind, channel, status, title, description, category_id, community_id, node_id, node_path,
                  reporter_user_id, is_public, created_at, updated_at, grid_id, latitude, longitude, dispute_grade, escalation_level)
                VALUES (\(bind: temp), \(bind: input.kind.rawValue), \(bind: input.channel.rawValue), 'submitted', \(bind: title),
                  \(bind: description), \(bind: input.categoryID), \(bind: communityID), \(bind: node.id), \(bind: node.path),
                  \(bind: actor.userID == 0 ? nil : actor.userID), \(bind: input.isPublic ? 1 : 0), \(bind: now.epochMillis), \(bind: now.epochMillis),
                  \(bind: node.kind == .grid ? node.id : node.kind == .building ? node.parentID : nil),
                  \(bind: point?.0), \(bind: point?.1), \(bind: grade?.rawValue), \(bind: grade?.watchLevel ?? 0))
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            let number = "GZ" + WorkCalendar.dayKey(now).replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
            try await sql.raw("UPDATE cases SET number = \(bind: number) WHERE id = \(bind: id)").run()
            var created = Case(id: id, number: number, kind: input.kind, channel: input.channel, title: title, description: description,
                               categoryID: input.categoryID, communityID: communityID, nodeID: node.id,
                               reporterUserID: actor.userID == 0 ? nil : actor.userID, isPublic: input.isPublic,
                               createdAt: Date(epochMillis: now.epochMillis))
            created.disputeGrade = grade
            created.escalationLevel = grade?.watchLevel ?? 0
            created.latitude = point?.0
            created.longitude = point?.1
            if let key, !key.isEmpty {
                do {
                    try await sql.raw("""
                        INSERT INTO idempotency_keys (user_id, key, case_id, created_at)
                        VALUES (\(bind: actor.userID), \(bind: key), \(bind: id), \(bind: now.epochMillis))
                        """).run()
                } catch where isUniqueViolation(error) {
                    // The same request committed meanwhile: this copy rolls back and the caller reads the first.
                    throw IdempotentReplay()
                }
            }
            try await Self.event(sql, created, at: now, actor: actor, action: "submit", from: nil, note: "")
            for photo in input.photos {
                try await sql.raw("""
                    INSERT INTO case_photos (case_id, community_id, content_type, bytes, size, uploaded_by, created_at)
                    VALUES (\(bind: id), \(bind: communityID), \(bind: try PhotoRules.contentType(of: photo)), \(bind: Data(photo)),
                      \(bind: photo.count), \(bind: actor.userID == 0 ? nil : actor.userID), \(bind: now.epochMillis))
                    """).run()
            }
            try await Notifications.notify(sql, users: try await Notifications.recipients(sql, action: "submit", subject: created, path: node.path),
                                           except: actor.userID, subject: created, kind: "case.submit", channels: channels, at: now)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.submit", objectType: "case", objectID: "\(id)", communityID: communityID, nodeID: node.id,
                after: AuditJSON.encode(["number": number, "kind": input.kind.rawValue, "channel": input.channel.rawValue])))
            return created
        }
    }

    static func existing(_ db: Database, userID: Int64, key: String) async throws -> Case? {
        try await db.read { sql in
            guard let row = try await sql.raw("""
                SELECT c.* FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = \(bind: userID) AND k.key = \(bind: key)
                """).first() else { return nil }
            return try CaseStore.decode(row)
        }
    }

    /// Takes one step. `expectedVersion`, when given, must match, so two people acting on one case at once
    /// cannot both succeed.
    public func act(_ actor: Actor, caseID: Int64, _ action: CaseAction, expectedVersion: Int? = nil) async throws -> Case {
        let now = clock.now()
        return try await db.transaction { sql in
            guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: caseID)").first() else { throw DomainError.notFound }
            let current = try CaseStore.decode(row)
            let path = try row.decode(column: "node_path", as: String.self)
            let version = try row.decode(column: "version", as: Int.self)
            let units = try await CaseSetupStore.memberships(sql, userID: actor.userID)
            guard CasePolicy.allows(actor, action, on: current, casePath: path, memberOf: units) else {
                throw CaseAccess.canRead(actor, current, path: path, units: units) ? DomainError.forbidden : DomainError.outsideJurisdiction
            }
            if let expectedVersion, expectedVersion != version { throw DomainError(.conflict, "case_changed_meanwhile") }
            var step = action
            if case .dispatch(let unit, let respondBy, let resolveBy) = action, respondBy == .distantPast {
                // Deadlines from the routing rule when the dispatcher gave none.
                step = try await Self.routed(sql, current, path: path, unit: unit, resolveBy: resolveBy, now: now)
            }
            let next = try CaseWorkflow.apply(step, to: current, at: now)
            let updated = try await sql.raw("""
                UPDATE cases SET status = \(bind: next.status.rawValue), category_id = \(bind: next.categoryID), unit_id = \(bind: next.unitID),
                  respond_by = \(bind: next.respondBy?.epochMillis), resolve_by = \(bind: next.resolveBy?.epochMillis),
                  responded_at = COALESCE(responded_at, \(bind: action == .acceptHandling ? now.epochMillis : nil as Int64?)),
                  closed_at = \(bind: next.closedAt?.epochMillis), rating = \(bind: next.rating?.rawValue),
                  rating_comment = \(bind: Self.comment(action)), reopen_count = \(bind: next.reopenCount),
                  updated_at = \(bind: now.epochMillis), version = version + 1
                WHERE id = \(bind: caseID) AND version = \(bind: version) RETURNING id
                """).first()
            guard updated != nil else { throw DomainError(.conflict, "case_changed_meanwhile") }
            try await Self.event(sql, next, at: now, actor: actor, action: action.name, from: current.status, note: Self.note(step))
            try await Notifications.notify(sql, users: try await Notifications.recipients(sql, action: action.name, subject: next, path: path),
                                           except: actor.userID, subject: next, kind: "case.\(action.name)", channels: channels, at: now)
            try await AuditLog.append(sql, backend: db.backend, actor: actor, at: now, AuditRecord(
                action: "case.\(action.name)", objectType: "case", objectID: "\(caseID)", communityID: current.communityID,
                nodeID: current.nodeID, before: current.status.rawValue, after: next.status.rawValue))
            return next
        }
    }

    /// Dispatch by the routing rule: the rule's unit (unless one is named) and its deadlines in working time.
    public func dispatchByRule(_ actor: Actor, caseID: Int64, unitID: Int64? = nil) async throws -> Case {
        try await act(actor, caseID: caseID, .dispatch(unitID: unitID ?? 0, respondBy: .distantPast, resolveBy: .distantPast))
    }

    static func routed(_ sql: any SQLDatabase, _ subject: Case, path: String, unit: Int64, resolveBy: Date, now: Date) async throws -> CaseAction {
        guard let category = subject.categoryID, let rule = try await CaseSetupStore.rule(sql, categoryID: category, path: path) else {
            throw DomainError.invalid("routing_rule_missing", field: "unit")
        }
        let calendar = try await CaseSetupStore.calendar(sql)
        return .dispatch(
            unitID: unit == 0 ? rule.unitID : unit,
            respondBy: calendar.deadline(from: now, hours: rule.respondHours, working: rule.workingTime),
            resolveBy: calendar.deadline(from: now, hours: rule.resolveHours, working: rule.workingTime))
    }

    static func note(_ action: CaseAction) -> String {
        switch action {
        case .reject(let text), .resolveAtOnce(let text), .returnCase(let text), .reportBack(let text): text
        case .verify(_, let note): note
        case .rate(let rating, let comment, _): rating.rawValue + (comment.isEmpty ? "" : ": " + comment)
        default: ""
        }
    }

    static func comment(_ action: CaseAction) -> String? {
        if case .rate(_, let comment, _) = action { return comment }
        return nil
    }

    static func event(_ sql: any SQLDatabase, _ c: Case, at: Date, actor: Actor, action: String, from: CaseStatus?, note: String) async throws {
        try await sql.raw("""
            INSERT INTO case_events (case_id, community_id, at, actor_user_id, action, from_status, to_status, note)
            VALUES (\(bind: c.id), \(bind: c.communityID), \(bind: at.epochMillis), \(bind: actor.userID == 0 ? nil : actor.userID),
              \(bind: action), \(bind: from?.rawValue), \(bind: c.status.rawValue), \(bind: note))
            """).run()
    }
}
