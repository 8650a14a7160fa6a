import Foundation

/// Rules for bodies' duty lists and for ordering bodies and items, checked before anything is written.
public enum DutyRules {
    public static let maxTitleLength = 200

    public static func validTitle(_ raw: String) throws(DomainError) -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= maxTitleLength else {
            throw .invalid("duty_title_invalid", field: "title")
        }
        return title
    }

    /// Ids in their new order after moving `id` to `position` (1 first, clamped to the list). Nil when `id` is not
    /// in the list.
    public static func reorder(_ ids: [Int64], moving id: Int64, to position: Int) -> [Int64]? {
        guard let from = ids.firstIndex(of: id) else { return nil }
        var out = ids
        out.remove(at: from)
        out.insert(id, at: min(max(position, 1), ids.count) - 1)
        return out
    }

    /// An item closes once, and a major item only when nothing open remains under it.
    public static func checkClose(_ item: DutyItem, openMinors: Int) throws(DomainError) {
        guard item.isOpen else { throw DomainError(.conflict, "duty_already_closed") }
        guard openMinors == 0 else { throw DomainError(.conflict, "duty_has_open_items", args: ["\(openMinors)"]) }
    }
}
