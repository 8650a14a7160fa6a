import Foundation
import GongzhiDomain
import SQLKit

/// What someone reports.
public struct CaseSubmission: Sendable, Equatable {
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
    /// Answers to the category's attributes (Open311 `attribute[code]`), checked against its service definition
    /// and stored; nil where the channel does not ask them (the web form).
    public var attributes: [String: [String]]?
    /// The token a batch Open311 request is answered with, resolved to the number once the case is accepted.
    public var open311Token: String?
    /// Who called or came in, when staff file on the hotline or walk-in channel (sealed in storage).
    public var caller: Caller?
    /// The code of the public facility the case is about (a registry facility of the case's community).
    public var facilityCode: String?
    public init(
        kind: CaseKind = .appeal, channel: CaseChannel = .web, title: String, description: String,
        categoryID: Int64? = nil,
        nodeID: Int64, isPublic: Bool = false, latitude: Double? = nil, longitude: Double? = nil
    ) {
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

    /// What an idempotency key is bound to: a retry must send the same request.
    var fingerprint: String {
        var parts: [String] = [
            kind.rawValue, channel.rawValue, title, description, categoryID.map { "\($0)" } ?? "", "\(nodeID)",
            isPublic ? "1" : "0",
            latitude.map { "\($0)" } ?? "", longitude.map { "\($0)" } ?? "", disputeGrade?.rawValue ?? "",
            "\(photos.count)", caller == nil ? "" : "caller", facilityCode ?? "",
        ]
        let answers: [(key: String, value: [String])] = (attributes ?? [:]).sorted { $0.key < $1.key }
        for answer in answers { parts.append(answer.key + "=" + answer.value.joined(separator: ",")) }
        return Secrets.sha256Hex(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|"))
    }
}

struct IdempotentReplay: Error {}

/// The case module's one writer: `submit` files a case, `perform` takes every later step. Each is one transaction
/// with the timeline line, the notices and the audit entry the domain's transition names; a step taken on a version
/// someone else changed meanwhile is refused.
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

    // MARK: - perform

    /// Takes one step on a case: loads it, asks `CasePolicy.require`, applies `CaseWorkflow.transition`, and saves the
    /// next state (only if the case is still at `expectedVersion`, when given), the side-table rows, the timeline
    /// line, the notices and the audit entry — all in one transaction.
    @discardableResult
    public func perform(
        _ actor: Actor, _ caseID: Int64, _ command: CaseCommand, expectedVersion: Int? = nil
    ) async throws -> Case {
        try await perform(actor, caseID, command, expectedVersion: expectedVersion, callerProven: false)
    }

    /// What one case of a bulk step came to: its next state, or why it was refused.
    public enum BulkOutcome: Sendable {
        case done(Case)
        case refused(DomainError)
    }

    /// Takes the same step on each case in turn, each through `perform` in its own transaction (policy, version check,
    /// notices and audit entry per case), so one refusal leaves the others done. `versions` holds the version each case
    /// was seen at, where known. Errors other than refusals (the database failing) end the run.
    public func performEach(
        _ actor: Actor, _ ids: [Int64], _ step: CaseBulkStep, versions: [Int64: Int] = [:]
    ) async throws -> [(id: Int64, outcome: BulkOutcome)] {
        var seen = Set<Int64>()
        var out: [(id: Int64, outcome: BulkOutcome)] = []
        for id in ids where seen.insert(id).inserted {
            do {
                out.append((id, .done(try await perform(actor, id, step.command, expectedVersion: versions[id]))))
            } catch let error as DomainError {
                out.append((id, .refused(error)))
            }
        }
        return out
    }

    /// `perform`, for a caller whose tracking code the store checked (`performAsCaller`).
    func perform(
        _ actor: Actor, _ caseID: Int64, _ command: CaseCommand, expectedVersion: Int?, callerProven: Bool
    ) async throws -> Case {
        if case .addPhoto(let bytes) = command { _ = try PhotoRules.contentType(of: bytes) }
        return try await db.command(actor, clock: clock) { tx in
            guard let (row, base) = try await CaseStore.loaded(tx.sql, caseID, actor: actor, now: tx.now) else {
                throw DomainError.notFound
            }
            let current = row.value
            var context = try await CaseStore.context(tx.sql, for: actor, on: current, base: base, command: command)
            context.callerProven = callerProven
            // Who may not even see the case learns nothing; who acted on an older version is told it changed first.
            try CasePolicy.requireReach(command.capability, of: actor, on: current, in: context)
            if let expectedVersion, expectedVersion != current.version {
                throw DomainError(.conflict, "case_changed_meanwhile")
            }
            let role = try CasePolicy.require(command.capability, of: actor, on: current, in: context)
            let transition = try CaseWorkflow.transition(command, of: current, by: actor, in: context)
            if transition.keepsCase {
                for effect in transition.effects { try await apply(effect, tx, current) }
                try await tx.audit(
                    AuditRecord(
                        action: "case.\(transition.action)", objectType: "case", objectID: "\(caseID)",
                        communityID: current.communityID, nodeID: current.nodeID),
                    role: role)
                return current
            }
            var next = transition.next
            guard try await CaseRow.save(tx.sql, next, expecting: current.version, at: tx.now) else {
                throw DomainError(.conflict, "case_changed_meanwhile")
            }
            next.version = current.version + 1
            for effect in transition.effects { try await apply(effect, tx, next) }
            try await Self.event(tx, next, action: transition.action, from: current.status, note: transition.note)
            let users = try await CaseNotices.users(tx.sql, transition.audience, of: next, path: row.nodePath)
            try await Notifications.notify(
                tx, users: users, subject: CaseNotices.subject(next), kind: "case.\(transition.action)",
                channels: channels)
            try await tx.audit(
                AuditRecord(
                    action: "case.\(transition.action)", objectType: "case", objectID: "\(caseID)",
                    communityID: current.communityID,
                    nodeID: current.nodeID, before: transition.auditBefore, after: transition.auditAfter,
                    result: transition.auditResult),
                role: role)
            return next
        }
    }

    /// Writes the side-table rows of a transition.
    func apply(_ effect: CaseEffect, _ tx: Transaction, _ c: Case) async throws {
        let by = tx.actor.storedUserID
        switch effect {
        case .mediation(let m):
            try await tx.sql.raw(
                """
                INSERT INTO mediation_sessions (case_id, community_id, at, method, mediator, parties, summary, agreement, outcome, recorded_by)
                VALUES (\(bind: c.id), \(bind: c.communityID), \(bind: m.at.epochMillis), \(bind: m.method.rawValue), \(bind: m.mediator),
                  \(bind: m.parties), \(bind: m.summary), \(bind: m.agreement), \(bind: m.outcome.rawValue), \(bind: by))
                """
            ).run()
        case .photo(let type, let bytes):
            try await Self.insertPhoto(tx, caseID: c.id, communityID: c.communityID, type: type, bytes: bytes)
        case .gridStep(let step, let note):
            // 民主议事: the case becomes a topic of its community (or stays with the open topic it is linked to).
            if step == .referToDeliberation { try await TopicCommands.referCase(tx, c, note: note) }
            try await tx.sql.raw(
                """
                INSERT INTO case_grid_steps (case_id, community_id, step, at, by_user_id, note)
                VALUES (\(bind: c.id), \(bind: c.communityID), \(bind: step.rawValue), \(bind: tx.now.epochMillis), \(bind: by), \(bind: note))
                """
            ).run()
        case .extensionRequested(let request):
            try await tx.sql.raw(
                """
                INSERT INTO case_extension_requests (case_id, community_id, requested_by, requested_at, until, reason)
                VALUES (\(bind: c.id), \(bind: c.communityID), \(bind: by), \(bind: tx.now.epochMillis), \(bind: request.until.epochMillis),
                  \(bind: request.reason))
                """
            ).run()
        case .extensionDecided(let approved, let note):
            try await tx.sql.raw(
                """
                UPDATE case_extension_requests SET decided_by = \(bind: by), decided_at = \(bind: tx.now.epochMillis),
                  approved = \(bind: approved ? 1 : 0), note = \(bind: note)
                WHERE case_id = \(bind: c.id) AND decided_at IS NULL
                """
            ).run()
        case .mergedInto(let primary):
            try await Self.event(tx, primary, action: "merged_in", from: primary.status, note: c.number)
            // The duplicate's reporter had the same problem: they support the case that goes on and hear of it, and
            // so do the duplicate's followers.
            if let reporter = c.reporterUserID, reporter != primary.reporterUserID {
                try await tx.sql.raw(
                    """
                    INSERT INTO case_followers (case_id, community_id, user_id, supporter, following, created_at)
                    VALUES (\(bind: primary.id), \(bind: primary.communityID), \(bind: reporter), 1, 1, \(bind: tx.now.epochMillis))
                    ON CONFLICT (case_id, user_id) DO UPDATE SET supporter = 1, following = 1
                    """
                ).run()
            }
            try await tx.sql.raw(
                """
                INSERT INTO case_followers (case_id, community_id, user_id, supporter, following, created_at)
                SELECT \(bind: primary.id), \(bind: primary.communityID), f.user_id, f.supporter, f.following, \(bind: tx.now.epochMillis)
                FROM case_followers f WHERE f.case_id = \(bind: c.id)
                  AND f.user_id <> \(bind: primary.reporterUserID ?? 0)
                  AND NOT EXISTS (SELECT 1 FROM case_followers g WHERE g.case_id = \(bind: primary.id) AND g.user_id = f.user_id)
                """
            ).run()
        case .follow(let support):
            guard let by else { return }
            try await tx.sql.raw(
                """
                INSERT INTO case_followers (case_id, community_id, user_id, supporter, following, created_at)
                VALUES (\(bind: c.id), \(bind: c.communityID), \(bind: by), \(bind: support ? 1 : 0), 1, \(bind: tx.now.epochMillis))
                ON CONFLICT (case_id, user_id) DO UPDATE SET following = 1,
                  supporter = CASE WHEN excluded.supporter = 1 THEN 1 ELSE case_followers.supporter END
                """
            ).run()
        case .unfollow:
            guard let by else { return }
            // A supporter who stops following still counts as having the problem: only the notices stop.
            try await tx.sql.raw(
                "DELETE FROM case_followers WHERE case_id = \(bind: c.id) AND user_id = \(bind: by) AND supporter = 0"
            ).run()
            try await tx.sql.raw(
                "UPDATE case_followers SET following = 0 WHERE case_id = \(bind: c.id) AND user_id = \(bind: by)"
            ).run()
        }
    }

    static func insertPhoto(
        _ tx: Transaction, caseID: Int64, communityID: Int64, type: String, bytes: [UInt8]
    ) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO case_photos (case_id, community_id, content_type, bytes, size, uploaded_by, created_at)
            VALUES (\(bind: caseID), \(bind: communityID), \(bind: type), \(bind: Data(bytes)), \(bind: bytes.count),
              \(bind: tx.actor.storedUserID), \(bind: tx.now.epochMillis))
            """
        ).run()
    }

    static func event(_ tx: Transaction, _ c: Case, action: String, from: CaseStatus?, note: String) async throws {
        try await events(tx, [(c, action, from, note)])
    }

    /// Timeline lines of several cases, in multi-row inserts.
    static func events(
        _ tx: Transaction, _ lines: [(c: Case, action: String, from: CaseStatus?, note: String)]
    ) async throws {
        for start in stride(from: 0, to: lines.count, by: rowsPerStatement) {
            var q: SQLQueryString =
                "INSERT INTO case_events (case_id, community_id, at, actor_user_id, action, from_status, to_status, note) VALUES"
            for (i, line) in lines[start..<min(start + rowsPerStatement, lines.count)].enumerated() {
                let c = line.c
                q =
                    q + (i == 0 ? " " : ", ") + """
                        (\(bind: c.id), \(bind: c.communityID), \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID),
                          \(bind: line.action), \(bind: line.from?.rawValue), \(bind: c.status.rawValue), \(bind: line.note))
                        """
            }
            try await tx.sql.raw(q).run()
        }
    }

    // MARK: - escalation

    /// Raises every overdue case to the level its deadline calls for, in pages until none is left. Reads only the
    /// cases whose deadline has put them above their level (`cases_escalation_due`), so a tick over 50,000 overdue
    /// cases already at their level reads nothing, and raises each page in one transaction (`escalate`): the same
    /// policy and workflow as `perform`, the version check, one timeline line, the notices and one audit entry per
    /// case, written in a few multi-row statements under one hold of the audit chain's head.
    /// Safe to run from several instances at once: each case rises once (claimed, then checked against its version).
    @discardableResult
    public func escalateOverdue(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        var moved = 0
        for level in 0..<Escalation.maxLevel {
            // The deadline before which a case at `level` is due for more (level 1 → 2 after `secondLevelAfter`).
            let cutoff = level == 0 ? now : now.addingTimeInterval(-Escalation.secondLevelAfter)
            var after: (due: Int64, id: Int64) = (Int64.min, 0)
            while true {
                let from = after
                let due = try await db.read { sql in
                    try await sql.raw(
                        """
                        SELECT id, version, resolve_by FROM cases WHERE status IN ('dispatched','handling','reportedBack')
                        AND escalation_level = \(bind: level) AND resolve_by < \(bind: cutoff.epochMillis)
                        AND (resolve_by > \(bind: from.due) OR (resolve_by = \(bind: from.due) AND id > \(bind: from.id)))
                        ORDER BY resolve_by, id LIMIT \(bind: batch)
                        """
                    ).all().map {
                        (
                            id: try $0.decode(column: "id", as: Int64.self),
                            version: try $0.decode(column: "version", as: Int.self),
                            due: try $0.decode(column: "resolve_by", as: Int64.self)
                        )
                    }
                }
                moved += try await escalate(due.map { ($0.id, $0.version) })
                guard due.count == batch, let last = due.last else { break }
                after = (last.due, last.id)
            }
        }
        return moved
    }

    /// Rows of one multi-row statement of the escalation step.
    static let rowsPerStatement = 400

    /// Takes `.escalateOverdue` on a page of cases, each seen at a version, in one transaction, and returns how many
    /// rose. The cases are claimed (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so another instance's page is passed over;
    /// SQLite holds the write lock), and one changed since it was seen, not due any more or claimed elsewhere is
    /// left for the next tick. Each is decided by `CasePolicy` and `CaseWorkflow` exactly as `perform` decides it;
    /// the rises are saved with the version check in one `UPDATE` per level reached, their timeline lines and notices
    /// in multi-row inserts, and their audit entries (one per case) chained under one hold of the head.
    func escalate(_ page: [(id: Int64, version: Int)]) async throws -> Int {
        guard !page.isEmpty else { return 0 }
        let seen = Dictionary(page.map { ($0.id, $0.version) }, uniquingKeysWith: { first, _ in first })
        let actor = Actor.system
        return try await db.command(actor, clock: clock) { tx in
            let claim = tx.backend == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await tx.sql.raw(
                "SELECT * FROM cases WHERE id IN (\(binds: seen.keys.sorted())) ORDER BY id\(unsafeRaw: claim)"
            ).all().map(CaseRow.decode)
            var steps: [(row: CaseRow, transition: CaseTransition, role: Role)] = []
            for row in rows where seen[row.id] == row.version {
                let current = row.value
                let context = CaseContext(now: tx.now, path: row.nodePath)
                do {
                    try CasePolicy.requireReach(.escalateOverdue, of: actor, on: current, in: context)
                    let role = try CasePolicy.require(.escalateOverdue, of: actor, on: current, in: context)
                    let transition = try CaseWorkflow.transition(.escalateOverdue, of: current, by: actor, in: context)
                    steps.append((row, transition, role))
                } catch {
                    continue  // Not due at its level any more: nothing to do.
                }
            }
            let raised = try await saveRaised(tx, steps)
            guard !raised.isEmpty else { return 0 }
            var done: [(row: CaseRow, transition: CaseTransition, next: Case)] = []
            for step in steps {
                guard raised.contains(step.row.id) else { continue }
                var next = step.transition.next
                next.version = step.row.version + 1
                for effect in step.transition.effects { try await apply(effect, tx, next) }
                done.append((step.row, step.transition, next))
            }
            try await Self.events(
                tx, done.map { ($0.next, $0.transition.action, $0.row.value.status, $0.transition.note) })
            let users = try await CaseNotices.users(
                tx.sql, done.map { ($0.transition.audience, $0.next, $0.row.nodePath) })
            try await Notifications.notify(
                tx,
                zip(done, users).map { step, users in
                    (users, CaseNotices.subject(step.next), "case.\(step.transition.action)")
                },
                channels: channels)
            try await tx.audit(
                done.map { step in
                    AuditRecord(
                        action: "case.\(step.transition.action)", objectType: "case", objectID: "\(step.row.id)",
                        communityID: step.row.communityId, nodeID: step.row.nodeId,
                        before: step.transition.auditBefore, after: step.transition.auditAfter,
                        result: step.transition.auditResult)
                },
                role: steps.first?.role)
            return done.count
        }
    }

    /// Saves the next states of a page of transitions with the version check and returns the ids saved. A rise (the
    /// next state differs from the current only in its escalation level and time) goes into one `UPDATE` per level and
    /// time reached; any other next state is saved whole, case by case.
    func saveRaised(
        _ tx: Transaction, _ steps: [(row: CaseRow, transition: CaseTransition, role: Role)]
    ) async throws -> Set<Int64> {
        var saved = Set<Int64>()
        var rises: [[Int64?]: [(id: Int64, version: Int)]] = [:]
        for step in steps {
            let current = step.row.value
            var next = step.transition.next
            let level = next.escalationLevel
            let at = next.escalatedAt
            next.escalationLevel = current.escalationLevel
            next.escalatedAt = current.escalatedAt
            if next == current {
                rises[[Int64(level), at?.epochMillis], default: []].append((step.row.id, step.row.version))
            } else if try await CaseRow.save(tx.sql, step.transition.next, expecting: step.row.version, at: tx.now) {
                saved.insert(step.row.id)
            }
        }
        for (key, cases) in rises.sorted(by: { ($0.key[0] ?? 0) < ($1.key[0] ?? 0) }) {
            for start in stride(from: 0, to: cases.count, by: Self.rowsPerStatement) {
                var q: SQLQueryString = """
                    UPDATE cases SET escalation_level = \(bind: key[0]), escalated_at = \(bind: key[1]),
                      updated_at = \(bind: tx.now.epochMillis), version = version + 1 WHERE
                    """
                for (i, c) in cases[start..<min(start + Self.rowsPerStatement, cases.count)].enumerated() {
                    q = q + (i == 0 ? " " : " OR ") + "(id = \(bind: c.id) AND version = \(bind: c.version))"
                }
                for row in try await tx.sql.raw(q + " RETURNING id").all() {
                    saved.insert(try row.decode(column: "id", as: Int64.self))
                }
            }
        }
        return saved
    }

    // MARK: - submit

    /// Files a new case. With an `idempotencyKey`, a repeat of the same request by the same user returns the case
    /// the first one created instead of filing it twice; the same key with a different request is refused.
    public func submit(_ actor: Actor, _ input: CaseSubmission, idempotencyKey: String? = nil) async throws -> Case {
        try await submit(actor, input, idempotencyKey: idempotencyKey, then: nil)
    }

    /// `submit`, with more writes of the caller's in the same transaction (a report draft removed once it is filed).
    func submit(
        _ actor: Actor, _ input: CaseSubmission, idempotencyKey: String?,
        then: (@Sendable (Transaction, Case) async throws -> Void)?
    ) async throws -> Case {
        let key = idempotencyKey?.trimmingCharacters(in: .whitespaces).prefix(200).description
        let scope = "case.submit"
        if let key, !key.isEmpty, let first = try await Idempotency.find(db, scope: scope, actor: actor, key: key) {
            return try await replay(first, input)
        }
        let (title, description) = try Case.validate(title: input.title, description: input.description)
        guard input.photos.count <= PhotoRules.maxPerCase else {
            throw DomainError.invalid("photo_too_many", field: "photo", args: ["\(PhotoRules.maxPerCase)"])
        }
        for photo in input.photos { _ = try PhotoRules.contentType(of: photo) }
        if let lat = input.latitude, let lng = input.longitude {
            guard (-90...90).contains(lat), (-180...180).contains(lng) else {
                throw DomainError.invalid("case_point_invalid", field: "lat")
            }
        }
        do {
            return try await db.command(actor, clock: clock) { tx in
                let created = try await insert(tx, input, title: title, description: description)
                try await then?(tx, created)
                if let key, !key.isEmpty {
                    try await Idempotency.record(
                        tx, scope: scope, key: key, fingerprint: input.fingerprint, result: "\(created.id)")
                }
                return created
            }
        } catch is IdempotentReplay {
            guard let key, let first = try await Idempotency.find(db, scope: scope, actor: actor, key: key) else {
                throw DomainError(.conflict, "case_changed_meanwhile")
            }
            return try await replay(first, input)
        }
    }

    func replay(_ first: Idempotency.Entry, _ input: CaseSubmission) async throws -> Case {
        // Keys carried over from before fingerprints were kept replay whatever the body.
        guard first.fingerprint.isEmpty || first.fingerprint == input.fingerprint else {
            throw DomainError.invalid("idempotency_key_reused", field: "idempotency_key")
        }
        guard let id = Int64(first.result), let row = try await db.read({ sql in try await CaseStore.row(sql, id) })
        else {
            throw DomainError.notFound
        }
        return row.value
    }

    func insert(_ tx: Transaction, _ input: CaseSubmission, title: String, description: String) async throws -> Case {
        let sql = tx.sql
        let actor = tx.actor
        guard let node = try await JurisdictionStore.node(sql, input.nodeID), node.isOpen,
            let communityID = node.communityID
        else {
            throw DomainError.invalid("case_place_invalid", field: "place")
        }
        var home: Int64? = nil
        if let user = actor.storedUserID { home = try await AccountStore.user(sql, user)?.communityID }
        let role = try CasePolicy.requireSubmit(
            actor, kind: input.kind, channel: input.channel, placePath: node.path,
            placeCommunityID: communityID, homeCommunityID: home)
        let grade = input.kind == .dispute ? input.disputeGrade : nil
        if input.kind == .dispute, grade == nil { throw DomainError.invalid("dispute_grade_required", field: "grade") }
        var answers: [(String, String)] = []
        if let category = input.categoryID {
            guard
                let row = try await sql.raw(
                    "SELECT id, service_type, attributes, public_by_default FROM case_categories WHERE id = \(bind: category) AND closed_at IS NULL"
                ).first()
            else {
                throw DomainError.invalid("category_unknown", field: "category")
            }
            if let posted = input.attributes { answers = try CaseSetupStore.decodeSettings(row).check(posted) }
        }
        var facilityID: Int64?
        if let code = input.facilityCode, !code.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let found = try await RegistryStore.facilityID(sql, code: code, community: communityID) else {
                throw DomainError.invalid("case_facility_unknown", field: "facility", args: [code])
            }
            facilityID = found
        }
        // The reporter's point if given, otherwise where the building stands (from the jurisdiction store).
        var point = input.latitude.flatMap { lat in input.longitude.map { (lat, $0) } }
        if point == nil { point = try await JurisdictionStore.point(sql, of: node.id) }
        let now = tx.now
        let temp = "tmp-\(UUID().uuidString)"
        let id = try await sql.raw(
            """
            INSERT INTO cases (number, kind, channel, status, title, description, category_id, community_id, node_id, node_path,
              reporter_user_id, is_public, created_at, updated_at, grid_id, latitude, longitude, dispute_grade, escalation_level)
            VALUES (\(bind: temp), \(bind: input.kind.rawValue), \(bind: input.channel.rawValue), 'submitted', \(bind: title),
              \(bind: description), \(bind: input.categoryID), \(bind: communityID), \(bind: node.id), \(bind: node.path),
              \(bind: actor.storedUserID), \(bind: input.isPublic ? 1 : 0), \(bind: now.epochMillis), \(bind: now.epochMillis),
              \(bind: node.kind == .grid ? node.id : node.kind == .building ? node.parentID : nil),
              \(bind: point?.0), \(bind: point?.1), \(bind: grade?.rawValue), \(bind: grade?.watchLevel ?? 0))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let number = CaseRow.number(filedAt: now, id: id)
        try await sql.raw(
            "UPDATE cases SET number = \(bind: number), facility_id = \(bind: facilityID) WHERE id = \(bind: id)"
        ).run()
        guard let created = try await CaseStore.row(sql, id)?.value else { throw DomainError.notFound }
        try await Self.event(tx, created, action: "submit", from: nil, note: "")
        for photo in input.photos {
            try await Self.insertPhoto(
                tx, caseID: id, communityID: communityID, type: try PhotoRules.contentType(of: photo), bytes: photo)
        }
        for (code, value) in answers {
            try await sql.raw(
                "INSERT INTO case_attributes (case_id, community_id, code, value) VALUES (\(bind: id), \(bind: communityID), \(bind: code), \(bind: value))"
            ).run()
        }
        if let caller = input.caller {
            guard Caller.channels.contains(input.channel) else {
                throw DomainError.invalid("caller_only_for_hotline", field: "caller_name")
            }
            try await CaseCallers.insert(tx, caseID: id, communityID: communityID, caller: caller)
        }
        if let token = input.open311Token {
            try await sql.raw(
                "INSERT INTO open311_tokens (token, case_id, community_id) VALUES (\(bind: token), \(bind: id), \(bind: communityID))"
            ).run()
        }
        let users = try await CaseNotices.users(sql, [.communityWorkers], of: created, path: node.path)
        try await Notifications.notify(
            tx, users: users, subject: CaseNotices.subject(created), kind: "case.submit", channels: channels)
        try await tx.audit(
            AuditRecord(
                action: "case.submit", objectType: "case", objectID: "\(id)", communityID: communityID, nodeID: node.id,
                after: AuditJSON.encode([
                    "number": number, "kind": input.kind.rawValue, "channel": input.channel.rawValue,
                    "caller": input.caller == nil ? "no" : "recorded",
                ])), role: role)
        return created
    }
}
