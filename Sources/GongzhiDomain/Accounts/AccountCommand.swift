import Foundation

/// Everything someone does to an existing account other than their own. Each command goes through
/// `AccountPolicy.require`, and the store's one `AccountCommands.perform` writes and audits it.
public enum AccountCommand: Sendable, Equatable {
    /// Grant a role at a node (whose kind must suit the role).
    case grant(Role, nodeID: Int64)
    /// Revoke one of the account's grants.
    case revoke(grantID: Int64)
    /// Set a new password the person must replace at the next log-in; their sessions and API tokens end.
    case resetPassword(String)
    /// Make the person choose a new password at the next log-in, without knowing their current one.
    case requirePasswordChange
    /// Take access away: no log-in, sessions and API tokens end at once.
    case disable
    /// Give a disabled account its log-in back (ended sessions and revoked tokens stay ended).
    case enable

    /// The capability the command needs.
    public var capability: AccountCapability {
        switch self {
        case .grant(let role, _): .grant(role)
        case .revoke(let grantID): .revoke(grantID: grantID)
        case .resetPassword: .resetPassword
        case .requirePasswordChange: .requirePasswordChange
        case .disable: .disable
        case .enable: .enable
        }
    }

    /// The action named in the audit log.
    public var auditAction: String {
        switch self {
        case .grant: "role.grant"
        case .revoke: "role.revoke"
        case .resetPassword: "user.reset_password"
        case .requirePasswordChange: "user.require_password_change"
        case .disable: "user.disable"
        case .enable: "user.enable"
        }
    }
}

extension AccountCommand: CustomStringConvertible {
    /// Never prints a password (commands end up in test output and logs).
    public var description: String {
        switch self {
        case .resetPassword: "resetPassword(…)"
        default: auditAction
        }
    }
}
