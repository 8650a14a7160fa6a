import Foundation

/// Who a change is made by: a signed-in user, the server itself (automatic steps such as escalation), or an
/// operator on the command line. Audit entries and timelines name the principal instead of a fake user id. Only the
/// command line, with the operating system's trust, may create, reset, disable or grant auditors (三员分立).
public enum Principal: String, Codable, Sendable {
    case user, system, commandLine
}

extension Actor {
    /// The server itself, for automatic steps such as escalation. Holds no grants.
    public static let system = Actor(userID: 0, username: "system", grants: [], principal: .system)

    /// The user id to store as "who did it", or nil when the principal is not a user.
    public var storedUserID: Int64? { principal == .user && userID != 0 ? userID : nil }
}
