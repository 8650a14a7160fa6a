import Foundation
import GongzhiDomain
import GongzhiStore

/// Page models of care visits, built from the read models by pure functions.
enum CareViews {
    typealias Words = (String) -> String

    static func dueItem(_ item: CareDueItem, _ w: Words) -> [String: Any] {
        [
            "href": RegistryURL.person(item.personID).path, "name": item.name,
            "place": [item.building, item.room].compactMap { $0 }.joined(separator: " "),
            "groups": item.groups.joined(separator: "、"), "last_visit": item.lastVisitedOn?.description ?? "—",
            "next_due": item.nextDueOn.description, "overdue": item.overdue,
            "overdue_text": w("care_overdue_days").replacingOccurrences(of: "{0}", with: "\(item.daysOverdue)"),
            "visitor": item.visitor ?? w("care_visitor_none"), "person_id": item.personID,
        ]
    }

    static func group(_ g: CareGroupSummary, _ w: Words) -> [String: Any] {
        [
            "href": CareURL.group(g.id).path, "name": g.name, "community": g.community,
            "tag": g.tag.map { w("person_tag_\($0.rawValue)") } ?? "—",
            "frequency": w("care_every_days").replacingOccurrences(of: "{0}", with: "\(g.frequencyDays)"),
            "frequency_days": g.frequencyDays, "members": g.members, "overdue": g.overdue, "has_overdue": g.overdue > 0,
        ]
    }

    /// The tags a care group may be drawn from (never the sensitive special groups), with their default frequency.
    static func tagChoices(_ selected: String, _ w: Words) -> [[String: Any]] {
        PersonTag.allCases.filter { !$0.isSensitive }.map { tag in
            let days = CareFrequency.defaultDays(for: tag).map { "（\($0)）" } ?? ""
            return RegistryViews.Choice(
                value: tag.rawValue, label: w("person_tag_\(tag.rawValue)") + days, selected: tag.rawValue == selected
            ).dictionary
        }
    }

    static func methodChoices(_ selected: String, _ w: Words) -> [[String: Any]] {
        VisitMethod.allCases.map {
            RegistryViews.Choice(
                value: $0.rawValue, label: w("care_method_\($0.rawValue)"),
                selected: $0.rawValue == (selected.isEmpty ? VisitMethod.home.rawValue : selected)
            ).dictionary
        }
    }

    static func visit(_ v: CareVisitRecord, _ w: Words) -> [String: Any] {
        [
            "visited_on": v.visitedOn.description, "method": w("care_method_\(v.method.rawValue)"),
            "findings": v.findings, "follow_up": v.followUp, "visitor": v.visitor ?? "",
            "case_href": v.caseID.map { "/cases/\($0)" } ?? "", "case_number": v.caseNumber ?? "",
            "has_case": v.caseID != nil,
        ]
    }

    /// The care part of a person's page: groups, visits, the visit form and the groups a planner may add them to.
    static func person(
        _ care: PersonCare, form: [String: String], today: CalendarDate, _ w: Words
    ) -> [String: Any] {
        [
            "memberships": care.memberships.map {
                [
                    "href": CareURL.group($0.groupID).path, "linked": care.groupsVisible, "group": $0.group,
                    "next_due": $0.nextDueOn.description,
                    "overdue": $0.overdue, "visitor": $0.visitor ?? w("care_visitor_none"),
                    "frequency": w("care_every_days").replacingOccurrences(of: "{0}", with: "\($0.frequencyDays)"),
                ] as [String: Any]
            },
            "has_memberships": !care.memberships.isEmpty,
            "visits": care.visits.map { visit($0, w) }, "has_visits": !care.visits.isEmpty,
            "can_visit": care.capabilities.contains(.visit),
            "visit_action": CareURL.visits(care.personID).path,
            "methods": methodChoices(form["method"] ?? "", w),
            "visited_on": form["visited_on"] ?? "", "findings": form["findings"] ?? "",
            "follow_up": form["follow_up"] != nil, "raise_case": form["raise_case"] != nil,
            "case_title": form["case_title"] ?? "", "case_description": form["case_description"] ?? "",
            "today": today.description,
            "joinable": care.joinable.map {
                ["value": "\($0.id)", "label": $0.name, "action": CareURL.members($0.id).path] as [String: Any]
            },
            "can_join": !care.joinable.isEmpty, "person_id": care.personID,
        ]
    }
}

/// The care pages' URLs.
enum CareURL {
    case home
    case groups
    case group(Int64)
    case groupStep(Int64, String)
    case members(Int64)
    case member(Int64, Int64, String)
    case visits(Int64)

    var path: String {
        switch self {
        case .home: "/registry/care"
        case .groups: "/registry/care/groups"
        case .group(let id): "/registry/care/groups/\(id)"
        case .groupStep(let id, let step): "/registry/care/groups/\(id)/\(step)"
        case .members(let id): "/registry/care/groups/\(id)/members"
        case .member(let id, let person, let step): "/registry/care/groups/\(id)/members/\(person)/\(step)"
        case .visits(let person): "/registry/people/\(person)/visits"
        }
    }
}
