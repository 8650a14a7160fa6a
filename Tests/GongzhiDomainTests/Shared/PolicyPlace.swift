import Foundation

/// Where an asked-about path lies from a grant held at "/1/5/": its own node, inside its subtree, a sibling whose
/// id starts with the same digits, and an ancestor. Shared by the policy tests of every module.
enum PolicyPlace: String, CaseIterable, Sendable {
    case atTheNode, inside, sibling, ancestor
    var path: String {
        switch self {
        case .atTheNode: "/1/5/"
        case .inside: "/1/5/23/"
        case .sibling: "/1/50/"  // "/1/50/" must not count as inside "/1/5/"
        case .ancestor: "/1/"
        }
    }
    var isInside: Bool { self == .atTheNode || self == .inside }
}
