import Foundation

/// What a user may do, always held at a node and valid for that node's subtree.
public enum Role: String, CaseIterable, Codable, Sendable {
    case resident, buildingHead, gridWorker, communityWorker, departmentHandler, supervisionMember
    case subdistrictAdmin, districtAdmin, systemAdmin, auditor

    /// Higher ranks may grant lower ones. The auditor sits apart: no administrator grants it (only the command
    /// line, see `Actor.Principal`), and an auditor grants nothing (separation of duties, 三员分立).
    var rank: Int {
        switch self {
        case .resident: 0
        case .buildingHead: 1
        case .gridWorker, .supervisionMember, .departmentHandler: 2
        case .communityWorker: 3
        case .subdistrictAdmin: 4
        case .districtAdmin: 5
        case .auditor: 6
        case .systemAdmin: 7
        }
    }

    /// Staff roles see personal data and must be created by an administrator.
    public var isStaff: Bool { self != .resident }

    /// The node kinds where this role can be held.
    public var allowedNodeKinds: Set<NodeKind> {
        switch self {
        case .resident, .buildingHead: [.building, .grid, .community, .village]
        case .gridWorker: [.grid, .community, .village]
        case .communityWorker, .supervisionMember: [.community, .village]
        case .departmentHandler: [.district, .subdistrict, .town, .community, .village]
        case .subdistrictAdmin: [.subdistrict, .town]
        case .districtAdmin, .systemAdmin, .auditor: [.district]
        }
    }

    /// The highest-ranked of `roles`, for the audit entry of a step taken under several of them.
    public static func highest(_ roles: some Sequence<Role>) -> Role? { roles.max { $0.rank < $1.rank } }

    public static func parse(_ raw: String) throws(DomainError) -> Role {
        guard let role = Role(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
            throw .invalid("role_unknown", field: "role", args: [raw])
        }
        return role
    }
}

/// A role granted to a user at a node.
public struct RoleGrant: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var userID: Int64
    public var role: Role
    public var nodeID: Int64
    public var nodePath: String
    public var nodeName: String
    /// The community the node is or lies in; nil above communities. Lets a list inside one community use the
    /// community's indexes instead of a path range.
    public var communityID: Int64?
    public init(
        id: Int64, userID: Int64, role: Role, nodeID: Int64, nodePath: String, nodeName: String = "",
        communityID: Int64? = nil
    ) {
        self.id = id
        self.userID = userID
        self.role = role
        self.nodeID = nodeID
        self.nodePath = nodePath
        self.nodeName = nodeName
        self.communityID = communityID
    }
}

/// Who is acting: the signed-in user and every role they hold.
public struct Actor: Sendable, Equatable {
    public var userID: Int64
    public var username: String
    public var grants: [RoleGrant]
    public var principal: Principal
    public init(userID: Int64, username: String, grants: [RoleGrant], principal: Principal = .user) {
        self.userID = userID
        self.username = username
        self.grants = grants
        self.principal = principal
    }

    /// Every staff grant, widest first: a worker with two communities works in both.
    public var areas: [RoleGrant] {
        grants.filter { $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor }
            .sorted { ($0.nodePath.count, $0.nodePath) < ($1.nodePath.count, $1.nodePath) }
            .reduce(into: [RoleGrant]()) { kept, grant in
                // A grant inside another kept area adds nothing to the scope.
                if !kept.contains(where: { NodePath.isInside(grant.nodePath, $0.nodePath) }) { kept.append(grant) }
            }
    }

    /// The command line acts as the system administrator at the top, as a command-line principal.
    public static let commandLine = Actor(
        userID: 0, username: "cli",
        grants: [
            RoleGrant(id: 0, userID: 0, role: .systemAdmin, nodeID: 0, nodePath: "/")
        ], principal: .commandLine)

    public var isCommandLine: Bool { principal == .commandLine }

    public func holds(_ role: Role) -> Bool { grants.contains { $0.role == role } }

    /// The role named in the audit entry of what users do for their own account (log-in and log-out, password,
    /// second factor, their API tokens) or of a refusal: the highest-ranked role they hold, nil when they hold none.
    public var ownRole: Role? { Role.highest(grants.map(\.role)) }

    /// The grant used for an action at `path`, for the audit log: the first that allows it.
    public func grant(for action: Action, at path: String) -> RoleGrant? {
        grants.first { AccessPolicy.allows($0, action, at: path) }
    }
}
