import Foundation
import GongzhiDomain

/// One text field of a form, as `partials/field` draws it: its id is `f-<name>`, the id the error summary links to
/// (`#f-<field>` from the error's field), so a message always finds its field when the field is drawn from this.
struct FormField: Sendable, Equatable {
    var id: String
    var name: String
    var label: String
    var value: String
    var hint: String
    var hasHint: Bool
    var error: String
    var hasError: Bool
    var maxLength: Int
    var multiline: Bool
    var rows: Int
    var inputType: String
    var inputMode: String
    var hasInputMode: Bool
    var autocomplete: String
    var required: Bool

    /// A field named `name`, with the message of `errors` for that name, if any (`Views.formErrors` output).
    static func text(
        _ name: String, label: String, value: String = "", hint: String = "", errors: [String: Any] = [:],
        maxLength: Int = 200, multiline: Bool = false, rows: Int = 4, inputType: String = "text",
        inputMode: String = "", autocomplete: String = "off", required: Bool = false
    ) -> FormField {
        let error = errors["error_\(name)"] as? String ?? ""
        return FormField(
            id: "f-\(name)", name: name, label: label, value: value, hint: hint, hasHint: !hint.isEmpty, error: error,
            hasError: !error.isEmpty, maxLength: maxLength, multiline: multiline, rows: rows, inputType: inputType,
            inputMode: inputMode, hasInputMode: !inputMode.isEmpty, autocomplete: autocomplete, required: required)
    }
}
