import Foundation

/// Who may do what with an account, in one place. `capabilities` is for pages (buttons are drawn from it), `require`
/// for commands (the returned role goes into the audit entry).
///
/// An account is inside the actor's jurisdiction when one of its grants, or its home node, lies inside a node where
/// the actor manages users; outside it answers exactly like a missing id. Separation of duties (三员分立): no
/// administrator grants the auditor role or creates, resets or disables an auditor, only the command line does;
/// an auditor manages nobody.
public enum AccountPolicy {
    /// Roles that manage the accounts of their subtree.
    static let userManagers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin, .systemAdmin]

    // MARK: - Entry points

    /// What the actor may do with `user` (nil: an account about to be created), state included: a disabled account
    /// offers "enable", not "disable".
    public static func capabilities(
        of actor: Actor, on user: User?, in context: AccountContext
    ) -> Set<AccountCapability> {
        var candidates: [AccountCapability] = Role.allCases.map { .create($0) }
        if user != nil {
            candidates += [
                .view, .resetPassword, .requirePasswordChange, .disable, .enable, .createToken, .revokeToken,
            ]
            candidates += Role.allCases.map { .grant($0) } + context.grants.map { .revoke(grantID: $0.id) }
        }
        return Set(
            candidates.filter {
                (user == nil || isVisible(actor, user, context)) && role(for: $0, actor, user, context) != nil
                    && isAvailable($0, user)
            })
    }

    /// The role that allows the act, or the refusal: "not found" when the account (or the node a role would be
    /// held at) lies outside the actor's jurisdiction, "forbidden" when the actor sees it but may not do this.
    /// Repeating a state (disabling a disabled account) is allowed; the store makes it a no-op.
    @discardableResult
    public static func require(
        _ capability: AccountCapability, of actor: Actor, on user: User?, in context: AccountContext
    ) throws(DomainError) -> Role {
        if user != nil, !isVisible(actor, user, context) { throw .outsideJurisdiction }
        switch capability {
        case .create, .grant:
            if let path = context.nodePath, !sees(actor, path) { throw .outsideJurisdiction }
        default: break
        }
        guard let role = role(for: capability, actor, user, context) else { throw .forbidden }
        return role
    }

    // MARK: - Jurisdiction

    /// The grants under which the actor manages accounts; their subtrees are the actor's jurisdiction over them.
    public static func managingGrants(_ actor: Actor) -> [RoleGrant] {
        actor.grants.filter { userManagers.contains($0.role) }
    }

    /// Whether the actor manages anyone's account (the users page is theirs).
    public static func managesUsers(_ actor: Actor) -> Bool { !managingGrants(actor).isEmpty }

    /// The actor's role that manages accounts at `path`, if any.
    public static func manager(_ actor: Actor, at path: String) -> Role? {
        managingGrants(actor).first { NodePath.isInside(path, $0.nodePath) }?.role
    }

    /// Whether the account is inside the actor's jurisdiction. The command line sees every account, everyone their own.
    public static func isVisible(_ actor: Actor, _ user: User?, _ context: AccountContext) -> Bool {
        if actor.isCommandLine || (actor.principal == .user && user?.id == actor.userID) { return true }
        let paths = context.grants.map(\.nodePath) + (context.homePath.map { [$0] } ?? [])
        return paths.contains { manager(actor, at: $0) != nil }
    }

    /// Whether the actor sees a node at all: their subtrees and the way up to them (as the tree shows it).
    public static func sees(_ actor: Actor, _ path: String) -> Bool {
        actor.grants.contains { NodePath.isInside(path, $0.nodePath) || NodePath.isInside($0.nodePath, path) }
    }

    // MARK: - Granting

    /// Whether `grant` lets its holder grant (and revoke) `role` at `path`: inside its subtree, a lower rank, never
    /// a system administrator (only another system administrator) and never an auditor.
    public static func mayGrant(_ grant: RoleGrant, _ role: Role, at path: String) -> Bool {
        guard NodePath.isInside(path, grant.nodePath), role != .auditor else { return false }
        switch grant.role {
        case .systemAdmin: return true
        case .districtAdmin, .subdistrictAdmin, .communityWorker:
            return role != .systemAdmin && role.rank < grant.role.rank
        default: return false
        }
    }

    /// The role under which the actor grants, revokes or resets for a holder of `role` at `path` (any of the actor's
    /// own nodes when `path` is nil). The auditor role is reached only from the command line.
    static func grantor(_ actor: Actor, _ role: Role, at path: String?) -> Role? {
        if role == .auditor { return actor.isCommandLine ? .systemAdmin : nil }
        return actor.grants.first { mayGrant($0, role, at: path ?? $0.nodePath) }?.role
    }

    /// The roles the actor may grant somewhere, for the choice on a page.
    public static func grantableRoles(_ actor: Actor) -> [Role] {
        Role.allCases.filter { grantor(actor, $0, at: nil) != nil }
    }

    // MARK: - Rules

    /// The role that allows the act, whatever the account's state.
    static func role(
        for capability: AccountCapability, _ actor: Actor, _ user: User?, _ context: AccountContext
    ) -> Role? {
        guard actor.principal != .system else { return nil }
        let isSelf = user.map { $0.id == actor.userID && actor.principal == .user } ?? false
        switch capability {
        case .view:
            if actor.isCommandLine { return .systemAdmin }
            let paths = context.grants.map(\.nodePath) + (context.homePath.map { [$0] } ?? [])
            return Role.highest(paths.compactMap { manager(actor, at: $0) })
        case .create(let role):
            guard user == nil else { return nil }
            return grantor(actor, role, at: context.nodePath)
        case .grant(let role):
            // Nobody widens (or narrows) their own powers: another administrator does it, so it is seen.
            guard user != nil, !isSelf else { return nil }
            return grantor(actor, role, at: context.nodePath)
        case .revoke(let grantID):
            guard !isSelf, let grant = context.grants.first(where: { $0.id == grantID }) else { return nil }
            return grantor(actor, grant.role, at: grant.nodePath)
        case .resetPassword, .requirePasswordChange:
            guard user != nil, !isSelf else { return nil }
            // A resident (no role anywhere) who forgot their password is reset by those who manage the accounts where
            // they live: their community's workers and the administrators above.
            if context.grants.isEmpty, !actor.isCommandLine, let home = context.homePath {
                return manager(actor, at: home)
            }
            // Otherwise one must outrank the person at every node where they hold a role.
            return everyGrant(actor, context) { grantor(actor, $0.role, at: $0.nodePath) }
        case .disable, .enable:
            // One must manage users at every node where the person holds a role.
            guard user != nil, !isSelf else { return nil }
            return everyGrant(actor, context) { grant in
                grant.role == .auditor ? (actor.isCommandLine ? .systemAdmin : nil) : manager(actor, at: grant.nodePath)
            }
        case .createToken:
            guard user != nil else { return nil }
            if actor.isCommandLine { return .systemAdmin }
            return isSelf ? actor.ownRole : nil
        case .revokeToken:
            return isSelf ? actor.ownRole : nil
        }
    }

    /// The highest of the roles `allows` names for each of the account's grants, or nil when one is refused. An
    /// account without grants is handled only from the command line.
    static func everyGrant(_ actor: Actor, _ context: AccountContext, _ allows: (RoleGrant) -> Role?) -> Role? {
        guard !context.grants.isEmpty else { return actor.isCommandLine ? .systemAdmin : nil }
        var roles: [Role] = []
        for grant in context.grants {
            guard let role = allows(grant) else { return nil }
            roles.append(role)
        }
        return Role.highest(roles)
    }

    /// Whether the act makes sense in the account's state (pages offer only those).
    static func isAvailable(_ capability: AccountCapability, _ user: User?) -> Bool {
        switch capability {
        case .disable: user?.disabledAt == nil
        case .enable: user?.disabledAt != nil
        case .requirePasswordChange: user?.mustChangePassword == false
        default: true
        }
    }
}
