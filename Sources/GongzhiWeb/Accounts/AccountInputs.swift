import Foundation
import GongzhiDomain

/// One decodable input per step on an account, shared by the form and the JSON API: both decode the same type and
/// turn it into the same `AccountCommand`.
protocol AccountStepInput: Decodable, Sendable {
    func command() throws -> AccountCommand
}

struct GrantInput: AccountStepInput {
    var role: String?
    var node: LooseInt?
    func command() throws -> AccountCommand {
        let role = try Role.parse(role ?? "")
        guard let node = node?.value else { throw DomainError.invalid("node_required", field: "node") }
        return .grant(role, nodeID: node)
    }
}

struct RevokeInput: AccountStepInput {
    var grant: LooseInt?
    func command() throws -> AccountCommand {
        guard let grant = grant?.value else { throw DomainError.invalid("grant_required", field: "grant") }
        return .revoke(grantID: grant)
    }
}

struct ResetPasswordInput: AccountStepInput {
    var password: String?
    func command() throws -> AccountCommand { .resetPassword(password ?? "") }
}

/// A new staff account with its first role, from the users page or the API.
struct NewUserInput: Decodable, Sendable {
    var username: String?
    var displayName: String?
    var password: String?
    var role: String?
    var node: LooseInt?

    enum CodingKeys: String, CodingKey {
        case username, password, role, node
        case displayName = "display_name"
    }
}

/// A new API token of one's own.
struct NewTokenInput: Decodable, Sendable {
    var name: String?
}
