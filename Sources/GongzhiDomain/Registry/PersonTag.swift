import Foundation

/// What a person is marked with for care and services, following the population groups of GB/T 31000-2015 (社会治安
/// 综合治理基础数据规范): groups the community looks after, civic roles, and the special groups (特殊人群) managed under
/// comprehensive governance. Raw values name the locale keys (`person_tag_<raw>`) and the stored value.
public enum PersonTag: String, CaseIterable, Codable, Sendable, Comparable {
    // Care (关爱服务对象)
    case elderlyLivingAlone, emptyNestElderly, disabled, lowIncome, extremeHardship, leftBehindChild
    case leftBehindElderly
    // Civic roles
    case veteran, partyMember, volunteer
    // Special groups (特殊人群): sensitive personal information and restricted to the roles that manage them
    case communityCorrection, releasedPrisoner, drugRehabilitation, severeMentalDisorder

    public enum Category: String, CaseIterable, Codable, Sendable { case care, civic, special }

    public var category: Category {
        switch self {
        case .elderlyLivingAlone, .emptyNestElderly, .disabled, .lowIncome, .extremeHardship, .leftBehindChild,
            .leftBehindElderly:
            .care
        case .veteran, .partyMember, .volunteer: .civic
        case .communityCorrection, .releasedPrisoner, .drugRehabilitation, .severeMentalDisorder: .special
        }
    }

    /// Sensitive personal information under PIPL art. 28 (a specific identity, medical health, or criminal record):
    /// the special groups. Sealed at rest like an ID number, shown only to `PersonTagPolicy`'s roles, each view
    /// audited. (Disability is health information and a left-behind child a minor; those tags stay visible to the
    /// grid's staff who visit them, and the person's whole record is personal data anyway.)
    public var isSensitive: Bool { category == .special }

    /// The name people write in the import file and see on the page.
    public var chineseName: String {
        switch self {
        case .elderlyLivingAlone: "独居老人"
        case .emptyNestElderly: "空巢老人"
        case .disabled: "残疾人"
        case .lowIncome: "低保"
        case .extremeHardship: "特困人员"
        case .leftBehindChild: "留守儿童"
        case .leftBehindElderly: "留守老人"
        case .veteran: "退役军人"
        case .partyMember: "党员"
        case .volunteer: "志愿者"
        case .communityCorrection: "社区矫正"
        case .releasedPrisoner: "刑满释放"
        case .drugRehabilitation: "戒毒康复"
        case .severeMentalDisorder: "严重精神障碍"
        }
    }

    public static func < (a: PersonTag, b: PersonTag) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Who may see a person's sensitive tags: the roles that manage those groups. The default is the community's
/// workers and the administrators above them (the comprehensive-governance centres of subdistrict and district);
/// not grid workers, building heads, residents, department handlers, supervision members, the system
/// administrator (who keeps the system, not its people: 三员分立) or the auditor (who reads the log, not the
/// data). A deployment may pass its own table, e.g. to let the grid workers of a correction team see
/// `communityCorrection`.
public enum PersonTagPolicy {
    public static let defaultManagers: [PersonTag: Set<Role>] = Dictionary(
        uniqueKeysWithValues: PersonTag.allCases.filter(\.isSensitive).map {
            ($0, [Role.communityWorker, .subdistrictAdmin, .districtAdmin])
        })

    /// Whether someone holding `role` (where the person lives) may see that a person carries `tag`. Ordinary tags
    /// are seen by every staff role that reads the person; sensitive ones only by their managers.
    public static func mayView(
        _ tag: PersonTag, as role: Role, managers: [PersonTag: Set<Role>] = defaultManagers
    ) -> Bool {
        guard tag.isSensitive else { return role.isStaff && role != .auditor }
        return managers[tag]?.contains(role) == true
    }

    /// The tags of `tags` that `role` may see, in order.
    public static func visible(
        _ tags: [PersonTag], as role: Role, managers: [PersonTag: Set<Role>] = defaultManagers
    ) -> [PersonTag] {
        tags.filter { mayView($0, as: role, managers: managers) }.sorted()
    }
}
