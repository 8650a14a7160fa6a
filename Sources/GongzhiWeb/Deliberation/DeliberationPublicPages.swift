import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// The public face of deliberation (居务公开): for anyone, signed in or not, a community's meetings with their
/// published summaries and its resolutions with their progress and review counts; never who came, who reported, who
/// rated or how anyone voted. Signed-in readers get a link to the full pages of their scope.
struct DeliberationPublicPages {
    let services: AppServices
    var views: Views { services.views }
    var reads: DeliberationPublic { DeliberationPublic(db: services.db) }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/public/communities") { _, context in
            let list = try await reads.communities()
            return views.page(
                "deliberation/public_index", context, title: views.t("public_deliberation_heading", context),
                data: [
                    "communities": list.map {
                        ["href": ResolutionURL.publicCommunity($0.id).path, "name": $0.name]
                    }
                ])
        }
        router.get("/public/communities/:id") { _, context in
            let face = try await reads.community(
                try context.parameters.require("id", as: Int64.self), now: services.clock.now())
            let lang = context.language
            func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
            let data: [String: Any] = [
                "community": face.communityName,
                "meetings": face.meetings.map { m in
                    [
                        "number": m.number, "title": m.title, "kind": t("meeting_kind_\(m.kind.rawValue)"),
                        "held_at": DateText.format(m.heldAt, lang), "summary": m.summary,
                    ]
                },
                "resolutions": face.resolutions.map { r in
                    [
                        "href": ResolutionURL.publicResolution(r.number).path, "number": r.number,
                        "text": String(r.text.prefix(120)), "state": t("resolution_state_\(r.state.rawValue)"),
                        "deadline": r.deadline.text(lang), "percent": r.percentDone, "overdue": r.overdue,
                    ] as [String: Any]
                },
                "votes": face.votes.map { v in
                    [
                        "href": ResolutionURL.publicVote(v.number).path, "number": v.number, "title": v.title,
                        "basis": t("vote_basis_\(v.basis.rawValue)"),
                        "published_at": DateText.format(v.publishedAt, lang),
                        "decided": v.result.outcome != nil, "passed": v.result.outcome?.passed == true,
                        "failed": v.result.outcome.map { !$0.passed } ?? false,
                    ] as [String: Any]
                },
                "signed_in": context.actor != nil, "full_href": ResolutionURL.list.path,
                "conventions": try await ConventionStore(db: services.db).publicList(communityID: face.communityID).map
                {
                    [
                        "href": "/public/conventions/\($0.id)", "title": $0.title,
                        "kind": t("convention_kind_\($0.kind.rawValue)"),
                    ]
                },
            ]
            return views.page(
                "deliberation/public_community", context, title: t("public_deliberation_title", [face.communityName]),
                data: data)
        }
        router.get("/public/votes/:number") { _, context in
            let v = try await reads.vote(number: try context.parameters.require("number"))
            let lang = context.language
            func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
            var data = VoteViews.result(v.result, spec: v.spec, final: true) { t($0, $1) }
            data["vote"] = [
                "number": v.number, "title": v.title, "kind": t("poll_kind_\(v.spec.kind.rawValue)"),
                "basis": t("vote_basis_\(v.basis.rawValue)"),
                "matter": v.matter.map { t("owners_matter_\($0.rawValue)") } ?? "",
                "opens_at": DateText.format(v.opensAt, lang), "closes_at": DateText.format(v.closesAt, lang),
                "closed_at": DateText.format(v.closedAt, lang), "published_at": DateText.format(v.publishedAt, lang),
                "published_until": DateText.format(v.publishedUntil, lang), "community": v.communityName,
            ]
            data["community_href"] = ResolutionURL.publicCommunity(v.communityID).path
            return views.page("deliberation/public_vote", context, title: v.number + " " + v.title, data: data)
        }
        router.get("/public/resolutions/:number") { _, context in
            let p = try await reads.resolution(number: try context.parameters.require("number"))
            let r = p.resolution
            let lang = context.language
            func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
            let data: [String: Any] = [
                "resolution": [
                    "number": r.number, "text": r.text, "state": t("resolution_state_\(r.state.rawValue)"),
                    "adopted_on": r.adoptedOn.text(lang), "deadline": r.deadline.text(lang), "percent": r.percentDone,
                    "overdue": r.isOverdue(on: CalendarDate(services.clock.now())), "meeting": p.meetingNumber ?? "",
                    "community": p.communityName,
                ] as [String: Any],
                "community_href": ResolutionURL.publicCommunity(r.communityID).path,
                "progress": p.progress.map { line in
                    ["at": DateText.format(line.at, lang), "note": line.note, "percent": line.percentDone]
                        as [String: Any]
                },
                "rounds": p.rounds.map { round in
                    let s = round.summary
                    return [
                        "title": t("resolution_round", ["\(round.round)"]),
                        "counts": t(
                            "resolution_round_counts",
                            ["\(s.satisfied)", "\(s.basicallySatisfied)", "\(s.dissatisfied)"]),
                        "satisfaction": s.total > 0
                            ? t("resolution_round_satisfaction", [s.arithmetic]) : t("resolution_round_none"),
                    ]
                },
                "signed_in": context.actor != nil,
            ]
            return views.page("deliberation/public_resolution", context, title: r.number, data: data)
        }
    }
}
