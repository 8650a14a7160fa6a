import Foundation

/// How many co-signatures (联名) a topic needs and how long it may collect them.
public struct CoSignatureRule: Sendable, Equatable, Codable {
    /// Co-signers besides the proposer; 0 puts a submitted topic straight on the agenda.
    public var threshold: Int
    public var windowDays: Int

    public init(threshold: Int, windowDays: Int) {
        self.threshold = threshold
        self.windowDays = windowDays
    }
}

/// The co-signature rule of each scope kind. The law sets none; a deployment configures them, and the shipped
/// values are the project's defaults (30 in a community, 20 in an estate, 10 in a building, 30 days each).
public struct CoSignatureRules: Sendable, Equatable, Codable {
    public var community: CoSignatureRule
    public var estate: CoSignatureRule
    public var building: CoSignatureRule

    public init(community: CoSignatureRule, estate: CoSignatureRule, building: CoSignatureRule) {
        self.community = community
        self.estate = estate
        self.building = building
    }

    public func rule(for kind: TopicScopeKind) -> CoSignatureRule {
        switch kind {
        case .community: community
        case .estate: estate
        case .building: building
        }
    }

    public static let projectDefault = CoSignatureRules(
        community: CoSignatureRule(threshold: 30, windowDays: 30),
        estate: CoSignatureRule(threshold: 20, windowDays: 30),
        building: CoSignatureRule(threshold: 10, windowDays: 30))
}

/// How far a topic is from its threshold, for the proposer's page: "还差 3 人联名，剩余 5 天".
public struct CoSignatureProgress: Sendable, Equatable, Codable {
    public var count: Int
    public var threshold: Int
    /// Co-signatures still needed (0 once reached).
    public var remaining: Int
    public var collectUntil: Date?
    /// Whole or started days left in the window (0 once it has ended); nil without a window.
    public var daysLeft: Int?
    public var isReached: Bool

    public init(count: Int, threshold: Int, collectUntil: Date?, now: Date, reached: Bool) {
        self.count = count
        self.threshold = threshold
        self.remaining = reached ? 0 : max(0, threshold - count)
        self.collectUntil = collectUntil
        self.daysLeft = collectUntil.map { max(0, Int((($0.timeIntervalSince(now)) / 86400).rounded(.up))) }
        self.isReached = reached
    }
}
