import Foundation

/// One line of the append-only audit log. Each entry's hash covers its content and the previous hash,
/// so altering or removing any row breaks the chain from there on.
public struct AuditEntry: Codable, Equatable, Sendable {
    public var seq: Int64
    public var at: Date
    public var actorUserID: Int64?
    public var actorName: String
    public var role: String?
    public var nodeID: Int64?
    public var communityID: Int64?
    public var action: String
    public var objectType: String
    public var objectID: String
    public var result: String
    public var before: String?
    public var after: String?
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, at: Date, actorUserID: Int64?, actorName: String, role: String?, nodeID: Int64?,
        communityID: Int64?, action: String, objectType: String, objectID: String, result: String,
        before: String?, after: String?, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actorUserID = actorUserID
        self.actorName = actorName
        self.role = role
        self.nodeID = nodeID
        self.communityID = communityID
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.result = result
        self.before = before
        self.after = after
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The exact bytes the hash covers. Fields are length-prefixed so no two entries share a form.
    public var canonicalForm: String {
        let fields: [String?] = [
            "\(seq)", "\(at.epochMillis)", actorUserID.map { "\($0)" }, actorName, role, nodeID.map { "\($0)" },
            communityID.map { "\($0)" }, action, objectType, objectID, result, before, after, prevHash,
        ]
        return fields.map { f in f.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    public static let genesisHash = String(repeating: "0", count: 64)
}
