import Foundation

/// Who owns a house (产权人): a person of the registry, or a named owner who lives elsewhere (their name sealed like
/// any other personal data), with their share of the house in ten-thousandths (`10000` is the whole house). Owners'
/// votes by area read `share` against the house's floor area. A house not yet sold or not yet delivered is held by
/// the estate's developer (建设单位), recorded as the developer owning the whole house; all such houses together are
/// one head in an owners' vote (JI art. 9, issue 13).
public struct HouseOwner: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var houseID: Int64
    /// The registered person, or nil for a non-resident owner and for the developer.
    public var personID: Int64?
    /// The owner's name: the registered person's, the non-resident's as given, or the developer's (may be empty).
    public var name: String
    public var share: Int
    /// The house is unsold (or sold but not delivered) and held by the developer.
    public var developer: Bool

    public init(id: Int64, houseID: Int64, personID: Int64?, name: String, share: Int, developer: Bool = false) {
        self.id = id
        self.houseID = houseID
        self.personID = personID
        self.name = name
        self.share = share
        self.developer = developer
    }

    /// The share as written, `50%` or `33.33%`.
    public var shareText: String { HouseShares.text(share) }
}

/// What an owner's form and the API give: a registered person's id, or a non-resident's name; the share in percent.
public struct OwnerForm: Sendable, Equatable, Codable {
    public var person: String?
    public var name: String?
    public var share: String?
    /// The house is unsold and held by the developer (`name` is then the developer's name, optional).
    public var developer: Bool

    public init(person: String? = nil, name: String? = nil, share: String? = nil, developer: Bool = false) {
        self.person = person
        self.name = name
        self.share = share
        self.developer = developer
    }

    /// The checked owner: a person id or a name of at most 60 characters, not both (`owner_required`,
    /// `owner_both`), and a share over 0% and at most 100% with at most two decimals (`share_invalid`); an empty
    /// share is the whole house. The developer holds the whole house and is no registered person
    /// (`owner_developer_person`, `owner_developer_share`); its name may be left empty.
    public func draft() throws(DomainError) -> OwnerDraft {
        func text(_ value: String?) -> String {
            HalfWidth.fold(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let person = text(person)
        let name = text(name)
        if developer {
            guard person.isEmpty else { throw .invalid("owner_developer_person", field: "person") }
            guard name.count <= Person.maxNameLength else {
                throw .invalid("person_name_too_long", field: "name", args: ["\(Person.maxNameLength)"])
            }
            guard try HouseShares.parse(text(share)) == HouseShares.whole else {
                throw .invalid("owner_developer_share", field: "share")
            }
            return OwnerDraft(personID: nil, name: name, share: HouseShares.whole, developer: true)
        }
        var personID: Int64?
        if !person.isEmpty {
            guard let id = Int64(person), id > 0 else { throw .invalid("owner_person_unknown", field: "person") }
            personID = id
        }
        guard personID != nil || !name.isEmpty else { throw .invalid("owner_required", field: "person") }
        guard personID == nil || name.isEmpty else { throw .invalid("owner_both", field: "name") }
        guard name.count <= Person.maxNameLength else {
            throw .invalid("person_name_too_long", field: "name", args: ["\(Person.maxNameLength)"])
        }
        let share = try HouseShares.parse(text(share))
        return OwnerDraft(personID: personID, name: personID == nil ? name : nil, share: share)
    }
}

/// A checked owner, before the store finds the person or seals the name.
public struct OwnerDraft: Sendable, Equatable, Codable {
    public var personID: Int64?
    public var name: String?
    public var share: Int
    /// The developer holding an unsold house (the whole of it).
    public var developer: Bool

    public init(personID: Int64?, name: String?, share: Int, developer: Bool = false) {
        self.personID = personID
        self.name = name
        self.share = share
        self.developer = developer
    }

    /// The developer's unsold house: `name` is the developer's, empty when not known.
    public static func developer(name: String = "") -> OwnerDraft {
        OwnerDraft(personID: nil, name: name, share: HouseShares.whole, developer: true)
    }
}

/// Shares of a house, in ten-thousandths of it.
public enum HouseShares {
    public static let whole = 10_000

    /// `50`, `50%`, `33.33` → 5000, 5000, 3333; empty → the whole house.
    public static func parse(_ raw: String) throws(DomainError) -> Int {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%") { text.removeLast() }
        guard !text.isEmpty else { return whole }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let percent = Int(parts[0]), percent >= 0, percent <= 100 else {
            throw .invalid("share_invalid", field: "share")
        }
        var hundredths = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), let value = Int(parts[1]) else {
                throw .invalid("share_invalid", field: "share")
            }
            hundredths = parts[1].count == 1 ? value * 10 : value
        }
        let share = percent * 100 + hundredths
        guard share > 0, share <= whole else { throw .invalid("share_invalid", field: "share") }
        return share
    }

    public static func text(_ share: Int) -> String {
        share % 100 == 0 ? "\(share / 100)%" : String(format: "%d.%02d%%", share / 100, share % 100)
    }

    /// A new owner's share must fit beside the others: together at most the whole house (`shares_over_whole`), and
    /// the same person once (`owner_exists`). The developer holds an unsold house alone: it cannot be added beside
    /// owners (`owner_developer_not_alone`), and a buyer is added only once the developer is removed, which records
    /// the sale (`owner_house_unsold`).
    public static func check(adding draft: OwnerDraft, to owners: [HouseOwner]) throws(DomainError) {
        if draft.developer, !owners.isEmpty {
            throw DomainError(.conflict, "owner_developer_not_alone", field: "person")
        }
        if !draft.developer, owners.contains(where: \.developer) {
            throw DomainError(.conflict, "owner_house_unsold", field: "person")
        }
        if let person = draft.personID, owners.contains(where: { $0.personID == person }) {
            throw DomainError(.conflict, "owner_exists", field: "person")
        }
        let taken = owners.reduce(0) { $0 + $1.share }
        guard taken + draft.share <= whole else {
            throw .invalid("shares_over_whole", field: "share", args: [text(whole - taken)])
        }
    }
}

/// What a house is rented for. Raw values name locale keys (`rental_purpose_<raw>`).
public enum RentalPurpose: String, CaseIterable, Codable, Sendable {
    case residence, business, office, storage, other

    public var chineseName: String {
        switch self {
        case .residence: "居住"
        case .business: "经营"
        case .office: "办公"
        case .storage: "仓储"
        case .other: "其他"
        }
    }
}

/// A registered rental (出租房屋登记) of a house: the landlord (one of its owners), the tenants (registered people
/// living there), the dates of the lease and what it is for. A rental that ends early keeps its dates and records
/// the day it ended.
public struct Rental: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var houseID: Int64
    public var landlordOwnerID: Int64
    public var landlordName: String
    public var tenants: [RentalTenant]
    public var start: CalendarDate
    public var end: CalendarDate
    public var purpose: RentalPurpose
    public var endedOn: CalendarDate?

    public init(
        id: Int64, houseID: Int64, landlordOwnerID: Int64, landlordName: String, tenants: [RentalTenant],
        start: CalendarDate, end: CalendarDate, purpose: RentalPurpose, endedOn: CalendarDate? = nil
    ) {
        self.id = id
        self.houseID = houseID
        self.landlordOwnerID = landlordOwnerID
        self.landlordName = landlordName
        self.tenants = tenants
        self.start = start
        self.end = end
        self.purpose = purpose
        self.endedOn = endedOn
    }

    /// The last day the lease runs: the day it ended early, or its end.
    public var lastDay: CalendarDate { endedOn.map { min($0, end) } ?? end }

    /// Whether the lease runs on `day`.
    public func isActive(on day: CalendarDate) -> Bool { start <= day && day <= lastDay }

    /// Whether it runs today and ends within `days` days: the building page's reminder.
    public func endsSoon(today: CalendarDate, within days: Int = 30) -> Bool {
        isActive(on: today) && lastDay <= today.adding(days: days)
    }
}

/// A tenant of a rental: a registered person.
public struct RentalTenant: Sendable, Equatable, Codable {
    public var personID: Int64
    public var name: String
    public init(personID: Int64, name: String) {
        self.personID = personID
        self.name = name
    }
}

/// What a rental's form and the API give.
public struct RentalForm: Sendable, Equatable, Codable {
    public var landlord: String?
    /// Person ids, separated by commas or spaces (the form's checkboxes arrive joined).
    public var tenants: String?
    public var startOn: String?
    public var endOn: String?
    public var purpose: String?

    enum CodingKeys: String, CodingKey {
        case landlord, tenants, purpose
        case startOn = "start_on"
        case endOn = "end_on"
    }

    public init(
        landlord: String? = nil, tenants: String? = nil, startOn: String? = nil, endOn: String? = nil,
        purpose: String? = nil
    ) {
        self.landlord = landlord
        self.tenants = tenants
        self.startOn = startOn
        self.endOn = endOn
        self.purpose = purpose
    }

    /// The checked rental: a landlord (`landlord_required`), at least one tenant and at most 20 (`tenants_required`,
    /// `tenants_too_many`), a start and an end (`date_required`), the end not before the start
    /// (`rental_end_before_start`), a known purpose (`rental_purpose_unknown`; residence when left empty).
    public func draft() throws(DomainError) -> RentalDraft {
        func text(_ value: String?) -> String {
            HalfWidth.fold(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let landlord = Int64(text(landlord)) else { throw .invalid("landlord_required", field: "landlord") }
        var ids: [Int64] = []
        for part in text(tenants).split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            guard let id = Int64(part) else { throw .invalid("tenants_required", field: "tenants") }
            if !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else { throw .invalid("tenants_required", field: "tenants") }
        guard ids.count <= 20 else { throw .invalid("tenants_too_many", field: "tenants") }
        guard let start = try RegistryValues.date(from: text(startOn), field: "start_on") else {
            throw .invalid("date_required", field: "start_on")
        }
        guard let end = try RegistryValues.date(from: text(endOn), field: "end_on") else {
            throw .invalid("date_required", field: "end_on")
        }
        guard start <= end else { throw .invalid("rental_end_before_start", field: "end_on") }
        var purpose = RentalPurpose.residence
        let raw = text(self.purpose)
        if !raw.isEmpty {
            guard
                let value = RentalPurpose(rawValue: raw)
                    ?? RentalPurpose.allCases.first(where: { $0.chineseName == raw })
            else { throw .invalid("rental_purpose_unknown", field: "purpose", args: [raw]) }
            purpose = value
        }
        return RentalDraft(landlordOwnerID: landlord, tenantIDs: ids, start: start, end: end, purpose: purpose)
    }
}

/// A checked rental, before the store looks up its landlord and tenants.
public struct RentalDraft: Sendable, Equatable, Codable {
    public var landlordOwnerID: Int64
    public var tenantIDs: [Int64]
    public var start: CalendarDate
    public var end: CalendarDate
    public var purpose: RentalPurpose

    public init(
        landlordOwnerID: Int64, tenantIDs: [Int64], start: CalendarDate, end: CalendarDate, purpose: RentalPurpose
    ) {
        self.landlordOwnerID = landlordOwnerID
        self.tenantIDs = tenantIDs
        self.start = start
        self.end = end
        self.purpose = purpose
    }
}

/// The rules a rental must keep against the house it is of, checked by the writer with what it loaded.
public enum RentalRules {
    /// Where a tenant lives, as the registry says: in this house, in another, or nowhere registered.
    public enum TenantPlace: Sendable, Equatable {
        case thisHouse, otherHouse, noHouse, unknown
    }

    /// Refuses a landlord who is not an owner of the house (`landlord_not_owner`), a tenant who is not a registered
    /// person (`tenant_unknown`) or is registered without a house or in another one (`tenant_without_house`,
    /// `tenant_other_house`), and a lease that overlaps another running lease of the same house
    /// (`rental_overlaps`).
    public static func check(
        _ draft: RentalDraft, owners: [HouseOwner], tenants: [Int64: TenantPlace], others: [Rental]
    ) throws(DomainError) {
        guard owners.contains(where: { $0.id == draft.landlordOwnerID }) else {
            throw .invalid("landlord_not_owner", field: "landlord")
        }
        for id in draft.tenantIDs {
            switch tenants[id] ?? .unknown {
            case .thisHouse: continue
            case .otherHouse: throw .invalid("tenant_other_house", field: "tenants", args: ["\(id)"])
            case .noHouse: throw .invalid("tenant_without_house", field: "tenants", args: ["\(id)"])
            case .unknown: throw .invalid("tenant_unknown", field: "tenants", args: ["\(id)"])
            }
        }
        if let clash = others.first(where: { $0.start <= draft.end && draft.start <= $0.lastDay }) {
            throw DomainError(
                .conflict, "rental_overlaps", field: "start_on",
                args: [clash.start.description, clash.lastDay.description])
        }
    }

    /// Ending a lease early on `day`: not before it began (`rental_end_before_start`), not after its end
    /// (`rental_end_after_end`), and only once (`rental_ended`).
    public static func checkEnd(_ rental: Rental, on day: CalendarDate) throws(DomainError) {
        guard rental.endedOn == nil else { throw .invalid("rental_ended") }
        guard rental.start <= day else { throw .invalid("rental_end_before_start", field: "ended_on") }
        guard day <= rental.end else { throw .invalid("rental_end_after_end", field: "ended_on") }
    }
}

/// Every change to a house (its use and area, its owners, its rentals) goes through the registry's house writer as
/// one of these.
public enum HouseCommand: Sendable, Equatable {
    case amend(HouseDraft)
    case addOwner(OwnerDraft)
    case removeOwner(Int64)
    case registerRental(RentalDraft)
    case endRental(Int64, on: CalendarDate)

    public var action: String {
        switch self {
        case .amend: "registry.house.amend"
        case .addOwner: "registry.house.add_owner"
        case .removeOwner: "registry.house.remove_owner"
        case .registerRental: "registry.rental.register"
        case .endRental: "registry.rental.end"
        }
    }
}

/// An owner's part of the exclusive parts (专有部分) of a building or an estate: how many houses and how much
/// floor area (each house's area times the owner's share), for owners' votes by area and by head.
public struct OwnerArea: Sendable, Equatable, Codable {
    /// `p<person id>` for a registered person, `n<keyed hash>` for a non-resident owner (the same name is the same
    /// owner within a community).
    public var ownerKey: String
    public var name: String
    public var houses: Int
    public var areaCenti: Int

    public init(ownerKey: String, name: String, houses: Int, areaCenti: Int) {
        self.ownerKey = ownerKey
        self.name = name
        self.houses = houses
        self.areaCenti = areaCenti
    }

    public var areaText: String { String(format: "%d.%02d", areaCenti / 100, areaCenti % 100) }
}
