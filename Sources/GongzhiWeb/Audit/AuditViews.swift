import Foundation
import GongzhiDomain
import GongzhiStore

/// Typed page models of the audit page, built by pure functions from the entries. Fields a template tests inside a
/// list are `Bool`s beside their text (Mustache looks a missing name up in the enclosing sections).
enum AuditViews {
    /// The translation of a locale key, or nil when the files have none (the raw value is shown then).
    typealias Label = (String) -> String?

    /// One line of the before/after table: a field, its value before and after, and whether it changed.
    struct Change: Sendable, Equatable {
        var field: String
        var before: String
        var after: String
        var changed: Bool
    }

    struct Entry: Sendable, Equatable {
        var seq: Int64
        var at: String
        var actor: String
        var hasRole: Bool
        var role: String
        var action: String
        var object: String
        var hasHref: Bool
        var href: String
        var result: String
        var hasChanges: Bool
        var changes: [Change]
    }

    /// Which object pages the reader can open: an auditor reads the tree of their subtree, but cases and accounts
    /// only when they also hold a role that reads them (the page itself decides; this only spares dead links).
    struct Links: Sendable, Equatable {
        var cases: Bool
        var users: Bool

        init(cases: Bool, users: Bool) {
            self.cases = cases
            self.users = users
        }

        init(_ actor: Actor) {
            cases = actor.grants.contains {
                $0.role.isStaff && $0.role != .auditor && $0.role != .departmentHandler
            }
            users = AccountPolicy.managesUsers(actor)
        }
    }

    static func entry(_ e: AuditEntry, language: Language, label: @escaping Label, links: Links) -> Entry {
        let href = self.href(objectType: e.objectType, objectID: e.objectID, links: links)
        let changes = self.changes(
            before: e.before, after: e.after, objectType: e.objectType, action: e.action, language: language,
            label: label)
        return Entry(
            seq: e.seq, at: DateText.format(e.at, language),
            actor: e.actorUserID == nil ? (label("audit_actor_\(e.actorName)") ?? e.actorName) : e.actorName,
            hasRole: e.role != nil, role: e.role.map { label("role_\($0)") ?? $0 } ?? "",
            action: label("audit_action_" + actionKey(e.action)) ?? e.action,
            object: (label("audit_object_\(e.objectType)") ?? e.objectType) + " \(e.objectID)",
            hasHref: href != nil, href: href ?? "", result: label("audit_result_\(e.result)") ?? e.result,
            hasChanges: !changes.isEmpty, changes: changes)
    }

    /// `case.file` → `case_file`: how the locale files and the page's action filter name an action.
    static func actionKey(_ action: String) -> String { action.replacingOccurrences(of: ".", with: "_") }

    /// The page of the object an entry is about, through each module's URLs; nil for objects without one.
    static func href(objectType: String, objectID: String, links: Links) -> String? {
        guard let id = Int64(objectID) else { return nil }
        switch objectType {
        case "case": return links.cases ? CaseURL.show(id).path : nil
        case "node": return JurisdictionURL.node(id).path
        case "body": return JurisdictionURL.body(id).path
        case "user": return links.users ? AccountURL.show(id).path : nil
        default: return nil
        }
    }

    /// Before and after side by side, field by field. An entry stores each state as a JSON object (a node, a body, a
    /// grant) or as one plain value (a case's status); a state that is absent (a creation, a removal) leaves its column
    /// empty. Fields are in name order; `changed` marks those whose value differs.
    static func changes(
        before: String?, after: String?, objectType: String, action: String = "", language: Language,
        label: @escaping Label
    ) -> [Change] {
        // What a case's one plain value is depends on the step: the escalation level, the deadline, or the status.
        let plain: (field: String, shown: (String) -> String) =
            if objectType == "case", action.contains("escalate") {
                (
                    "audit_field_escalation",
                    { label($0 == "0" ? "audit_value_not_escalated" : "case_escalation_\($0)") ?? $0 }
                )
            } else if objectType == "case", action.contains("extension") {
                ("audit_field_resolveBy", { Int64($0).map { DateText.format(Date(epochMillis: $0), language) } ?? $0 })
            } else if objectType == "case" {
                ("audit_field_status", { label("case_status_\($0)") ?? $0 })
            } else {
                ("audit_field_value", { $0 })
            }
        let b = before.map(fields), a = after.map(fields)
        guard b != nil || a != nil else { return [] }
        let keys = Set((b ?? [:]).keys).union((a ?? [:]).keys).sorted()
        func shown(_ key: String, _ value: String?) -> String {
            guard let value else { return "" }
            if key.isEmpty { return plain.shown(value) }
            if key == "role" { return label("role_\(value)") ?? value }
            if key == "kind" { return label("kind_\(value)") ?? value }
            if key.hasSuffix("At"), let millis = Int64(value) {
                return DateText.format(Date(epochMillis: millis), language)
            }
            return value
        }
        return keys.map { key in
            let field =
                key.isEmpty ? (label(plain.field) ?? "") : (label("audit_field_\(key)") ?? key)
            return Change(
                field: field, before: shown(key, b?[key]), after: shown(key, a?[key]), changed: b?[key] != a?[key])
        }
    }

    /// A stored state as fields: a JSON object's members (nested values as compact JSON), or one value under "".
    static func fields(_ text: String) -> [String: String] {
        guard text.hasPrefix("{"),
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return ["": text] }
        var out: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let s as String: out[key] = s
            case is NSNull: out[key] = ""
            case let n as NSNumber: out[key] = n.stringValue
            default:
                out[key] =
                    (try? JSONSerialization.data(
                        withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        return out
    }
}
