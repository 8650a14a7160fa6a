import Foundation
import GongzhiDomain
import SQLKit

/// A case to seed as it stands after its history: the state it reached, the timeline that led there and the
/// mediation sessions of a dispute. Deadlines and times are given, not computed, because the history is in the past.
public struct CaseSeed: Sendable {
    /// One line of the case's timeline.
    public struct Event: Sendable, Equatable {
        public var action: String
        public var from: CaseStatus?
        public var to: CaseStatus
        public var at: Date
        public var note: String
        public init(action: String, from: CaseStatus?, to: CaseStatus, at: Date, note: String = "") {
            self.action = action
            self.from = from
            self.to = to
            self.at = at
            self.note = note
        }
    }

    public var kind: CaseKind
    public var channel: CaseChannel
    public var status: CaseStatus
    public var title: String
    public var description: String
    public var categoryID: Int64?
    /// Where it happened: a building, a grid or a community.
    public var place: Node
    /// The point (WGS 84); the place's own point when nil.
    public var latitude: Double?
    public var longitude: Double?
    public var reporterUserID: Int64?
    public var isPublic: Bool
    public var unitID: Int64?
    public var createdAt: Date
    public var respondBy: Date?
    public var resolveBy: Date?
    public var respondedAt: Date?
    public var closedAt: Date?
    public var rating: CaseRating?
    public var disputeGrade: DisputeGrade?
    /// In order; the last one ends in `status`.
    public var events: [Event]
    public var mediations: [MediationSession]
    /// The code of the public facility it is about (a registry facility of the place's community).
    public var facilityCode: String?
    /// The escalation level it reached (督办), with when; `addMany` only. A dispute's grade still sets the least.
    public var escalation: (level: Int, at: Date)?

    public init(
        kind: CaseKind, channel: CaseChannel, status: CaseStatus, title: String, description: String,
        categoryID: Int64?, place: Node, createdAt: Date, events: [Event]
    ) {
        self.kind = kind
        self.channel = channel
        self.status = status
        self.title = title
        self.description = description
        self.categoryID = categoryID
        self.place = place
        self.createdAt = createdAt
        self.events = events
        self.isPublic = false
        self.mediations = []
    }
}

/// The cases' fast path for seeding and imports: a case with its timeline and mediation sessions, numbered like a
/// case filed on its day.
///
/// It skips what `CaseCommands` does per step (the policy, the workflow, notices and one audit entry each), so it
/// is for the command line and importers only: it opens only on a transaction of `Actor.commandLine`
/// (`db.command(.commandLine, clock:)`) and refuses any other with `forbidden`. The caller writes one audit entry
/// for the whole batch. Title, description, point and mediation sessions are still checked, and the timeline must
/// end in the case's state.
public struct CaseBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Writes the case, its timeline and its sessions; returns its id and number.
    @discardableResult
    public func add(_ seed: CaseSeed) async throws -> (id: Int64, number: String) {
        let (title, description) = try Case.validate(title: seed.title, description: seed.description)
        let place = seed.place
        guard place.isOpen, let communityID = place.communityID else {
            throw DomainError.invalid("case_place_invalid", field: "place")
        }
        if let lat = seed.latitude, let lng = seed.longitude {
            guard (-90...90).contains(lat), (-180...180).contains(lng) else {
                throw DomainError.invalid("case_point_invalid", field: "lat")
            }
        }
        guard seed.events.last.map({ $0.to == seed.status }) ?? true else {
            throw DomainError.invalid("case_seed_history_mismatch", field: "events")
        }
        guard seed.mediations.isEmpty || seed.kind == .dispute else {
            throw DomainError.invalid("mediation_only_for_disputes", field: "mediation")
        }
        let sessions = try seed.mediations.map { try $0.validated() }
        let grade = seed.kind == .dispute ? seed.disputeGrade : nil
        if seed.kind == .dispute, grade == nil { throw DomainError.invalid("dispute_grade_required", field: "grade") }
        var point = seed.latitude.flatMap { lat in seed.longitude.map { (lat, $0) } }
        if point == nil { point = try await JurisdictionStore.point(tx.sql, of: place.id) }
        let sql = tx.sql
        var facilityID: Int64?
        if let code = seed.facilityCode {
            guard let found = try await RegistryStore.facilityID(sql, code: code, community: communityID) else {
                throw DomainError.invalid("case_facility_unknown", field: "facility", args: [code])
            }
            facilityID = found
        }
        let id = try await sql.raw(
            """
            INSERT INTO cases (number, kind, channel, status, title, description, category_id, community_id, node_id,
              node_path, grid_id, reporter_user_id, is_public, unit_id, created_at, respond_by, resolve_by, responded_at,
              closed_at, rating, updated_at, dispute_grade, escalation_level, latitude, longitude)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: seed.kind.rawValue), \(bind: seed.channel.rawValue),
              \(bind: seed.status.rawValue), \(bind: title), \(bind: description), \(bind: seed.categoryID),
              \(bind: communityID), \(bind: place.id), \(bind: place.path),
              \(bind: place.kind == .grid ? place.id : place.kind == .building ? place.parentID : nil),
              \(bind: seed.reporterUserID), \(bind: seed.isPublic ? 1 : 0), \(bind: seed.unitID),
              \(bind: seed.createdAt.epochMillis), \(bind: seed.respondBy?.epochMillis), \(bind: seed.resolveBy?.epochMillis),
              \(bind: seed.respondedAt?.epochMillis), \(bind: seed.closedAt?.epochMillis), \(bind: seed.rating?.rawValue),
              \(bind: (seed.events.last?.at ?? seed.createdAt).epochMillis), \(bind: grade?.rawValue),
              \(bind: grade?.watchLevel ?? 0), \(bind: point?.0), \(bind: point?.1))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        // Numbered like a case filed on its day: the id is part of the number, so it is set once the id is known.
        let number = CaseRow.number(filedAt: seed.createdAt, id: id)
        try await sql.raw(
            "UPDATE cases SET number = \(bind: number), facility_id = \(bind: facilityID) WHERE id = \(bind: id)"
        ).run()
        for session in sessions {
            try await sql.raw(
                """
                INSERT INTO mediation_sessions (case_id, community_id, at, method, mediator, parties, summary, agreement, outcome)
                VALUES (\(bind: id), \(bind: communityID), \(bind: session.at.epochMillis), \(bind: session.method.rawValue),
                  \(bind: session.mediator), \(bind: session.parties), \(bind: session.summary), \(bind: session.agreement),
                  \(bind: session.outcome.rawValue))
                """
            ).run()
        }
        for event in seed.events {
            try await sql.raw(
                """
                INSERT INTO case_events (case_id, community_id, at, actor_user_id, action, from_status, to_status, note)
                VALUES (\(bind: id), \(bind: communityID), \(bind: event.at.epochMillis), NULL, \(bind: event.action),
                  \(bind: event.from?.rawValue), \(bind: event.to.rawValue), \(bind: event.note))
                """
            ).run()
        }
        return (id, number)
    }
}

extension CaseBulk {
    /// Many cases at once, for a big demo or an import: the same checks as `add`, then the cases and their timelines
    /// in multi-row statements with ids reserved first (a case's number holds its id). A seed without a point stays
    /// without one. Seeds with mediation sessions or a facility go through `add` one by one.
    public func addMany(_ seeds: [CaseSeed]) async throws {
        var plain:
            [(seed: CaseSeed, title: String, description: String, communityID: Int64, point: (Double, Double)?)] =
                []
        for seed in seeds {
            guard seed.mediations.isEmpty, seed.facilityCode == nil else {
                try await add(seed)
                continue
            }
            let (title, description) = try Case.validate(title: seed.title, description: seed.description)
            guard seed.place.isOpen, let communityID = seed.place.communityID else {
                throw DomainError.invalid("case_place_invalid", field: "place")
            }
            var point: (Double, Double)?
            if let lat = seed.latitude, let lng = seed.longitude {
                guard (-90...90).contains(lat), (-180...180).contains(lng) else {
                    throw DomainError.invalid("case_point_invalid", field: "lat")
                }
                point = (lat, lng)
            }
            guard seed.events.last.map({ $0.to == seed.status }) ?? true else {
                throw DomainError.invalid("case_seed_history_mismatch", field: "events")
            }
            if seed.kind == .dispute, seed.disputeGrade == nil {
                throw DomainError.invalid("dispute_grade_required", field: "grade")
            }
            plain.append((seed, title, description, communityID, point))
        }
        guard !plain.isEmpty else { return }
        let ids = try await tx.reserveIDs("cases", count: plain.count)
        // 26 values a row: 400 rows stay well inside both databases' limits on bound values per statement.
        for start in stride(from: 0, to: plain.count, by: 400) {
            var q = SQLQueryString(
                """
                INSERT INTO cases (id, number, kind, channel, status, title, description, category_id, community_id,
                  node_id, node_path, grid_id, reporter_user_id, is_public, unit_id, created_at, respond_by, resolve_by,
                  responded_at, closed_at, rating, updated_at, dispute_grade, escalation_level, escalated_at, latitude,
                  longitude)
                VALUES
                """)
            for i in start..<min(plain.count, start + 400) {
                let (seed, title, description, communityID, point) = plain[i]
                let place = seed.place
                let grade = seed.kind == .dispute ? seed.disputeGrade : nil
                q =
                    q + (i == start ? " " : ", ")
                        + """
                        (\(bind: ids[i]), \(bind: CaseRow.number(filedAt: seed.createdAt, id: ids[i])), \(bind: seed.kind.rawValue),
                          \(bind: seed.channel.rawValue), \(bind: seed.status.rawValue), \(bind: title), \(bind: description),
                          \(bind: seed.categoryID), \(bind: communityID), \(bind: place.id), \(bind: place.path),
                          \(bind: place.kind == .grid ? place.id : place.kind == .building ? place.parentID : nil),
                          \(bind: seed.reporterUserID), \(bind: seed.isPublic ? 1 : 0), \(bind: seed.unitID),
                          \(bind: seed.createdAt.epochMillis), \(bind: seed.respondBy?.epochMillis),
                          \(bind: seed.resolveBy?.epochMillis), \(bind: seed.respondedAt?.epochMillis),
                          \(bind: seed.closedAt?.epochMillis), \(bind: seed.rating?.rawValue),
                          \(bind: (seed.events.last?.at ?? seed.createdAt).epochMillis), \(bind: grade?.rawValue),
                          \(bind: max(grade?.watchLevel ?? 0, seed.escalation?.level ?? 0)),
                          \(bind: seed.escalation?.at.epochMillis), \(bind: point?.0), \(bind: point?.1))
                        """
            }
            try await tx.sql.raw(q).run()
        }
        let events = plain.indices.flatMap { i in
            plain[i].seed.events.map { (caseID: ids[i], communityID: plain[i].communityID, event: $0) }
        }
        for start in stride(from: 0, to: events.count, by: 2000) {
            var q = SQLQueryString(
                """
                INSERT INTO case_events (case_id, community_id, at, actor_user_id, action, from_status, to_status, note)
                VALUES
                """)
            for i in start..<min(events.count, start + 2000) {
                let (caseID, communityID, event) = events[i]
                q =
                    q + (i == start ? " " : ", ")
                        + """
                        (\(bind: caseID), \(bind: communityID), \(bind: event.at.epochMillis), NULL, \(bind: event.action),
                          \(bind: event.from?.rawValue), \(bind: event.to.rawValue), \(bind: event.note))
                        """
            }
            try await tx.sql.raw(q).run()
        }
    }
}
