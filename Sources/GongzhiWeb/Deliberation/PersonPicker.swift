import Foundation
import GongzhiStore

/// A person or roll-entry picker that works without JavaScript (issue 13): a search box and a search button that
/// post the form back to its own step, which answers with the page, every field as it was typed and the matching
/// people (through the registry's own search, inside what the reader may see), each with a button that chooses it.
/// The chosen entry is shown by its masked name and place, never by its bare id. The template is
/// `deliberation/picker`; the search button is `_search=<field>`, a choice `_choose_<field>=<value>` (or, where
/// choosing is the step itself, `<field>=<value>`).
struct PersonPicker {
    struct Choice {
        var value: String
        var label: String
    }

    var field: String
    var label: String
    var hint: String = ""
    /// The chosen value (a roll entry such as `person:12`, or a person's id) and how it is shown.
    var chosen: String = ""
    var chosenLabel: String = ""
    var query: String = ""
    var searched = false
    var choices: [Choice] = []
    /// The name of a choice's button: `_choose_<field>` keeps the form open, the field itself submits the step.
    var chooseName: String?
    var chooseLabel: String
    var error: String = ""

    var data: [String: Any] {
        [
            "field": field, "label": label, "hint": hint, "has_hint": !hint.isEmpty, "value": chosen,
            "chosen": !chosen.isEmpty, "chosen_label": chosenLabel.isEmpty ? chosen : chosenLabel, "query": query,
            "searched": searched, "none_found": searched && choices.isEmpty,
            "choices": choices.map { ["value": $0.value, "label": $0.label] },
            "choose_name": chooseName ?? "_choose_\(field)", "choose_label": chooseLabel, "error": error,
            "has_error": !error.isEmpty,
        ]
    }

    /// The field a form's post asks to search for, if the search button was pressed.
    static func searched(_ form: Form) -> String? {
        let field = form["_search"]
        return field.isEmpty ? nil : field
    }

    /// The fields chosen by a choice's button in this post (`_choose_<field>`), with their values.
    static func chosen(_ form: Form) -> [String: String] {
        var out: [String: String] = [:]
        for (key, values) in form.values where key.hasPrefix("_choose_") {
            if let value = values.first { out[String(key.dropFirst("_choose_".count))] = value }
        }
        return out
    }

    /// "张* · 3栋 2-201", and with `age` (the reader's words for it) "张* · 3栋 2-201 · 45岁".
    static func label(_ c: PersonChoice, age: ((Int) -> String)? = nil) -> String {
        var parts = [c.name]
        if !c.place.isEmpty { parts.append(c.place) }
        if let age, let years = c.age { parts.append(age(years)) }
        return parts.joined(separator: " · ")
    }
}
