import Foundation

/// How a care visit (走访) was made. Raw values name the locale keys (`care_method_<raw>`) and the stored value.
public enum VisitMethod: String, CaseIterable, Codable, Sendable {
    /// At the person's home (入户).
    case home
    /// By telephone (电话).
    case phone
    /// Somewhere else: the community centre, the street.
    case elsewhere
}

/// What someone may do with care groups and visits at a place (issue 12 item 8). Raw values name locale keys
/// (`care_capability_<raw>`).
public enum CareCapability: String, CaseIterable, Codable, Sendable {
    /// See the groups, plans and visits of the people there.
    case view
    /// Record a visit (and raise a case from it).
    case visit
    /// Define groups and their frequency, add and remove members, say who visits whom.
    case plan
}

/// Who may do what with care visits, in one place: a grid worker visits and sees only their grid (the grid's keepers
/// of the registry); a community worker plans and sees the community; the administrators above read. Places are node
/// paths: a person's building, or a group's community.
public enum CarePolicy {
    static let planners: Set<Role> = [.communityWorker]

    public static func capabilities(of actor: Actor, at place: String) -> Set<CareCapability> {
        Set(CareCapability.allCases.filter { role(for: $0, actor, place) != nil })
    }

    /// The role that allows the step, or the refusal: "not found" (audited as outside the jurisdiction) when the
    /// actor may not read there, "forbidden" when they may read but not do this.
    @discardableResult
    public static func require(
        _ capability: CareCapability, of actor: Actor, at place: String
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, place) else {
            throw role(for: .view, actor, place) != nil ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        return role
    }

    /// Whether `actor` plans care somewhere (to offer the groups' forms at all).
    public static func plansAnywhere(_ actor: Actor) -> Bool {
        actor.principal == .user && actor.grants.contains { planners.contains($0.role) }
    }

    static func role(for capability: CareCapability, _ actor: Actor, _ place: String) -> Role? {
        guard actor.principal == .user else { return nil }
        func inside(_ roles: Set<Role>) -> Role? {
            actor.grants.first { roles.contains($0.role) && NodePath.isInside(place, $0.nodePath) }?.role
        }
        switch capability {
        case .view: return inside(RegistryPolicy.readers)
        case .visit: return inside(RegistryPolicy.keepers)
        case .plan: return inside(planners)
        }
    }
}

/// A care group as a community worker defines it: a name, the tag its members are drawn from (if any) and how often
/// each member is visited. The frequency is the community's data; `CareFrequency.defaultDays` only proposes one.
public struct CareGroupDraft: Sendable, Equatable {
    public var name: String
    public var tag: PersonTag?
    public var frequencyDays: Int

    /// Checks the form's values: a name of 1–40 characters (`care_group_name_required` on `name`), a known care or
    /// civic tag (`care_group_tag_sensitive`: special groups are not visited from this list), a frequency of 1–366 days
    /// (`care_frequency_invalid` on `frequency_days`), taken from the tag's default when left empty
    /// (`care_frequency_required` when there is no tag to take it from).
    public init(name rawName: String, tag: PersonTag?, frequencyDays: Int?) throws(DomainError) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(name.count) else { throw .invalid("care_group_name_required", field: "name") }
        if let tag, tag.isSensitive { throw .invalid("care_group_tag_sensitive", field: "tag") }
        guard let days = frequencyDays ?? tag.flatMap(CareFrequency.defaultDays) else {
            throw .invalid("care_frequency_required", field: "frequency_days")
        }
        guard (1...366).contains(days) else { throw .invalid("care_frequency_invalid", field: "frequency_days") }
        self.name = name
        self.tag = tag
        self.frequencyDays = days
    }
}

/// The visit frequencies a new group starts from, by the tag it is drawn from: people living alone weekly, the
/// extremely poor and left-behind elderly fortnightly, the other care groups monthly, civic roles quarterly. A
/// community worker changes them on the group.
public enum CareFrequency {
    public static func defaultDays(for tag: PersonTag) -> Int? {
        switch tag {
        case .elderlyLivingAlone: 7
        case .extremeHardship, .leftBehindElderly, .emptyNestElderly: 14
        case .disabled, .lowIncome, .leftBehindChild: 30
        case .veteran, .partyMember, .volunteer: 90
        case .communityCorrection, .releasedPrisoner, .drugRehabilitation, .severeMentalDisorder: nil
        }
    }
}

/// When a member of a group is next due a visit: `frequency` days after the last visit, or at once (the day they
/// were added) when never visited.
public enum CareSchedule {
    public static func nextDue(lastVisit: CalendarDate?, addedOn: CalendarDate, everyDays days: Int) -> CalendarDate {
        guard let lastVisit else { return addedOn }
        return lastVisit.adding(days: days)
    }

    /// Past due on `today` (a visit due today is not yet overdue).
    public static func isOverdue(_ due: CalendarDate, today: CalendarDate) -> Bool { due < today }

    /// Whole days from `from` to `to` (negative when `to` is earlier).
    public static func days(from: CalendarDate, to: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDate.zone
        func noon(_ d: CalendarDate) -> Date {
            calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: 12))!
        }
        return calendar.dateComponents([.day], from: noon(from), to: noon(to)).day ?? 0
    }
}

/// A visit as the grid worker records it: the day (not in the future, and not more than a year back), how, what was
/// found, whether follow-up is needed, and a case to raise from it.
public struct CareVisitDraft: Sendable, Equatable {
    public var visitedOn: CalendarDate
    public var method: VisitMethod
    public var findings: String
    public var followUp: Bool
    /// The title of the case to file from this visit (it then needs follow-up).
    public var caseTitle: String?
    /// What the case asks to be done: its description (the findings stay sealed with the visit).
    public var caseDescription: String?

    /// Checks what was typed: `date_in_future` / `care_visit_too_old` on `visited_on`, `care_findings_required` on
    /// `findings` (2–1000 characters), `care_case_title_required` on `case_title` (2–60) and
    /// `care_case_description_required` on `case_description` (2–1000) when a case is raised.
    public init(
        visitedOn: CalendarDate, method: VisitMethod, findings rawFindings: String, followUp: Bool,
        caseTitle rawTitle: String? = nil, caseDescription rawDescription: String? = nil, today: CalendarDate
    ) throws(DomainError) {
        guard visitedOn <= today else { throw .invalid("date_in_future", field: "visited_on") }
        guard visitedOn >= today.adding(days: -366) else { throw .invalid("care_visit_too_old", field: "visited_on") }
        let findings = rawFindings.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...1000).contains(findings.count) else {
            throw .invalid("care_findings_required", field: "findings")
        }
        var caseTitle: String?
        var caseDescription: String?
        if let rawTitle {
            let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (2...60).contains(title.count) else {
                throw .invalid("care_case_title_required", field: "case_title")
            }
            caseTitle = title
            let description = (rawDescription ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (2...1000).contains(description.count) else {
                throw .invalid("care_case_description_required", field: "case_description")
            }
            caseDescription = description
        }
        self.visitedOn = visitedOn
        self.method = method
        self.findings = findings
        self.followUp = followUp || caseTitle != nil
        self.caseTitle = caseTitle
        self.caseDescription = caseDescription
    }
}

/// Every change to care groups, plans and visits goes through the care writer as one of these.
public enum CareCommand: Sendable, Equatable {
    /// A new group in a community.
    case createGroup(community: Int64, CareGroupDraft)
    /// A group's name and frequency as they should now read; members' next visits follow the new frequency.
    case editGroup(group: Int64, CareGroupDraft)
    /// A person added by hand, visited by `visitor` (or by their grid's worker when nil).
    case addMember(group: Int64, person: Int64, visitor: Int64?)
    /// Everyone of the community carrying the group's tag who is not yet a member.
    case addTagged(group: Int64)
    case removeMember(group: Int64, person: Int64)
    /// Who visits the member (a grid or community worker of the community).
    case assign(group: Int64, person: Int64, visitor: Int64)
    /// A visit made; with a case title, a case is filed through the cases' writer and linked.
    case recordVisit(person: Int64, CareVisitDraft)

    public var action: String {
        switch self {
        case .createGroup: "registry.care.group_create"
        case .editGroup: "registry.care.group_edit"
        case .addMember: "registry.care.member_add"
        case .addTagged: "registry.care.member_add_tagged"
        case .removeMember: "registry.care.member_remove"
        case .assign: "registry.care.assign"
        case .recordVisit: "registry.care.visit"
        }
    }

    public var capability: CareCapability {
        switch self {
        case .recordVisit: .visit
        default: .plan
        }
    }
}

/// Floating residents' residence permits: the grid worker hears of one ending within `days` days once per person and
/// end date (`ResidencePermit.expiresSoon`).
public enum PermitReminder {
    public static let days = 30

    /// Whether the reminder is due for this person's permit on `now`.
    public static func isDue(_ residence: ResidenceStatus, _ permit: ResidencePermit?, now: Date) -> Bool {
        guard residence == .floating, let permit else { return false }
        return permit.expiresSoon(now: now, within: days)
    }
}
