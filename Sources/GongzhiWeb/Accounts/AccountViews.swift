import Foundation
import GongzhiDomain
import GongzhiStore

/// Typed page models of user administration, built by pure functions from read models and the actor's
/// capabilities, so a button is drawn exactly when its command would be accepted. Fields a template tests are
/// `Bool`s (Mustache looks a missing name up in the enclosing sections).
enum AccountViews {
    /// Words in the reader's language.
    typealias Words = (String) -> String

    /// A choice in a select (a role, a node).
    struct Choice: Sendable, Equatable {
        var value: String
        var label: String
    }

    /// One role an account holds, with its revoke button when the actor may take it away.
    struct RoleLine: Sendable, Equatable {
        var grantID: Int64
        var role: String
        var node: String
        var nodeHref: String
        var canRevoke: Bool
    }

    static func roleLines(_ record: AccountRecord, _ capabilities: Set<AccountCapability>, words: Words) -> [RoleLine] {
        record.grants.map { g in
            RoleLine(
                grantID: g.id, role: words("role_\(g.role.rawValue)"), node: g.nodeName, nodeHref: "/nodes/\(g.nodeID)",
                canRevoke: capabilities.contains(.revoke(grantID: g.id)))
        }
    }

    /// One row of the users list.
    struct Row: Sendable, Equatable {
        var id: Int64
        var href: String
        var username: String
        var displayName: String
        var roles: [RoleLine]
        var locked: Bool
        var disabled: Bool
    }

    static func row(_ record: AccountRecord, now: Date, words: Words) -> Row {
        let u = record.user
        return Row(
            id: u.id, href: AccountURL.show(u.id).path, username: u.username, displayName: u.displayName,
            roles: roleLines(record, [], words: words), locked: u.lockedUntil.map { $0 > now } ?? false,
            disabled: u.disabledAt != nil)
    }

    /// The roles the actor may give: `.create` choices for a new account, `.grant` ones for an existing account.
    static func roleChoices(_ capabilities: Set<AccountCapability>, creating: Bool, words: Words) -> [Choice] {
        Role.allCases.filter { capabilities.contains(creating ? .create($0) : .grant($0)) }
            .map { Choice(value: $0.rawValue, label: words("role_\($0.rawValue)")) }
    }

    /// The users page: a page of accounts and, when the actor may create any, the form for a new one.
    struct ListPage: Sendable, Equatable {
        var rows: [Row]
        var q: String
        var hasPrev: Bool
        var prevPage: Int
        var hasNext: Bool
        var nextPage: Int
        var canCreate: Bool
        var roles: [Choice]
        var nodes: [Choice]
    }

    /// `records` holds one more than a page when there is a next page.
    static func list(
        _ records: [AccountRecord], pageSize: Int, page: Int, q: String, creatable: Set<AccountCapability>,
        nodes: [Choice], now: Date, words: Words
    ) -> ListPage {
        let roles = roleChoices(creatable, creating: true, words: words)
        return ListPage(
            rows: records.prefix(pageSize).map { row($0, now: now, words: words) }, q: q, hasPrev: page > 0,
            prevPage: max(0, page - 1), hasNext: records.count > pageSize, nextPage: page + 1,
            canCreate: !roles.isEmpty && !nodes.isEmpty, roles: roles, nodes: nodes)
    }

    /// The facts at the top of a user's page.
    struct Facts: Sendable, Equatable {
        var id: Int64
        var username: String
        var displayName: String
        var version: Int
        var createdAt: String
        var lastLoginAt: String
        var isLocked: Bool
        var lockedUntil: String
        var isDisabled: Bool
        var disabledAt: String
        var mustChangePassword: Bool
    }

    /// The step forms' addresses.
    struct URLs: Sendable, Equatable {
        var grant, revoke, resetPassword, requirePasswordChange, disable, enable: String
    }

    /// A user's page: facts, roles and exactly the buttons the actor's capabilities allow.
    struct Detail: Sendable, Equatable {
        var account: Facts
        var grants: [RoleLine]
        var canGrant: Bool
        var canResetPassword: Bool
        var canRequirePasswordChange: Bool
        var canDisable: Bool
        var canEnable: Bool
        var hasAccessSteps: Bool
        var url: URLs
        var roles: [Choice]
        var nodes: [Choice]
    }

    static func detail(
        _ record: AccountRecord, capabilities can: Set<AccountCapability>, nodes: [Choice], now: Date,
        language: Language, words: Words
    ) -> Detail {
        let u = record.user
        let locked = u.lockedUntil.flatMap { $0 > now ? $0 : nil }
        let roles = roleChoices(can, creating: false, words: words)
        func url(_ step: AccountStep.Name) -> String { AccountURL.step(u.id, step).path }
        return Detail(
            account: Facts(
                id: u.id, username: u.username, displayName: u.displayName, version: u.version,
                createdAt: DateText.format(u.createdAt, language),
                lastLoginAt: DateText.format(u.lastLoginAt, language),
                isLocked: locked != nil, lockedUntil: DateText.format(locked, language),
                isDisabled: u.disabledAt != nil,
                disabledAt: DateText.format(u.disabledAt, language), mustChangePassword: u.mustChangePassword),
            grants: roleLines(record, can, words: words),
            canGrant: !roles.isEmpty && !nodes.isEmpty, canResetPassword: can.contains(.resetPassword),
            canRequirePasswordChange: can.contains(.requirePasswordChange), canDisable: can.contains(.disable),
            canEnable: can.contains(.enable),
            hasAccessSteps: can.contains(.disable) || can.contains(.enable) || can.contains(.requirePasswordChange),
            url: URLs(
                grant: url(.grant), revoke: url(.revoke), resetPassword: url(.resetPassword),
                requirePasswordChange: url(.requirePasswordChange), disable: url(.disable), enable: url(.enable)),
            roles: roles, nodes: nodes)
    }
}
