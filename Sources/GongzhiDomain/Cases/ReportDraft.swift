import Foundation

/// A resident's report while they answer its questions one page at a time. Kept in the database (not the
/// session), so a resident who leaves half-way finds their answers again, on any device and any instance.
public struct ReportDraft: Codable, Equatable, Sendable {
    public var userID: Int64
    public var communityID: Int64
    /// Answered "what kind of problem"; `categoryID` nil then means "not sure".
    public var kindAnswered = false
    public var categoryID: Int64?
    public var nodeID: Int64?
    public var latitude: Double?
    public var longitude: Double?
    public var title = ""
    public var description = ""
    public var photos: [DraftPhoto] = []
    /// nil until the resident chose; then whether the case shows on the public reports.
    public var isPublic: Bool?
    /// Sent with the submission: a second press of "send" files nothing new.
    public var idempotencyKey: String
    public var version = 1

    public init(userID: Int64, communityID: Int64, idempotencyKey: String) {
        self.userID = userID
        self.communityID = communityID
        self.idempotencyKey = idempotencyKey
    }

    public var hasPoint: Bool { latitude != nil && longitude != nil }
}

public struct DraftPhoto: Codable, Equatable, Sendable {
    public var id: Int64
    public var contentType: String
    public var size: Int

    public init(id: Int64, contentType: String, size: Int) {
        self.id = id
        self.contentType = contentType
        self.size = size
    }
}

/// The question pages of reporting a problem, in order (GOV.UK's "one thing per page", then "check answers").
public enum ReportQuestion: String, CaseIterable, Codable, Sendable {
    case kind, place, details, visibility, check

    /// "Step 2 of 5".
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }
    public static var count: Int { allCases.count }

    public var previous: ReportQuestion? { number > 1 ? Self.allCases[number - 2] : nil }

    public func isAnswered(in draft: ReportDraft) -> Bool {
        switch self {
        case .kind: draft.kindAnswered
        case .place: draft.nodeID != nil
        case .details: !draft.title.isEmpty && !draft.description.isEmpty
        case .visibility: draft.isPublic != nil
        case .check: false
        }
    }

    /// Where a resident goes after answering `self`: the next unanswered question, or the check page once all are
    /// answered (so "change" on the check page comes straight back to it).
    public func next(in draft: ReportDraft) -> ReportQuestion {
        Self.allCases.first { $0 != .check && !$0.isAnswered(in: draft) } ?? .check
    }

    /// The first question a resident may open: later pages wait until the earlier ones are answered.
    public static func reachable(_ wanted: ReportQuestion, in draft: ReportDraft) -> ReportQuestion {
        let first = allCases.first { $0 != .check && !$0.isAnswered(in: draft) } ?? .check
        return wanted.number <= first.number ? wanted : first
    }
}

/// One answer to one question page; the store's one writer applies it to the draft.
public enum ReportAnswer: Sendable, Equatable {
    case kind(categoryID: Int64?)
    case place(nodeID: Int64, latitude: Double?, longitude: Double?)
    case details(title: String, description: String)
    /// Text typed on the details page, kept as it is while a photo is added (checked once the resident goes on).
    case keepText(title: String, description: String)
    case addPhoto(bytes: [UInt8])
    case removePhoto(id: Int64)
    case visibility(isPublic: Bool)

    /// The draft after the answer, with the answer's own checks; photos are written by the store.
    public func applied(to draft: ReportDraft) throws(DomainError) -> ReportDraft {
        var next = draft
        switch self {
        case .kind(let category):
            next.kindAnswered = true
            next.categoryID = category
        case .place(let node, let lat, let lng):
            if let lat, let lng {
                guard (-90...90).contains(lat), (-180...180).contains(lng) else {
                    throw .invalid("case_point_invalid", field: "place")
                }
            }
            next.nodeID = node
            next.latitude = lat
            next.longitude = lng
        case .details(let title, let description):
            (next.title, next.description) = try Case.validate(title: title, description: description)
        case .keepText(let title, let description):
            next.title = String(title.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Case.maxTitle))
            next.description = String(
                description.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Case.maxDescription))
        case .addPhoto(let bytes):
            guard draft.photos.count < PhotoRules.maxPerCase else {
                throw .invalid("photo_too_many", field: "photo", args: ["\(PhotoRules.maxPerCase)"])
            }
            _ = try PhotoRules.contentType(of: bytes)
        case .removePhoto(let id):
            guard draft.photos.contains(where: { $0.id == id }) else { throw .invalid("photo_unknown", field: "photo") }
            next.photos.removeAll { $0.id == id }
        case .visibility(let isPublic):
            next.isPublic = isPublic
        }
        next.version = draft.version + 1
        return next
    }
}
