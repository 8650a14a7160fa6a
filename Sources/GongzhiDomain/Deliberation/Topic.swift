import Foundation

/// Who raised a topic (议题): a resident, a party member (党员问事), a governance body, or a case sent to
/// deliberation (民主议事), whose page then shows the topic and later its resolution.
public enum TopicOrigin: Sendable, Hashable, Codable {
    case resident
    case partyMember
    case governanceBody(bodyID: Int64)
    case fromCase(caseID: Int64)

    /// `resident`, `partyMember`, `governanceBody`, `fromCase`: the locale key's tail (`topic_origin_<raw>`).
    public var rawKind: String {
        switch self {
        case .resident: "resident"
        case .partyMember: "partyMember"
        case .governanceBody: "governanceBody"
        case .fromCase: "fromCase"
        }
    }
}

/// How wide a topic reaches; it decides the co-signature threshold. Raw values name the locale keys
/// (`topic_scope_<raw>`).
public enum TopicScopeKind: String, CaseIterable, Codable, Sendable { case community, estate, building }

/// Where a topic belongs: a community, an estate (小区) in it, or a building.
public struct TopicScope: Sendable, Hashable, Codable {
    public var communityID: Int64
    public var estateID: Int64?
    public var buildingID: Int64?

    public init(communityID: Int64, estateID: Int64? = nil, buildingID: Int64? = nil) {
        self.communityID = communityID
        self.estateID = estateID
        self.buildingID = buildingID
    }

    /// The narrowest level named.
    public var kind: TopicScopeKind { buildingID != nil ? .building : estateID != nil ? .estate : .community }
}

/// A topic's place in deliberation: a draft, collecting co-signatures (联名), on the agenda, taken up by a meeting or
/// put to an online vote (网上表决), decided, or archived with a reason. Raw values name the locale keys
/// (`topic_state_<raw>`).
public enum TopicState: String, CaseIterable, Codable, Sendable {
    case draft, collecting, onAgenda, inMeeting, inVote, decided, archived

    public var isOpen: Bool { self != .archived }
}

/// Why a topic was archived. Raw values name the locale keys (`topic_archive_<raw>`).
public enum TopicArchiveReason: String, CaseIterable, Codable, Sendable {
    /// The co-signature window ended below the threshold (set by the server's scan only).
    case expired
    /// The proposer withdrew it.
    case withdrawn
    /// The organiser declined it, saying why (outside the community's competence, already handled…).
    case declined
    /// The same matter is another topic.
    case duplicate
    /// Decided and its resolution carried through: nothing is left to deliberate.
    case concluded
}

/// A topic (议题) for deliberation.
public struct Topic: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    /// The number people quote, e.g. "YT20261124-0007".
    public var number: String
    public var scope: TopicScope
    public var origin: TopicOrigin
    public var proposerUserID: Int64?
    public var title: String
    public var body: String
    public var state: TopicState
    public var createdAt: Date
    public var submittedAt: Date?
    /// Fixed when the topic is submitted, from the scope's rule, so a later change of rule moves no running topic.
    public var coSignatureThreshold: Int
    /// Co-signatures are taken up to, not including, this instant.
    public var collectUntil: Date?
    public var coSignatures: Int
    /// The organiser put it on the agenda without (or before) the threshold.
    public var placedByOrganiser: Bool
    public var agendaAt: Date?
    public var meetingID: Int64?
    /// The online vote the topic was put to (with no meeting), while it is in that vote and once it decided it.
    public var voteID: Int64?
    public var decidedAt: Date?
    public var resolutionID: Int64?
    public var archiveReason: TopicArchiveReason?
    public var archivedAt: Date?
    /// Goes up by one with every change; a step taken against an older version is refused.
    public var version: Int

    public init(
        id: Int64, number: String, scope: TopicScope, origin: TopicOrigin, proposerUserID: Int64?, title: String,
        body: String, state: TopicState = .draft, createdAt: Date, coSignatureThreshold: Int = 0,
        collectUntil: Date? = nil, coSignatures: Int = 0, version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.scope = scope
        self.origin = origin
        self.proposerUserID = proposerUserID
        self.title = title
        self.body = body
        self.state = state
        self.createdAt = createdAt
        self.coSignatureThreshold = coSignatureThreshold
        self.collectUntil = collectUntil
        self.coSignatures = coSignatures
        self.placedByOrganiser = false
        self.version = version
    }

    public var communityID: Int64 { scope.communityID }

    /// The case the topic came from.
    public var caseID: Int64? {
        if case .fromCase(let id) = origin { return id }
        return nil
    }

    public static let maxTitle = 80
    public static let maxBody = 4000

    /// Checks what a person typed (`topic_title_required`, `topic_title_too_long`, `topic_body_required`,
    /// `topic_body_too_long`), returning it trimmed.
    public static func validate(title rawTitle: String, body rawBody: String) throws(DomainError) -> (String, String) {
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = rawBody.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid("topic_title_required", field: "title") }
        guard title.count <= maxTitle else {
            throw .invalid("topic_title_too_long", field: "title", args: ["\(maxTitle)"])
        }
        guard !body.isEmpty else { throw .invalid("topic_body_required", field: "body") }
        guard body.count <= maxBody else { throw .invalid("topic_body_too_long", field: "body", args: ["\(maxBody)"]) }
        return (title, body)
    }

    /// How far the topic is from its threshold at `now`.
    public func progress(at now: Date) -> CoSignatureProgress {
        CoSignatureProgress(
            count: coSignatures, threshold: coSignatureThreshold, collectUntil: collectUntil, now: now,
            reached: (state != .draft && state != .collecting) || coSignatures >= coSignatureThreshold)
    }
}
