import Foundation

/// The rules of every meeting kind as one dated, versioned set: a change of law is a new set with its own
/// `effectiveFrom`, not new code. A meeting or vote is decided under the set in force on the day it is convened
/// (`DecisionRuleCatalogue.inForce(on:)`).
public struct DecisionRuleSet: Sendable, Equatable, Codable, Identifiable {
    /// `national-2026`.
    public var id: String
    public var title: String
    public var effectiveFrom: CalendarDate
    /// Nil for the national rules; a province's code (`51` for Sichuan) for an overlay that replaces them there.
    public var region: String?
    public var meetings: [MeetingRules]

    public init(id: String, title: String, effectiveFrom: CalendarDate, region: String? = nil, meetings: [MeetingRules])
    {
        self.id = id
        self.title = title
        self.effectiveFrom = effectiveFrom
        self.region = region
        self.meetings = meetings
    }

    /// The rules of `kind`, or `meeting_kind_not_in_rule_set` when this set has none (the 2018 law had no
    /// representatives' assembly).
    public func rules(for kind: MeetingKind) throws(DomainError) -> MeetingRules {
        guard let rules = meetings.first(where: { $0.kind == kind }) else {
            throw DomainError(.conflict, "meeting_kind_not_in_rule_set", args: [kind.rawValue, id])
        }
        return rules
    }
}

/// Every rule set known, picking the one in force on a day.
public struct DecisionRuleCatalogue: Sendable, Equatable, Codable {
    public private(set) var sets: [DecisionRuleSet]

    /// Refuses two sets with one id (`rule_set_id_twice`) and two sets of one region starting on the same day
    /// (`rule_set_same_day`): which would be in force would be unclear.
    public init(sets: [DecisionRuleSet]) throws(DomainError) {
        var ids: Set<String> = []
        var starts: Set<String> = []
        for set in sets {
            guard ids.insert(set.id).inserted else { throw .invalid("rule_set_id_twice", args: [set.id]) }
            guard starts.insert("\(set.region ?? "")@\(set.effectiveFrom)").inserted else {
                throw .invalid("rule_set_same_day", args: [set.id, set.effectiveFrom.description])
            }
        }
        self.sets = sets.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The set in force on `date` in `region`: of the national sets and that region's, the one that began last on
    /// or before `date` (a region's set wins a tie with the national one). `rule_set_none_in_force` before the
    /// first.
    public func inForce(on date: CalendarDate, region: String? = nil) throws(DomainError) -> DecisionRuleSet {
        let candidates = sets.filter { $0.effectiveFrom <= date && ($0.region == nil || $0.region == region) }
        guard
            let set = candidates.max(by: {
                ($0.effectiveFrom, $0.region == nil ? 0 : 1) < ($1.effectiveFrom, $1.region == nil ? 0 : 1)
            })
        else {
            throw DomainError(.conflict, "rule_set_none_in_force", args: [date.description])
        }
        return set
    }

    /// The national rules as shipped: the 2018 residents' committees law with the Civil Code from 2021-01-01, and
    /// the law as revised in 2025 from 2026-01-01.
    public static let national = try! DecisionRuleCatalogue(sets: [.national2021, .national2026])
}

extension DecisionRuleSet {
    static let law2018 = "城市居民委员会组织法"
    static let law2025 = "城市居民委员会组织法"

    static func urban2018(_ article: String) -> LegalBasis {
        LegalBasis(law: law2018, version: "2018-12-29", article: article)
    }
    static func urban2025(_ article: String) -> LegalBasis {
        LegalBasis(law: law2025, version: "2025-10-28", article: article)
    }

    /// The owners' assembly under the Civil Code, with the 15 days' notice of the 物业管理条例 (art. 14).
    static let ownersAssembly = MeetingRules(
        kind: .ownersAssembly, invitees: [.owners, .ownersCommittee, .committeeMembers],
        notice: NoticeRule(
            minimumDays: 15, shorterWithReason: false,
            basis: LegalBasis(law: "物业管理条例", version: "2018-03-19", article: "14")),
        decision: .owners(.civilCode), proxies: ProxyRules(allowed: true, maxMandatesPerProxy: nil),
        basis: OwnersRules.civilCode.basis)

    static func consultations(_ basis: LegalBasis) -> [MeetingRules] {
        [
            MeetingRules(
                kind: .council,
                invitees: [
                    .residentsRepresentatives, .committeeMembers, .partyCommittee, .governanceBodies, .stakeholders,
                ],
                decision: .consultation, basis: [basis]),
            MeetingRules(
                kind: .dialogue, invitees: [.adultResidents, .stakeholders, .committeeMembers, .departments],
                decision: .consultation, basis: [basis]),
            MeetingRules(
                kind: .hearing,
                invitees: [.stakeholders, .departments, .subdistrict, .deputies, .experts, .committeeMembers],
                decision: .consultation, basis: [basis]),
            MeetingRules(
                kind: .jointMeeting,
                invitees: [
                    .partyCommittee, .residentUnits, .governanceBodies, .committeeMembers, .socialOrganisations,
                ],
                decision: .consultation, basis: [basis]),
        ]
    }

    /// 城市居民委员会组织法 (2018) arts. 9–10 and the Civil Code, in force until the 2025 revision took over. The
    /// 2018 text had no representatives' assembly and no notice period.
    public static let national2021 = DecisionRuleSet(
        id: "national-2021", title: "城市居民委员会组织法（2018）· 民法典",
        effectiveFrom: CalendarDate(year: 2021, month: 1, day: 1)!,
        meetings: [
            MeetingRules(
                kind: .residentsMeeting,
                invitees: [.adultResidents, .householdRepresentatives, .residentsRepresentatives],
                quorum: QuorumRule(
                    bases: [.adultResidents, .householdRepresentatives, .groupRepresentatives],
                    threshold: .moreThan(.half)),
                decision: .majorityOfPresent(.moreThan(.half)),
                conveneOnRequest: [
                    ConveneRule(basis: .adultResidents, threshold: .atLeast(.oneFifth)),
                    ConveneRule(basis: .householdRepresentatives, threshold: .atLeast(.oneFifth)),
                    ConveneRule(basis: .residentGroups, threshold: .atLeast(.oneThird)),
                ],
                basis: [urban2018("9"), urban2018("10")]),
            ownersAssembly,
        ] + consultations(.projectDefault("consultation")))

    /// 城市居民委员会组织法 as revised on 2025-10-28 (arts. 26–29, 32), in force 2026-01-01, and the Civil Code.
    public static let national2026 = DecisionRuleSet(
        id: "national-2026", title: "城市居民委员会组织法（2025）· 民法典",
        effectiveFrom: CalendarDate(year: 2026, month: 1, day: 1)!,
        meetings: [
            MeetingRules(
                kind: .residentsMeeting, invitees: [.adultResidents, .householdRepresentatives],
                notice: NoticeRule(minimumDays: 10, shorterWithReason: true, basis: urban2025("26")),
                quorum: QuorumRule(bases: [.adultResidents, .householdRepresentatives], threshold: .moreThan(.half)),
                decision: .majorityOfPresent(.moreThan(.half)),
                conveneOnRequest: [
                    ConveneRule(basis: .adultResidents, threshold: .atLeast(.oneTenth)),
                    ConveneRule(basis: .householdRepresentatives, threshold: .atLeast(.oneTenth)),
                    ConveneRule(basis: .residentsRepresentatives, threshold: .atLeast(.oneThird)),
                ],
                basis: [urban2025("26"), urban2025("27")]),
            MeetingRules(
                kind: .representativesAssembly, invitees: [.committeeMembers, .residentsRepresentatives],
                quorum: QuorumRule(bases: [.members], threshold: .atLeast(.twoThirds)),
                decision: .majorityOfPresent(.moreThan(.half)),
                composition: CompositionRule(representatives: .atLeast(.fourFifths)), maximumIntervalMonths: 6,
                conveneOnRequest: [ConveneRule(basis: .residentsRepresentatives, threshold: .atLeast(.oneFifth))],
                basis: [urban2025("28"), urban2025("29")]),
            ownersAssembly,
        ] + consultations(urban2025("32")))
}
