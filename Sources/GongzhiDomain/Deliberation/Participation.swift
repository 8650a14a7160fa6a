import Foundation

/// How a ballot reached the count.
public enum BallotChannel: String, CaseIterable, Codable, Sendable {
    case online
    /// A paper ballot issued at a meeting or polling station, against a signature on the roll.
    case paper
}

/// When a vote takes ballots: from `opensAt` up to, not including, `closesAt`. A ballot arriving at the very moment
/// of closing is refused.
public struct VoteWindow: Sendable, Equatable, Codable {
    public var opensAt: Date
    public var closesAt: Date

    /// Refuses a window that closes before or as it opens (`vote_window_invalid`).
    public init(opensAt: Date, closesAt: Date) throws(DomainError) {
        guard closesAt > opensAt else { throw .invalid("vote_window_invalid", field: "closes_at") }
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    public func isOpen(at instant: Date) -> Bool { opensAt <= instant && instant < closesAt }
    public func isClosed(at instant: Date) -> Bool { instant >= closesAt }
}

/// That a voter took part (a roll mark), with no choice in it: who counted, how, and who cast it. For a secret
/// ballot this is stored apart from the `ChoiceRecord` with nothing linking the two.
public struct ParticipationRecord: Sendable, Equatable, Codable {
    public var voter: VoterKey
    public var channel: BallotChannel
    /// The person who cast it: the voter, a household member, or the proxy.
    public var castBy: Int64
    public var byProxy: Bool
    /// The paper box (or station) that issued the ballot.
    public var box: String?
    public var at: Date

    public init(voter: VoterKey, channel: BallotChannel, castBy: Int64, byProxy: Bool, box: String?, at: Date) {
        self.voter = voter
        self.channel = channel
        self.castBy = castBy
        self.byProxy = byProxy
        self.box = box
        self.at = at
    }
}

/// The one rule for taking part: inside the window, on the roll, in one's own right or with a recorded mandate, and
/// once per voter across every channel (a voter marked for a paper ballot cannot vote online, and the other way
/// round; a second member of a household cannot vote for it again).
public enum Participation {
    /// Admits `person` to cast the ballot of `voter` (nil: the one entry the person may cast for in their own
    /// right), or refuses: `vote_not_open`, `vote_closed` (also at the closing instant), `vote_paper_box_required`,
    /// `vote_not_on_roll`, `vote_choose_entry` (the person may cast for several entries and named none),
    /// `vote_proxy_mandate_missing`, `proxy_not_allowed`, and `vote_already_cast` (args: the voter and the channel
    /// it was counted on). `existing` is the voter's participation so far, which the store looks up.
    public static func admit(
        _ person: Int64, for voter: VoterKey? = nil, channel: BallotChannel, box: String? = nil, at instant: Date,
        window: VoteWindow, roll: VoterRoll, proxies: ProxyRules, mandate: ProxyMandate?,
        existing: (VoterKey) -> ParticipationRecord?
    ) throws(DomainError) -> ParticipationRecord {
        guard instant >= window.opensAt else { throw DomainError(.conflict, "vote_not_open") }
        guard !window.isClosed(at: instant) else { throw DomainError(.conflict, "vote_closed") }
        if channel == .paper, (box ?? "").isEmpty { throw .invalid("vote_paper_box_required", field: "box") }
        let key: VoterKey
        if let voter {
            key = voter
        } else {
            let own = roll.keys(castableBy: person)
            guard !own.isEmpty else { throw DomainError(.forbidden, "vote_not_on_roll") }
            guard own.count == 1 else { throw .invalid("vote_choose_entry", field: "voter") }
            key = own[0]
        }
        guard let entry = roll.entry(key) else { throw DomainError(.forbidden, "vote_not_on_roll") }
        let byProxy = !entry.casters.contains(person)
        if byProxy {
            guard proxies.allowed else { throw DomainError(.conflict, "proxy_not_allowed") }
            guard let mandate, mandate.principal == key, mandate.proxyPersonID == person else {
                throw DomainError(.forbidden, "vote_proxy_mandate_missing", args: [key.label])
            }
        }
        if let earlier = existing(key) {
            throw DomainError(.conflict, "vote_already_cast", args: [key.label, earlier.channel.rawValue])
        }
        return ParticipationRecord(
            voter: key, channel: channel, castBy: person, byProxy: byProxy, box: channel == .paper ? box : nil,
            at: instant)
    }
}

/// Every participation of one vote, in memory: for small votes, tests and recounts. The store keeps the same
/// records in a table with a unique voter per vote and asks `Participation.admit` the same question.
public struct ParticipationLedger: Sendable, Equatable, Codable {
    public private(set) var records: [VoterKey: ParticipationRecord] = [:]

    public init() {}

    /// Admits and records one participation (see `Participation.admit`).
    @discardableResult
    public mutating func admit(
        _ person: Int64, for voter: VoterKey? = nil, channel: BallotChannel, box: String? = nil, at instant: Date,
        window: VoteWindow, roll: VoterRoll, proxies: ProxyRules = .none, mandates: [ProxyMandate] = []
    ) throws(DomainError) -> ParticipationRecord {
        let key = voter
        let mandate = mandates.first { $0.proxyPersonID == person && (key == nil || $0.principal == key) }
        let records = self.records
        let record = try Participation.admit(
            person, for: voter ?? (roll.keys(castableBy: person).isEmpty ? mandate?.principal : nil), channel: channel,
            box: box, at: instant, window: window, roll: roll, proxies: proxies, mandate: mandate,
            existing: { records[$0] })
        self.records[record.voter] = record
        return record
    }

    public var count: Int { records.count }

    /// Ballots issued on paper by `box` (the signatures its totals must match).
    public func paperCount(box: String) -> Int { records.values.filter { $0.channel == .paper && $0.box == box }.count }

    public func count(_ channel: BallotChannel) -> Int { records.values.filter { $0.channel == channel }.count }
}
