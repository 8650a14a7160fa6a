import Foundation
import GongzhiDomain
import SQLKit

/// One paper box of a vote as the page lists it: its totals, who entered and signed them off.
public struct VoteBox: Sendable, Equatable, Codable {
    public var totals: PaperBoxTotals
    /// Ballots issued at this box against signatures on the roll.
    public var signatures: Int
    public var signedBy: [Int64]
    public var isSignedOff: Bool { signedBy.count >= PaperBoxTotals.minimumScrutineers }
}

/// One line of a vote's timeline.
public struct VoteEvent: Codable, Equatable, Sendable {
    public var at: Date
    public var actorName: String?
    public var action: String
    public var note: String
}

/// Where the reader stands on the roll: the entries they may cast for, in their own right or by a mandate, and
/// whether each has voted.
public struct VoterStanding: Sendable, Equatable, Codable {
    public var key: VoterKey
    public var byProxy: Bool
    public var hasVoted: Bool
}

/// A vote as one actor may see it.
public struct VoteRecord: Sendable {
    public var vote: Vote
    public var phase: VotePhase
    public var capabilities: Set<VoteCapability>
    /// The result, when the reader may see it (see `VoteWorkflow.resultsVisible`): stored at the close, or counted
    /// live for an open ballot that shows running results.
    public var result: VoteResult?
    /// Voters marked so far on each channel (organisers only; empty for others).
    public var turnout: [BallotChannel: Int]
    public var boxes: [VoteBox]
    public var proxies: [ProxyMandate]
    public var standing: [VoterStanding]
    public var timeline: [VoteEvent]
    public var communityName: String
    public var scopeName: String
    /// An owners' vote's paper ballots read in so far, by box and mark (organisers only).
    public var paperBallots: [String: [PaperMark: Int]] = [:]
    /// The mandates the reader holds as a proxy, so their ballot names each by its recorded mandate, not an id.
    public var heldMandates: [ProxyMandate] = []
}

/// Reads of votes; every public read takes the actor.
public struct VoteStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    enum Lock { case none, share, update }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }

    static func decode(_ row: any SQLRow) throws -> Vote {
        let secrecy = SecrecySetting(
            secrecy: BallotSecrecy(rawValue: try row.decode(column: "secrecy", as: String.self)) ?? .secret,
            resultsBeforeClose: try row.decode(column: "results_before_close", as: Int.self) == 1)
        var v = Vote(
            id: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            scopeNodeID: try row.decode(column: "scope_node_id", as: Int64.self),
            topicID: try row.decode(column: "topic_id", as: Int64?.self),
            meetingID: try row.decode(column: "meeting_id", as: Int64?.self),
            title: try row.decode(column: "title", as: String.self),
            spec: try value(PollSpec.self, try row.decode(column: "spec", as: String.self)),
            basis: VotingBasis(rawValue: try row.decode(column: "basis", as: String.self)) ?? .persons,
            matter: try row.decode(column: "matter", as: String?.self).flatMap(OwnersMatter.init(rawValue:)),
            window: try VoteWindow(
                opensAt: Date(epochMillis: try row.decode(column: "opens_at", as: Int64.self)),
                closesAt: Date(epochMillis: try row.decode(column: "closes_at", as: Int64.self))),
            secrecy: secrecy, proxies: try value(ProxyRules.self, try row.decode(column: "proxies", as: String.self)),
            ruleSetID: try row.decode(column: "rule_set_id", as: String.self),
            state: VoteState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            rollSize: try row.decode(column: "roll_size", as: Int.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            version: try row.decode(column: "version", as: Int.self))
        v.frozenAt = try row.decode(column: "frozen_at", as: Int64?.self).map(Date.init(epochMillis:))
        v.closedAt = try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMillis:))
        v.publishedAt = try row.decode(column: "published_at", as: Int64?.self).map(Date.init(epochMillis:))
        v.result = try row.decode(column: "result", as: String?.self).map { try value(VoteResult.self, $0) }
        return v
    }

    /// The actor's record in the registry, when their account is bound to one.
    static func personID(_ sql: any SQLDatabase, of actor: Actor) async throws -> Int64? {
        guard let user = actor.storedUserID else { return nil }
        return try await sql.raw("SELECT person_id FROM registry_person_accounts WHERE user_id = \(bind: user)")
            .first()?.decode(column: "person_id", as: Int64.self)
    }

    /// The vote with the facts its policy needs. On PostgreSQL a cast holds a share lock on the vote's row and a
    /// step an update lock, so a close waits for the ballots in flight and counts them (SQLite's writer is one).
    static func loaded(
        _ sql: any SQLDatabase, _ id: Int64, actor: Actor, now: Date, lock: Lock = .none,
        backend: Database.Backend = .sqlite
    ) async throws -> (Vote, VoteContext)? {
        let clause: SQLQueryString =
            backend == .postgres && lock == .share
            ? " FOR SHARE OF v" : backend == .postgres && lock == .update ? " FOR UPDATE OF v" : ""
        guard
            let row = try await sql.raw(
                """
                SELECT v.*, n.path AS community_path FROM votes v JOIN nodes n ON n.id = v.community_id
                WHERE v.id = \(bind: id)
                """ + clause
            ).first()
        else { return nil }
        let v = try decode(row)
        let path = try row.decode(column: "community_path", as: String.self)
        let home = try await TopicStore.home(sql, of: actor)
        let context = VoteContext(
            now: now, path: path, actorInCommunity: home.map { NodePath.isInside($0.path, path) } ?? false,
            personID: try await personID(sql, of: actor))
        return (v, context)
    }

    static func participation(_ sql: any SQLDatabase, voteID: Int64) async throws -> [ParticipationRecord] {
        try await sql.raw(
            "SELECT * FROM vote_participation WHERE vote_id = \(bind: voteID) ORDER BY voter_key"
        ).all().map { row in
            ParticipationRecord(
                voter: VoterKey(stored: try row.decode(column: "voter_key", as: String.self)) ?? .person(0),
                channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                castBy: try row.decode(column: "cast_by", as: Int64?.self) ?? 0,
                byProxy: try row.decode(column: "by_proxy", as: Int.self) == 1,
                box: try row.decode(column: "box", as: String?.self),
                at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)))
        }
    }

    /// The choices, opened where a running secret vote holds them sealed (`box`; refused without it).
    static func choices(_ sql: any SQLDatabase, voteID: Int64, box: PersonalDataBox?) async throws -> [ChoiceRecord] {
        try await sql.raw("SELECT * FROM vote_choices WHERE vote_id = \(bind: voteID) ORDER BY receipt").all().map {
            row in
            var text = try row.decode(column: "ballot", as: String.self)
            if VoteCommands.isSealedChoice(text) {
                guard let box else { throw CryptoFailure(description: "sealed choices need the server secret") }
                text = try box.open(text)
            }
            return ChoiceRecord(
                ballot: try value(PollBallot.self, text),
                channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                receipt: ReceiptCode(try row.decode(column: "receipt", as: String.self))!,
                voter: try row.decode(column: "voter_key", as: String?.self).flatMap(VoterKey.init(stored:)))
        }
    }

    static func boxes(_ sql: any SQLDatabase, voteID: Int64) async throws -> [VoteBox] {
        let signatures = Dictionary(
            uniqueKeysWithValues: try await sql.raw(
                """
                SELECT box, COUNT(*) AS n FROM vote_participation WHERE vote_id = \(bind: voteID) AND channel = 'paper'
                GROUP BY box
                """
            ).all().map { (try $0.decode(column: "box", as: String.self), try $0.decode(column: "n", as: Int.self)) })
        return try await sql.raw(
            """
            SELECT vote_id, box, issued, returned, void, blank, marks, scrutineers, photo_type, signed_by_1, signed_by_2
            FROM vote_paper_boxes WHERE vote_id = \(bind: voteID) ORDER BY box
            """
        ).all().map { row in
            let box = try row.decode(column: "box", as: String.self)
            return VoteBox(
                totals: PaperBoxTotals(
                    box: box, issued: try row.decode(column: "issued", as: Int.self),
                    returned: try row.decode(column: "returned", as: Int.self),
                    void: try row.decode(column: "void", as: Int.self),
                    blank: try row.decode(column: "blank", as: Int.self),
                    marks: try value([Int].self, try row.decode(column: "marks", as: String.self)),
                    scrutineers: try value([String].self, try row.decode(column: "scrutineers", as: String.self)),
                    tallySheetPhoto: "/votes/\(voteID)/boxes/\(box)/photo"),
                signatures: signatures[box] ?? 0,
                signedBy: [
                    try row.decode(column: "signed_by_1", as: Int64?.self),
                    try row.decode(column: "signed_by_2", as: Int64?.self),
                ].compactMap { $0 })
        }
    }

    static func owners(_ sql: any SQLDatabase, voteID: Int64) async throws -> [VoteCount.OwnerEntry] {
        try await sql.raw(
            "SELECT voter_key, area_centi FROM vote_roll WHERE vote_id = \(bind: voteID) ORDER BY voter_key"
        ).all().compactMap { row in
            guard let key = VoterKey(stored: try row.decode(column: "voter_key", as: String.self)) else { return nil }
            return VoteCount.OwnerEntry(
                key: key, area: Area(hundredths: try row.decode(column: "area_centi", as: Int64?.self) ?? 0))
        }
    }

    /// Counts the vote with its sums taken in the database (grouped counts, the owners' areas joined to the roll):
    /// what the close stores and a running count shows. Unsigned boxes refuse it unless `signedOnly` is false.
    static func count(_ sql: any SQLDatabase, _ v: Vote, signedOnly: Bool = true) async throws -> VoteResult {
        let boxes = try await boxes(sql, voteID: v.id)
        if signedOnly, let unsigned = boxes.first(where: { !$0.isSignedOff }) {
            throw DomainError(.conflict, "vote_box_unsigned", args: [unsigned.totals.box])
        }
        return try VoteCount.result(
            spec: v.spec, basis: v.basis, matter: v.matter, rollSize: v.rollSize, totals: try await totals(sql, v),
            boxes: boxes.map(\.totals), ruleSetID: v.ruleSetID)
    }

    /// Counts the vote again from every row through the domain (`VoteCount.totals`), independently of the sums the
    /// database takes: the recount a close's result must equal.
    static func countFromRows(_ sql: any SQLDatabase, _ v: Vote, box: PersonalDataBox?) async throws -> VoteResult {
        try VoteCount.result(
            spec: v.spec, basis: v.basis, matter: v.matter, rollSize: v.rollSize,
            owners: v.basis == .owners ? try await owners(sql, voteID: v.id) : [],
            participation: try await participation(sql, voteID: v.id),
            choices: try await choices(sql, voteID: v.id, box: box),
            paperBallots: v.basis == .owners ? try await paperBallots(sql, voteID: v.id) : [],
            boxes: try await boxes(sql, voteID: v.id).map(\.totals), ruleSetID: v.ruleSetID)
    }

    static func totals(_ sql: any SQLDatabase, _ v: Vote) async throws -> VoteTotals {
        var t = VoteTotals(participants: 0, online: 0, byProxy: 0, paperByBox: [:], choices: [], owners: nil)
        for row in try await sql.raw(
            """
            SELECT channel, box, by_proxy, COUNT(*) AS n FROM vote_participation WHERE vote_id = \(bind: v.id)
            GROUP BY channel, box, by_proxy
            """
        ).all() {
            let n = try row.decode(column: "n", as: Int.self)
            t.participants += n
            if try row.decode(column: "by_proxy", as: Int.self) == 1 { t.byProxy += n }
            if try row.decode(column: "channel", as: String.self) == BallotChannel.online.rawValue {
                t.online += n
            } else {
                t.paperByBox[try row.decode(column: "box", as: String?.self) ?? "", default: 0] += n
            }
        }
        for row in try await sql.raw(
            """
            SELECT ballot, channel, COUNT(*) AS n FROM vote_choices WHERE vote_id = \(bind: v.id) GROUP BY ballot, channel
            """
        ).all() {
            t.choices.append(
                VoteTotals.Choices(
                    ballot: try value(PollBallot.self, try row.decode(column: "ballot", as: String.self)),
                    channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                    count: try row.decode(column: "n", as: Int.self)))
        }
        if v.basis == .owners {
            func sums(_ q: SQLQueryString) async throws -> (Int64, Area) {
                let row = try await sql.raw(q).first()!
                return (
                    try row.decode(column: "n", as: Int64.self),
                    Area(hundredths: try row.decode(column: "a", as: Int64?.self) ?? 0)
                )
            }
            let all = try await sums(
                """
                SELECT COUNT(*) AS n, CAST(SUM(area_centi) AS BIGINT) AS a FROM vote_roll WHERE vote_id = \(bind: v.id)
                """)
            let took = try await sums(
                """
                SELECT COUNT(*) AS n, CAST(SUM(r.area_centi) AS BIGINT) AS a FROM vote_participation p
                JOIN vote_roll r ON r.vote_id = p.vote_id AND r.voter_key = p.voter_key WHERE p.vote_id = \(bind: v.id)
                """)
            let yes = try await sums(
                """
                SELECT COUNT(*) AS n, CAST(SUM(r.area_centi) AS BIGINT) AS a FROM vote_choices c
                JOIN vote_roll r ON r.vote_id = c.vote_id AND r.voter_key = c.voter_key
                WHERE c.vote_id = \(bind: v.id) AND c.ballot = \(bind: json(PollBallot.proposal(.yes)))
                """)
            // Yes on paper merged with yes online; the participation marks' primary key puts each owner on one
            // channel only.
            let paperYes = try await sums(
                """
                SELECT COUNT(*) AS n, CAST(SUM(r.area_centi) AS BIGINT) AS a FROM vote_paper_ballots b
                JOIN vote_roll r ON r.vote_id = b.vote_id AND r.voter_key = b.voter_key
                WHERE b.vote_id = \(bind: v.id) AND b.mark = 'yes'
                """)
            t.owners = OwnersTotals(
                totalArea: all.1, totalHeads: all.0, participatingArea: took.1, participatingHeads: took.0,
                yesArea: yes.1 + paperYes.1, yesHeads: yes.0 + paperYes.0)
            t.paperBallots = try await paperBallotCounts(sql, voteID: v.id)
        }
        return t
    }

    /// An owners' vote's paper ballots counted by box and mark, in one grouped statement.
    static func paperBallotCounts(_ sql: any SQLDatabase, voteID: Int64) async throws -> [String: [PaperMark: Int]] {
        var out: [String: [PaperMark: Int]] = [:]
        for row in try await sql.raw(
            "SELECT box, mark, COUNT(*) AS n FROM vote_paper_ballots WHERE vote_id = \(bind: voteID) GROUP BY box, mark"
        ).all() {
            guard let mark = PaperMark(rawValue: try row.decode(column: "mark", as: String.self)) else { continue }
            out[try row.decode(column: "box", as: String.self), default: [:]][mark] = try row.decode(
                column: "n", as: Int.self)
        }
        return out
    }

    /// An owners' vote's paper ballots, each with its owner, box and mark.
    static func paperBallots(_ sql: any SQLDatabase, voteID: Int64) async throws -> [PaperOwnerBallot] {
        try await sql.raw(
            "SELECT voter_key, box, mark FROM vote_paper_ballots WHERE vote_id = \(bind: voteID) ORDER BY voter_key"
        ).all().compactMap { row in
            guard let voter = VoterKey(stored: try row.decode(column: "voter_key", as: String.self)),
                let mark = PaperMark(rawValue: try row.decode(column: "mark", as: String.self))
            else { return nil }
            return PaperOwnerBallot(voter: voter, box: try row.decode(column: "box", as: String.self), mark: mark)
        }
    }

    public func record(_ id: Int64, for actor: Actor, now: Date) async throws -> VoteRecord {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            let capabilities = VotePolicy.capabilities(of: actor, on: v, in: context)
            let organiser =
                capabilities.contains(.close) || capabilities.contains(.schedule)
                || MeetingPolicy.organiser(actor, context.path) != nil
            var result: VoteResult?
            if VoteWorkflow.resultsVisible(v, at: now, organiser: organiser) {
                if let stored = v.result {
                    result = stored
                } else {
                    result = try? await Self.count(sql, v, signedOnly: false)
                }
            }
            var turnout: [BallotChannel: Int] = [:]
            var boxes: [VoteBox] = []
            var proxies: [ProxyMandate] = []
            if organiser {
                for row in try await sql.raw(
                    "SELECT channel, COUNT(*) AS n FROM vote_participation WHERE vote_id = \(bind: id) GROUP BY channel"
                ).all() {
                    if let channel = BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) {
                        turnout[channel] = try row.decode(column: "n", as: Int.self)
                    }
                }
                boxes = try await Self.boxes(sql, voteID: id)
                proxies = try await Self.mandates(sql, voteID: id, where: "1 = 1")
            }
            let paperBallots =
                organiser && v.basis == .owners ? try await Self.paperBallotCounts(sql, voteID: id) : [:]
            var standing: [VoterStanding] = []
            var held: [ProxyMandate] = []
            if let person = context.personID, v.state != .draft {
                standing = try await Self.standing(sql, voteID: id, person: person)
                if standing.contains(where: \.byProxy) {
                    held = try await Self.mandates(sql, voteID: id, where: "proxy_person_id = \(bind: person)")
                }
            }
            let timeline = try await sql.raw(
                """
                SELECT e.*, u.display_name FROM vote_events e LEFT JOIN users u ON u.id = e.actor_user_id
                WHERE e.vote_id = \(bind: id) ORDER BY e.at, e.id
                """
            ).all().map { row in
                VoteEvent(
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    actorName: try row.decode(column: "display_name", as: String?.self),
                    action: try row.decode(column: "action", as: String.self),
                    note: try row.decode(column: "note", as: String.self))
            }
            return VoteRecord(
                vote: v, phase: v.phase(at: now), capabilities: capabilities, result: result, turnout: turnout,
                boxes: boxes, proxies: proxies, standing: standing, timeline: timeline,
                communityName: try await JurisdictionStore.node(sql, v.communityID)?.name ?? "",
                scopeName: try await JurisdictionStore.node(sql, v.scopeNodeID)?.name ?? "",
                paperBallots: paperBallots, heldMandates: held)
        }
    }

    static func mandates(
        _ sql: any SQLDatabase, voteID: Int64, where clause: SQLQueryString
    ) async throws
        -> [ProxyMandate]
    {
        try await sql.raw(
            "SELECT * FROM vote_proxies WHERE vote_id = \(bind: voteID) AND " + clause + " ORDER BY principal_key"
        ).all().compactMap { row in
            guard let key = VoterKey(stored: try row.decode(column: "principal_key", as: String.self)),
                let signed = CalendarDate(try row.decode(column: "signed_on", as: String.self))
            else { return nil }
            return ProxyMandate(
                principal: key, proxyPersonID: try row.decode(column: "proxy_person_id", as: Int64.self),
                document: try row.decode(column: "document", as: String.self), signedOn: signed,
                instructions: try row.decode(column: "instructions", as: String?.self))
        }
    }

    /// The entries a person may cast for: their own and those they hold a mandate for, and whether each voted.
    static func standing(_ sql: any SQLDatabase, voteID: Int64, person: Int64) async throws -> [VoterStanding] {
        let own = try await sql.raw(
            "SELECT voter_key FROM vote_roll_casters WHERE vote_id = \(bind: voteID) AND person_id = \(bind: person)"
        ).all().compactMap { VoterKey(stored: try $0.decode(column: "voter_key", as: String.self)) }
        let held = try await mandates(sql, voteID: voteID, where: "proxy_person_id = \(bind: person)").map(\.principal)
        var out: [VoterStanding] = []
        for (key, byProxy) in own.map({ ($0, false) }) + held.filter({ !own.contains($0) }).map({ ($0, true) }) {
            let voted =
                try await sql.raw(
                    """
                    SELECT 1 AS x FROM vote_participation WHERE vote_id = \(bind: voteID) AND voter_key = \(bind: key.stored)
                    """
                ).first() != nil
            out.append(VoterStanding(key: key, byProxy: byProxy, hasVoted: voted))
        }
        return out
    }

    /// Whether the actor may read the vote (before a step's body is read).
    public func requireVisible(_ id: Int64, to actor: Actor, now: Date) async throws {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
        }
    }

    /// Votes the actor may read, the latest first: their areas' and, once scheduled, their community's.
    public func list(
        for actor: Actor, topicID: Int64? = nil, meetingID: Int64? = nil, limit: Int = 100
    ) async throws
        -> [Vote]
    {
        try await db.read { sql in
            var clause = SQLQueryString("((1 = 0")
            for area in actor.areas {
                clause =
                    clause
                    + " OR (n.path >= \(bind: area.nodePath) AND n.path < \(bind: NodePath.upperBound(area.nodePath)))"
            }
            if let home = try await TopicStore.home(sql, of: actor), let community = home.communityID {
                clause = clause + " OR (v.community_id = \(bind: community) AND v.state <> 'draft')"
            }
            clause = clause + "))"
            if let topicID { clause = clause + " AND v.topic_id = \(bind: topicID)" }
            if let meetingID { clause = clause + " AND v.meeting_id = \(bind: meetingID)" }
            let q =
                SQLQueryString(
                    "SELECT v.*, n.path AS community_path FROM votes v JOIN nodes n ON n.id = v.community_id WHERE ")
                + clause + " ORDER BY v.closes_at DESC, v.id DESC LIMIT \(bind: max(1, min(500, limit)))"
            // Drafts are their organisers' alone (the policy's read rule, on rows the clause already scoped).
            return try await sql.raw(q).all().compactMap { row in
                let v = try Self.decode(row)
                let context = VoteContext(
                    now: Date(), path: try row.decode(column: "community_path", as: String.self),
                    actorInCommunity: true, personID: nil)
                return VotePolicy.role(for: .read, actor, v, context) != nil ? v : nil
            }
        }
    }

    /// Looks a receipt up in a closed vote's published list: the choice recorded under it, or nil when there is
    /// none. Refused (`vote_receipts_not_published`) before the close; `vote_receipt_invalid` for a code that is not
    /// one (a typo the check character catches).
    public func checkReceipt(_ id: Int64, code: String, for actor: Actor, now: Date) async throws -> ChoiceRecord? {
        guard !code.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError.invalid("vote_receipt_required", field: "code")
        }
        guard let receipt = ReceiptCode(code) else { throw DomainError.invalid("vote_receipt_invalid", field: "code") }
        return try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            guard v.state == .closed || v.state == .published else {
                throw DomainError(.conflict, "vote_receipts_not_published")
            }
            guard
                let row = try await sql.raw(
                    """
                    SELECT ballot, channel FROM vote_choices WHERE vote_id = \(bind: id) AND receipt = \(bind: receipt.symbols)
                    """
                ).first()
            else { return nil }
            return ChoiceRecord(
                ballot: try Self.value(PollBallot.self, try row.decode(column: "ballot", as: String.self)),
                channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                receipt: receipt, voter: nil)
        }
    }

    /// The published list of receipts with their choices, in receipt order (which says nothing about who or when),
    /// a page at a time after `after`. Only after the close; never with voters.
    public func receipts(
        _ id: Int64, after: String?, limit: Int = 1000, for actor: Actor, now: Date
    ) async throws
        -> [ChoiceRecord]
    {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            guard v.state == .closed || v.state == .published else {
                throw DomainError(.conflict, "vote_receipts_not_published")
            }
            return try await sql.raw(
                """
                SELECT receipt, ballot, channel FROM vote_choices WHERE vote_id = \(bind: id) AND receipt > \(bind: after ?? "")
                ORDER BY receipt LIMIT \(bind: max(1, min(5000, limit)))
                """
            ).all().map { row in
                ChoiceRecord(
                    ballot: try Self.value(PollBallot.self, try row.decode(column: "ballot", as: String.self)),
                    channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                    receipt: ReceiptCode(try row.decode(column: "receipt", as: String.self))!, voter: nil)
            }
        }
    }

    /// A closed vote's decision with its arithmetic, for a resolution to cite: nil while it runs and for polls
    /// that choose between options rather than decide.
    public func outcome(_ id: Int64, for actor: Actor, now: Date) async throws -> DecisionOutcome? {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            guard v.state == .closed || v.state == .published else { return nil }
            return v.result?.outcome
        }
    }

    /// The tally sheet's photo of a box, for organisers.
    public func boxPhoto(_ id: Int64, box: String, for actor: Actor, now: Date) async throws -> (String, [UInt8]) {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            guard MeetingPolicy.organiser(actor, context.path) != nil else { throw DomainError.forbidden }
            guard
                let row = try await sql.raw(
                    "SELECT photo_type, photo FROM vote_paper_boxes WHERE vote_id = \(bind: id) AND box = \(bind: box)"
                ).first()
            else { throw DomainError.notFound }
            return (
                try row.decode(column: "photo_type", as: String.self),
                [UInt8](try row.decode(column: "photo", as: Data.self))
            )
        }
    }

    /// A recount from every stored row through the domain, for organisers and tests, whatever the state: it must
    /// equal the result the close stored from the database's sums.
    /// With `fromRows` false, the count the close takes instead (the database's sums), for the benchmark.
    public func recount(_ id: Int64, for actor: Actor, now: Date, fromRows: Bool = true) async throws -> VoteResult {
        try await db.read { sql in
            guard let (v, context) = try await Self.loaded(sql, id, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            guard MeetingPolicy.organiser(actor, context.path) != nil else { throw DomainError.forbidden }
            return fromRows
                ? try await Self.countFromRows(sql, v, box: try? db.requirePersonalDataBox())
                : try await Self.count(sql, v, signedOnly: false)
        }
    }
}
