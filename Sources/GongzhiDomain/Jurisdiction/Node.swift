import Foundation

/// A node of the jurisdiction tree. `path` lists the ids from the root down to this node ("/1/5/23/"),
/// so "is X inside Y's subtree" is a prefix test in Swift and in SQL.
public struct Node: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var kind: NodeKind
    public var name: String
    public var code: String?
    public var parentID: Int64?
    public var path: String
    public var communityID: Int64?
    public var estateID: Int64?
    public var closedAt: Date?
    /// Counts the changes made to this node through its commands, for the optimistic lock (`If-Match`).
    public var version: Int

    public init(
        id: Int64, kind: NodeKind, name: String, code: String? = nil, parentID: Int64?, path: String,
        communityID: Int64? = nil, estateID: Int64? = nil, closedAt: Date? = nil, version: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.code = code
        self.parentID = parentID
        self.path = path
        self.communityID = communityID
        self.estateID = estateID
        self.closedAt = closedAt
        self.version = version
    }

    public var isOpen: Bool { closedAt == nil }

    /// Ids on the path from the root to this node, this node last.
    public var ancestry: [Int64] { NodePath.ids(path) }

    public func contains(_ other: Node) -> Bool { other.path.hasPrefix(path) }
}

/// Materialised paths of the form "/1/5/23/".
public enum NodePath {
    public static func child(of parentPath: String?, id: Int64) -> String {
        (parentPath ?? "/") + "\(id)/"
    }
    public static func ids(_ path: String) -> [Int64] {
        path.split(separator: "/").compactMap { Int64($0) }
    }
    /// True when `path` lies in the subtree rooted at `root` (the root itself included).
    public static func isInside(_ path: String, _ root: String) -> Bool { path.hasPrefix(root) }
}

extension NodePath {
    /// The smallest path greater than every path in the subtree of `prefix` ("/1/5/" → "/1/50"):
    /// '0' follows '/' in byte order, so `path >= prefix AND path < upperBound` is the subtree.
    public static func upperBound(_ prefix: String) -> String { String(prefix.dropLast()) + "0" }
}
