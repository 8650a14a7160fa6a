import Foundation

/// A vote's place in its life: drafted; scheduled once its roll is frozen (it takes ballots inside its window);
/// closed and counted; published. Raw values name the locale keys (`vote_state_<raw>`).
public enum VoteState: String, CaseIterable, Codable, Sendable { case draft, scheduled, closed, published }

/// What a reader sees of a vote at an instant: its state, with a scheduled vote split by its window. Raw values name
/// the locale keys (`vote_phase_<raw>`).
public enum VotePhase: String, CaseIterable, Codable, Sendable {
    case draft, scheduled, open, counting, closed, published
}

/// A vote on a topic or at a meeting (issue 13 item 4): the question as a `PollSpec`, who counts (`VotingBasis`,
/// with the owners' matter for an owners' vote), the window, secrecy and proxy rules. Its roll is frozen when it is
/// scheduled; its result is computed once, at the close, and stored with its arithmetic.
public struct Vote: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    /// "TP20261118-000001".
    public var number: String
    public var communityID: Int64
    /// The community itself or a building, estate or grid inside it: whose residents or owners are on the roll.
    public var scopeNodeID: Int64
    public var topicID: Int64?
    public var meetingID: Int64?
    public var title: String
    public var spec: PollSpec
    public var basis: VotingBasis
    /// For an owners' vote: the art. 278 matter, which decides the consent it needs.
    public var matter: OwnersMatter?
    public var window: VoteWindow
    public var secrecy: SecrecySetting
    public var proxies: ProxyRules
    /// The rule set in force the day it was drafted (`DecisionRuleCatalogue.inForce(on:)`).
    public var ruleSetID: String
    public var state: VoteState
    /// Voters on the frozen roll (0 before it is frozen).
    public var rollSize: Int
    public var createdAt: Date
    public var frozenAt: Date?
    public var closedAt: Date?
    public var publishedAt: Date?
    public var result: VoteResult?
    public var version: Int

    public init(
        id: Int64, number: String, communityID: Int64, scopeNodeID: Int64, topicID: Int64? = nil,
        meetingID: Int64? = nil, title: String, spec: PollSpec, basis: VotingBasis, matter: OwnersMatter? = nil,
        window: VoteWindow, secrecy: SecrecySetting, proxies: ProxyRules = .none, ruleSetID: String,
        state: VoteState = .draft, rollSize: Int = 0, createdAt: Date, version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.communityID = communityID
        self.scopeNodeID = scopeNodeID
        self.topicID = topicID
        self.meetingID = meetingID
        self.title = title
        self.spec = spec
        self.basis = basis
        self.matter = matter
        self.window = window
        self.secrecy = secrecy
        self.proxies = proxies
        self.ruleSetID = ruleSetID
        self.state = state
        self.rollSize = rollSize
        self.createdAt = createdAt
        self.version = version
    }

    /// The vote's number: the day it was drafted and its id.
    public static func number(day: String, id: Int64) -> String {
        "TP" + day.replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }

    public func phase(at now: Date) -> VotePhase {
        switch state {
        case .draft: .draft
        case .scheduled: now < window.opensAt ? .scheduled : window.isClosed(at: now) ? .counting : .open
        case .closed: .closed
        case .published: .published
        }
    }

    /// How long a published result stays up at least (成都市物业管理条例 art. 32: posted for at least 30 days).
    public static let minimumPublicationDays = 30

    /// The earliest day a published result may come down.
    public var publishedUntil: Date? {
        publishedAt.map { $0.addingTimeInterval(TimeInterval(Self.minimumPublicationDays) * 86400) }
    }
}

/// A vote's counted result: turnout by channel, the poll's counts (or the owners' double majority) and the decision
/// with its arithmetic.
public struct VoteResult: Sendable, Equatable, Codable {
    public var rollSize: Int
    /// Voters who took part, each once across channels.
    public var participants: Int
    public var online: Int
    /// Paper ballots issued against signatures on the roll.
    public var paper: Int
    public var byProxy: Int
    public var poll: PollResult
    /// The owners' four numbers and two fractions, for an owners' vote.
    public var owners: DecisionOutcome?

    /// The decision a resolution can cite: the owners' result, else a proposal's or consent's; nil for choices.
    public var outcome: DecisionOutcome? { owners ?? poll.outcome }
}

/// What someone may do with a vote. Raw values name URLs, audit actions and locale keys (`vote_step_<raw>`).
public enum VoteCapability: String, CaseIterable, Codable, Sendable {
    case read
    /// Freeze the roll and schedule the vote.
    case schedule
    case cast
    case proxy
    /// Mark a voter on the roll as given a paper ballot at a box.
    case issuePaper = "issue_paper"
    case enterBox = "box"
    case signBox = "sign_box"
    /// Record one paper ballot of an owners' vote against its owner on the roll.
    case paperBallot = "paper_ballot"
    /// Change the mark of a paper ballot read in wrongly, with a reason, until its box is signed off.
    case correctPaperBallot = "correct_paper_ballot"
    case secrecy
    case close
    case publish
}

/// Every step on an existing vote except casting, which has its own path (no version, no timeline line).
public enum VoteCommand: Sendable, Equatable {
    case schedule
    case proxy(ProxyMandate)
    case issuePaper(voter: VoterKey, box: String)
    /// The box's totals with two scrutineers' names; the tally sheet's photo goes beside it.
    case enterBox(PaperBoxTotals)
    case signBox(box: String)
    /// One paper ballot of an owners' vote, for the owner who signed for it in that box.
    case paperBallot(PaperOwnerBallot)
    /// The ballot as it should have been read, and why it is corrected.
    case correctPaperBallot(PaperOwnerBallot, reason: String)
    case secrecy(BallotSecrecy, resultsBeforeClose: Bool)
    case close
    case publish

    public var capability: VoteCapability {
        switch self {
        case .schedule: .schedule
        case .proxy: .proxy
        case .issuePaper: .issuePaper
        case .enterBox: .enterBox
        case .signBox: .signBox
        case .paperBallot: .paperBallot
        case .correctPaperBallot: .correctPaperBallot
        case .secrecy: .secrecy
        case .close: .close
        case .publish: .publish
        }
    }
}

/// Facts about a vote its policy needs.
public struct VoteContext: Sendable, Equatable {
    public var now: Date
    /// The community's path.
    public var path: String
    /// The actor lives in the vote's community.
    public var actorInCommunity: Bool
    /// The actor's record in the registry (who they are on a roll), when their account is bound to one.
    public var personID: Int64?

    public init(now: Date, path: String, actorInCommunity: Bool, personID: Int64?) {
        self.now = now
        self.path = path
        self.actorInCommunity = actorInCommunity
        self.personID = personID
    }
}

/// Who may do what with a vote: its community's organisers run it; its community's residents and the area's staff
/// read it once it is scheduled; a resident with a registry record casts (the roll decides whether it counts).
public enum VotePolicy {
    public static func capabilities(of actor: Actor, on v: Vote, in context: VoteContext) -> Set<VoteCapability> {
        Set(
            VoteCapability.allCases.filter {
                role(for: $0, actor, v, context) != nil && VoteWorkflow.isAvailable($0, v, at: context.now)
            })
    }

    /// The role that allows the step, or "not found" for who may not read the vote, "forbidden" for a reader, and
    /// `vote_step_out_of_order` when its state does not allow it now.
    @discardableResult
    public static func require(
        _ capability: VoteCapability, of actor: Actor, on v: Vote, in context: VoteContext
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, v, context) else {
            throw role(for: .read, actor, v, context) != nil ? DomainError.forbidden : .outsideJurisdiction
        }
        // Casting outside the window is refused by `Participation.admit` with its own reason.
        guard capability == .cast || VoteWorkflow.isAvailable(capability, v, at: context.now) else {
            throw DomainError(.conflict, "vote_step_out_of_order", args: [capability.rawValue, v.state.rawValue])
        }
        return role
    }

    /// Drafting a vote: the community's organisers.
    public static func requireDraft(_ actor: Actor, communityPath: String) throws(DomainError) -> Role {
        guard actor.principal == .user, let role = MeetingPolicy.organiser(actor, communityPath) else {
            throw DomainError.forbidden
        }
        return role
    }

    /// The role that lets the actor take this step on this vote, whatever its state.
    public static func role(for capability: VoteCapability, _ actor: Actor, _ v: Vote, _ context: VoteContext) -> Role?
    {
        guard actor.principal == .user else { return nil }
        let organiser = MeetingPolicy.organiser(actor, context.path)
        let staff = actor.grants.first {
            $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                && NodePath.isInside(context.path, $0.nodePath)
        }?.role
        let own = actor.grants.first?.role ?? .resident
        let neighbour: Role? = context.actorInCommunity && v.state != .draft ? own : nil
        switch capability {
        case .read: return organiser ?? (v.state == .draft ? nil : staff ?? neighbour)
        case .cast: return context.personID != nil && v.state != .draft ? (neighbour ?? organiser ?? staff) : nil
        default: return organiser
        }
    }
}

/// A vote's life as pure functions.
public enum VoteWorkflow {
    public static let maxTitle = 80

    public static func isAvailable(_ capability: VoteCapability, _ v: Vote, at now: Date) -> Bool {
        switch capability {
        case .read: true
        case .schedule: v.state == .draft && !v.window.isClosed(at: now)
        case .cast, .issuePaper: v.state == .scheduled && v.window.isOpen(at: now)
        case .proxy: v.state == .scheduled && !v.window.isClosed(at: now)
        case .enterBox, .signBox: v.state == .scheduled
        // Owners' paper ballots are read one by one (art. 278 needs each owner's area and head); others by box.
        case .paperBallot, .correctPaperBallot: v.state == .scheduled && v.basis == .owners
        case .secrecy: v.state == .draft || v.state == .scheduled
        case .close: v.state == .scheduled && v.window.isClosed(at: now)
        case .publish: v.state == .closed
        }
    }

    /// Checks a new vote: the title (`vote_title_required`, `vote_title_too_long`), a window that has not ended
    /// (`vote_window_past`), an owners' vote as a proposal on a named matter (`vote_owners_proposal_only`,
    /// `vote_owners_matter_required`) and never secret (`vote_owners_secret_not_offered`: owners sign their
    /// ballots, rules-votes §6.3), and a proxy cap of at least one (`vote_proxy_cap_invalid`). Returns the title
    /// trimmed.
    public static func checkDraft(
        title rawTitle: String, spec: PollSpec, basis: VotingBasis, matter: OwnersMatter?, window: VoteWindow,
        secrecy: SecrecySetting, proxies: ProxyRules, now: Date
    ) throws(DomainError) -> String {
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid("vote_title_required", field: "title") }
        guard title.count <= maxTitle else {
            throw .invalid("vote_title_too_long", field: "title", args: ["\(maxTitle)"])
        }
        guard !window.isClosed(at: now) else { throw .invalid("vote_window_past", field: "closes_at") }
        if basis == .owners {
            guard spec.kind == .proposal else { throw .invalid("vote_owners_proposal_only", field: "kind") }
            guard matter != nil else { throw .invalid("vote_owners_matter_required", field: "matter") }
            guard secrecy.secrecy == .open else { throw .invalid("vote_owners_secret_not_offered", field: "secrecy") }
        }
        if let cap = proxies.maxMandatesPerProxy, cap < 1 {
            throw .invalid("vote_proxy_cap_invalid", field: "max_mandates")
        }
        return title
    }

    /// The secrecy after a change (`SecrecySetting.changed`); an owners' vote stays open.
    public static func changedSecrecy(
        _ v: Vote, to secrecy: BallotSecrecy, resultsBeforeClose: Bool
    ) throws(DomainError) -> SecrecySetting {
        if v.basis == .owners, secrecy == .secret {
            throw .invalid("vote_owners_secret_not_offered", field: "secrecy")
        }
        return try v.secrecy.changed(to: secrecy, resultsBeforeClose: resultsBeforeClose)
    }

    /// Whether the actor may see counts now: organisers once it is closed, everyone once published, and everyone
    /// during the vote only for an open ballot that shows running results.
    public static func resultsVisible(_ v: Vote, at now: Date, organiser: Bool) -> Bool {
        switch v.state {
        case .draft: false
        case .scheduled: v.secrecy.resultsBeforeClose && !v.window.isClosed(at: now)
        case .closed: organiser
        case .published: true
        }
    }
}

/// What a vote's count is made from, summed: the participation marks by channel (paper by box), the choices grouped
/// by ballot and channel, and for an owners' vote the six sums. A store adds these up in the database for a large
/// roll; `VoteCount.totals` adds them up from the records, and both go through the same `VoteCount.result`.
public struct VoteTotals: Sendable, Equatable {
    public struct Choices: Sendable, Equatable {
        public var ballot: PollBallot
        public var channel: BallotChannel
        public var count: Int
        public init(ballot: PollBallot, channel: BallotChannel, count: Int) {
            self.ballot = ballot
            self.channel = channel
            self.count = count
        }
    }

    public var participants: Int
    public var online: Int
    public var byProxy: Int
    public var paperByBox: [String: Int]
    public var choices: [Choices]
    public var owners: OwnersTotals?
    /// An owners' vote's paper ballots, counted by box and mark.
    public var paperBallots: [String: [PaperMark: Int]]

    public init(
        participants: Int, online: Int, byProxy: Int, paperByBox: [String: Int], choices: [Choices],
        owners: OwnersTotals?, paperBallots: [String: [PaperMark: Int]] = [:]
    ) {
        self.participants = participants
        self.online = online
        self.byProxy = byProxy
        self.paperByBox = paperByBox
        self.choices = choices
        self.owners = owners
        self.paperBallots = paperBallots
    }
}

/// Counts a vote, exact or refused whole: online choices, signed paper boxes, and the participation marks each voter
/// has once across channels.
public enum VoteCount {
    /// One head of an owners' roll as the store froze it.
    public struct OwnerEntry: Sendable, Equatable {
        public var key: VoterKey
        public var area: Area
        public init(key: VoterKey, area: Area) {
            self.key = key
            self.area = area
        }
    }

    /// The sums of one vote's records. An owners' vote sums its heads' areas from `owners` for those who took
    /// part and those whose open choice or paper ballot is yes; a voter with two choices or ballots (on any channel)
    /// is `vote_already_cast`, one off the roll `owners_not_on_roll`.
    public static func totals(
        participation: [ParticipationRecord], choices: [ChoiceRecord], owners: [OwnerEntry]?,
        paperBallots: [PaperOwnerBallot] = []
    ) throws(DomainError) -> VoteTotals {
        var byBox: [String: [PaperMark: Int]] = [:]
        for ballot in paperBallots { byBox[ballot.box, default: [:]][ballot.mark, default: 0] += 1 }
        var paper: [String: Int] = [:]
        for mark in participation where mark.channel == .paper { paper[mark.box ?? "", default: 0] += 1 }
        var grouped: [VoteTotals.Choices] = []
        for choice in choices {
            if let i = grouped.firstIndex(where: { $0.ballot == choice.ballot && $0.channel == choice.channel }) {
                grouped[i].count += 1
            } else {
                grouped.append(VoteTotals.Choices(ballot: choice.ballot, channel: choice.channel, count: 1))
            }
        }
        var ownersTotals: OwnersTotals?
        if let owners {
            var area: [VoterKey: Area] = [:]
            for e in owners { area[e.key] = e.area }
            var t = OwnersTotals(
                totalArea: owners.reduce(.zero) { $0 + $1.area }, totalHeads: Int64(owners.count),
                participatingArea: .zero, participatingHeads: 0, yesArea: .zero, yesHeads: 0)
            for mark in participation {
                guard let a = area[mark.voter] else { throw .invalid("owners_not_on_roll", args: [mark.voter.label]) }
                t.participatingArea = t.participatingArea + a
                t.participatingHeads += 1
            }
            var seen: Set<VoterKey> = []
            let said =
                choices.compactMap { c in c.voter.map { ($0, c.channel, c.ballot == .proposal(.yes)) } }
                + paperBallots.map { ($0.voter, BallotChannel.paper, $0.mark == .yes) }
            for (voter, channel, yes) in said {
                guard seen.insert(voter).inserted else {
                    throw DomainError(.conflict, "vote_already_cast", args: [voter.label, channel.rawValue])
                }
                guard let a = area[voter] else { throw .invalid("owners_not_on_roll", args: [voter.label]) }
                if yes {
                    t.yesArea = t.yesArea + a
                    t.yesHeads += 1
                }
            }
            ownersTotals = t
        }
        return VoteTotals(
            participants: participation.count, online: participation.filter { $0.channel == .online }.count,
            byProxy: participation.filter(\.byProxy).count, paperByBox: paper, choices: grouped, owners: ownersTotals,
            paperBallots: byBox)
    }

    /// The result from the records (see `totals` and `result(spec:basis:matter:rollSize:totals:boxes:ruleSetID:)`).
    public static func result(
        spec: PollSpec, basis: VotingBasis, matter: OwnersMatter?, rollSize: Int, owners: [OwnerEntry],
        participation: [ParticipationRecord], choices: [ChoiceRecord], paperBallots: [PaperOwnerBallot] = [],
        boxes: [PaperBoxTotals], ruleSetID: String
    ) throws(DomainError) -> VoteResult {
        try result(
            spec: spec, basis: basis, matter: matter, rollSize: rollSize,
            totals: try totals(
                participation: participation, choices: choices, owners: basis == .owners ? owners : nil,
                paperBallots: paperBallots),
            boxes: boxes, ruleSetID: ruleSetID)
    }

    /// The result. Refuses `vote_count_mismatch` when the online choices and the online participation marks differ
    /// (a ballot without its mark, or the other way round), `vote_paper_unboxed` when paper ballots were issued
    /// that no box accounts for, and every check of `PollTally.tally` and `PaperBoxTotals.check` (a box's issued
    /// ballots must equal its signatures on the roll). An owners' vote is decided by `OwnersTally.decide` from its
    /// six sums, online and paper merged; each of its boxes must hold the ballots its totals say
    /// (`PaperOwnerBallots.check`), and paper ballots outside an owners' vote are `vote_count_mismatch`.
    public static func result(
        spec: PollSpec, basis: VotingBasis, matter: OwnersMatter?, rollSize: Int, totals t: VoteTotals,
        boxes: [PaperBoxTotals], ruleSetID: String
    ) throws(DomainError) -> VoteResult {
        let online = t.choices.filter { $0.channel == .online }.reduce(0) { $0 + $1.count }
        let all = t.choices.reduce(0) { $0 + $1.count }
        guard online == t.online, all == online else {
            throw DomainError(.conflict, "vote_count_mismatch", args: ["\(all)", "\(t.online)"])
        }
        for box in boxes {
            try box.check(
                optionCount: spec.labels.count, marksPerBallot: spec.choices, signatures: t.paperByBox[box.box] ?? 0)
            if basis == .owners { try PaperOwnerBallots.check(box, against: t.paperBallots[box.box] ?? [:]) }
        }
        let paperBallots = t.paperBallots.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        guard basis == .owners || paperBallots == 0 else {
            throw DomainError(.conflict, "vote_count_mismatch", args: ["\(all + paperBallots)", "\(t.online)"])
        }
        let paperMarks = t.paperByBox.values.reduce(0, +)
        let boxed = boxes.reduce(0) { $0 + $1.issued }
        guard paperMarks == boxed else {
            throw DomainError(.conflict, "vote_paper_unboxed", args: ["\(paperMarks)", "\(boxed)"])
        }
        let ballots = t.choices.flatMap { Array(repeating: $0.ballot, count: $0.count) }
        let poll = try PollTally.tally(spec, online: ballots, paper: boxes, ruleSetID: ruleSetID)
        var ownersOutcome: DecisionOutcome?
        if basis == .owners {
            guard let matter else { throw .invalid("vote_owners_matter_required", field: "matter") }
            guard let sums = t.owners else {
                throw DomainError(.conflict, "vote_count_mismatch", args: ["\(all)", "\(t.online)"])
            }
            ownersOutcome = OwnersTally.decide(matter, totals: sums, rules: .civilCode, ruleSetID: ruleSetID)
        }
        return VoteResult(
            rollSize: rollSize, participants: t.participants, online: t.online, paper: paperMarks,
            byProxy: t.byProxy, poll: poll, owners: ownersOutcome)
    }
}
