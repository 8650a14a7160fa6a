import Foundation
import GongzhiDomain
import GongzhiStore
import HTTPTypes
import Hummingbird

/// The co-signature rules as a community's organisers keep them: the rule of each scope kind in force now, the
/// dated rows behind it, and a form (and API) to set a rule from a day on.
struct TopicRulesRoutes {
    let services: AppServices
    var views: Views { services.views }
    var store: TopicStore { TopicStore(db: services.db) }

    /// A rule to set: the community, the scope kind, the threshold and window, and from which day (default now).
    struct RuleInput: Decodable, Sendable {
        var community: LooseInt?
        var scope: String?
        var threshold: LooseInt?
        var windowDays: LooseInt?
        var from: String?
        enum CodingKeys: String, CodingKey {
            case community, scope, threshold, from
            case windowDays = "window_days"
        }
    }

    /// What the API answers: the rules in force now and every dated row.
    struct RulesAnswer: ResponseEncodable {
        var inForce: CoSignatureRules
        var rows: [CoSignatureRuleRow]
    }

    static let path = "/deliberation/rules"

    func register(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Self.path)) { request, context in
            try await page(request.uri.queryParameters["community"].flatMap { Int64($0) }, context)
        }
        router.post(RouterPath(Self.path)) { request, context in
            let form = try await Form.read(request, context)
            let community = form.int("community")
            do {
                try await set(try form.decode(RuleInput.self), context)
                return Response.redirect(to: Self.path + "?community=\(community ?? 0)")
            } catch let error as DomainError where error.kind == .invalid {
                var extra = views.formErrors(error, context)
                for field in ["threshold", "window_days", "from"] { extra["form_" + field] = form[field] }
                return try await page(community, context, extra: extra, status: .unprocessableContent)
            }
        }
        api.get("/topic-rules") { request, context in
            let actor = try context.requireActor()
            guard let community = request.uri.queryParameters["community"].flatMap({ Int64($0) }) else {
                throw DomainError.invalid("meeting_community_invalid", field: "community")
            }
            let rows = try await store.ruleHistory(communityID: community, for: actor)
            return RulesAnswer(
                inForce: try await store.coSignatureRules(communityID: community, at: services.clock.now()), rows: rows)
        }
        api.post("/topic-rules") { request, context in
            let input = try await request.decodeInput(RuleInput.self, context: context)
            try await set(input, context)
            let actor = try context.requireActor()
            let community = input.community?.value ?? 0
            return RulesAnswer(
                inForce: try await store.coSignatureRules(communityID: community, at: services.clock.now()),
                rows: try await store.ruleHistory(communityID: community, for: actor))
        }
    }

    func set(_ input: RuleInput, _ context: AppRequestContext) async throws {
        let actor = try context.requireActor()
        guard let community = input.community?.value else {
            throw DomainError.invalid("meeting_community_invalid", field: "community")
        }
        guard let kind = input.scope.flatMap(TopicScopeKind.init(rawValue:)) else {
            throw DomainError.invalid("topic_place_invalid", field: "scope")
        }
        guard let threshold = input.threshold?.value, let window = input.windowDays?.value else {
            throw DomainError.invalid("topic_cosign_rule_invalid", field: "threshold")
        }
        var from: Date? = nil
        if let text = input.from?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let day = DateText.day(text) else {
                throw DomainError.invalid("topic_rule_from_invalid", field: "from")
            }
            from = day
        }
        try await services.topicCommands.setCoSignatureRule(
            actor, communityID: community, kind: kind,
            rule: CoSignatureRule(threshold: Int(clamping: threshold), windowDays: Int(clamping: window)), from: from)
    }

    func page(
        _ chosen: Int64?, _ context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let communities = try await MeetingStore(db: services.db).communities(for: actor)
        guard let first = communities.first else { throw DomainError.forbidden }
        let community = communities.first { $0.id == chosen } ?? first
        let rules = try await store.coSignatureRules(communityID: community.id, at: services.clock.now())
        let rows = try await store.ruleHistory(communityID: community.id, for: actor)
        func t(_ key: String, _ args: [String] = []) -> String { views.t(key, context, args) }
        var data = extra
        data["community_id"] = community.id
        data["communities"] = communities.map { c in
            ["id": c.id, "label": c.name, "selected": c.id == community.id] as [String: Any]
        }
        data["in_force"] = TopicScopeKind.allCases.map { kind in
            let rule = rules.rule(for: kind)
            return [
                "scope": t("topic_scope_\(kind.rawValue)"),
                "text": t("topic_rule_text", ["\(rule.threshold)", "\(rule.windowDays)"]),
            ]
        }
        data["rows"] = rows.map { r in
            [
                "scope": t("topic_scope_\(r.kind.rawValue)"), "from": DateText.format(r.from, context.language),
                "text": t("topic_rule_text", ["\(r.rule.threshold)", "\(r.rule.windowDays)"]),
            ]
        }
        data["scopes"] = TopicScopeKind.allCases.map {
            ["value": $0.rawValue, "label": t("topic_scope_\($0.rawValue)")]
        }
        return views.page(
            "deliberation/rules", context, title: t("topic_rules_title"), data: data, status: status,
            section: "deliberation")
    }
}
