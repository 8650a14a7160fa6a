import Foundation

/// The matters owners decide jointly (民法典 art. 278 ¶1, items 1–9). Raw values name the locale keys
/// (`owners_matter_<raw>`).
public enum OwnersMatter: String, CaseIterable, Codable, Sendable {
    /// (1) 制定和修改业主大会议事规则.
    case rulesOfProcedure
    /// (2) 制定和修改管理规约.
    case managementStatute
    /// (3) 选举业主委员会或者更换业主委员会成员.
    case ownersCommittee
    /// (4) 选聘和解聘物业服务企业或者其他管理人.
    case propertyManager
    /// (5) 使用建筑物及其附属设施的维修资金: a simple double majority, unlike raising it.
    case useMaintenanceFund
    /// (6) 筹集建筑物及其附属设施的维修资金.
    case raiseMaintenanceFund
    /// (7) 改建、重建建筑物及其附属设施.
    case rebuild
    /// (8) 改变共有部分的用途或者利用共有部分从事经营活动.
    case changeCommonPartsUse
    /// (9) 有关共有和共同管理权利的其他重大事项.
    case otherMajorMatter
}

/// The owners' rules as data: participation by area and by heads, and the consent each matter needs out of those
/// who took part. Under the Civil Code both participation shares are at least 2/3, items (6)–(8) need at least 3/4
/// of the participating area and heads, every other matter more than half of both.
public struct OwnersRules: Sendable, Equatable, Codable {
    public var participationArea: Threshold
    public var participationHeads: Threshold
    public var specialMatters: [OwnersMatter]
    public var specialConsent: Threshold
    public var ordinaryConsent: Threshold
    public var basis: [LegalBasis]

    public init(
        participationArea: Threshold, participationHeads: Threshold, specialMatters: [OwnersMatter],
        specialConsent: Threshold, ordinaryConsent: Threshold, basis: [LegalBasis]
    ) {
        self.participationArea = participationArea
        self.participationHeads = participationHeads
        self.specialMatters = specialMatters
        self.specialConsent = specialConsent
        self.ordinaryConsent = ordinaryConsent
        self.basis = basis
    }

    /// The consent `matter` needs, on area and on heads alike.
    public func consent(for matter: OwnersMatter) -> Threshold {
        specialMatters.contains(matter) ? specialConsent : ordinaryConsent
    }

    /// 民法典 art. 278 ¶2 (in force 2021-01-01).
    public static let civilCode = OwnersRules(
        participationArea: .atLeast(.twoThirds), participationHeads: .atLeast(.twoThirds),
        specialMatters: [.raiseMaintenanceFund, .rebuild, .changeCommonPartsUse],
        specialConsent: .atLeast(.threeQuarters),
        ordinaryConsent: .moreThan(.half),
        basis: [
            LegalBasis(law: "民法典", version: "2020-05-28", article: "278"),
            LegalBasis(law: "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释", version: "2020-12-29", article: "8–9"),
        ])
}

/// Who holds an exclusive part for counting heads: an owner, or the developer for every part not yet sold or not
/// yet delivered (all of which together make one head, JI art. 9).
public enum PartHolder: Sendable, Hashable, Codable {
    case owner(Int64)
    case developerUnsold
}

/// Where an exclusive part's area comes from (JI art. 8): the register, else the survey, else the sale contract.
public enum AreaSource: String, CaseIterable, Codable, Sendable { case register, survey, contract }

/// An exclusive part (专有部分: a flat, a shop, a registered parking space) on the owners' roll.
public struct ExclusivePart: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var holder: PartHolder
    public var area: Area
    public var areaSource: AreaSource
    /// The building it is in, for a vote of one building's owners on that building's shared parts.
    public var buildingID: Int64?

    public init(id: Int64, holder: PartHolder, area: Area, areaSource: AreaSource = .register, buildingID: Int64? = nil)
    {
        self.id = id
        self.holder = holder
        self.area = area
        self.areaSource = areaSource
        self.buildingID = buildingID
    }
}

/// One head on the owners' roll: all parts of one holder, their areas added up.
public struct OwnerHead: Sendable, Equatable, Codable {
    public var holder: PartHolder
    public var partIDs: [Int64]
    public var area: Area
}

/// The owners' roll: exclusive parts grouped by holder, one head each (JI art. 9). Tenants and residents are not on
/// it; it is built from the register, not from residence data.
public struct OwnersRoll: Sendable, Equatable, Codable {
    /// Heads in the order their first part appears.
    public private(set) var heads: [OwnerHead]

    /// Groups `parts` by holder. Refuses a part listed twice (`owners_part_twice`) and a part without area
    /// (`owners_part_area_missing`), naming the part.
    public init(parts: [ExclusivePart]) throws(DomainError) {
        var order: [PartHolder] = []
        var byHolder: [PartHolder: OwnerHead] = [:]
        var seen: Set<Int64> = []
        for part in parts {
            guard seen.insert(part.id).inserted else { throw .invalid("owners_part_twice", args: ["\(part.id)"]) }
            guard part.area > .zero else { throw .invalid("owners_part_area_missing", args: ["\(part.id)"]) }
            if byHolder[part.holder] == nil {
                order.append(part.holder)
                byHolder[part.holder] = OwnerHead(holder: part.holder, partIDs: [], area: .zero)
            }
            byHolder[part.holder]!.partIDs.append(part.id)
            byHolder[part.holder]!.area = byHolder[part.holder]!.area + part.area
        }
        heads = order.map { byHolder[$0]! }
    }

    /// The roll of one building's owners, for a decision on that building's shared parts (the same rules apply to
    /// them alone): only their parts in that building count, by area and by heads.
    public static func building(_ buildingID: Int64, of parts: [ExclusivePart]) throws(DomainError) -> OwnersRoll {
        try OwnersRoll(parts: parts.filter { $0.buildingID == buildingID })
    }

    public var totalArea: Area { heads.reduce(.zero) { $0 + $1.area } }
    public var headCount: Int { heads.count }

    public func head(_ holder: PartHolder) -> OwnerHead? { heads.first { $0.holder == holder } }
}

/// An owner's vote on a matter. A ballot signed for but left empty is an abstention: the owner took part.
public enum OwnerChoice: String, CaseIterable, Codable, Sendable { case yes, no, abstain }

/// Counts an owners' decision under `OwnersRules`.
public enum OwnersTally {
    /// The owners' result with its four numbers and two fractions: participation by area and heads out of the
    /// whole roll, then consent by area and heads out of those who took part. Only owners with a ballot take part;
    /// no one who did not vote is ever counted towards participation or the majority. Refuses a ballot of someone
    /// not on the roll (`owners_not_on_roll`).
    public static func decide(
        _ matter: OwnersMatter, roll: OwnersRoll, ballots: [PartHolder: OwnerChoice], rules: OwnersRules,
        ruleSetID: String
    ) throws(DomainError) -> DecisionOutcome {
        var totals = OwnersTotals(
            totalArea: roll.totalArea, totalHeads: Int64(roll.headCount), participatingArea: .zero,
            participatingHeads: 0, yesArea: .zero, yesHeads: 0)
        let onRoll = Set(roll.heads.map(\.holder))
        for holder in ballots.keys where !onRoll.contains(holder) {
            throw .invalid("owners_not_on_roll", args: [holder.label])
        }
        for head in roll.heads {
            guard let choice = ballots[head.holder] else { continue }
            totals.participatingArea = totals.participatingArea + head.area
            totals.participatingHeads += 1
            if choice == .yes {
                totals.yesArea = totals.yesArea + head.area
                totals.yesHeads += 1
            }
        }
        return decide(matter, totals: totals, rules: rules, ruleSetID: ruleSetID)
    }

    /// The same result from the six sums alone (a store adds them up in the database for a large roll).
    public static func decide(
        _ matter: OwnersMatter, totals t: OwnersTotals, rules: OwnersRules, ruleSetID: String
    ) -> DecisionOutcome {
        let consent = rules.consent(for: matter)
        return DecisionOutcome(
            ruleSetID: ruleSetID, basis: rules.basis,
            checks: [
                ThresholdCheck(
                    .participationArea, area: t.participatingArea, of: t.totalArea, threshold: rules.participationArea),
                ThresholdCheck(
                    .participationHeads, part: t.participatingHeads, of: t.totalHeads,
                    threshold: rules.participationHeads),
                ThresholdCheck(.consentArea, area: t.yesArea, of: t.participatingArea, threshold: consent),
                ThresholdCheck(.consentHeads, part: t.yesHeads, of: t.participatingHeads, threshold: consent),
            ])
    }
}

/// The six sums an owners' decision is made from: the roll's area and heads, those that took part, those that said
/// yes.
public struct OwnersTotals: Sendable, Equatable, Codable {
    public var totalArea: Area
    public var totalHeads: Int64
    public var participatingArea: Area
    public var participatingHeads: Int64
    public var yesArea: Area
    public var yesHeads: Int64

    public init(
        totalArea: Area, totalHeads: Int64, participatingArea: Area, participatingHeads: Int64, yesArea: Area,
        yesHeads: Int64
    ) {
        self.totalArea = totalArea
        self.totalHeads = totalHeads
        self.participatingArea = participatingArea
        self.participatingHeads = participatingHeads
        self.yesArea = yesArea
        self.yesHeads = yesHeads
    }
}

extension PartHolder {
    /// `owner:12` or `developer`: names the holder in an error.
    public var label: String {
        switch self {
        case .owner(let id): "owner:\(id)"
        case .developerUnsold: "developer"
        }
    }
}
