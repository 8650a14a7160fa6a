import Foundation

/// An error a user can fix or must be told about. `key` names a message in the locale files
/// (`error.<key>`), so every layer can show it in the user's language; `field` points a form at the input.
public struct DomainError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case invalid, notFound, forbidden, conflict, unauthenticated, tooManyAttempts
    }

    public let kind: Kind
    public let key: String
    public let field: String?
    /// Values substituted into the message in order (`{0}`, `{1}`, ...), e.g. a CSV line number.
    public let args: [String]

    public init(_ kind: Kind, _ key: String, field: String? = nil, args: [String] = []) {
        self.kind = kind
        self.key = key
        self.field = field
        self.args = args
    }

    public static func invalid(_ key: String, field: String? = nil, args: [String] = []) -> DomainError {
        DomainError(.invalid, key, field: field, args: args)
    }
    public static let notFound = DomainError(.notFound, "not_found")
    public static let forbidden = DomainError(.forbidden, "forbidden")
    /// Answered exactly like `notFound` (same key, same message), but marked so the refusal can be audited.
    public static let outsideJurisdiction = DomainError(.notFound, "not_found", args: ["outside"])

    public var isRefusal: Bool { kind == .forbidden || self == .outsideJurisdiction }
}
