import Foundation

/// What someone may do with an account. Pages draw their buttons from `AccountPolicy.capabilities`, commands ask
/// `AccountPolicy.require`, so a button and its command cannot disagree.
public enum AccountCapability: Hashable, Sendable {
    /// See the account, its roles and its state.
    case view
    /// Create an account whose first role is this one (the subject is the account about to exist).
    case create(Role)
    /// Grant this role (at the context's node, or somewhere when the page asks).
    case grant(Role)
    /// Revoke one of the account's grants.
    case revoke(grantID: Int64)
    case resetPassword
    case requirePasswordChange
    case disable
    case enable
    /// Create or revoke the account's own API tokens (the command line creates them for anyone).
    case createToken
    case revokeToken
}

/// Facts about an account the policy needs but cannot read itself; the store loads them.
public struct AccountContext: Sendable, Equatable {
    /// The account's role grants, with the paths of their nodes.
    public var grants: [RoleGrant]
    /// The path of the account's home node (a resident's building), when it has one.
    public var homePath: String?
    /// For granting and creating: the path of the node the role would be held at.
    public var nodePath: String?

    public init(grants: [RoleGrant] = [], homePath: String? = nil, nodePath: String? = nil) {
        self.grants = grants
        self.homePath = homePath
        self.nodePath = nodePath
    }

    /// Auditors' accounts are handled only from the command line (三员分立).
    public var isAuditor: Bool { grants.contains { $0.role == .auditor } }
}
