import Foundation

/// Who a vote counts one of: a person (adult residents, representatives, members), a household (one vote per
/// household where the basis is households), or an owner head (all of one holder's exclusive parts).
public enum VoterKey: Sendable, Hashable, Codable {
    case person(Int64)
    case household(Int64)
    case ownerHead(PartHolder)

    /// `person:7`, `household:3`, `owner:12`, `developer`: names the voter in an error.
    public var label: String {
        switch self {
        case .person(let id): "person:\(id)"
        case .household(let id): "household:\(id)"
        case .ownerHead(let holder): holder.label
        }
    }
}

/// What a vote's roll counts: people, households or owner heads.
public enum VotingBasis: String, CaseIterable, Codable, Sendable { case persons, households, owners }

/// One entry of a roll: the voter counted, and the people who may cast its ballot (the person; any adult member of
/// the household, the first ballot counting; an owner or the representative the co-owners declared). The exclusive
/// parts an owner entry stands for go with it.
public struct RollEntry: Sendable, Equatable, Codable {
    public var key: VoterKey
    public var casters: Set<Int64>
    public var partIDs: [Int64]

    public init(key: VoterKey, casters: Set<Int64>, partIDs: [Int64] = []) {
        self.key = key
        self.casters = casters
        self.partIDs = partIDs
    }
}

/// The roll of a vote: every voter counted once, and who may cast for each.
public struct VoterRoll: Sendable, Equatable, Codable {
    public var basis: VotingBasis
    public private(set) var entries: [RollEntry]
    private var index: [VoterKey: Int]

    /// Refuses a voter listed twice (`roll_entry_twice`) and, on persons or households, a person who could cast for
    /// two entries (`roll_person_twice`: a person in two households would vote twice).
    public init(basis: VotingBasis, entries: [RollEntry]) throws(DomainError) {
        var index: [VoterKey: Int] = [:]
        var casters: Set<Int64> = []
        for (i, entry) in entries.enumerated() {
            guard index.updateValue(i, forKey: entry.key) == nil else {
                throw .invalid("roll_entry_twice", args: [entry.key.label])
            }
            if basis != .owners {
                for person in entry.casters where !casters.insert(person).inserted {
                    throw .invalid("roll_person_twice", args: ["person:\(person)"])
                }
            }
        }
        self.basis = basis
        self.entries = entries
        self.index = index
    }

    /// One vote for each person.
    public static func persons(_ ids: [Int64]) throws(DomainError) -> VoterRoll {
        try VoterRoll(basis: .persons, entries: ids.map { RollEntry(key: .person($0), casters: [$0]) })
    }

    /// One vote per household, cast by any of its adult members (`adults`); a household with no adult is left off.
    public static func households(_ households: [(id: Int64, adults: Set<Int64>)]) throws(DomainError) -> VoterRoll {
        try VoterRoll(
            basis: .households,
            entries: households.filter { !$0.adults.isEmpty }.map {
                RollEntry(key: .household($0.id), casters: $0.adults)
            })
    }

    /// One vote per owner head, cast by the people who hold or represent it (`casters`; a head nobody can cast for
    /// stays on the roll and counts in the totals).
    public static func owners(_ roll: OwnersRoll, casters: [PartHolder: Set<Int64>]) throws(DomainError) -> VoterRoll {
        try VoterRoll(
            basis: .owners,
            entries: roll.heads.map {
                RollEntry(key: .ownerHead($0.holder), casters: casters[$0.holder] ?? [], partIDs: $0.partIDs)
            })
    }

    public var count: Int { entries.count }

    enum CodingKeys: String, CodingKey { case basis, entries }

    /// Read back through `init(basis:entries:)`, so a stored roll is checked like a new one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            basis: c.decode(VotingBasis.self, forKey: .basis), entries: c.decode([RollEntry].self, forKey: .entries))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(basis, forKey: .basis)
        try c.encode(entries, forKey: .entries)
    }

    public func entry(_ key: VoterKey) -> RollEntry? { index[key].map { entries[$0] } }

    /// The entries `person` may cast for in their own right (not by proxy).
    public func keys(castableBy person: Int64) -> [VoterKey] {
        entries.filter { $0.casters.contains(person) }.map(\.key)
    }
}
