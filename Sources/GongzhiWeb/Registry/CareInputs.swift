import Foundation
import GongzhiDomain
import GongzhiStore

/// A care group's form (the page's and the API's body alike): the frequency empty takes the tag's default.
struct CareGroupInput: Decodable, Sendable {
    var name: String?
    var tag: String?
    var frequencyDays: LooseInt?
    var community: LooseInt?
    enum CodingKeys: String, CodingKey {
        case name, tag, community
        case frequencyDays = "frequency_days"
    }

    func draft() throws -> CareGroupDraft {
        var value: PersonTag?
        if let tag, !tag.isEmpty {
            guard let known = PersonTag(rawValue: tag) else {
                throw DomainError.invalid("tag_unknown", field: "tag", args: [tag])
            }
            value = known
        }
        return try CareGroupDraft(name: name ?? "", tag: value, frequencyDays: frequencyDays?.value.map(Int.init))
    }
}

/// A person to add to a group, with who visits them (their grid's worker when left empty).
struct CareMemberInput: Decodable, Sendable {
    var personID: LooseInt?
    var visitor: LooseInt?
    enum CodingKeys: String, CodingKey {
        case personID = "person_id"
        case visitor
    }
    func person() throws -> Int64 {
        guard let id = personID?.value else { throw DomainError.invalid("care_person_unknown", field: "person_id") }
        return id
    }
}

/// Who visits a member.
struct CareAssignInput: Decodable, Sendable {
    var visitor: LooseInt?
    func user() throws -> Int64 {
        guard let id = visitor?.value else { throw DomainError.invalid("care_visitor_unknown", field: "visitor") }
        return id
    }
}

/// A visit as the grid worker records it; `raise_case` files a case with the title and description given.
struct CareVisitInput: Decodable, Sendable {
    var visitedOn: String?
    var method: String?
    var findings: String?
    var followUp: LooseBool?
    var raiseCase: LooseBool?
    var caseTitle: String?
    var caseDescription: String?
    enum CodingKeys: String, CodingKey {
        case method, findings
        case visitedOn = "visited_on"
        case followUp = "follow_up"
        case raiseCase = "raise_case"
        case caseTitle = "case_title"
        case caseDescription = "case_description"
    }

    func draft(today: CalendarDate) throws -> CareVisitDraft {
        let day = try RegistryValues.date(from: visitedOn ?? "", field: "visited_on") ?? today
        guard let how = VisitMethod(rawValue: method ?? "") else {
            throw DomainError.invalid("care_method_unknown", field: "method")
        }
        return try CareVisitDraft(
            visitedOn: day, method: how, findings: findings ?? "", followUp: followUp?.value ?? false,
            caseTitle: raiseCase?.value == true ? (caseTitle ?? "") : nil, caseDescription: caseDescription,
            today: today)
    }
}
