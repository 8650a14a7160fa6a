import Foundation

/// Every change to a person's record goes through the registry's one writer as one of these.
public enum RegistryCommand: Sendable, Equatable {
    /// A new person (no id yet).
    case register(PersonDraft)
    /// The whole record as it should now read.
    case amend(PersonDraft)
    /// Moved away on the day: the record stays, marked, and leaves the household.
    case moveOut(on: CalendarDate)
    /// Erased: name, document and phone dropped for good, tags and household left; cases, visits and votes keep
    /// their numbers and counts, and the record reads "已匿名".
    case anonymise

    /// The audit action of the step.
    public var action: String {
        switch self {
        case .register: "registry.person.register"
        case .amend: "registry.person.amend"
        case .moveOut: "registry.person.move_out"
        case .anonymise: "registry.person.anonymise"
        }
    }

    /// What the step needs of the actor.
    public var capability: RegistryCapability {
        switch self {
        case .register, .amend, .moveOut: .edit
        // Erasing is for the community's reviewers, not the grid's keepers.
        case .anonymise: .review
        }
    }
}

/// The fields of a record a full view may show, each on its own reveal.
public enum RevealField: String, CaseIterable, Codable, Sendable {
    case idNumber = "id_number"
    case phone
}
