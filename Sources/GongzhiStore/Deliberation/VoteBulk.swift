import Foundation
import GongzhiDomain
import SQLKit

/// The votes' fast path for seeding and benchmarks: command line only (`forbidden` otherwise), no per-row policy
/// or audit (the caller leaves one entry for the batch). Every step still goes through the writer's checks at the
/// instant given, and ballots through `SecretBallotDesign.records`, so a seeded vote reads and counts like a real
/// one.
public struct VoteBulk: Sendable {
    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Drafts a vote as of `at`; a plan with a topic and no meeting puts the topic (on the agenda) to the vote, with
    /// its timeline line and no notice or audit entry of its own.
    public func draft(_ plan: VotePlan, at: Date) async throws -> Vote {
        try await VoteCommands.insertDraft(tx, plan, now: at, bulk: true)
    }

    /// Takes an organiser's step as of `at` (scheduling freezes the roll from the registry as it stands).
    @discardableResult
    public func step(_ v: Vote, _ command: VoteCommand, at: Date, photo: [UInt8] = []) async throws -> Vote {
        guard let current = try await load(v.id) else { throw DomainError.notFound }
        let (next, note, _) = try await VoteCommands.apply(tx, current, command, photo: photo, now: at)
        guard try await VoteCommands.save(tx, next, over: current, now: at) else {
            throw DomainError(.conflict, "vote_changed_meanwhile")
        }
        var out = next
        out.version = current.version + 1
        try await VoteCommands.event(tx, out, action: command.capability.rawValue, note: note, at: at)
        return out
    }

    func load(_ id: Int64) async throws -> Vote? {
        try await tx.sql.raw("SELECT * FROM votes WHERE id = \(bind: id)").first().map(VoteStore.decode)
    }

    /// The frozen roll's entries, in key order.
    public func rollKeys(_ v: Vote) async throws -> [VoterKey] {
        try await tx.sql.raw("SELECT voter_key FROM vote_roll WHERE vote_id = \(bind: v.id) ORDER BY voter_key").all()
            .compactMap { VoterKey(stored: try $0.decode(column: "voter_key", as: String.self)) }
    }

    /// Signs a box off for two named users (the demo's two workers).
    public func signBox(_ v: Vote, box: String, by first: Int64, and second: Int64, at: Date) async throws {
        guard first != second else { throw DomainError(.conflict, "vote_box_same_scrutineer", field: "box") }
        try await tx.sql.raw(
            """
            UPDATE vote_paper_boxes SET signed_by_1 = \(bind: first), signed_at_1 = \(bind: at.epochMillis),
              signed_by_2 = \(bind: second), signed_at_2 = \(bind: at.epochMillis)
            WHERE vote_id = \(bind: v.id) AND box = \(bind: box)
            """
        ).run()
    }

    /// Casts online ballots for the roll entries that have not voted and that no one with an account may cast for (so
    /// whoever signs in to the demo still has their own ballot), in roll order, `ballot(i)` for the i-th of them
    /// (nil: that voter does not vote), spread over the window; each through `Participation.admit` and `SecretBallotDesign.records`, written
    /// in batches. Returns how many were cast.
    @discardableResult
    public func cast(_ v: Vote, ballot: (Int) -> PollBallot?) async throws -> Int {
        let rows = try await tx.sql.raw(
            """
            SELECT r.voter_key, MIN(c.person_id) AS caster FROM vote_roll r
            LEFT JOIN vote_roll_casters c ON c.vote_id = r.vote_id AND c.voter_key = r.voter_key
            WHERE r.vote_id = \(bind: v.id)
              AND r.voter_key NOT IN (SELECT voter_key FROM vote_participation WHERE vote_id = \(bind: v.id))
              AND NOT EXISTS (SELECT 1 FROM vote_roll_casters k JOIN registry_person_accounts a ON a.person_id = k.person_id
                WHERE k.vote_id = r.vote_id AND k.voter_key = r.voter_key)
            GROUP BY r.voter_key ORDER BY r.voter_key
            """
        ).all()
        var marks: [ParticipationRecord] = []
        var choices: [ChoiceRecord] = []
        var generator = SystemRandomNumberGenerator()
        let span = v.window.closesAt.timeIntervalSince(v.window.opensAt)
        for (i, row) in rows.enumerated() {
            guard let answer = ballot(i),
                let key = VoterKey(stored: try row.decode(column: "voter_key", as: String.self)),
                let caster = try row.decode(column: "caster", as: Int64?.self)
            else { continue }
            let at = v.window.opensAt.addingTimeInterval(span * Double(i) / Double(max(1, rows.count)))
            let roll = try VoterRoll(basis: .owners, entries: [RollEntry(key: key, casters: [caster])])
            let record = try Participation.admit(
                caster, for: key, channel: .online, at: at, window: v.window, roll: roll, proxies: v.proxies,
                mandate: nil, existing: { _ in nil })
            var bytes = [UInt8](repeating: 0, count: 10)
            for j in bytes.indices { bytes[j] = generator.next() }
            let (mark, choice) = try SecretBallotDesign.records(
                of: answer, spec: v.spec, participation: record, secrecy: v.secrecy.secrecy, receiptBytes: bytes)
            marks.append(mark)
            choices.append(choice)
        }
        for start in stride(from: 0, to: marks.count, by: 400) {
            let chunk = marks[start..<min(marks.count, start + 400)]
            var q = SQLQueryString(
                "INSERT INTO vote_participation (vote_id, community_id, voter_key, channel, box, cast_by, by_proxy, at) VALUES "
            )
            for (i, m) in chunk.enumerated() {
                q =
                    q + (i == 0 ? "" : ", ")
                    + "(\(bind: v.id), \(bind: v.communityID), \(bind: m.voter.stored), 'online', NULL, \(bind: m.castBy), 0, \(bind: m.at.epochMillis))"
            }
            try await tx.sql.raw(q).run()
        }
        // The choices in receipt order, so their storage order says nothing about who cast them.
        let sorted = choices.sorted { $0.receipt.symbols < $1.receipt.symbols }
        for start in stride(from: 0, to: sorted.count, by: 400) {
            let chunk = sorted[start..<min(sorted.count, start + 400)]
            var q = SQLQueryString(
                "INSERT INTO vote_choices (vote_id, community_id, receipt, channel, ballot, voter_key) VALUES ")
            for (i, c) in chunk.enumerated() {
                q =
                    q + (i == 0 ? "" : ", ")
                    + "(\(bind: v.id), \(bind: v.communityID), \(bind: c.receipt.symbols), 'online', \(bind: VoteStore.json(c.ballot)), \(bind: c.voter?.stored))"
            }
            try await tx.sql.raw(q).run()
        }
        return marks.count
    }
}
