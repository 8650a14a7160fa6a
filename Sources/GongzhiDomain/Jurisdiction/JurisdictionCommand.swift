import Foundation

/// Everything anyone can do to a node of the tree. Each command goes through `JurisdictionPolicy.require` and the
/// tree rules, and the store's one `perform` writes it with the node's history and the audit entry.
public enum JurisdictionCommand: Sendable, Equatable {
    case createChild(kind: NodeKind, name: String, code: String?)
    case rename(name: String)
    /// Move the node and its subtree under another parent.
    case move(to: Int64)
    case close
    /// Split a grid in two; every open building goes to one of the halves.
    case splitGrid(firstName: String, secondName: String, assignment: [Int64: GridChange.Side])
    /// Merge the grid with another grid of the same community into a new grid.
    case mergeGrids(with: Int64, name: String)
    case createBody(kind: BodyKind, name: String)
    case createEstate(name: String)
    case renameEstate(estateID: Int64, name: String)
    /// Put a building into an estate of its community (nil takes it out).
    case assignEstate(estateID: Int64?)
    /// Give a grid its boundary polygon (replacing any it had).
    case setBoundary(Boundary)
    /// Take a grid's boundary away: points are then placed at the nearest building again.
    case clearBoundary

    /// The capability the command needs on its node.
    public var capability: JurisdictionCapability {
        switch self {
        case .createChild(let kind, _, _): .createChild(kind)
        case .rename: .rename
        case .move: .move
        case .close: .close
        case .splitGrid: .splitGrid
        case .mergeGrids: .mergeGrids
        case .createBody: .createBody
        case .createEstate, .renameEstate: .manageEstates
        case .assignEstate: .assignEstate
        case .setBoundary, .clearBoundary: .editBoundary
        }
    }
}

/// Everything anyone can do to a governance body and its duty list; every one needs `editBody`.
public enum BodyCommand: Sendable, Equatable {
    case rename(name: String)
    /// Move the body to `position` (1 first) among the community's open bodies.
    case reorder(position: Int)
    case close
    /// A major item (no parent) or a minor item under a major one, at the end of its list.
    case addDuty(parentID: Int64?, title: String)
    case renameDuty(itemID: Int64, title: String)
    /// Move an item to `position` (1 first) among its open siblings.
    case reorderDuty(itemID: Int64, position: Int)
    /// Close an item; a major item closes only when no open minor item remains under it.
    case closeDuty(itemID: Int64)
}
