import Foundation

/// An account. The password hash never leaves the store.
public struct User: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var homeNodeID: Int64?
    public var communityID: Int64?
    public var createdAt: Date
    public var lastLoginAt: Date?
    public var lockedUntil: Date?
    public var disabledAt: Date?
    public var mustChangePassword: Bool
    /// A confirmed TOTP second factor.
    public var secondFactorEnabled: Bool = false
    /// Raised by every change an administrator makes, for the optimistic lock (`If-Match`).
    public var version: Int = 1

    public init(
        id: Int64, username: String, displayName: String, homeNodeID: Int64? = nil, communityID: Int64? = nil,
        createdAt: Date, lastLoginAt: Date? = nil, lockedUntil: Date? = nil, disabledAt: Date? = nil,
        mustChangePassword: Bool = false
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.homeNodeID = homeNodeID
        self.communityID = communityID
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
        self.lockedUntil = lockedUntil
        self.disabledAt = disabledAt
        self.mustChangePassword = mustChangePassword
    }

    public static func validDisplayName(_ raw: String) throws(DomainError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalid("display_name_required", field: "display_name") }
        guard name.count <= 40 else { throw .invalid("display_name_too_long", field: "display_name") }
        return name
    }
}

/// An API token as its owner sees it: the secret itself is shown once, at creation, and stored only hashed.
public struct APIToken: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    public init(
        id: Int64, userID: Int64, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
