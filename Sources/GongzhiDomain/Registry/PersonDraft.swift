import Foundation

/// A person's record as the form, the JSON API and a row of the people file give it: text as people write it
/// (`RegistryValues`), checked into a `PersonDraft` by one function, so the three entries cannot disagree.
public struct PersonForm: Sendable, Equatable, Codable {
    public var name: String?
    public var idType: String?
    public var idNumber: String?
    public var sex: String?
    public var birthDate: String?
    public var ethnicity: String?
    public var phone: String?
    /// The building node's id (a form's select), or empty when the import names it by code or name instead.
    public var building: String?
    public var unit: String?
    public var room: String?
    /// The household number (户号): the household the person belongs to, made when its head is registered.
    public var household: String?
    public var relation: String?
    public var residenceStatus: String?
    public var permitStart: String?
    public var permitEnd: String?
    public var movedInOn: String?
    public var tags: String?

    /// The people file's English headers, which the form's fields and the API's JSON share, so an error's field
    /// names the column, the input and the property alike.
    enum CodingKeys: String, CodingKey {
        case name, sex, ethnicity, phone, building, unit, room, household, relation, tags
        case idType = "id_type"
        case idNumber = "id_number"
        case birthDate = "birth_date"
        case residenceStatus = "residence_status"
        case permitStart = "permit_start"
        case permitEnd = "permit_end"
        case movedInOn = "moved_in_on"
    }

    public init(
        name: String? = nil, idType: String? = nil, idNumber: String? = nil, sex: String? = nil,
        birthDate: String? = nil, ethnicity: String? = nil, phone: String? = nil, building: String? = nil,
        unit: String? = nil, room: String? = nil, household: String? = nil, relation: String? = nil,
        residenceStatus: String? = nil, permitStart: String? = nil, permitEnd: String? = nil,
        movedInOn: String? = nil, tags: String? = nil
    ) {
        self.name = name
        self.idType = idType
        self.idNumber = idNumber
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.phone = phone
        self.building = building
        self.unit = unit
        self.room = room
        self.household = household
        self.relation = relation
        self.residenceStatus = residenceStatus
        self.permitStart = permitStart
        self.permitEnd = permitEnd
        self.movedInOn = movedInOn
        self.tags = tags
    }

    /// The form of a record as it stands, for an edit form.
    public init(_ person: Person, householdNumber: String?) {
        self.init(
            name: person.name, idType: person.document.kind.rawValue, idNumber: person.document.number,
            sex: person.sex.rawValue, birthDate: person.birthDate.description, ethnicity: person.ethnicity?.rawValue,
            phone: person.phone?.formatted, building: person.address.buildingID.map { "\($0)" },
            unit: person.address.unit, room: person.address.room, household: householdNumber,
            relation: person.relation?.rawValue, residenceStatus: person.residence.rawValue,
            permitStart: person.residencePermit?.start.description, permitEnd: person.residencePermit?.end.description,
            movedInOn: person.movedInOn?.description, tags: person.tags.map(\.rawValue).joined(separator: ";"))
    }

    /// Checks every field on `today` and returns the draft, or the first error with its field. The birth date and
    /// sex may be left out for a resident ID, which encodes both; given, they must agree with it.
    public func draft(today: CalendarDate) throws(DomainError) -> PersonDraft {
        func text(_ value: String?) -> String { (value ?? "").trimmedWhitespace }
        let name = text(name)
        guard !name.isEmpty else { throw .invalid("person_name_required", field: "name") }
        guard name.count <= Person.maxNameLength else {
            throw .invalid("person_name_too_long", field: "name", args: ["\(Person.maxNameLength)"])
        }
        let kind = try RegistryValues.documentKind(from: text(idType)) ?? .residentID
        let document = try IdentityDocument.validate(kind: kind, number: text(idNumber), today: today)
        guard let sex = try RegistryValues.sex(from: text(sex)) ?? document.sex else {
            throw .invalid("sex_required", field: "sex")
        }
        guard let birthDate = try RegistryValues.date(from: text(birthDate), field: "birth_date") ?? document.birthDate
        else { throw .invalid("birth_date_required", field: "birth_date") }
        let ethnicity = try RegistryValues.ethnicity(from: text(ethnicity))
        let phone = text(phone).isEmpty ? nil : try PhoneNumber.parse(text(phone))
        let residence = try RegistryValues.residenceStatus(from: text(residenceStatus)) ?? .registered
        let start = try RegistryValues.date(from: text(permitStart), field: "permit_start")
        let end = try RegistryValues.date(from: text(permitEnd), field: "permit_end")
        var permit: ResidencePermit?
        switch (start, end) {
        case (let start?, let end?): permit = try ResidencePermit(start: start, end: end)
        case (nil, nil): permit = nil
        case (nil, _): throw .invalid("residence_permit_incomplete", field: "permit_start")
        case (_, nil): throw .invalid("residence_permit_incomplete", field: "permit_end")
        }
        let household = text(household)
        let relation = try RegistryValues.relation(from: text(relation))
        if !household.isEmpty, relation == nil { throw .invalid("relation_required", field: "relation") }
        if household.isEmpty, relation != nil { throw .invalid("household_required", field: "household") }
        guard household.count <= 40 else { throw .invalid("household_number_too_long", field: "household") }
        let buildingText = text(building)
        let buildingID: Int64? = buildingText.isEmpty ? nil : Int64(buildingText)
        if !buildingText.isEmpty, buildingID == nil { throw .invalid("building_unknown", field: "building") }
        let draft = PersonDraft(
            name: name, document: document, sex: sex, birthDate: birthDate, ethnicity: ethnicity, phone: phone,
            residence: residence, residencePermit: permit, buildingID: buildingID, unit: text(unit),
            room: text(room), householdNumber: household.isEmpty ? nil : household, relation: relation,
            movedInOn: try RegistryValues.date(from: text(movedInOn), field: "moved_in_on"),
            tags: try RegistryValues.tags(from: text(tags)))
        try draft.person(id: 0, communityID: 0, householdID: nil).check(today: today)
        return draft
    }
}

/// A checked record, before the store places it: the building, unit and room are matched to a house there, the
/// household number to a household of the community.
public struct PersonDraft: Sendable, Equatable, Codable {
    public var name: String
    public var document: IdentityDocument
    public var sex: Sex
    public var birthDate: CalendarDate
    public var ethnicity: Ethnicity?
    public var phone: PhoneNumber?
    public var residence: ResidenceStatus
    public var residencePermit: ResidencePermit?
    public var buildingID: Int64?
    public var unit: String
    public var room: String
    public var householdNumber: String?
    public var relation: HouseholdRelation?
    public var movedInOn: CalendarDate?
    public var tags: [PersonTag]

    /// The person this draft describes, once placed.
    public func person(id: Int64, communityID: Int64, householdID: Int64?, version: Int = 1) -> Person {
        Person(
            id: id, communityID: communityID, name: name, document: document, sex: sex, birthDate: birthDate,
            ethnicity: ethnicity, phone: phone, householdID: householdID ?? (householdNumber == nil ? nil : 0),
            relation: relation, residence: residence, residencePermit: residencePermit,
            address: RoomAddress(
                buildingID: buildingID, unit: unit.isEmpty ? nil : unit, room: room.isEmpty ? nil : room),
            movedInOn: movedInOn, tags: tags, version: version)
    }
}
