import Foundation

/// The registry's pages, one typed value per URL, used by the routes and the views alike.
enum RegistryURL {
    case people
    case newPerson
    case person(Int64)
    case editPerson(Int64)
    case personStep(Int64, PersonStep)
    case building(Int64)
    case house(Int64)

    /// The steps on a person's record, each its own POST route (page) and API route.
    enum PersonStep: String, CaseIterable, Sendable {
        case amend, reveal, anonymise
        case moveOut = "move_out"
    }

    var path: String {
        switch self {
        case .people: "/registry"
        case .newPerson: "/registry/people/new"
        case .person(let id): "/registry/people/\(id)"
        case .editPerson(let id): "/registry/people/\(id)/edit"
        case .personStep(let id, let step): "/registry/people/\(id)/\(step.rawValue)"
        case .building(let id): "/registry/buildings/\(id)"
        case .house(let id): "/registry/houses/\(id)"
        }
    }

    static func stepPattern(_ step: PersonStep) -> String { "/registry/people/:id/\(step.rawValue)" }
}
