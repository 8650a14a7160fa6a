import Foundation

/// A problem raised by a resident (appeal, 诉求), found by a grid worker on patrol (event, 事件), or a dispute
/// between parties (矛盾纠纷); all go through the same closed loop.
public enum CaseKind: String, CaseIterable, Codable, Sendable { case appeal, event, dispute }

/// Where a case came in.
public enum CaseChannel: String, CaseIterable, Codable, Sendable {
    case web, patrol, hotline, walkIn, open311, partyMember
}

/// Resident's rating after closing: satisfied / basically satisfied / dissatisfied.
public enum CaseRating: String, CaseIterable, Codable, Sendable { case satisfied, basicallySatisfied, dissatisfied }

/// Dispute grades decide which mediation body owns a dispute (分级负责、归口调处).
public enum DisputeGrade: String, CaseIterable, Codable, Sendable { case ordinary, serious, major }

/// Stages of the closed loop: collect → file → dispatch → handle → report back → verify → close → evaluate.
public enum CaseStatus: String, CaseIterable, Codable, Sendable {
    case submitted, filed, rejected, dispatched, handling, reportedBack, closed

    public var isOpen: Bool { self != .rejected && self != .closed }
}

public struct Case: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    /// The number a resident keeps, e.g. "GZ20261124-0042".
    public var number: String
    public var kind: CaseKind
    public var channel: CaseChannel
    public var status: CaseStatus
    public var title: String
    public var description: String
    public var categoryID: Int64?
    public var communityID: Int64
    /// The most precise place known: a building, grid or the community itself.
    public var nodeID: Int64
    public var reporterUserID: Int64?
    /// Public cases appear on the portal without the reporter; others only to the staff who need them.
    public var isPublic: Bool
    /// Unit the case is dispatched to: a governance body or a department.
    public var unitID: Int64?
    public var createdAt: Date
    public var respondBy: Date?
    public var resolveBy: Date?
    public var closedAt: Date?
    public var rating: CaseRating?
    public var reopenCount: Int
    /// 0: watched by the community; 1: escalated to the subdistrict; 2: to the district.
    public var escalationLevel: Int = 0
    public var latitude: Double?
    public var longitude: Double?
    /// Set for disputes.
    public var disputeGrade: DisputeGrade?
    /// When the unit first took the case on since its last dispatch (the response rate's clock).
    public var respondedAt: Date?
    public var ratingComment: String?
    public var escalatedAt: Date?
    /// A duplicate points to the case that goes on.
    public var mergedIntoID: Int64?
    /// The public facility (部件) the case is about, when it is about one (issue 12).
    public var facilityID: Int64?
    /// Goes up by one with every change; a step taken against an older version is refused (the API's ETag).
    public var version: Int = 1

    public init(
        id: Int64, number: String, kind: CaseKind, channel: CaseChannel, status: CaseStatus = .submitted, title: String,
        description: String, categoryID: Int64? = nil, communityID: Int64, nodeID: Int64, reporterUserID: Int64? = nil,
        isPublic: Bool = false, unitID: Int64? = nil, createdAt: Date, respondBy: Date? = nil, resolveBy: Date? = nil,
        closedAt: Date? = nil, rating: CaseRating? = nil, reopenCount: Int = 0
    ) {
        self.id = id
        self.number = number
        self.kind = kind
        self.channel = channel
        self.status = status
        self.title = title
        self.description = description
        self.categoryID = categoryID
        self.communityID = communityID
        self.nodeID = nodeID
        self.reporterUserID = reporterUserID
        self.isPublic = isPublic
        self.unitID = unitID
        self.createdAt = createdAt
        self.respondBy = respondBy
        self.resolveBy = resolveBy
        self.closedAt = closedAt
        self.rating = rating
        self.reopenCount = reopenCount
    }

    public static let maxTitle = 80
    public static let maxDescription = 4000

    /// Checks what a person typed before anything is stored.
    public static func validate(
        title rawTitle: String, description rawDescription: String
    ) throws(DomainError) -> (String, String) {
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = rawDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid("case_title_required", field: "title") }
        guard title.count <= maxTitle else {
            throw .invalid("case_title_too_long", field: "title", args: ["\(maxTitle)"])
        }
        guard !description.isEmpty else { throw .invalid("case_description_required", field: "description") }
        guard description.count <= maxDescription else {
            throw .invalid("case_description_too_long", field: "description", args: ["\(maxDescription)"])
        }
        return (title, description)
    }
}
