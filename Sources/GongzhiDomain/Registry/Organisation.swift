import Foundation

/// The kinds of organisation the registry keeps (人地事物组织's 组织). Raw values name locale keys
/// (`organisation_kind_<raw>`).
public enum OrganisationKind: String, CaseIterable, Codable, Sendable {
    /// 驻区单位: government offices, schools, hospitals, companies based in the community.
    case residentUnit = "resident_unit"
    /// 商户
    case shop
    /// 社会组织, registered with civil affairs or filed with the sub-district.
    case socialOrganisation = "social_organisation"
    /// 物业服务企业
    case propertyCompany = "property_company"
    /// 业主委员会
    case ownersCommittee = "owners_committee"

    public var chineseName: String {
        switch self {
        case .residentUnit: "驻区单位"
        case .shop: "商户"
        case .socialOrganisation: "社会组织"
        case .propertyCompany: "物业公司"
        case .ownersCommittee: "业主委员会"
        }
    }
}

/// How a social organisation stands: registered with the civil affairs department (登记, with a unified social
/// credit code starting 5), or filed with the sub-district (备案, community social organisations too small to
/// register), each with its number.
public enum SocialRegistration: String, CaseIterable, Codable, Sendable {
    case civilAffairs = "civil_affairs"
    case subdistrictFiling = "subdistrict_filing"

    public var chineseName: String {
        switch self {
        case .civilAffairs: "民政登记"
        case .subdistrictFiling: "街道备案"
        }
    }
}

/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from the 31 the standard allows
/// (digits and capitals without I, O, S, V, Z), the registering authority, the kind, the 6-digit division code, the
/// 9-character organisation code and a check character computed over the first 17 with weights 3^(i-1) mod 31.
public enum UnifiedSocialCreditCode {
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character of the first 17 characters, nil when one is outside the alphabet.
    public static func checkCharacter(_ body: String) -> Character? {
        let chars = Array(body)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (i, c) in chars.enumerated() {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            sum += value * weights[i]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The code folded (half-width, upper case, without spaces) and checked: 18 characters
    /// (`credit_code_length`), every one allowed (`credit_code_character`), the division code six digits
    /// (`credit_code_division`) and the check character right (`credit_code_check`).
    public static func parse(_ raw: String) throws(DomainError) -> String {
        let code = HalfWidth.fold(raw).filter { !$0.isWhitespace && $0 != "-" }.uppercased()
        guard code.count == 18 else { throw .invalid("credit_code_length", field: "credit_code") }
        guard code.allSatisfy({ alphabet.contains($0) }) else {
            throw .invalid("credit_code_character", field: "credit_code")
        }
        let chars = Array(code)
        guard chars[2..<8].allSatisfy(\.isNumber) else { throw .invalid("credit_code_division", field: "credit_code") }
        guard checkCharacter(String(chars[0..<17])) == chars[17] else {
            throw .invalid("credit_code_check", field: "credit_code")
        }
        return code
    }
}

/// A contact person of an organisation: name and phone, both personal data (sealed at rest, masked when shown).
public struct OrganisationContact: Sendable, Equatable, Codable {
    public var name: String
    public var phone: String
    public init(name: String, phone: String) {
        self.name = name
        self.phone = phone
    }

    /// As lists and the API show it: the name's first character, the phone's first three and last four digits.
    public var masked: OrganisationContact {
        OrganisationContact(name: PersonalDataMask.name(name), phone: PersonalDataMask.phone(phone))
    }
}

/// An organisation of the registry.
public struct Organisation: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    /// The node it sits in: a grid, or the community when no grid is named.
    public var nodeID: Int64
    public var kind: OrganisationKind
    public var name: String
    public var creditCode: String?
    public var registration: SocialRegistration?
    public var registrationNumber: String?
    public var address: String
    public var contacts: [OrganisationContact]
    public var closed: Bool
    public var version: Int

    public init(
        id: Int64, communityID: Int64, nodeID: Int64, kind: OrganisationKind, name: String, creditCode: String?,
        registration: SocialRegistration?, registrationNumber: String?, address: String,
        contacts: [OrganisationContact], closed: Bool = false, version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.nodeID = nodeID
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.registration = registration
        self.registrationNumber = registrationNumber
        self.address = address
        self.contacts = contacts
        self.closed = closed
        self.version = version
    }
}

/// An organisation as its form and the API give it. Contacts come as up to three name and phone pairs.
public struct OrganisationForm: Sendable, Equatable, Codable {
    public var kind: String?
    public var name: String?
    public var creditCode: String?
    public var registration: String?
    public var registrationNumber: String?
    public var address: String?
    public var node: String?
    public var contactName1: String?
    public var contactPhone1: String?
    public var contactName2: String?
    public var contactPhone2: String?
    public var contactName3: String?
    public var contactPhone3: String?

    enum CodingKeys: String, CodingKey {
        case kind, name, registration, address, node
        case creditCode = "credit_code"
        case registrationNumber = "registration_number"
        case contactName1 = "contact_name_1"
        case contactPhone1 = "contact_phone_1"
        case contactName2 = "contact_name_2"
        case contactPhone2 = "contact_phone_2"
        case contactName3 = "contact_name_3"
        case contactPhone3 = "contact_phone_3"
    }

    public init(
        kind: String? = nil, name: String? = nil, creditCode: String? = nil, registration: String? = nil,
        registrationNumber: String? = nil, address: String? = nil, node: String? = nil,
        contacts: [(String, String)] = []
    ) {
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.registration = registration
        self.registrationNumber = registrationNumber
        self.address = address
        self.node = node
        let c = contacts + Array(repeating: ("", ""), count: max(0, 3 - contacts.count))
        (contactName1, contactPhone1) = (c[0].0, c[0].1)
        (contactName2, contactPhone2) = (c[1].0, c[1].1)
        (contactName3, contactPhone3) = (c[2].0, c[2].1)
    }

    public static let maxNameLength = 100

    /// The checked organisation: a known kind (`organisation_kind_unknown`), a name of 2–100 characters
    /// (`organisation_name_required`, `organisation_name_too_long`), a valid credit code when given
    /// (`UnifiedSocialCreditCode`); a social organisation says how it stands and its number
    /// (`registration_required`, `registration_number_required`), and one registered with civil affairs has a
    /// credit code (`credit_code_required`); a place in the tree (`node_required`); an address of at most 200
    /// characters; each contact a name with a valid phone (`contact_name_required`, `PhoneNumber`'s errors).
    public func draft() throws(DomainError) -> OrganisationDraft {
        func text(_ value: String?) -> String {
            HalfWidth.fold(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let rawKind = text(kind)
        guard
            let kind = OrganisationKind(rawValue: rawKind)
                ?? OrganisationKind.allCases.first(where: { $0.chineseName == rawKind })
        else { throw .invalid("organisation_kind_unknown", field: "kind", args: [rawKind]) }
        let name = text(name)
        guard name.count >= 2 else { throw .invalid("organisation_name_required", field: "name") }
        guard name.count <= Self.maxNameLength else {
            throw .invalid("organisation_name_too_long", field: "name", args: ["\(Self.maxNameLength)"])
        }
        var code: String?
        if !text(creditCode).isEmpty { code = try UnifiedSocialCreditCode.parse(text(creditCode)) }
        var registration: SocialRegistration?
        var number: String?
        if kind == .socialOrganisation {
            let raw = text(self.registration)
            guard
                let value = SocialRegistration(rawValue: raw)
                    ?? SocialRegistration.allCases.first(where: { $0.chineseName == raw })
            else { throw .invalid("registration_required", field: "registration") }
            registration = value
            if value == .civilAffairs {
                guard let code else { throw .invalid("credit_code_required", field: "credit_code") }
                number = code
            } else {
                let filed = text(registrationNumber)
                guard !filed.isEmpty else {
                    throw .invalid("registration_number_required", field: "registration_number")
                }
                guard filed.count <= 40 else {
                    throw .invalid("registration_number_too_long", field: "registration_number")
                }
                number = filed
            }
        }
        guard let node = Int64(text(node)) else { throw .invalid("node_required", field: "node") }
        let address = text(address)
        guard address.count <= 200 else { throw .invalid("address_too_long", field: "address") }
        var contacts: [OrganisationContact] = []
        for (i, (n, p)) in [
            (contactName1, contactPhone1), (contactName2, contactPhone2), (contactName3, contactPhone3),
        ]
        .enumerated() {
            let (name, phone) = (text(n), text(p))
            guard !name.isEmpty || !phone.isEmpty else { continue }
            guard !name.isEmpty, name.count <= Person.maxNameLength else {
                throw .invalid("contact_name_required", field: "contact_name_\(i + 1)")
            }
            let parsed = try PhoneNumber.parse(phone, field: "contact_phone_\(i + 1)")
            contacts.append(OrganisationContact(name: name, phone: parsed.formatted))
        }
        return OrganisationDraft(
            kind: kind, name: name, creditCode: code, registration: registration, registrationNumber: number,
            address: address, nodeID: node, contacts: contacts)
    }
}

/// A checked organisation, before the store places it in its node's community.
public struct OrganisationDraft: Sendable, Equatable, Codable {
    public var kind: OrganisationKind
    public var name: String
    public var creditCode: String?
    public var registration: SocialRegistration?
    public var registrationNumber: String?
    public var address: String
    public var nodeID: Int64
    public var contacts: [OrganisationContact]
}

/// Every change to an organisation goes through the registry's organisation writer as one of these.
public enum OrganisationCommand: Sendable, Equatable {
    case create(OrganisationDraft)
    case edit(OrganisationDraft)
    /// Closed down or moved away: kept, marked closed, out of the default list.
    case close

    public var action: String {
        switch self {
        case .create: "registry.organisation.create"
        case .edit: "registry.organisation.edit"
        case .close: "registry.organisation.close"
        }
    }
}
