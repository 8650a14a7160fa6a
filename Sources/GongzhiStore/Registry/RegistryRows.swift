import Foundation
import GongzhiDomain
import SQLKit

/// A person's row as stored, opened: the domain value and what the row adds (place path, household number,
/// anonymisation). Sealed columns open with the personal-data seal; a row that fails to open is an error, never
/// shown half.
struct PersonRow: Sendable {
    var person: Person
    /// The building's path, where the policy looks for the reader's grants.
    var place: String
    var buildingName: String?
    var householdNumber: String?
    var anonymised: Bool

    /// Every column a person read selects, with the building's path and name and the household's number.
    static let columns = """
        p.*, b.path AS place_path, b.name AS building_name, h.number AS household_number, r.unit AS house_unit,
        r.room AS house_room
        """
    static let from = """
        registry_people p LEFT JOIN nodes b ON b.id = p.building_id LEFT JOIN registry_households h ON h.id = p.household_id
        LEFT JOIN registry_houses r ON r.id = p.house_id
        """

    static func decode(_ row: any SQLRow, box: PersonalDataBox) throws -> PersonRow {
        func text(_ column: String) throws -> String? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
        }
        func int(_ column: String) throws -> Int64? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Int64.self)
        }
        func day(_ column: String) throws -> CalendarDate? { try text(column).flatMap(CalendarDate.init) }
        let kind = DocumentKind(rawValue: try row.decode(column: "document_kind", as: String.self)) ?? .residentID
        var sensitive: [PersonTag] = []
        if let sealed = try text("sensitive_sealed") {
            sensitive = try box.open(sealed).split(separator: ";").compactMap { PersonTag(rawValue: String($0)) }
        }
        let ordinary = (try text("tags") ?? "").split(separator: ";").compactMap { PersonTag(rawValue: String($0)) }
        var permit: ResidencePermit?
        if let start = try day("permit_start"), let end = try day("permit_end") {
            permit = try ResidencePermit(start: start, end: end)
        }
        let unit = try text("house_unit")
        let address = RoomAddress(
            buildingID: try int("building_id"), unit: unit?.isEmpty == true ? nil : unit, room: try text("house_room"))
        let person = Person(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            name: try box.open(try row.decode(column: "name_sealed", as: String.self)),
            document: IdentityDocument(
                kind: kind, validNumber: try box.open(try row.decode(column: "document_sealed", as: String.self))),
            sex: Sex(rawValue: try row.decode(column: "sex", as: String.self)) ?? .male,
            birthDate: try day("birth_date") ?? CalendarDate(year: 1900, month: 1, day: 1)!,
            ethnicity: try text("ethnicity").flatMap(Ethnicity.init(rawValue:)),
            phone: try text("phone_sealed").map { try PhoneNumber.parse(try box.open($0)) },
            householdID: try int("household_id"),
            relation: try text("relation").flatMap(HouseholdRelation.init(rawValue:)),
            residence: ResidenceStatus(rawValue: try row.decode(column: "residence", as: String.self)) ?? .registered,
            residencePermit: permit, address: address, movedInOn: try day("moved_in_on"),
            movedOutOn: try day("moved_out_on"), tags: ordinary + sensitive,
            version: try row.decode(column: "version", as: Int.self))
        return PersonRow(
            person: person, place: try text("place_path") ?? "/", buildingName: try text("building_name"),
            householdNumber: try text("household_number"), anonymised: try int("anonymised_at") != nil)
    }
}

/// The sealed and indexed forms of a person's personal data, made once per write.
struct SealedPerson: Sendable {
    var name: String
    var document: String
    var documentIndex: String
    var phone: String?
    var phoneIndex: String?
    var phoneTailIndex: String?
    var ordinaryTags: String
    var sensitive: String?
    /// The keyed hashes of the name's parts, and of every tag (sensitive ones hashed, ordinary ones as they are).
    var terms: Set<String>
    var tagKeys: Set<String>

    init(_ person: Person, box: PersonalDataBox) throws {
        name = try box.seal(person.name)
        document = try box.seal(person.document.number)
        documentIndex = try Self.documentIndex(person.document, box: box)
        phone = try person.phone.map { try box.seal($0.formatted) }
        phoneIndex = try person.phone.map { try Self.phoneIndex($0.digits, box: box) }
        phoneTailIndex = try person.phone.map { try Self.tailIndex($0.last4, box: box) }
        ordinaryTags = person.tags.filter { !$0.isSensitive }.map(\.rawValue).joined(separator: ";")
        let sensitiveTags = person.tags.filter(\.isSensitive)
        sensitive = sensitiveTags.isEmpty ? nil : try box.seal(sensitiveTags.map(\.rawValue).joined(separator: ";"))
        terms = Set(try NameTerms.stored(person.name).map { try Self.termIndex($0, box: box) })
        tagKeys = Set(try person.tags.map { try Self.tagKey($0, box: box) })
    }

    static func documentIndex(_ document: IdentityDocument, box: PersonalDataBox) throws -> String {
        try box.index("registry document \(document.kind.rawValue) \(document.holderKey)")
    }
    /// Any document kind with this number, for the search box (which does not say the kind).
    static func documentIndexes(_ number: String, box: PersonalDataBox) throws -> [String] {
        try DocumentKind.allCases.map {
            try documentIndex(IdentityDocument(kind: $0, validNumber: number), box: box)
        }
    }
    static func phoneIndex(_ digits: String, box: PersonalDataBox) throws -> String {
        try box.index("registry phone \(digits)")
    }
    static func tailIndex(_ last4: String, box: PersonalDataBox) throws -> String {
        try box.index("registry phone tail \(last4)")
    }
    /// Cut to 64 bits (migration 0064 says why).
    static func termIndex(_ term: String, box: PersonalDataBox) throws -> String {
        String(try box.index("registry name \(term)").prefix(16))
    }
    /// Ordinary tags filter in the clear; a sensitive tag is stored only as its keyed hash.
    static func tagKey(_ tag: PersonTag, box: PersonalDataBox) throws -> String {
        tag.isSensitive ? "h:" + (try box.index("registry tag \(tag.rawValue)")) : tag.rawValue
    }
}
