import Foundation
import GongzhiDomain
import SQLKit

/// A full view of someone's record, as that person is shown it: who looked, in which role, when, at what and why.
public struct RecordView: Sendable, Equatable, Encodable {
    public var at: Date
    public var viewer: String
    public var role: Role?
    /// `id_number`, `phone`, or `sensitive_tags`.
    public var field: String
    public var reason: String
}

/// What the registry holds about a signed-in resident: their own record in full, their household, and every full
/// view of it by staff (PIPL art. 44–45: the right to know and to access).
public struct OwnRecord: Sendable, Encodable {
    public var personID: Int64
    public var name: String
    public var documentKind: DocumentKind
    public var documentNumber: String
    public var phone: String?
    public var sex: Sex
    public var birthDate: CalendarDate
    public var building: String?
    public var room: String?
    public var residence: ResidenceStatus
    public var residencePermit: ResidencePermit?
    public var householdNumber: String?
    public var relation: HouseholdRelation?
    public var household: [Member]
    public var tags: [PersonTag]
    public var views: [RecordView]

    public struct Member: Sendable, Equatable, Encodable {
        public var name: String
        public var relation: HouseholdRelation?
    }
}

extension RegistryStore {
    /// How many failed attempts to claim a record an account has within a day before it must wait.
    public static let bindAttemptsPerDay = 5

    /// The signed-in resident's own record, or nil when their account is bound to none yet.
    public func ownRecord(for actor: Actor) async throws -> OwnRecord? {
        guard actor.principal == .user, let userID = actor.storedUserID else { throw DomainError.forbidden }
        let box = try box()
        return try await db.read { sql in
            guard
                let personID = try await sql.raw(
                    "SELECT person_id FROM registry_person_accounts WHERE user_id = \(bind: userID)"
                ).first()?.decode(column: "person_id", as: Int64.self),
                let r = try await Self.row(sql, personID, box: box), !r.anonymised
            else { return nil }
            var household: [OwnRecord.Member] = []
            if let id = r.person.householdID {
                household = try await sql.raw(
                    SQLQueryString("SELECT \(unsafeRaw: PersonRow.columns) FROM \(unsafeRaw: PersonRow.from) ")
                        + "WHERE p.household_id = \(bind: id) AND p.id <> \(bind: personID) AND p.moved_out_on IS NULL ORDER BY p.id"
                ).all().map {
                    let m = try PersonRow.decode($0, box: box)
                    return OwnRecord.Member(name: m.person.name, relation: m.person.relation)
                }
            }
            let views = try await sql.raw(
                """
                SELECT at, actor_name, role, action, after_state FROM audit_log
                WHERE object_type = 'person' AND object_id = \(bind: "\(personID)")
                AND action IN ('registry.person.reveal', 'registry.person.sensitive_view') ORDER BY seq DESC LIMIT 200
                """
            ).all().map { row in
                let after = try row.decode(column: "after_state", as: String?.self) ?? "{}"
                let fields = (try? JSONSerialization.jsonObject(with: Data(after.utf8))) as? [String: Any] ?? [:]
                let action = try row.decode(column: "action", as: String.self)
                return RecordView(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    viewer: try row.decode(column: "actor_name", as: String.self),
                    role: try row.decode(column: "role", as: String?.self).flatMap(Role.init(rawValue:)),
                    field: action == "registry.person.sensitive_view"
                        ? "sensitive_tags" : fields["field"] as? String ?? "",
                    reason: fields["reason"] as? String ?? "")
            }
            let p = r.person
            return OwnRecord(
                personID: p.id, name: p.name, documentKind: p.document.kind, documentNumber: p.document.number,
                phone: p.phone?.formatted, sex: p.sex, birthDate: p.birthDate, building: r.buildingName,
                room: p.address.room.map { room in p.address.unit.map { "\($0)-\(room)" } ?? room },
                residence: p.residence, residencePermit: p.residencePermit, householdNumber: r.householdNumber,
                relation: p.relation, household: household, tags: p.tags, views: views)
        }
    }

    /// Claims the record that holds both the resident's ID number and phone, in the community of their home. A
    /// mismatch says only "not found" and counts as a failed attempt; `bindAttemptsPerDay` of them in a day and
    /// the account must wait.
    public func bindOwnRecord(
        _ actor: Actor, idNumber: String, phone rawPhone: String, homeNodeID: Int64?, clock: Clock
    ) async throws {
        guard actor.principal == .user, let userID = actor.storedUserID else { throw DomainError.forbidden }
        let number = IdentityDocument.normalise(idNumber)
        guard !number.isEmpty else { throw DomainError.invalid("id_number_required", field: "id_number") }
        let phone = try PhoneNumber.parse(rawPhone)
        let box = try box()
        let failedAttempt: Bool = try await db.command(actor, clock: clock) { tx in
            let since = tx.now.addingTimeInterval(-86400).epochMillis
            let failures = try await tx.sql.raw(
                """
                SELECT COUNT(*) AS n FROM audit_log WHERE actor_user_id = \(bind: userID)
                AND action = 'registry.self.bind' AND result = 'refused' AND at >= \(bind: since)
                """
            ).first()!.decode(column: "n", as: Int.self)
            guard failures < Self.bindAttemptsPerDay else { throw DomainError(.tooManyAttempts, "bind_too_many") }
            guard
                let home = try await homeNodeID.asyncMap({ try await JurisdictionStore.node(tx.sql, $0) }) ?? nil,
                let community = home.communityID
            else { throw DomainError.invalid("bind_no_home", field: "id_number") }
            let row = try await tx.sql.raw(
                SQLQueryString(
                    "SELECT id, community_id FROM registry_people WHERE community_id = \(bind: community) AND phone_index = "
                ) + "\(bind: try SealedPerson.phoneIndex(phone.digits, box: box)) AND document_index IN ("
                    + Self.binds(try SealedPerson.documentIndexes(number, box: box))
                    + ") AND anonymised_at IS NULL AND moved_out_on IS NULL"
            ).first()
            guard let row else {
                try await tx.audit(
                    AuditRecord(
                        action: "registry.self.bind", objectType: "person", objectID: "", communityID: community,
                        result: "refused"),
                    role: actor.ownRole)
                return true
            }
            let personID = try row.decode(column: "id", as: Int64.self)
            if try await tx.sql.raw(
                "SELECT user_id FROM registry_person_accounts WHERE person_id = \(bind: personID) OR user_id = \(bind: userID)"
            ).first() != nil {
                throw DomainError(.conflict, "bind_taken", field: "id_number")
            }
            try await tx.sql.raw(
                """
                INSERT INTO registry_person_accounts (person_id, community_id, user_id, bound_at)
                VALUES (\(bind: personID), \(bind: community), \(bind: userID), \(bind: tx.now.epochMillis))
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: "registry.self.bind", objectType: "person", objectID: "\(personID)", communityID: community),
                role: actor.ownRole)
            return false
        }
        // The refusal is recorded (committed) before it is said.
        if failedAttempt { throw DomainError.invalid("bind_not_found", field: "id_number") }
    }
}
