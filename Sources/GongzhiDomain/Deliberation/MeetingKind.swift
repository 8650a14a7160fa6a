import Foundation

/// The kinds of meeting the seeds and the residents' committees law name. What each requires (who is invited,
/// notice, quorum, decision) is data in a `DecisionRuleSet`, not code: `catalogue.inForce(on:).rules(for:)`.
/// Raw values name the locale keys (`meeting_kind_<raw>`).
public enum MeetingKind: String, CaseIterable, Codable, Sendable {
    /// 议事会: the residents' council, a standing consultation body.
    case council
    /// 恳谈会: a dialogue with residents on a matter.
    case dialogue
    /// 听证会: a hearing, with the parties concerned and experts.
    case hearing
    /// 联席会议: the joint meeting of the community party committee with resident units and bodies.
    case jointMeeting
    /// 居民会议: the residents' meeting (居委会组织法 2025 arts. 26–27).
    case residentsMeeting
    /// 居民代表会议: the residents' representatives' assembly (arts. 28–29).
    case representativesAssembly
    /// 业主大会: the owners' assembly (民法典 arts. 277–278), or the owners of one building for its shared parts.
    case ownersAssembly

    public var chineseName: String {
        switch self {
        case .council: "议事会"
        case .dialogue: "恳谈会"
        case .hearing: "听证会"
        case .jointMeeting: "联席会议"
        case .residentsMeeting: "居民会议"
        case .representativesAssembly: "居民代表会议"
        case .ownersAssembly: "业主大会"
        }
    }

    /// Consultations (协商) decide nothing binding by themselves: their agreed results are carried out or sent to a
    /// residents' meeting (居委会组织法 2025 art. 32).
    public var isConsultation: Bool { [.council, .dialogue, .hearing, .jointMeeting].contains(self) }
}

/// Who a meeting kind invites. Raw values name the locale keys (`meeting_invitee_<raw>`).
public enum InviteeKind: String, CaseIterable, Codable, Sendable {
    /// Residents aged 18 or over of the scope.
    case adultResidents
    /// One representative per household.
    case householdRepresentatives
    /// 居民代表.
    case residentsRepresentatives
    /// Members of the residents' committee.
    case committeeMembers
    /// The community party organisation.
    case partyCommittee
    /// 驻区单位.
    case residentUnits
    /// The community's governance bodies (workstation, service center, owners' committee, property company…).
    case governanceBodies
    /// 职能部门 concerned by the matter.
    case departments
    /// The sub-district office (街道).
    case subdistrict
    /// Deputies to the people's congress and members of the CPPCC (人大代表、政协委员).
    case deputies
    /// 专家 and professionals.
    case experts
    /// Residents or units whose interests the matter touches (利害关系人).
    case stakeholders
    /// 居务监督委员会.
    case supervisionCommittee
    /// Owners of the exclusive parts in scope.
    case owners
    /// 业主委员会.
    case ownersCommittee
    /// 物业服务企业.
    case propertyCompany
    /// 社会组织.
    case socialOrganisations
}

/// Whom a quorum, a request to convene or an attendance sheet is counted over. Raw values name the locale keys
/// (`count_basis_<raw>`).
public enum CountBasis: String, CaseIterable, Codable, Sendable {
    /// Residents aged 18 or over.
    case adultResidents
    /// Households, one representative (one signature) each.
    case householdRepresentatives
    /// Representatives chosen by the residents' groups (a basis of the 2018 text only).
    case groupRepresentatives
    /// 居民代表.
    case residentsRepresentatives
    /// Residents' groups (居民小组).
    case residentGroups
    /// The members of an assembly (committee members and representatives).
    case members

    /// One signature per household.
    public var countsHouseholds: Bool { self == .householdRepresentatives }
}
