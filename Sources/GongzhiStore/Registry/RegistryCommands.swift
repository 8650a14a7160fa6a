import Foundation
import GongzhiDomain
import SQLKit

/// What a registry command left: the record's id and its new version (the `ETag` of the API).
public struct PersonOutcome: Sendable, Encodable {
    public var id: Int64
    public var version: Int
}

/// The registry's one writer for people: every change loads the record, asks `RegistryPolicy`, checks the record
/// and its household, seals and indexes the personal data, writes the move history and the audit entry (masked:
/// the audit log never holds a document number or phone), in one transaction.
public struct RegistryCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock) {
        self.db = db
        self.clock = clock
    }

    @discardableResult
    public func perform(
        _ actor: Actor, person id: Int64?, _ command: RegistryCommand, expectedVersion: Int? = nil
    ) async throws -> PersonOutcome {
        try await db.command(actor, clock: clock) { tx in
            try await Self.apply(tx, person: id, command, expectedVersion: expectedVersion, checked: true)
        }
    }

    /// The step itself; `checked: false` only for the command line's bulk import (`RegistryBulk`).
    static func apply(
        _ tx: Transaction, person id: Int64?, _ command: RegistryCommand, expectedVersion: Int?, checked: Bool
    ) async throws -> PersonOutcome {
        let box = try tx.requirePersonalData()
        let sql = tx.sql
        let today = CalendarDate(tx.now)
        var before: PersonRow?
        var role: Role?
        if let id {
            guard let row = try await RegistryStore.row(sql, id, box: box) else { throw DomainError.notFound }
            if checked { try RegistryPolicy.require(.view, of: tx.actor, at: row.place) }
            if let expectedVersion, expectedVersion != row.person.version {
                throw DomainError(.conflict, "person_changed_meanwhile")
            }
            if checked { role = try RegistryPolicy.require(command.capability, of: tx.actor, at: row.place) }
            guard !row.anonymised else { throw DomainError.invalid("person_anonymised") }
            before = row
        }
        switch command {
        case .register(let draft), .amend(let draft):
            if case .register = command, id != nil { throw DomainError.invalid("person_exists") }
            if case .amend = command, before == nil { throw DomainError.notFound }
            return try await write(tx, draft, before: before, role: role, checked: checked, box: box, today: today)
        case .moveOut(let day):
            guard let before else { throw DomainError.notFound }
            guard before.person.movedOutOn == nil else { throw DomainError.invalid("person_moved_out") }
            if let movedIn = before.person.movedInOn, day < movedIn {
                throw DomainError.invalid("moved_out_before_in", field: "moved_out_on")
            }
            guard day <= today else { throw DomainError.invalid("date_in_future", field: "moved_out_on") }
            try await leaveHousehold(sql, before.person, staying: nil)
            try await sql.raw(
                """
                UPDATE registry_people SET moved_out_on = \(bind: day.description), household_id = NULL, relation = NULL,
                  version = version + 1, updated_at = \(bind: tx.now.epochMillis)
                WHERE id = \(bind: before.person.id) AND version = \(bind: before.person.version)
                """
            ).run()
            try await move(tx, before.person, kind: "out", on: day)
            var after = before.person
            after.movedOutOn = day
            after.householdID = nil
            after.relation = nil
            try await audit(tx, command, after, before: before.person, role: role)
            return PersonOutcome(id: before.person.id, version: before.person.version + 1)
        case .anonymise:
            guard let before else { throw DomainError.notFound }
            try await sql.raw("DELETE FROM registry_person_terms WHERE person_id = \(bind: before.person.id)").run()
            try await sql.raw(
                "DELETE FROM registry_person_tags WHERE person_id = \(bind: before.person.id) AND tag LIKE 'h:%'"
            ).run()
            try await sql.raw(
                """
                UPDATE registry_people SET name_sealed = \(bind: try box.seal("已匿名")), document_sealed = \(bind: try box.seal("")),
                  document_index = NULL, phone_sealed = NULL, phone_index = NULL, phone_tail_index = NULL,
                  sensitive_sealed = NULL, anonymised_at = \(bind: tx.now.epochMillis), version = version + 1,
                  updated_at = \(bind: tx.now.epochMillis)
                WHERE id = \(bind: before.person.id) AND version = \(bind: before.person.version)
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: command.action, objectType: "person", objectID: "\(before.person.id)",
                    communityID: before.person.communityID, nodeID: before.person.address.buildingID,
                    before: AuditJSON.encode(PersonAuditSnapshot(before.person)),
                    after: AuditJSON.encode(["anonymised": true])),
                role: role)
            return PersonOutcome(id: before.person.id, version: before.person.version + 1)
        }
    }

    /// A new record or the whole of one as it should read.
    static func write(
        _ tx: Transaction, _ draft: PersonDraft, before: PersonRow?, role: Role?, checked: Bool,
        box: PersonalDataBox, today: CalendarDate
    ) async throws -> PersonOutcome {
        let sql = tx.sql
        guard let buildingID = draft.buildingID, let building = try await JurisdictionStore.node(sql, buildingID),
            building.kind == .building, building.isOpen, let communityID = building.communityID
        else { throw DomainError.invalid("building_unknown", field: "building") }
        var role = role
        if checked { role = try RegistryPolicy.require(.edit, of: tx.actor, at: building.path) }
        // The room must be one of the building's houses (registered first, as the door reads).
        var houseID: Int64?
        if !draft.room.isEmpty {
            houseID = try await sql.raw(
                """
                SELECT id FROM registry_houses WHERE building_id = \(bind: buildingID) AND unit = \(bind: draft.unit)
                AND room = \(bind: draft.room)
                """
            ).first()?.decode(column: "id", as: Int64.self)
            guard houseID != nil else {
                throw DomainError.invalid(
                    "room_unknown", field: "room",
                    args: [draft.unit.isEmpty ? draft.room : "\(draft.unit)-\(draft.room)"])
            }
        } else if !draft.unit.isEmpty {
            throw DomainError.invalid("room_required", field: "room")
        }
        let selfID = before?.person.id ?? 0
        let documentIndex = try SealedPerson.documentIndex(draft.document, box: box)
        if try await sql.raw(
            "SELECT id FROM registry_people WHERE document_index = \(bind: documentIndex) AND id <> \(bind: selfID)"
        ).first() != nil {
            throw DomainError(.conflict, "id_number_duplicate", field: "id_number")
        }
        // The household named by its number: found in the community, or made by its head.
        var householdID: Int64?
        var newHousehold = false
        if let number = draft.householdNumber {
            householdID = try await sql.raw(
                """
                SELECT id FROM registry_households WHERE community_id = \(bind: communityID) AND number = \(bind: number)
                """
            ).first()?.decode(column: "id", as: Int64.self)
            if householdID == nil {
                guard draft.relation == .head else {
                    throw DomainError.invalid("household_unknown", field: "household", args: [number])
                }
                newHousehold = true
            }
        }
        var person = draft.person(
            id: selfID, communityID: communityID, householdID: householdID ?? (newHousehold ? 0 : nil),
            version: (before?.person.version ?? 0) + 1)
        try person.check(today: today)
        if let householdID {
            var members = try await householdMembers(sql, householdID, except: selfID)
            members.append(Household.Member(label: person.name, relation: person.relation, birthDate: person.birthDate))
            try Household.validate(members: members, today: today)
        } else if newHousehold {
            try Household.validate(
                members: [Household.Member(label: person.name, relation: .head, birthDate: person.birthDate)],
                today: today)
        }
        if let before, before.person.householdID != nil,
            before.person.householdID != householdID || (before.person.relation == .head && person.relation != .head)
        {
            try await leaveHousehold(sql, before.person, staying: householdID)
        }
        let sealed = try SealedPerson(person, box: box)
        let now = tx.now.epochMillis
        let id: Int64
        if let before {
            guard
                try await sql.raw(
                    """
                    UPDATE registry_people SET community_id = \(bind: communityID), building_id = \(bind: buildingID),
                      house_id = \(bind: houseID), household_id = \(bind: householdID), relation = \(bind: person.relation?.rawValue),
                      name_sealed = \(bind: sealed.name), document_kind = \(bind: person.document.kind.rawValue),
                      document_sealed = \(bind: sealed.document), document_index = \(bind: sealed.documentIndex),
                      phone_sealed = \(bind: sealed.phone), phone_index = \(bind: sealed.phoneIndex),
                      phone_tail_index = \(bind: sealed.phoneTailIndex), sex = \(bind: person.sex.rawValue),
                      birth_date = \(bind: person.birthDate.description), ethnicity = \(bind: person.ethnicity?.rawValue),
                      residence = \(bind: person.residence.rawValue), permit_start = \(bind: person.residencePermit?.start.description),
                      permit_end = \(bind: person.residencePermit?.end.description), moved_in_on = \(bind: person.movedInOn?.description),
                      tags = \(bind: sealed.ordinaryTags), sensitive_sealed = \(bind: sealed.sensitive),
                      version = version + 1, updated_at = \(bind: now)
                    WHERE id = \(bind: before.person.id) AND version = \(bind: before.person.version) RETURNING id
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "person_changed_meanwhile") }
            id = before.person.id
            try await sql.raw("DELETE FROM registry_person_terms WHERE person_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM registry_person_tags WHERE person_id = \(bind: id)").run()
        } else {
            id = try await sql.raw(
                """
                INSERT INTO registry_people (community_id, building_id, house_id, household_id, relation, name_sealed,
                  document_kind, document_sealed, document_index, phone_sealed, phone_index, phone_tail_index, sex,
                  birth_date, ethnicity, residence, permit_start, permit_end, moved_in_on, tags, sensitive_sealed,
                  created_at, updated_at)
                VALUES (\(bind: communityID), \(bind: buildingID), \(bind: houseID), \(bind: householdID),
                  \(bind: person.relation?.rawValue), \(bind: sealed.name), \(bind: person.document.kind.rawValue),
                  \(bind: sealed.document), \(bind: sealed.documentIndex), \(bind: sealed.phone), \(bind: sealed.phoneIndex),
                  \(bind: sealed.phoneTailIndex), \(bind: person.sex.rawValue), \(bind: person.birthDate.description),
                  \(bind: person.ethnicity?.rawValue), \(bind: person.residence.rawValue),
                  \(bind: person.residencePermit?.start.description), \(bind: person.residencePermit?.end.description),
                  \(bind: person.movedInOn?.description), \(bind: sealed.ordinaryTags), \(bind: sealed.sensitive),
                  \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        person.id = id
        if newHousehold, let number = draft.householdNumber {
            let household = try await sql.raw(
                """
                INSERT INTO registry_households (community_id, number, building_id, house_id, head_person_id, created_at, updated_at)
                VALUES (\(bind: communityID), \(bind: number), \(bind: buildingID), \(bind: houseID), \(bind: id), \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await sql.raw("UPDATE registry_people SET household_id = \(bind: household) WHERE id = \(bind: id)")
                .run()
            person.householdID = household
        } else if let householdID, person.relation == .head {
            try await sql.raw(
                """
                UPDATE registry_households SET head_person_id = \(bind: id), version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: householdID)
                """
            ).run()
        }
        try await insertRows(sql, "registry_person_terms", "term", sealed.terms, person: id, community: communityID)
        try await insertRows(sql, "registry_person_tags", "tag", sealed.tagKeys, person: id, community: communityID)
        if before == nil {
            try await move(tx, person, kind: "in", on: person.movedInOn)
        } else if let before, before.person.address != person.address {
            try await move(tx, person, kind: "move", on: nil)
        }
        // The command line's bulk writes are recorded as one entry for the whole import (`RegistryBulk`).
        if checked {
            try await audit(
                tx, before == nil ? .register(draft) : .amend(draft), person, before: before?.person, role: role)
        }
        return PersonOutcome(id: id, version: person.version)
    }

    /// One statement for a person's search terms or tags.
    static func insertRows(
        _ sql: any SQLDatabase, _ table: String, _ column: String, _ values: Set<String>, person: Int64,
        community: Int64
    ) async throws {
        guard !values.isEmpty else { return }
        var q = SQLQueryString(
            "INSERT INTO \(unsafeRaw: table) (person_id, community_id, \(unsafeRaw: column)) VALUES ")
        for (i, value) in values.sorted().enumerated() {
            q = q + (i > 0 ? ", " : "") + "(\(bind: person), \(bind: community), \(bind: value))"
        }
        try await sql.raw(q).run()
    }

    static func householdMembers(
        _ sql: any SQLDatabase, _ householdID: Int64, except personID: Int64
    ) async throws -> [Household.Member] {
        try await sql.raw(
            """
            SELECT id, relation, birth_date FROM registry_people WHERE household_id = \(bind: householdID)
            AND id <> \(bind: personID) AND moved_out_on IS NULL ORDER BY id
            """
        ).all().map { row in
            Household.Member(
                label: "#\(try row.decode(column: "id", as: Int64.self))",
                relation: try row.decode(column: "relation", as: String?.self).flatMap(HouseholdRelation.init),
                birthDate: CalendarDate(try row.decode(column: "birth_date", as: String.self)))
        }
    }

    /// A member leaving their household: the head may leave only an empty household ("a household without a
    /// head" is refused), and then the household keeps no head.
    static func leaveHousehold(_ sql: any SQLDatabase, _ person: Person, staying: Int64?) async throws {
        guard let household = person.householdID, person.relation == .head else { return }
        let others = try await householdMembers(sql, household, except: person.id)
        guard others.isEmpty || staying == household && others.contains(where: { $0.relation == .head }) else {
            throw DomainError.invalid("household_head_leaves", field: "relation")
        }
        try await sql.raw(
            "UPDATE registry_households SET head_person_id = NULL WHERE id = \(bind: household) AND head_person_id = \(bind: person.id)"
        ).run()
    }

    static func move(_ tx: Transaction, _ person: Person, kind: String, on day: CalendarDate?) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO registry_moves (person_id, community_id, kind, on_date, building_id, house_id, at, actor_user_id)
            VALUES (\(bind: person.id), \(bind: person.communityID), \(bind: kind), \(bind: day?.description),
              \(bind: person.address.buildingID), (SELECT house_id FROM registry_people WHERE id = \(bind: person.id)),
              \(bind: tx.now.epochMillis), \(bind: tx.actor.storedUserID))
            """
        ).run()
    }

    static func audit(
        _ tx: Transaction, _ command: RegistryCommand, _ after: Person, before: Person?, role: Role?
    ) async throws {
        try await tx.audit(
            AuditRecord(
                action: command.action, objectType: "person", objectID: "\(after.id)", communityID: after.communityID,
                nodeID: after.address.buildingID, before: before.map { AuditJSON.encode(PersonAuditSnapshot($0)) },
                after: AuditJSON.encode(PersonAuditSnapshot(after))),
            role: role)
        // A grid worker's change also lands in the community's review queue (issue 12 item 5).
        try await RegistryReviews.enqueue(tx, command, after, before: before, role: role)
    }
}

/// A person as the audit log keeps them: never a document number, phone or sensitive tag in the clear (the log is
/// not sealed), only whether the sensitive tags changed.
struct PersonAuditSnapshot: Encodable {
    var name: String
    var documentKind: String
    var documentNumber: String
    var phone: String?
    var sex: String
    var birthDate: String
    var ethnicity: String?
    var building: Int64?
    var room: String?
    var household: Int64?
    var relation: String?
    var residence: String
    var permitEnd: String?
    var movedInOn: String?
    var movedOutOn: String?
    var tags: [String]
    var sensitiveTags: Int

    init(_ p: Person) {
        name = PersonalDataMask.name(p.name)
        documentKind = p.document.kind.rawValue
        documentNumber = p.document.masked
        phone = p.phone?.masked
        sex = p.sex.rawValue
        birthDate = p.birthDate.description
        ethnicity = p.ethnicity?.rawValue
        building = p.address.buildingID
        room = p.address.room.map { room in p.address.unit.map { "\($0)-\(room)" } ?? room }
        household = p.householdID
        relation = p.relation?.rawValue
        residence = p.residence.rawValue
        permitEnd = p.residencePermit?.end.description
        movedInOn = p.movedInOn?.description
        movedOutOn = p.movedOutOn?.description
        tags = p.tags.filter { !$0.isSensitive }.map(\.rawValue)
        sensitiveTags = p.tags.filter(\.isSensitive).count
    }
}
