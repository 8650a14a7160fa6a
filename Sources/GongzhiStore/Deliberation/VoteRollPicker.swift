import Foundation
import GongzhiDomain
import SQLKit

/// A roll entry offered by the picker, or chosen: its stored key (`person:12`, `household:3`, `owner:8`,
/// `developer`) and who it is, masked (the people who may cast for it, where they live).
public struct RollChoice: Sendable, Equatable, Encodable {
    public var key: String
    public var names: [String]
    public var place: String
}

extension VoteStore {
    /// The roll entries of a frozen vote that people matching `query` may cast for (found through the registry's
    /// own search, inside what the actor may read), for the staff who record proxies or issue paper ballots.
    public func rollChoices(_ voteID: Int64, query: String, for actor: Actor, now: Date) async throws -> [RollChoice] {
        let r = try await record(voteID, for: actor, now: now)
        guard r.capabilities.contains(.proxy) || r.capabilities.contains(.issuePaper) else {
            throw DomainError.forbidden
        }
        let people = try await RegistryStore(db: db).choices(
            query: query, communityID: r.vote.communityID, for: actor, now: now)
        guard !people.isEmpty else { return [] }
        let keys = try await db.read { sql in
            try await sql.raw(
                SQLQueryString(
                    "SELECT person_id, voter_key FROM vote_roll_casters WHERE vote_id = \(bind: voteID) AND ")
                    + RegistryStore.inList("person_id", people.map(\.id)) + " ORDER BY voter_key"
            ).all().map {
                (
                    try $0.decode(column: "person_id", as: Int64.self),
                    try $0.decode(column: "voter_key", as: String.self)
                )
            }
        }
        var out: [RollChoice] = []
        for person in people {
            for (caster, key) in keys where caster == person.id && !out.contains(where: { $0.key == key }) {
                out.append(RollChoice(key: key, names: [person.name], place: person.place))
            }
        }
        // A household's entry names its members who may cast for it, not only the one found.
        let named = try await labels(voteID, keys: out.map(\.key), for: actor)
        return out.map { named[$0.key] ?? $0 }
    }

    /// Who the given roll entries of a vote are, masked: the people of the registry who may cast for each (up to
    /// three), as far as the actor may read them. Entries nobody readable casts for keep their names empty.
    public func labels(_ voteID: Int64, keys: [String], for actor: Actor) async throws -> [String: RollChoice] {
        let wanted = Array(Set(keys.filter { !$0.isEmpty })).sorted()
        guard !wanted.isEmpty else { return [:] }
        let rows = try await db.read { sql in
            var q = SQLQueryString("SELECT person_id, voter_key FROM vote_roll_casters WHERE vote_id = \(bind: voteID)")
            q = q + " AND voter_key IN ("
            for (i, key) in wanted.enumerated() { q = q + (i > 0 ? ", " : "") + "\(bind: key)" }
            return try await sql.raw(q + ") ORDER BY person_id").all().map {
                (
                    try $0.decode(column: "person_id", as: Int64.self),
                    try $0.decode(column: "voter_key", as: String.self)
                )
            }
        }
        var casters: [String: [Int64]] = [:]
        for (person, key) in rows { casters[key, default: []].append(person) }
        // A person entry not (or not yet) on the roll is still that person.
        for key in wanted where casters[key] == nil {
            if key.hasPrefix("person:"), let id = Int64(key.dropFirst("person:".count)) { casters[key] = [id] }
        }
        let people = try await RegistryStore(db: db).labels(Array(Set(casters.values.joined())), for: actor)
        var out: [String: RollChoice] = [:]
        for key in wanted {
            let known = (casters[key] ?? []).compactMap { people[$0] }
            out[key] = RollChoice(key: key, names: known.prefix(3).map(\.name), place: known.first?.place ?? "")
        }
        return out
    }
}
