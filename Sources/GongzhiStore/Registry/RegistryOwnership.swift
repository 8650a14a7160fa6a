import Foundation
import GongzhiDomain
import SQLKit

/// A house as its page shows it: the house, its building, its owners and rentals (the newest first), the people
/// living in it (owners and tenants are chosen from them), and what the reader may do.
public struct HouseDetail: Sendable, Encodable {
    public var house: House
    public var buildingName: String
    public var owners: [HouseOwner]
    public var rentals: [Rental]
    public var residents: [RentalTenant]
    public var capabilities: [RegistryCapability]
    public var version: Int { house.version }
}

/// The owners and running rentals of a building's houses, for its page: by house, and the rentals ending within
/// 30 days.
public struct BuildingTenure: Sendable, Encodable {
    public var owners: [Int64: [HouseOwner]]
    public var rentals: [Int64: [Rental]]
    public var endingSoon: [Rental]
}

/// A house a person owns, with its building's name and their share.
public struct OwnedHouse: Sendable, Equatable {
    public var house: House
    public var buildingName: String
    public var share: Int
}

/// What a person's page shows of their houses: the ones they own and the leases they are a tenant in, inside what
/// the reader may see.
public struct PersonTenure: Sendable {
    public var owned: [OwnedHouse]
    public var leases: [Rental]
    /// "白石路107号 2单元-1201" by house id, for the leases.
    public var leaseHouses: [Int64: String] = [:]
}

/// What a house command left: the house's id and its new version (the `ETag` of the API), and the owner or rental
/// it made.
public struct HouseOutcome: Sendable, Encodable {
    public var id: Int64
    public var version: Int
    public var ownerID: Int64?
    public var rentalID: Int64?
}

extension RegistryStore {
    /// A house with its owners and rentals, or "not found" outside the reader's grants.
    public func house(_ id: Int64, for actor: Actor) async throws -> HouseDetail {
        let box = try box()
        return try await db.read { sql in
            guard let (house, place, buildingName) = try await Self.houseRow(sql, id) else {
                throw DomainError.notFound
            }
            try RegistryPolicy.require(.view, of: actor, at: place)
            let owners = try await Self.owners(sql, "o.house_id = \(bind: id)", box: box)
            let rentals = try await Self.rentals(
                sql, "r.house_id = \(bind: id)", order: "r.start_on DESC LIMIT 50", box: box)
            let residents = try await sql.raw(
                """
                SELECT id, name_sealed FROM registry_people WHERE house_id = \(bind: id) AND moved_out_on IS NULL
                AND anonymised_at IS NULL ORDER BY id
                """
            ).all().map { row in
                RentalTenant(
                    personID: try row.decode(column: "id", as: Int64.self),
                    name: try box.open(try row.decode(column: "name_sealed", as: String.self)))
            }
            let can = RegistryPolicy.capabilities(of: actor, at: place)
            return HouseDetail(
                house: house, buildingName: buildingName, owners: owners[id] ?? [], rentals: rentals[id] ?? [],
                residents: residents, capabilities: RegistryCapability.allCases.filter { can.contains($0) })
        }
    }

    /// The owners of a building's houses and its rentals still running on `today`, inside the reader's grants.
    public func tenure(in buildingID: Int64, for actor: Actor, today: CalendarDate) async throws -> BuildingTenure {
        let box = try box()
        return try await db.read { sql in
            guard let building = try await JurisdictionStore.node(sql, buildingID), building.kind == .building else {
                throw DomainError.notFound
            }
            try RegistryPolicy.require(.view, of: actor, at: building.path)
            let owners = try await Self.owners(sql, "o.building_id = \(bind: buildingID)", box: box)
            let rentals = try await Self.rentals(
                sql,
                "r.building_id = \(bind: buildingID) AND r.last_on >= \(bind: today.description)"
                    + " AND r.start_on <= \(bind: today.description)",
                order: "r.last_on", box: box)
            let soon = rentals.values.joined().filter { $0.endsSoon(today: today) }
                .sorted { ($0.lastDay, $0.id) < ($1.lastDay, $1.id) }
            return BuildingTenure(owners: owners, rentals: rentals, endingSoon: soon)
        }
    }

    /// The exclusive parts of a building or an estate grouped by owner: each owner's houses and area (a house's
    /// area times the owner's share), in one grouped query, inside what the reader may see. Owners' votes by area
    /// and by head read this.
    public func ownerAreas(building: Int64? = nil, estate: Int64? = nil, for actor: Actor) async throws -> [OwnerArea] {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try box()
        return try await db.read { sql in
            let place: SQLQueryString
            if let building {
                guard let node = try await JurisdictionStore.node(sql, building), node.kind == .building else {
                    throw DomainError.notFound
                }
                try RegistryPolicy.require(.view, of: actor, at: node.path)
                place = "b.id = \(bind: building)"
            } else if let estate {
                place = "b.estate_id = \(bind: estate)"
            } else {
                throw DomainError.invalid("building_unknown", field: "building")
            }
            let rows = try await sql.raw(
                """
                SELECT o.owner_key, MIN(o.id) AS first_id, COUNT(DISTINCT o.house_id) AS houses,
                  CAST(SUM(COALESCE(h.area_centi, 0) * o.share) AS BIGINT) AS area
                FROM registry_house_owners o JOIN registry_houses h ON h.id = o.house_id
                JOIN nodes b ON b.id = o.building_id
                WHERE o.removed_at IS NULL AND \(place) AND (\(Self.inside("b.path", paths)))
                GROUP BY o.owner_key ORDER BY o.owner_key
                """
            ).all()
            guard !rows.isEmpty else { return [] }
            let firsts = try rows.map { try $0.decode(column: "first_id", as: Int64.self) }
            let names = try await Self.ownerNames(sql, firsts, box: box)
            return try rows.map { row in
                let area = try row.decode(column: "area", as: Int64.self)
                return OwnerArea(
                    ownerKey: try row.decode(column: "owner_key", as: String.self),
                    name: names[try row.decode(column: "first_id", as: Int64.self)] ?? "",
                    houses: try row.decode(column: "houses", as: Int.self),
                    areaCenti: Int((area + Int64(HouseShares.whole / 2)) / Int64(HouseShares.whole)))
            }
        }
    }

    /// The houses a person owns and the leases they rent under, in two statements and the leases' tenants, inside
    /// the reader's grants (the person page has checked the person).
    public func tenure(of personID: Int64, for actor: Actor) async throws -> PersonTenure {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { return PersonTenure(owned: [], leases: [], leaseHouses: [:]) }
        let box = try box()
        return try await db.read { sql in
            let owned = try await sql.raw(
                SQLQueryString(
                    """
                    SELECT h.*, b.name AS building_name, o.share FROM registry_house_owners o
                    JOIN registry_houses h ON h.id = o.house_id JOIN nodes b ON b.id = h.building_id
                    WHERE o.removed_at IS NULL AND o.person_id = \(bind: personID) AND (
                    """) + Self.inside("b.path", paths) + ") ORDER BY h.id"
            ).all().map { row in
                OwnedHouse(
                    house: try Self.house(row), buildingName: try row.decode(column: "building_name", as: String.self),
                    share: try row.decode(column: "share", as: Int.self))
            }
            let leases = try await Self.rentals(
                sql,
                """
                r.id IN (SELECT t.rental_id FROM registry_rental_tenants t WHERE t.person_id = \(bind: personID))
                AND r.building_id IN (SELECT b.id FROM nodes b WHERE (
                """ + Self.inside("b.path", paths) + "))",
                order: "r.start_on DESC LIMIT 20", box: box)
            let rented = leases.values.joined().sorted { ($0.start, $0.id) > ($1.start, $1.id) }
            var labels: [Int64: String] = [:]
            if !rented.isEmpty {
                for row in try await sql.raw(
                    SQLQueryString(
                        "SELECT h.*, b.name AS building_name FROM registry_houses h JOIN nodes b ON b.id = h.building_id WHERE "
                    ) + Self.inList("h.id", rented.map(\.houseID))
                ).all() {
                    labels[try row.decode(column: "id", as: Int64.self)] =
                        "\(try row.decode(column: "building_name", as: String.self)) \(try Self.house(row).label)"
                }
            }
            return PersonTenure(owned: owned, leases: rented, leaseHouses: labels)
        }
    }

    // MARK: - Helpers the writer shares

    /// A house with its building's path and name.
    static func houseRow(_ sql: any SQLDatabase, _ id: Int64) async throws -> (House, String, String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT h.*, b.path AS place_path, b.name AS building_name FROM registry_houses h
                JOIN nodes b ON b.id = h.building_id WHERE h.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return (
            try house(row), try row.decode(column: "place_path", as: String.self),
            try row.decode(column: "building_name", as: String.self)
        )
    }

    static let ownerColumns = """
        o.id, o.house_id, o.person_id, o.share, o.owner_key, COALESCE(o.name_sealed, p.name_sealed) AS owner_name
        FROM registry_house_owners o LEFT JOIN registry_people p ON p.id = o.person_id
        """

    static func decodeOwner(_ row: any SQLRow, box: PersonalDataBox) throws -> HouseOwner {
        HouseOwner(
            id: try row.decode(column: "id", as: Int64.self),
            houseID: try row.decode(column: "house_id", as: Int64.self),
            personID: try row.decode(column: "person_id", as: Int64?.self),
            name: try box.open(try row.decode(column: "owner_name", as: String.self)),
            share: try row.decode(column: "share", as: Int.self),
            developer: try row.decode(column: "owner_key", as: String.self) == developerKey)
    }

    /// The `owner_key` of the developer holding unsold houses: one key for all of them, so the owners' roll and the
    /// owners' areas group them into one head.
    static let developerKey = "developer"

    /// The current owners of the houses `condition` picks, by house.
    static func owners(
        _ sql: any SQLDatabase, _ condition: SQLQueryString, box: PersonalDataBox
    ) async throws -> [Int64: [HouseOwner]] {
        let rows = try await sql.raw(
            "SELECT \(unsafeRaw: ownerColumns) WHERE o.removed_at IS NULL AND " + condition
                + " ORDER BY o.house_id, o.id"
        ).all()
        return Dictionary(grouping: try rows.map { try decodeOwner($0, box: box) }, by: \.houseID)
    }

    /// The names of owner rows, opened.
    static func ownerNames(_ sql: any SQLDatabase, _ ids: [Int64], box: PersonalDataBox) async throws -> [Int64: String]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw(
            "SELECT \(unsafeRaw: ownerColumns) WHERE " + inList("o.id", ids)
        ).all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "id", as: Int64.self), try decodeOwner($0, box: box).name)
            })
    }

    /// The rentals `condition` picks with their landlords and tenants (two statements), by house.
    static func rentals(
        _ sql: any SQLDatabase, _ condition: SQLQueryString, order: String, box: PersonalDataBox
    ) async throws -> [Int64: [Rental]] {
        let head = SQLQueryString(
            """
            SELECT r.*, COALESCE(o.name_sealed, p.name_sealed) AS landlord_name FROM registry_rentals r
            JOIN registry_house_owners o ON o.id = r.landlord_owner_id LEFT JOIN registry_people p ON p.id = o.person_id
            WHERE\u{20}
            """)
        let rows = try await sql.raw(head + condition + SQLQueryString(" ORDER BY \(unsafeRaw: order)")).all()
        guard !rows.isEmpty else { return [:] }
        var rentals: [Rental] = []
        for row in rows {
            func day(_ column: String) throws -> CalendarDate? {
                try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init)
            }
            guard let start = try day("start_on"), let end = try day("end_on") else { continue }
            rentals.append(
                Rental(
                    id: try row.decode(column: "id", as: Int64.self),
                    houseID: try row.decode(column: "house_id", as: Int64.self),
                    landlordOwnerID: try row.decode(column: "landlord_owner_id", as: Int64.self),
                    landlordName: try box.open(try row.decode(column: "landlord_name", as: String.self)),
                    tenants: [], start: start, end: end,
                    purpose: RentalPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .other,
                    endedOn: try day("ended_on")))
        }
        let tenants = try await sql.raw(
            SQLQueryString(
                """
                SELECT t.rental_id, t.person_id, p.name_sealed FROM registry_rental_tenants t
                JOIN registry_people p ON p.id = t.person_id WHERE
                """) + " " + inList("t.rental_id", rentals.map(\.id)) + " ORDER BY t.rental_id, t.person_id"
        ).all()
        var byRental: [Int64: [RentalTenant]] = [:]
        for row in tenants {
            byRental[try row.decode(column: "rental_id", as: Int64.self), default: []].append(
                RentalTenant(
                    personID: try row.decode(column: "person_id", as: Int64.self),
                    name: try box.open(try row.decode(column: "name_sealed", as: String.self))))
        }
        for i in rentals.indices { rentals[i].tenants = byRental[rentals[i].id] ?? [] }
        return Dictionary(grouping: rentals, by: \.houseID)
    }
}

extension RegistryCommands {
    /// The registry's one writer for a house: its use and area, its owners, its rentals. Loads the house, asks
    /// `RegistryPolicy` at its building, checks the step against the owners and rentals it loaded (`HouseShares`,
    /// `RentalRules`), writes, bumps the house's version and audits before and after (names masked).
    @discardableResult
    public func perform(
        _ actor: Actor, house id: Int64, _ command: HouseCommand, expectedVersion: Int? = nil
    ) async throws -> HouseOutcome {
        try await db.command(actor, clock: clock) { tx in
            try await Self.apply(tx, house: id, command, expectedVersion: expectedVersion, checked: true)
        }
    }

    static func apply(
        _ tx: Transaction, house id: Int64, _ command: HouseCommand, expectedVersion: Int?, checked: Bool
    ) async throws -> HouseOutcome {
        let sql = tx.sql
        let box = try tx.requirePersonalData()
        guard let (house, place, _) = try await RegistryStore.houseRow(sql, id) else { throw DomainError.notFound }
        var role: Role?
        if checked {
            try RegistryPolicy.require(.view, of: tx.actor, at: place)
            role = try RegistryPolicy.require(.edit, of: tx.actor, at: place)
        }
        if let expectedVersion, expectedVersion != house.version {
            throw DomainError(.conflict, "house_changed_meanwhile")
        }
        let now = tx.now.epochMillis
        let owners = try await RegistryStore.owners(sql, "o.house_id = \(bind: id)", box: box)[id] ?? []
        var outcome = HouseOutcome(id: id, version: house.version + 1)
        var before: String?
        var after: String?
        var objectType = "house"
        var objectID = "\(id)"
        switch command {
        case .amend(let draft):
            if try await sql.raw(
                """
                SELECT id FROM registry_houses WHERE building_id = \(bind: house.buildingID) AND unit = \(bind: draft.unit)
                AND room = \(bind: draft.room) AND id <> \(bind: id)
                """
            ).first() != nil {
                throw DomainError(.conflict, "house_exists", field: "room")
            }
            try await sql.raw(
                """
                UPDATE registry_houses SET unit = \(bind: draft.unit), floor = \(bind: draft.floor), room = \(bind: draft.room),
                  house_use = \(bind: draft.use.rawValue), area_centi = \(bind: draft.areaCenti), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            var changed = house
            (changed.unit, changed.floor, changed.room) = (draft.unit, draft.floor, draft.room)
            (changed.use, changed.areaCenti, changed.version) = (draft.use, draft.areaCenti, house.version + 1)
            before = AuditJSON.encode(house)
            after = AuditJSON.encode(changed)
        case .addOwner(let draft):
            try HouseShares.check(adding: draft, to: owners)
            let key: String
            var sealedName: String?
            if draft.developer {
                key = RegistryStore.developerKey
                sealedName = try box.seal(draft.name ?? "")
            } else if let personID = draft.personID {
                guard
                    try await sql.raw(
                        """
                        SELECT id FROM registry_people WHERE id = \(bind: personID) AND community_id = \(bind: house.communityID)
                        AND anonymised_at IS NULL
                        """
                    ).first() != nil
                else { throw DomainError.invalid("owner_person_unknown", field: "person") }
                key = "p\(personID)"
            } else {
                let name = draft.name ?? ""
                key = "n" + (try box.index("registry owner \(NameTerms.fold(name))"))
                if owners.contains(where: { $0.personID == nil && NameTerms.fold($0.name) == NameTerms.fold(name) }) {
                    throw DomainError(.conflict, "owner_exists", field: "name")
                }
                sealedName = try box.seal(name)
            }
            let ownerID = try await sql.raw(
                """
                INSERT INTO registry_house_owners (community_id, house_id, building_id, person_id, name_sealed, owner_key,
                  share, created_at)
                VALUES (\(bind: house.communityID), \(bind: id), \(bind: house.buildingID), \(bind: draft.personID),
                  \(bind: sealedName), \(bind: key), \(bind: draft.share), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            outcome.ownerID = ownerID
            objectType = "house_owner"
            objectID = "\(ownerID)"
            after = AuditJSON.encode(
                OwnerAuditSnapshot(
                    house: id, person: draft.personID, name: draft.name, share: draft.share,
                    developer: draft.developer))
        case .removeOwner(let ownerID):
            guard let owner = owners.first(where: { $0.id == ownerID }) else { throw DomainError.notFound }
            if try await sql.raw(
                """
                SELECT id FROM registry_rentals WHERE landlord_owner_id = \(bind: ownerID)
                AND last_on >= \(bind: CalendarDate(tx.now).description)
                """
            ).first() != nil {
                throw DomainError.invalid("owner_is_landlord")
            }
            try await sql.raw(
                "UPDATE registry_house_owners SET removed_at = \(bind: now) WHERE id = \(bind: ownerID)"
            ).run()
            objectType = "house_owner"
            objectID = "\(ownerID)"
            before = AuditJSON.encode(
                OwnerAuditSnapshot(
                    house: id, person: owner.personID, name: owner.name, share: owner.share,
                    developer: owner.developer))
            after = AuditJSON.encode(["removed": true])
        case .registerRental(let draft):
            var places: [Int64: RentalRules.TenantPlace] = [:]
            let rows = try await sql.raw(
                SQLQueryString("SELECT id, house_id FROM registry_people WHERE ")
                    + RegistryStore.inList("id", draft.tenantIDs)
                    + " AND community_id = \(bind: house.communityID) AND moved_out_on IS NULL AND anonymised_at IS NULL"
            ).all()
            for row in rows {
                let houseID = try row.decode(column: "house_id", as: Int64?.self)
                places[try row.decode(column: "id", as: Int64.self)] =
                    houseID == nil ? .noHouse : houseID == id ? .thisHouse : .otherHouse
            }
            let others =
                try await RegistryStore.rentals(
                    sql, "r.house_id = \(bind: id) AND r.last_on >= \(bind: draft.start.description)", order: "r.id",
                    box: box)[id] ?? []
            try RentalRules.check(draft, owners: owners, tenants: places, others: others)
            let rentalID = try await sql.raw(
                """
                INSERT INTO registry_rentals (community_id, house_id, building_id, landlord_owner_id, start_on, end_on,
                  last_on, purpose, created_at, updated_at)
                VALUES (\(bind: house.communityID), \(bind: id), \(bind: house.buildingID), \(bind: draft.landlordOwnerID),
                  \(bind: draft.start.description), \(bind: draft.end.description), \(bind: draft.end.description),
                  \(bind: draft.purpose.rawValue), \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            var q = SQLQueryString("INSERT INTO registry_rental_tenants (rental_id, person_id, community_id) VALUES ")
            for (i, person) in draft.tenantIDs.enumerated() {
                q = q + (i > 0 ? ", " : "") + "(\(bind: rentalID), \(bind: person), \(bind: house.communityID))"
            }
            try await sql.raw(q).run()
            outcome.rentalID = rentalID
            objectType = "rental"
            objectID = "\(rentalID)"
            after = AuditJSON.encode(RentalAuditSnapshot(draft, house: id))
        case .endRental(let rentalID, let day):
            guard
                let rental = try await RegistryStore.rentals(
                    sql, "r.id = \(bind: rentalID) AND r.house_id = \(bind: id)", order: "r.id", box: box)[id]?.first
            else { throw DomainError.notFound }
            try RentalRules.checkEnd(rental, on: day)
            try await sql.raw(
                """
                UPDATE registry_rentals SET ended_on = \(bind: day.description), last_on = \(bind: day.description),
                  updated_at = \(bind: now) WHERE id = \(bind: rentalID)
                """
            ).run()
            objectType = "rental"
            objectID = "\(rentalID)"
            outcome.rentalID = rentalID
            let snapshot = RentalAuditSnapshot(
                RentalDraft(
                    landlordOwnerID: rental.landlordOwnerID, tenantIDs: rental.tenants.map(\.personID),
                    start: rental.start, end: rental.end, purpose: rental.purpose), house: id)
            before = AuditJSON.encode(snapshot)
            var ended = snapshot
            ended.endedOn = day.description
            after = AuditJSON.encode(ended)
        }
        guard
            try await sql.raw(
                """
                UPDATE registry_houses SET version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: id) AND version = \(bind: house.version) RETURNING id
                """
            ).first() != nil
        else { throw DomainError(.conflict, "house_changed_meanwhile") }
        if checked {
            try await tx.audit(
                AuditRecord(
                    action: command.action, objectType: objectType, objectID: objectID, communityID: house.communityID,
                    nodeID: house.buildingID, before: before, after: after),
                role: role)
        }
        return outcome
    }
}

extension RegistryBulk {
    /// A house's owner or rental from the command line (the demo): the writer's checks without the per-row policy
    /// and audit entry.
    @discardableResult
    public static func house(_ tx: Transaction, _ id: Int64, _ command: HouseCommand) async throws -> HouseOutcome {
        try tx.requireCommandLine()
        return try await RegistryCommands.apply(tx, house: id, command, expectedVersion: nil, checked: false)
    }
}

/// An owner as the audit log keeps them: the name masked.
struct OwnerAuditSnapshot: Encodable {
    var house: Int64
    var person: Int64?
    var name: String?
    var share: Int
    var developer: Bool?
    init(house: Int64, person: Int64?, name: String?, share: Int, developer: Bool = false) {
        self.house = house
        self.person = person
        // The developer is an organisation: its name is no personal data.
        self.name = developer ? name : person == nil ? name.map(PersonalDataMask.name) : nil
        self.share = share
        self.developer = developer ? true : nil
    }
}

/// A rental as the audit log keeps it: ids and dates, no names.
struct RentalAuditSnapshot: Encodable {
    var house: Int64
    var landlordOwner: Int64
    var tenants: [Int64]
    var start: String
    var end: String
    var purpose: String
    var endedOn: String?
    init(_ draft: RentalDraft, house: Int64) {
        self.house = house
        landlordOwner = draft.landlordOwnerID
        tenants = draft.tenantIDs
        start = draft.start.description
        end = draft.end.description
        purpose = draft.purpose.rawValue
    }
}
