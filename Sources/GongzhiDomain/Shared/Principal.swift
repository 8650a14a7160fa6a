import Foundation

/// Who a change is made by: a signed-in user, the server itself (automatic steps such as escalation), or an
/// operator on the command line. Audit entries and timelines name the principal instead of a fake user id. Only the
/// command line, with the operating system's trust, may create, reset, disable or grant auditors (三员分立).
public enum Principal: String, Codable, Sendable {
    case user, system, commandLine
    /// Someone who called the hotline or came in, following their case with its number and tracking code (no
    /// account). What they may do depends on that proof, which the case store checks (`CaseContext.callerProven`).
    case caller
}

extension Actor {
    /// The server itself, for automatic steps such as escalation. Holds no grants.
    public static let system = Actor(userID: 0, username: "system", grants: [], principal: .system)

    /// A caller without an account. Holds no grants.
    public static let caller = Actor(userID: 0, username: "caller", grants: [], principal: .caller)

    /// The user id to store as "who did it", or nil when the principal is not a user.
    public var storedUserID: Int64? { principal == .user && userID != 0 ? userID : nil }
}
