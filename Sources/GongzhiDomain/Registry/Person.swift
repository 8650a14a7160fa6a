import Foundation

/// A person in the registry (人): who they are, how to reach them, where and how they live, and what they are
/// marked with. Values here are plain; the store seals the name, document number, phone and room, and indexes them
/// by keyed hash. Reads show `masked`.
public struct Person: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    public var name: String
    public var document: IdentityDocument
    public var sex: Sex
    public var birthDate: CalendarDate
    /// Nil for a foreign national.
    public var ethnicity: Ethnicity?
    public var phone: PhoneNumber?
    public var householdID: Int64?
    public var relation: HouseholdRelation?
    public var residence: ResidenceStatus
    /// For floating residents who hold one.
    public var residencePermit: ResidencePermit?
    public var address: RoomAddress
    public var movedInOn: CalendarDate?
    public var movedOutOn: CalendarDate?
    /// Kept sorted and without repeats (so before/after in the audit log compare as they read).
    public private(set) var tags: [PersonTag]
    /// Goes up by one with every change; a change against an older version is refused.
    public var version: Int

    public init(
        id: Int64, communityID: Int64, name: String, document: IdentityDocument, sex: Sex, birthDate: CalendarDate,
        ethnicity: Ethnicity? = nil, phone: PhoneNumber? = nil, householdID: Int64? = nil,
        relation: HouseholdRelation? = nil, residence: ResidenceStatus = .registered,
        residencePermit: ResidencePermit? = nil, address: RoomAddress = RoomAddress(), movedInOn: CalendarDate? = nil,
        movedOutOn: CalendarDate? = nil, tags: [PersonTag] = [], version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.name = name
        self.document = document
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.phone = phone
        self.householdID = householdID
        self.relation = relation
        self.residence = residence
        self.residencePermit = residencePermit
        self.address = address
        self.movedInOn = movedInOn
        self.movedOutOn = movedOutOn
        self.tags = Array(Set(tags)).sorted()
        self.version = version
    }

    public mutating func setTags(_ tags: [PersonTag]) { self.tags = Array(Set(tags)).sorted() }

    /// The longest name kept (names of minority groups and foreigners run long).
    public static let maxNameLength = 60

    /// The rules a person's record must keep on `today`, each with its key and field: a name (`person_name_required`,
    /// `person_name_too_long`); a birth date neither in the future nor before 1900 (`birth_date_invalid`); the form's
    /// birth date and sex agreeing with a resident ID (`id_birth_date_mismatch`, `id_sex_mismatch`); a permit only
    /// for floating residents (`residence_permit_not_floating`); a foreign national holding a foreign document
    /// (`residence_foreign_document`); a household member's relation given (`relation_required`); and a move-out
    /// not before the move-in (`moved_out_before_in`), which is neither before the birth (`moved_in_before_birth`) nor
    /// after today (`date_in_future`).
    public func check(today: CalendarDate) throws(DomainError) {
        let trimmed = name.trimmedWhitespace
        guard !trimmed.isEmpty else { throw .invalid("person_name_required", field: "name") }
        guard trimmed.count <= Self.maxNameLength else {
            throw .invalid("person_name_too_long", field: "name", args: ["\(Self.maxNameLength)"])
        }
        guard birthDate.year >= 1900, birthDate <= today else {
            throw .invalid("birth_date_invalid", field: "birth_date")
        }
        try IdentityDocument.agrees(id: document, birthDate: birthDate, sex: sex)
        if residencePermit != nil, residence != .floating {
            throw .invalid("residence_permit_not_floating", field: "permit_start")
        }
        if residence == .foreign, document.kind == .residentID {
            throw .invalid("residence_foreign_document", field: "id_type")
        }
        if householdID != nil, relation == nil { throw .invalid("relation_required", field: "relation") }
        if let movedInOn, movedInOn < birthDate {
            throw .invalid("moved_in_before_birth", field: "moved_in_on")
        }
        if let movedInOn, today < movedInOn { throw .invalid("date_in_future", field: "moved_in_on") }
        if let movedInOn, let movedOutOn, movedOutOn < movedInOn {
            throw .invalid("moved_out_before_in", field: "moved_out_on")
        }
    }

    /// Whether the person is a minor (under 18) on `day`.
    public func isMinor(on day: CalendarDate) -> Bool { birthDate.age(on: day) < Household.adultAge }

    /// What pages and answers show by default: document and phone masked, sensitive tags left out unless `role`
    /// manages them (`PersonTagPolicy`). The name stays whole: the staff who may read a record at all need it to do
    /// their work, and the security requirements mask numbers, not names.
    public func masked(
        for role: Role, managers: [PersonTag: Set<Role>] = PersonTagPolicy.defaultManagers
    )
        -> MaskedPerson
    {
        MaskedPerson(
            id: id, name: name, documentKind: document.kind, documentNumber: document.masked,
            phone: phone?.masked, tags: PersonTagPolicy.visible(tags, as: role, managers: managers))
    }
}

/// A person as a list shows them: masked, with only the tags the viewer may see.
public struct MaskedPerson: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var documentKind: DocumentKind
    public var documentNumber: String
    public var phone: String?
    public var tags: [PersonTag]
}
