import Foundation
import GongzhiDomain
import Hummingbird

/// One step on an account: its name (which names its URL and its button), the capability that draws the button,
/// and how its input becomes a command. The page and the API register every step from this one list.
struct AccountStep: Sendable {
    /// Raw values name the URL segment and the locale key of the button (`user_step_<raw>`).
    enum Name: String, CaseIterable, Sendable {
        case grant, revoke
        case resetPassword = "reset-password"
        case requirePasswordChange = "require-password-change"
        case disable, enable
    }

    let name: Name
    let fromForm: @Sendable (Form) throws -> AccountCommand
    let fromJSON: @Sendable (Request, AppRequestContext) async throws -> AccountCommand

    static func make<I: Decodable & Sendable>(
        _ name: Name, _ input: I.Type, _ command: @escaping @Sendable (I) throws -> AccountCommand
    ) -> AccountStep {
        AccountStep(
            name: name, fromForm: { form in try command(try form.decode(I.self)) },
            fromJSON: { request, context in try command(try await request.decodeInput(I.self, context: context)) })
    }

    static func input<I: AccountStepInput>(_ name: Name, _ input: I.Type) -> AccountStep {
        make(name, input) { try $0.command() }
    }

    static let all: [AccountStep] = [
        input(.grant, GrantInput.self),
        input(.revoke, RevokeInput.self),
        input(.resetPassword, ResetPasswordInput.self),
        bare(.requirePasswordChange, .requirePasswordChange),
        bare(.disable, .disable),
        bare(.enable, .enable),
    ]

    /// A step that takes nothing but the account: whatever body comes (none, `{}`) is not read.
    static func bare(_ name: Name, _ command: AccountCommand) -> AccountStep {
        AccountStep(name: name, fromForm: { _ in command }, fromJSON: { _, _ in command })
    }
}

extension User {
    /// The ETag of this version of the account.
    var etag: String { "\"\(version)\"" }
}
