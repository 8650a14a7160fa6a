import Foundation

/// What someone may do with a node of the tree or a governance body. Pages draw their buttons from
/// `JurisdictionPolicy.capabilities`, commands ask `JurisdictionPolicy.require`, so a button and its command cannot
/// disagree.
public enum JurisdictionCapability: Hashable, Sendable {
    /// Read the node (or body), its children, bodies, estates and duty lists.
    case view
    /// Export the subtree as CSV: staff, and only inside their own jurisdiction.
    case export
    /// Import tree or body rows below the node (each row is checked again as it is written).
    case importRows
    /// Create a child of this kind.
    case createChild(NodeKind)
    case rename, move, close
    case splitGrid, mergeGrids
    /// Add a governance body to a community.
    case createBody
    /// Create and rename the estates of a community.
    case manageEstates
    /// Put a building into an estate of its community, or take it out.
    case assignEstate
    /// Rename, reorder or close a body, and keep its duty list.
    case editBody
    /// Set or clear a grid's boundary polygon.
    case editBoundary

    /// Every capability that can apply to a node of `kind`, in the order pages show them.
    public static func all(for kind: NodeKind) -> [JurisdictionCapability] {
        [.view, .export, .importRows] + kind.childKinds.map(JurisdictionCapability.createChild)
            + [
                .rename, .move, .close, .splitGrid, .mergeGrids, .createBody, .manageEstates, .assignEstate,
                .editBoundary,
            ]
    }
}

/// Facts about a node the policy needs but cannot read itself; the store loads them.
public struct JurisdictionContext: Sendable, Equatable {
    /// Open nodes directly below: a node closes only when there are none.
    public var openChildren: Int
    public init(openChildren: Int = 0) { self.openChildren = openChildren }
}
