import Foundation

/// What a kind of meeting requires under one rule set: who is invited, how long before it is announced, what makes
/// it quorate, how it decides, and how often it must meet. Pure data: a change of law is a new `DecisionRuleSet`.
public struct MeetingRules: Sendable, Equatable, Codable {
    public var kind: MeetingKind
    public var invitees: [InviteeKind]
    public var notice: NoticeRule?
    /// Nil for meetings that need no quorum (consultations) and for owners, whose participation is in `decision`.
    public var quorum: QuorumRule?
    public var decision: DecisionRule
    /// Representatives' share of an assembly's members.
    public var composition: CompositionRule?
    /// The longest time allowed between two meetings ("每六个月至少召开一次").
    public var maximumIntervalMonths: Int?
    /// Who can demand that the meeting be convened; any one of these is enough.
    public var conveneOnRequest: [ConveneRule]
    public var proxies: ProxyRules
    /// The articles the rules come from.
    public var basis: [LegalBasis]

    public init(
        kind: MeetingKind, invitees: [InviteeKind], notice: NoticeRule? = nil, quorum: QuorumRule? = nil,
        decision: DecisionRule, composition: CompositionRule? = nil, maximumIntervalMonths: Int? = nil,
        conveneOnRequest: [ConveneRule] = [], proxies: ProxyRules = .none, basis: [LegalBasis]
    ) {
        self.kind = kind
        self.invitees = invitees
        self.notice = notice
        self.quorum = quorum
        self.decision = decision
        self.composition = composition
        self.maximumIntervalMonths = maximumIntervalMonths
        self.conveneOnRequest = conveneOnRequest
        self.proxies = proxies
        self.basis = basis
    }

    /// The day by which the next meeting must be held after one on `last` (the same day `maximumIntervalMonths`
    /// later, or that month's last day); nil when the kind has no rhythm.
    public func nextMeetingDue(after last: CalendarDate) -> CalendarDate? {
        maximumIntervalMonths.map { DayCount.adding(months: $0, to: last) }
    }

    /// Whether the next meeting is overdue on `today`: the due day has passed without one (on the due day itself
    /// it is still in time).
    public func isNextMeetingOverdue(lastMeeting: CalendarDate, today: CalendarDate) -> Bool {
        guard let due = nextMeetingDue(after: lastMeeting) else { return false }
        return today > due
    }

    /// The representatives' share of the members (居民代表 at least 4/5); nil when the kind has no such rule.
    /// Refuses counts that cannot be (`meeting_count_invalid`).
    public func checkComposition(members: Int, representatives: Int) throws(DomainError) -> ThresholdCheck? {
        guard let composition else { return nil }
        guard members > 0, (0...members).contains(representatives) else {
            throw .invalid("meeting_count_invalid", field: "representatives")
        }
        return ThresholdCheck(
            .composition, part: Int64(representatives), of: Int64(members), threshold: composition.representatives)
    }

    /// Whether a request signed by `signatures` of `total` (on `basis`) obliges the committee to convene the meeting;
    /// nil when that basis cannot demand it.
    public func conveneCheck(signatures: Int, of total: Int, on basis: CountBasis) -> ThresholdCheck? {
        guard let rule = conveneOnRequest.first(where: { $0.basis == basis }) else { return nil }
        return ThresholdCheck(.attendance, part: Int64(signatures), of: Int64(total), threshold: rule.threshold)
    }

    /// The result of a vote in a meeting that decides by those present: the quorum on the chosen basis, then the
    /// yes votes out of those present (abstentions and blanks count as not yes). With `composition`, the assembly's
    /// make-up is checked first. Refuses counts that cannot be (`meeting_count_invalid`), a basis the rules do not
    /// allow (`meeting_basis_not_allowed`) and rules that do not decide this way (`meeting_rule_not_majority`).
    public func decide(
        on basis: CountBasis, entitled: Int, present: Int, yes: Int,
        composition: (members: Int, representatives: Int)? =
            nil, ruleSetID: String
    ) throws(DomainError) -> DecisionOutcome {
        guard case .majorityOfPresent(let majority) = decision else {
            throw DomainError(.conflict, "meeting_rule_not_majority", args: [kind.rawValue])
        }
        guard entitled >= 0, (0...max(entitled, 0)).contains(present), (0...present).contains(yes) else {
            throw .invalid("meeting_count_invalid", field: "present")
        }
        var checks: [ThresholdCheck] = []
        if let composition,
            let check = try checkComposition(
                members: composition.members, representatives: composition.representatives)
        {
            checks.append(check)
        }
        if let quorum {
            guard quorum.bases.contains(basis) else {
                throw .invalid("meeting_basis_not_allowed", field: "basis", args: [basis.rawValue])
            }
            checks.append(
                ThresholdCheck(.attendance, part: Int64(present), of: Int64(entitled), threshold: quorum.threshold))
        }
        checks.append(ThresholdCheck(.majority, part: Int64(yes), of: Int64(present), threshold: majority))
        return DecisionOutcome(ruleSetID: ruleSetID, basis: self.basis, checks: checks)
    }
}

/// How long before a meeting it must be announced. Counted in calendar days between the announcement and the
/// meeting (`meeting − announced ≥ minimumDays`: announced on 1 March, a 10-day notice allows 11 March); how the
/// law counts backwards is not settled, so this is the project's reading (rules-votes §0.2).
public struct NoticeRule: Sendable, Equatable, Codable {
    public var minimumDays: Int
    /// "遇有特殊情况可以临时召集": a shorter notice with a recorded reason.
    public var shorterWithReason: Bool
    public var basis: LegalBasis

    public init(minimumDays: Int, shorterWithReason: Bool, basis: LegalBasis) {
        self.minimumDays = minimumDays
        self.shorterWithReason = shorterWithReason
        self.basis = basis
    }

    /// Checks a meeting's notice: `meeting_notice_after_meeting` when announced after the day, and
    /// `meeting_notice_too_short` (args: the days required, the days given) unless a shorter notice is allowed and
    /// `specialReason` says why. Returns whether the special reason was needed.
    @discardableResult
    public func check(
        announcedOn: CalendarDate, meetingOn: CalendarDate, specialReason: String? = nil
    )
        throws(DomainError) -> Bool
    {
        let days = DayCount.days(from: announcedOn, to: meetingOn)
        guard days >= 0 else { throw .invalid("meeting_notice_after_meeting", field: "announced_on") }
        if days >= minimumDays { return false }
        let reason = specialReason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard shorterWithReason, !reason.isEmpty else {
            throw .invalid("meeting_notice_too_short", field: "announced_on", args: ["\(minimumDays)", "\(days)"])
        }
        return true
    }
}

/// A quorum: the share of those entitled on one of `bases` who must be present.
public struct QuorumRule: Sendable, Equatable, Codable {
    /// The bases a meeting may be convened on (the residents' meeting: adult residents or household
    /// representatives); the meeting names one.
    public var bases: [CountBasis]
    public var threshold: Threshold

    public init(bases: [CountBasis], threshold: Threshold) {
        self.bases = bases
        self.threshold = threshold
    }
}

/// How a meeting kind decides.
public enum DecisionRule: Sendable, Equatable, Codable {
    /// Yes votes out of those present ("到会人员的过半数").
    case majorityOfPresent(Threshold)
    /// The owners' double majority of area and heads (民法典 art. 278).
    case owners(OwnersRules)
    /// No binding vote: the agreed result of a consultation is recorded, carried out or sent to a meeting that
    /// decides; polls (`PollSpec`) may sound opinions.
    case consultation
}

/// Representatives' share of an assembly's members ("居民代表应当占居民代表会议组成人员的五分之四以上").
public struct CompositionRule: Sendable, Equatable, Codable {
    public var representatives: Threshold
    public init(representatives: Threshold) { self.representatives = representatives }
}

/// A share of people on one basis who can demand a meeting ("十分之一以上…提议，应当召集").
public struct ConveneRule: Sendable, Equatable, Codable {
    public var basis: CountBasis
    public var threshold: Threshold
    public init(basis: CountBasis, threshold: Threshold) {
        self.basis = basis
        self.threshold = threshold
    }
}

/// Internal day arithmetic on calendar dates, without time zones (a proleptic Gregorian day number).
enum DayCount {
    /// Days from `a` to `b` (negative when `b` is earlier).
    static func days(from a: CalendarDate, to b: CalendarDate) -> Int { number(b) - number(a) }

    /// The same day `months` later, or the last day of that month when it has no such day (31 August + 6 months is
    /// 28 or 29 February).
    static func adding(months: Int, to date: CalendarDate) -> CalendarDate {
        let index = date.year * 12 + (date.month - 1) + months
        let year = index / 12
        let month = index % 12 + 1
        let day = min(date.day, CalendarDate.days(inMonth: month, of: year))
        return CalendarDate(year: year, month: month, day: day)!
    }

    static func number(_ d: CalendarDate) -> Int {
        // Days since 0000-03-01, counting years from March so that the leap day comes last.
        let y = d.month <= 2 ? d.year - 1 : d.year
        let m = d.month <= 2 ? d.month + 9 : d.month - 3
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d.day - 1
    }
}
