import Foundation
import GongzhiDomain
import SQLKit

/// A vote to draft: where, on what, the question, who counts, when, and how secret.
public struct VotePlan: Sendable, Equatable {
    public var communityID: Int64
    /// The community itself when nil; else a node inside it whose residents or owners are the roll.
    public var scopeNodeID: Int64?
    public var topicID: Int64?
    public var meetingID: Int64?
    public var title: String
    public var spec: PollSpec
    public var basis: VotingBasis
    public var matter: OwnersMatter?
    public var opensAt: Date
    public var closesAt: Date
    public var secrecy: BallotSecrecy
    public var resultsBeforeClose: Bool
    public var proxies: ProxyRules

    public init(
        communityID: Int64, scopeNodeID: Int64? = nil, topicID: Int64? = nil, meetingID: Int64? = nil, title: String,
        spec: PollSpec, basis: VotingBasis, matter: OwnersMatter? = nil, opensAt: Date, closesAt: Date,
        secrecy: BallotSecrecy, resultsBeforeClose: Bool = false, proxies: ProxyRules = .none
    ) {
        self.communityID = communityID
        self.scopeNodeID = scopeNodeID
        self.topicID = topicID
        self.meetingID = meetingID
        self.title = title
        self.spec = spec
        self.basis = basis
        self.matter = matter
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.secrecy = secrecy
        self.resultsBeforeClose = resultsBeforeClose
        self.proxies = proxies
    }
}

/// The votes' one writer: `draft` creates a vote, `perform` takes every organiser's step (freezing the roll,
/// proxies, paper ballots and boxes, secrecy, close, publish) with its version check, timeline line and audit entry,
/// and `cast` takes a ballot: its participation mark and its choice in one transaction, the mark's primary key
/// refusing a second ballot for the same voter on any channel.
public struct VoteCommands: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    public func draft(_ actor: Actor, _ plan: VotePlan) async throws -> Vote {
        try await db.command(actor, clock: clock) { tx in
            let v = try await Self.insertDraft(tx, plan, now: tx.now)
            let role = try await Self.draftRole(tx, plan)
            try await tx.audit(
                AuditRecord(
                    action: "vote.draft", objectType: "vote", objectID: "\(v.id)", communityID: v.communityID,
                    nodeID: v.scopeNodeID,
                    after: AuditJSON.encode([
                        "number": v.number, "basis": v.basis.rawValue, "kind": v.spec.kind.rawValue,
                        "secrecy": v.secrecy.secrecy.rawValue, "opens_at": "\(v.window.opensAt.epochMillis)",
                        "closes_at": "\(v.window.closesAt.epochMillis)",
                    ])), role: role)
            return v
        }
    }

    static func draftRole(_ tx: Transaction, _ plan: VotePlan) async throws -> Role {
        guard let community = try await JurisdictionStore.node(tx.sql, plan.communityID) else {
            throw DomainError.invalid("vote_community_invalid", field: "community")
        }
        if tx.actor.isCommandLine { return .systemAdmin }
        return try VotePolicy.requireDraft(tx.actor, communityPath: community.path)
    }

    /// Checks and writes a draft (shared with the bulk helper, which skips the policy and audit: `bulk`). A draft with
    /// a topic and no meeting puts the topic, which must be on the agenda (`vote_topic_not_on_agenda`), to the vote.
    static func insertDraft(_ tx: Transaction, _ plan: VotePlan, now: Date, bulk: Bool = false) async throws -> Vote {
        guard let community = try await JurisdictionStore.node(tx.sql, plan.communityID),
            community.kind.isCommunityLevel, community.isOpen
        else { throw DomainError.invalid("vote_community_invalid", field: "community") }
        if !tx.actor.isCommandLine { _ = try VotePolicy.requireDraft(tx.actor, communityPath: community.path) }
        var scope = community
        if let scopeID = plan.scopeNodeID, scopeID != community.id {
            guard let node = try await JurisdictionStore.node(tx.sql, scopeID), node.isOpen,
                NodePath.isInside(node.path, community.path)
            else { throw DomainError.invalid("vote_scope_invalid", field: "scope") }
            scope = node
        }
        if let topicID = plan.topicID {
            let row = try await tx.sql.raw("SELECT community_id, state FROM topics WHERE id = \(bind: topicID)").first()
            guard let row, try row.decode(column: "community_id", as: Int64.self) == community.id else {
                throw DomainError.invalid("vote_topic_unknown", field: "topic")
            }
            // A vote taken online with no meeting decides its topic itself: the topic must be on the agenda, and is
            // put to the vote below. A meeting's vote leaves its topic to the meeting.
            if plan.meetingID == nil, try row.decode(column: "state", as: String.self) != TopicState.onAgenda.rawValue {
                throw DomainError.invalid("vote_topic_not_on_agenda", field: "topic")
            }
        }
        if let meetingID = plan.meetingID {
            let row = try await tx.sql.raw("SELECT community_id FROM meetings WHERE id = \(bind: meetingID)").first()
            guard try row?.decode(column: "community_id", as: Int64.self) == community.id else {
                throw DomainError.invalid("vote_meeting_unknown", field: "meeting")
            }
        }
        let window = try VoteWindow(opensAt: plan.opensAt, closesAt: plan.closesAt)
        let secrecy = SecrecySetting(secrecy: plan.secrecy, resultsBeforeClose: plan.resultsBeforeClose)
        let title = try VoteWorkflow.checkDraft(
            title: plan.title, spec: plan.spec, basis: plan.basis, matter: plan.matter, window: window,
            secrecy: secrecy, proxies: plan.proxies, now: now)
        let set = try DecisionRuleCatalogue.national.inForce(on: CalendarDate(now))
        let id = try await tx.sql.raw(
            """
            INSERT INTO votes (number, community_id, scope_node_id, topic_id, meeting_id, title, spec, basis, matter,
              opens_at, closes_at, secrecy, results_before_close, proxies, rule_set_id, state, created_by, created_at,
              updated_at, version)
            VALUES (\(bind: "tmp-\(UUID().uuidString)"), \(bind: community.id), \(bind: scope.id), \(bind: plan.topicID),
              \(bind: plan.meetingID), \(bind: title), \(bind: VoteStore.json(plan.spec)), \(bind: plan.basis.rawValue),
              \(bind: plan.basis == .owners ? plan.matter?.rawValue : nil), \(bind: window.opensAt.epochMillis),
              \(bind: window.closesAt.epochMillis), \(bind: secrecy.secrecy.rawValue),
              \(bind: secrecy.resultsBeforeClose ? 1 : 0), \(bind: VoteStore.json(plan.proxies)), \(bind: set.id),
              'draft', \(bind: tx.actor.storedUserID), \(bind: now.epochMillis), \(bind: now.epochMillis), 1)
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let number = Vote.number(day: WorkCalendar.dayKey(now), id: id)
        try await tx.sql.raw("UPDATE votes SET number = \(bind: number) WHERE id = \(bind: id)").run()
        let v = Vote(
            id: id, number: number, communityID: community.id, scopeNodeID: scope.id, topicID: plan.topicID,
            meetingID: plan.meetingID, title: title, spec: plan.spec, basis: plan.basis,
            matter: plan.basis == .owners ? plan.matter : nil, window: window, secrecy: secrecy,
            proxies: plan.proxies, ruleSetID: set.id, createdAt: now)
        try await event(tx, v, action: "draft", note: "", at: now)
        // The topic goes into the vote through its own step: timeline line, notices and audit entry.
        if let topicID = plan.topicID, plan.meetingID == nil {
            // As of the draft's instant, which a bulk helper gives from the history it seeds.
            let at = Transaction(
                sql: tx.sql, backend: tx.backend, now: now, actor: tx.actor, personalData: tx.personalData)
            _ = try await TopicCommands.step(
                at, topicID, .putToVote(voteID: id), expectedVersion: nil, channels: [], bulk: bulk)
        }
        return v
    }

    /// Takes one organiser's step on a vote in one transaction: policy, version check, the step's rows, the
    /// vote's new state, a timeline line and an audit entry. `photo` is the tally sheet of `.enterBox`.
    @discardableResult
    public func perform(
        _ actor: Actor, _ voteID: Int64, _ command: VoteCommand, expectedVersion: Int? = nil, photo: [UInt8] = []
    ) async throws -> Vote {
        try await db.command(actor, clock: clock) { tx in
            guard
                let (current, context) = try await VoteStore.loaded(
                    tx.sql, voteID, actor: actor, now: tx.now, lock: .update, backend: tx.backend)
            else { throw DomainError.notFound }
            try VotePolicy.require(.read, of: actor, on: current, in: context)
            if let expectedVersion, expectedVersion != current.version {
                throw DomainError(.conflict, "vote_changed_meanwhile")
            }
            let role = try VotePolicy.require(command.capability, of: actor, on: current, in: context)
            let (next, note, detail) = try await Self.apply(tx, current, command, photo: photo, now: tx.now)
            let saved = try await Self.save(tx, next, over: current, now: tx.now)
            guard saved else { throw DomainError(.conflict, "vote_changed_meanwhile") }
            var out = next
            out.version = current.version + 1
            try await Self.event(tx, out, action: command.capability.rawValue, note: note)
            try await tx.audit(
                AuditRecord(
                    action: "vote.\(command.capability.rawValue)", objectType: "vote", objectID: "\(voteID)",
                    communityID: current.communityID, nodeID: current.scopeNodeID,
                    before: detail?.before ?? current.state.rawValue, after: detail?.after ?? out.state.rawValue,
                    result: out.result.map { $0.outcome?.passed == true ? "passed" : "counted" }
                        ?? "ok"),
                role: role)
            return out
        }
    }

    /// Writes the vote's new state if it is still at `current`'s version; false when someone changed it meanwhile.
    static func save(_ tx: Transaction, _ next: Vote, over current: Vote, now: Date) async throws -> Bool {
        try await tx.sql.raw(
            """
            UPDATE votes SET state = \(bind: next.state.rawValue), secrecy = \(bind: next.secrecy.secrecy.rawValue),
              results_before_close = \(bind: next.secrecy.resultsBeforeClose ? 1 : 0), roll_size = \(bind: next.rollSize),
              frozen_at = \(bind: next.frozenAt?.epochMillis), closed_at = \(bind: next.closedAt?.epochMillis),
              published_at = \(bind: next.publishedAt?.epochMillis),
              result = \(bind: next.result.map { VoteStore.json($0) }), updated_at = \(bind: now.epochMillis),
              version = version + 1
            WHERE id = \(bind: current.id) AND version = \(bind: current.version) RETURNING id
            """
        ).first() != nil
    }

    /// The step's rows and the vote after it, with the timeline's note (never a choice or a name), and for a
    /// corrected paper ballot the audit's before and after (the marks, with the box and the reason).
    static func apply(
        _ tx: Transaction, _ current: Vote, _ command: VoteCommand, photo: [UInt8], now: Date
    ) async throws -> (Vote, String, (before: String, after: String)?) {
        if case .correctPaperBallot(var ballot, let reason) = command {
            ballot.box = ballot.box.trimmingCharacters(in: .whitespaces)
            let (was, text) = try await correctPaperBallot(tx, current, ballot, reason: reason, now: now)
            return (
                current, ballot.box + " · " + text, ("\(ballot.box):\(was.rawValue)", "\(ballot.mark.rawValue):\(text)")
            )
        }
        let (next, note) = try await applyStep(tx, current, command, photo: photo, now: now)
        return (next, note, nil)
    }

    static func applyStep(
        _ tx: Transaction, _ current: Vote, _ command: VoteCommand, photo: [UInt8], now: Date
    ) async throws -> (Vote, String) {
        var next = current
        let id = current.id
        switch command {
        case .schedule:
            guard let scope = try await JurisdictionStore.node(tx.sql, current.scopeNodeID) else {
                throw DomainError.notFound
            }
            let built = try await VoteRollBuilder.build(
                tx.sql, basis: current.basis, communityID: current.communityID, scopePath: scope.path,
                on: CalendarDate(now))
            guard built.roll.count > 0 else { throw DomainError(.conflict, "vote_roll_empty") }
            try await VoteRollBuilder.save(tx.sql, voteID: id, communityID: current.communityID, built)
            next.state = .scheduled
            next.rollSize = built.roll.count
            next.frozenAt = now
            return (next, "\(built.roll.count)")
        case .proxy(let mandate):
            try await recordProxy(tx, current, mandate, now: now)
            return (next, mandate.principal.label)
        case .issuePaper(let voter, let box):
            let entry = try await rollEntry(tx.sql, id, voter)
            guard let entry else { throw DomainError(.forbidden, "vote_not_on_roll") }
            let existing = try await participation(tx.sql, id, voter)
            // An entry nobody in the registry casts for (an owner living elsewhere, the developer) signs for its
            // paper ballot at the desk in person: no caster is recorded, and it is no proxy.
            var signer = entry
            if signer.casters.isEmpty { signer.casters = [0] }
            let record = try Participation.admit(
                signer.casters.min() ?? 0, for: voter, channel: .paper, box: box.trimmingCharacters(in: .whitespaces),
                at: now, window: current.window, roll: try VoterRoll(basis: current.basis, entries: [signer]),
                proxies: current.proxies, mandate: nil, existing: { $0 == voter ? existing : nil })
            try await insertParticipation(tx, current, record)
            return (next, record.box ?? "")
        case .enterBox(var totals):
            let type = try PhotoRules.contentType(of: photo)
            totals.box = totals.box.trimmingCharacters(in: .whitespaces)
            totals.tallySheetPhoto = type
            let signatures = try await tx.sql.raw(
                """
                SELECT COUNT(*) AS n FROM vote_participation WHERE vote_id = \(bind: id) AND channel = 'paper'
                  AND box = \(bind: totals.box)
                """
            ).first()!.decode(column: "n", as: Int.self)
            try totals.check(
                optionCount: current.spec.labels.count, marksPerBallot: current.spec.choices, signatures: signatures)
            if current.basis == .owners {
                try PaperOwnerBallots.check(
                    totals, against: try await VoteStore.paperBallotCounts(tx.sql, voteID: id)[totals.box] ?? [:])
            }
            let existing = try await tx.sql.raw(
                "SELECT signed_by_1 FROM vote_paper_boxes WHERE vote_id = \(bind: id) AND box = \(bind: totals.box)"
            ).first()
            if existing != nil {
                // A correction before sign-off replaces the totals; signatures given to the old ones lapse.
                guard try existing!.decode(column: "signed_by_1", as: Int64?.self) == nil else {
                    throw DomainError(.conflict, "vote_box_signed", field: "box", args: [totals.box])
                }
                try await tx.sql.raw(
                    "DELETE FROM vote_paper_boxes WHERE vote_id = \(bind: id) AND box = \(bind: totals.box)"
                ).run()
            }
            try await tx.sql.raw(
                """
                INSERT INTO vote_paper_boxes (vote_id, community_id, box, issued, returned, void, blank, marks, scrutineers,
                  photo_type, photo, entered_by, entered_at)
                VALUES (\(bind: id), \(bind: current.communityID), \(bind: totals.box), \(bind: totals.issued),
                  \(bind: totals.returned), \(bind: totals.void), \(bind: totals.blank), \(bind: VoteStore.json(totals.marks)),
                  \(bind: VoteStore.json(totals.scrutineers)), \(bind: type), \(bind: Data(photo)),
                  \(bind: tx.actor.storedUserID), \(bind: now.epochMillis))
                """
            ).run()
            return (
                next,
                "\(totals.box): \(totals.issued)/\(totals.returned)/\(totals.void)/\(totals.blank)"
                    + (existing == nil ? "" : " (corrected)")
            )
        case .signBox(let rawBox):
            let box = rawBox.trimmingCharacters(in: .whitespaces)
            guard
                let row = try await tx.sql.raw(
                    """
                    SELECT signed_by_1, signed_by_2 FROM vote_paper_boxes WHERE vote_id = \(bind: id) AND box = \(bind: box)
                    """
                ).first()
            else { throw DomainError.invalid("vote_box_unknown", field: "box", args: [box]) }
            let first = try row.decode(column: "signed_by_1", as: Int64?.self)
            let second = try row.decode(column: "signed_by_2", as: Int64?.self)
            let me = tx.actor.storedUserID
            guard second == nil else { throw DomainError(.conflict, "vote_box_signed", field: "box", args: [box]) }
            if current.basis == .owners,
                let totals = try await VoteStore.boxes(tx.sql, voteID: id).first(where: { $0.totals.box == box })?
                    .totals
            {
                // Nobody signs totals that the owners' ballots recorded in the box do not bear out.
                try PaperOwnerBallots.check(
                    totals, against: try await VoteStore.paperBallotCounts(tx.sql, voteID: id)[box] ?? [:])
            }
            if let first {
                guard first != me else { throw DomainError(.conflict, "vote_box_same_scrutineer", field: "box") }
                try await tx.sql.raw(
                    """
                    UPDATE vote_paper_boxes SET signed_by_2 = \(bind: me), signed_at_2 = \(bind: now.epochMillis)
                    WHERE vote_id = \(bind: id) AND box = \(bind: box)
                    """
                ).run()
            } else {
                try await tx.sql.raw(
                    """
                    UPDATE vote_paper_boxes SET signed_by_1 = \(bind: me), signed_at_1 = \(bind: now.epochMillis)
                    WHERE vote_id = \(bind: id) AND box = \(bind: box)
                    """
                ).run()
            }
            return (next, box)
        case .correctPaperBallot: throw DomainError.notFound  // `apply` takes it
        case .paperBallot(var ballot):
            ballot.box = ballot.box.trimmingCharacters(in: .whitespaces)
            try await recordPaperBallot(tx, current, ballot, now: now)
            // The timeline says a ballot came in and where, never whose or what it said.
            return (next, ballot.box)
        case .secrecy(let secrecy, let resultsBeforeClose):
            next.secrecy = try VoteWorkflow.changedSecrecy(current, to: secrecy, resultsBeforeClose: resultsBeforeClose)
            if next.secrecy.requiresUnlinking(from: current.secrecy) {
                // Going secret forgets who chose what, for good: the choices lose their voter now.
                try await tx.sql.raw("UPDATE vote_choices SET voter_key = NULL WHERE vote_id = \(bind: id)").run()
                try await reshuffle(tx, id)
            }
            return (next, next.secrecy.secrecy.rawValue + (next.secrecy.resultsBeforeClose ? "+results" : ""))
        case .close:
            // A secret vote's choices are opened and rewritten first, so the count reads them.
            if current.secrecy.secrecy == .secret { try await reshuffle(tx, id) }
            next.result = try await VoteStore.count(tx.sql, current)
            next.state = .closed
            next.closedAt = now
            return (next, "\(next.result!.participants)/\(next.rollSize)")
        case .publish:
            next.state = .published
            next.publishedAt = now
            return (next, "")
        }
    }

    /// Rewrites a secret vote's choices in receipt order in one statement pair, opened where they were cast sealed,
    /// so that on PostgreSQL no row keeps the transaction id or heap position it was cast with (which would line up
    /// with its participation row). Until then a choice is sealed with the server's key, outside the database: its
    /// row shares the caster's transaction id with the participation mark, and the old row versions stay until
    /// VACUUM, but neither can be read without the key.
    static func reshuffle(_ tx: Transaction, _ id: Int64) async throws {
        let rows = try await tx.sql.raw(
            "SELECT community_id, receipt, channel, ballot FROM vote_choices WHERE vote_id = \(bind: id) ORDER BY receipt"
        ).all()
        func plain(_ ballot: String) throws -> String {
            Self.isSealedChoice(ballot) ? try tx.requirePersonalData().open(ballot) : ballot
        }
        try await tx.sql.raw("DELETE FROM vote_choices WHERE vote_id = \(bind: id)").run()
        for start in stride(from: 0, to: rows.count, by: 400) {
            var q = SQLQueryString(
                "INSERT INTO vote_choices (vote_id, community_id, receipt, channel, ballot, voter_key) VALUES ")
            for (i, row) in rows[start..<min(rows.count, start + 400)].enumerated() {
                q =
                    q + (i == 0 ? "" : ", ")
                        + """
                        (\(bind: id), \(bind: try row.decode(column: "community_id", as: Int64.self)), \(bind: try row.decode(column: "receipt", as: String.self)), \
                        \(bind: try row.decode(column: "channel", as: String.self)), \(bind: try plain(try row.decode(column: "ballot", as: String.self))), NULL)
                        """
            }
            try await tx.sql.raw(q).run()
        }
    }

    /// A sealed choice (`sm4:…`, `aes:…`) rather than a ballot's JSON, which starts with a bracket or a quote.
    static func isSealedChoice(_ ballot: String) -> Bool {
        guard let first = ballot.first else { return false }
        return first != "{" && first != "[" && first != "\""
    }

    static func rollEntry(_ sql: any SQLDatabase, _ voteID: Int64, _ key: VoterKey) async throws -> RollEntry? {
        guard
            try await sql.raw(
                "SELECT 1 AS x FROM vote_roll WHERE vote_id = \(bind: voteID) AND voter_key = \(bind: key.stored)"
            ).first() != nil
        else { return nil }
        let casters = try await sql.raw(
            "SELECT person_id FROM vote_roll_casters WHERE vote_id = \(bind: voteID) AND voter_key = \(bind: key.stored)"
        ).all().map { try $0.decode(column: "person_id", as: Int64.self) }
        return RollEntry(key: key, casters: Set(casters))
    }

    static func participation(
        _ sql: any SQLDatabase, _ voteID: Int64, _ key: VoterKey
    ) async throws
        -> ParticipationRecord?
    {
        guard
            let row = try await sql.raw(
                "SELECT channel FROM vote_participation WHERE vote_id = \(bind: voteID) AND voter_key = \(bind: key.stored)"
            ).first()
        else { return nil }
        return ParticipationRecord(
            voter: key, channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
            castBy: 0, byProxy: false, box: nil, at: Date(epochMillis: 0))
    }

    /// Writes a participation mark; a second mark for the voter (on any channel, even from a transaction running at
    /// the same moment) breaks the primary key and is refused as `vote_already_cast`.
    static func insertParticipation(_ tx: Transaction, _ v: Vote, _ record: ParticipationRecord) async throws {
        do {
            try await tx.sql.raw(
                """
                INSERT INTO vote_participation (vote_id, community_id, voter_key, channel, box, cast_by, by_proxy, at)
                VALUES (\(bind: v.id), \(bind: v.communityID), \(bind: record.voter.stored), \(bind: record.channel.rawValue),
                  \(bind: record.box), \(bind: record.castBy == 0 ? nil : record.castBy), \(bind: record.byProxy ? 1 : 0),
                  \(bind: record.at.epochMillis))
                """
            ).run()
        } catch  where isUniqueViolation(error) {
            throw DomainError(.conflict, "vote_already_cast_now", args: [record.voter.label])
        }
    }

    /// Records one paper ballot of an owners' vote against its owner, after `PaperOwnerBallots.admit` (signed for
    /// in this box, not online, once) and refused in a box already signed off.
    static func recordPaperBallot(_ tx: Transaction, _ v: Vote, _ ballot: PaperOwnerBallot, now: Date) async throws {
        guard try await rollEntry(tx.sql, v.id, ballot.voter) != nil else {
            throw DomainError(.forbidden, "vote_not_on_roll")
        }
        let key = ballot.voter.stored
        let mark = try await tx.sql.raw(
            "SELECT channel, box FROM vote_participation WHERE vote_id = \(bind: v.id) AND voter_key = \(bind: key)"
        ).first().map { row in
            ParticipationRecord(
                voter: ballot.voter,
                channel: BallotChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
                castBy: 0, byProxy: false, box: try row.decode(column: "box", as: String?.self), at: now)
        }
        let recorded = try await tx.sql.raw(
            "SELECT box, mark FROM vote_paper_ballots WHERE vote_id = \(bind: v.id) AND voter_key = \(bind: key)"
        ).first().map { row in
            PaperOwnerBallot(
                voter: ballot.voter, box: try row.decode(column: "box", as: String.self),
                mark: PaperMark(rawValue: try row.decode(column: "mark", as: String.self)) ?? .void)
        }
        try PaperOwnerBallots.admit(ballot, secrecy: v.secrecy.secrecy, participation: mark, recorded: recorded)
        if let row = try await tx.sql.raw(
            "SELECT signed_by_1 FROM vote_paper_boxes WHERE vote_id = \(bind: v.id) AND box = \(bind: ballot.box)"
        ).first(), try row.decode(column: "signed_by_1", as: Int64?.self) != nil {
            throw DomainError(.conflict, "vote_box_signed", field: "box", args: [ballot.box])
        }
        do {
            try await tx.sql.raw(
                """
                INSERT INTO vote_paper_ballots (vote_id, community_id, voter_key, box, mark, entered_by, entered_at)
                VALUES (\(bind: v.id), \(bind: v.communityID), \(bind: key), \(bind: ballot.box),
                  \(bind: ballot.mark.rawValue), \(bind: tx.actor.storedUserID), \(bind: now.epochMillis))
                """
            ).run()
        } catch  where isUniqueViolation(error) {
            throw DomainError(.conflict, "vote_paper_ballot_twice", field: "voter", args: [ballot.voter.label])
        }
    }

    /// Changes the mark of a paper ballot read in wrongly, after `PaperOwnerBallots.correct`, refused in a box
    /// already signed off (its totals were checked against these ballots). Returns the mark it had and the reason.
    static func correctPaperBallot(
        _ tx: Transaction, _ v: Vote, _ ballot: PaperOwnerBallot, reason: String, now: Date
    ) async throws -> (PaperMark, String) {
        let key = ballot.voter.stored
        let recorded = try await tx.sql.raw(
            "SELECT box, mark FROM vote_paper_ballots WHERE vote_id = \(bind: v.id) AND voter_key = \(bind: key)"
        ).first().map { row in
            PaperOwnerBallot(
                voter: ballot.voter, box: try row.decode(column: "box", as: String.self),
                mark: PaperMark(rawValue: try row.decode(column: "mark", as: String.self)) ?? .void)
        }
        let text = try PaperOwnerBallots.correct(ballot, recorded: recorded, reason: reason)
        if let row = try await tx.sql.raw(
            "SELECT signed_by_1 FROM vote_paper_boxes WHERE vote_id = \(bind: v.id) AND box = \(bind: ballot.box)"
        ).first(), try row.decode(column: "signed_by_1", as: Int64?.self) != nil {
            throw DomainError(.conflict, "vote_box_signed", field: "box", args: [ballot.box])
        }
        try await tx.sql.raw(
            """
            UPDATE vote_paper_ballots SET mark = \(bind: ballot.mark.rawValue), entered_by = \(bind: tx.actor.storedUserID),
              entered_at = \(bind: now.epochMillis)
            WHERE vote_id = \(bind: v.id) AND voter_key = \(bind: key)
            """
        ).run()
        return (recorded?.mark ?? ballot.mark, text)
    }

    /// Records a written mandate after checking it with the mandates the principal and the proxy already have.
    static func recordProxy(_ tx: Transaction, _ v: Vote, _ mandate: ProxyMandate, now: Date) async throws {
        let related = try await VoteStore.mandates(
            tx.sql, voteID: v.id,
            where:
                "(principal_key = \(bind: mandate.principal.stored) OR proxy_person_id = \(bind: mandate.proxyPersonID))"
        )
        var entries: [RollEntry] = []
        for key in Set(related.map(\.principal) + [mandate.principal]) {
            if let entry = try await rollEntry(tx.sql, v.id, key) { entries.append(entry) }
        }
        // The proxy's own entries, so a rule that wants the proxy on the roll can see them.
        let own = try await tx.sql.raw(
            """
            SELECT voter_key FROM vote_roll_casters WHERE vote_id = \(bind: v.id) AND person_id = \(bind: mandate.proxyPersonID)
            """
        ).all().compactMap { VoterKey(stored: try $0.decode(column: "voter_key", as: String.self)) }
        for key in own where !entries.contains(where: { $0.key == key }) {
            if let entry = try await rollEntry(tx.sql, v.id, key) { entries.append(entry) }
        }
        let roll = try VoterRoll(basis: .owners, entries: entries)  // owners: no cross-entry caster check here
        try v.proxies.validate(related + [mandate], roll: roll)
        if try await participation(tx.sql, v.id, mandate.principal) != nil {
            throw DomainError(
                .conflict, "vote_proxy_principal_voted", field: "principal", args: [mandate.principal.label])
        }
        try await tx.sql.raw(
            """
            INSERT INTO vote_proxies (vote_id, community_id, principal_key, proxy_person_id, document, signed_on,
              instructions, recorded_by, recorded_at)
            VALUES (\(bind: v.id), \(bind: v.communityID), \(bind: mandate.principal.stored), \(bind: mandate.proxyPersonID),
              \(bind: mandate.document.trimmingCharacters(in: .whitespaces)), \(bind: mandate.signedOn.description),
              \(bind: mandate.instructions), \(bind: tx.actor.storedUserID), \(bind: now.epochMillis))
            """
        ).run()
    }

    /// Casts the actor's ballot online, for their own entry or (with `voter`) an entry they hold a mandate for, and
    /// returns the receipt code to show them once. One transaction writes the participation mark (who, how, when)
    /// and the choice (what, under a random receipt; for a secret ballot with no voter); nothing else records the
    /// choice, not the audit entry, not the timeline.
    public func cast(
        _ actor: Actor, _ voteID: Int64, _ ballot: PollBallot, for voter: VoterKey? = nil
    ) async throws
        -> ReceiptCode
    {
        try await db.command(actor, clock: clock) { tx in
            guard
                let (v, context) = try await VoteStore.loaded(
                    tx.sql, voteID, actor: actor, now: tx.now, lock: .share, backend: tx.backend)
            else { throw DomainError.notFound }
            try VotePolicy.require(.read, of: actor, on: v, in: context)
            let role = try VotePolicy.require(.cast, of: actor, on: v, in: context)
            guard v.state == .scheduled else {
                throw DomainError(.conflict, v.state == .draft ? "vote_not_open" : "vote_closed")
            }
            guard let person = context.personID else { throw DomainError(.forbidden, "vote_not_on_roll") }
            let standing = try await VoteStore.standing(tx.sql, voteID: voteID, person: person)
            var entries: [RollEntry] = []
            var existing: [VoterKey: ParticipationRecord] = [:]
            for s in standing {
                entries.append(
                    s.byProxy ? RollEntry(key: s.key, casters: []) : RollEntry(key: s.key, casters: [person]))
                if s.hasVoted {
                    existing[s.key] = ParticipationRecord(
                        voter: s.key, channel: .online, castBy: 0, byProxy: false, box: nil, at: tx.now)
                }
            }
            if let voter, !standing.contains(where: { $0.key == voter }),
                try await Self.rollEntry(tx.sql, voteID, voter) != nil
            {
                // On the roll, but not the caster's: only a recorded mandate lets them cast it.
                throw DomainError(.forbidden, "vote_proxy_mandate_missing", args: [voter.label])
            }
            let roll = try VoterRoll(basis: v.basis, entries: entries)
            let own = standing.filter { !$0.byProxy }.map(\.key)
            let target = voter ?? (own.isEmpty && standing.count == 1 ? standing[0].key : nil)
            let mandate = try await VoteStore.mandates(
                tx.sql, voteID: voteID, where: "proxy_person_id = \(bind: person)"
            ).first { $0.principal == target }
            if let earlier = existing[target ?? own.first ?? .person(0)],
                let mark = try await Self.participation(tx.sql, voteID, earlier.voter)
            {
                // The channel the voter was counted on, in the refusal.
                existing[earlier.voter] = mark
            }
            let record = try Participation.admit(
                person, for: target, channel: .online, at: tx.now, window: v.window, roll: roll, proxies: v.proxies,
                mandate: mandate, existing: { existing[$0] })
            var bytes = [UInt8](repeating: 0, count: 10)
            var generator = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = generator.next() }
            let (mark, choice) = try SecretBallotDesign.records(
                of: ballot, spec: v.spec, participation: record, secrecy: v.secrecy.secrecy, receiptBytes: bytes)
            try SecretBallotDesign.checkUnlinked(choice, secrecy: v.secrecy.secrecy)
            try await Self.insertParticipation(tx, v, mark)
            // A secret choice is sealed until the close opens and rewrites it (`reshuffle`).
            let ballotText =
                v.secrecy.secrecy == .secret
                ? try tx.requirePersonalData().seal(VoteStore.json(choice.ballot)) : VoteStore.json(choice.ballot)
            try await tx.sql.raw(
                """
                INSERT INTO vote_choices (vote_id, community_id, receipt, channel, ballot, voter_key)
                VALUES (\(bind: v.id), \(bind: v.communityID), \(bind: choice.receipt.symbols), \(bind: choice.channel.rawValue),
                  \(bind: ballotText), \(bind: choice.voter?.stored))
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: "vote.cast", objectType: "vote", objectID: "\(voteID)", communityID: v.communityID,
                    nodeID: v.scopeNodeID,
                    after: AuditJSON.encode(["channel": "online", "proxy": mark.byProxy ? "yes" : "no"])),
                role: role)
            return choice.receipt
        }
    }

    static func event(_ tx: Transaction, _ v: Vote, action: String, note: String, at: Date? = nil) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO vote_events (vote_id, community_id, at, actor_user_id, action, note)
            VALUES (\(bind: v.id), \(bind: v.communityID), \(bind: (at ?? tx.now).epochMillis), \(bind: tx.actor.storedUserID),
              \(bind: action), \(bind: note))
            """
        ).run()
    }
}
