import Foundation

/// The governance bodies of a community ("1+3+N"): the party committee at the core, the residents' committee,
/// workstation and service center, and the many others.
public enum BodyKind: String, CaseIterable, Codable, Sendable {
    case partyCommittee, residentsCommittee, workstation, serviceCenter, supervisionCommittee
    case ownersCommittee, propertyCompany, socialOrganisation, residentUnit

    /// Kinds a community has exactly one of.
    public var isSingleton: Bool {
        switch self {
        case .partyCommittee, .residentsCommittee, .workstation, .serviceCenter, .supervisionCommittee: true
        default: false
        }
    }

    public static func parse(_ raw: String) throws(DomainError) -> BodyKind {
        guard let kind = BodyKind(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
            throw .invalid("body_kind_unknown", field: "kind", args: [raw])
        }
        return kind
    }
}

public struct Body: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    public var kind: BodyKind
    public var name: String
    /// Its place in the community's list of bodies (1 first).
    public var position: Int
    public var closedAt: Date?
    /// Counts the changes made to the body and its duty list, for the optimistic lock.
    public var version: Int
    public init(
        id: Int64, communityID: Int64, kind: BodyKind, name: String, position: Int = 0, closedAt: Date? = nil,
        version: Int = 0
    ) {
        self.id = id
        self.communityID = communityID
        self.kind = kind
        self.name = name
        self.position = position
        self.closedAt = closedAt
        self.version = version
    }

    public var isOpen: Bool { closedAt == nil }
}

/// One line of a body's duty list: a major item (parentID nil) or a minor item under one.
public struct DutyItem: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var bodyID: Int64
    public var parentID: Int64?
    public var title: String
    public var position: Int
    public var closedAt: Date?
    public init(id: Int64, bodyID: Int64, parentID: Int64?, title: String, position: Int, closedAt: Date? = nil) {
        self.id = id
        self.bodyID = bodyID
        self.parentID = parentID
        self.title = title
        self.position = position
        self.closedAt = closedAt
    }

    public var isOpen: Bool { closedAt == nil }
}

/// An estate (小区): a named group of buildings inside one community.
public struct Estate: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    public var name: String
    public init(id: Int64, communityID: Int64, name: String) {
        self.id = id
        self.communityID = communityID
        self.name = name
    }
}
