import Foundation

/// The levels of the jurisdiction tree: district → subdistrict/town → community/village → grid → building.
public enum NodeKind: String, CaseIterable, Codable, Sendable {
    case district, subdistrict, town, community, village, grid, building

    /// The kinds a node of this kind may hold directly.
    public var childKinds: [NodeKind] {
        switch self {
        case .district: [.subdistrict, .town]
        case .subdistrict, .town: [.community, .village]
        case .community, .village: [.grid]
        case .grid: [.building]
        case .building: []
        }
    }

    /// Only a district may stand at the top of a tree.
    public var mayBeRoot: Bool { self == .district }

    /// Communities and villages own community data (`community_id`).
    public var isCommunityLevel: Bool { self == .community || self == .village }

    public func mayHold(_ child: NodeKind) -> Bool { childKinds.contains(child) }

    public static func parse(_ raw: String) throws(DomainError) -> NodeKind {
        guard let kind = NodeKind(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
            throw .invalid("node_kind_unknown", field: "kind", args: [raw])
        }
        return kind
    }
}
