import Foundation

/// A meeting's minutes. Drafts are edited freely; once published the text changes only by a recorded amendment
/// (who, when, why, what it read before), so the published record can always be traced back.
public struct Minutes: Sendable, Equatable, Codable {
    /// The text as first published (or the draft).
    public private(set) var text: String
    public private(set) var publishedAt: Date?
    public private(set) var amendments: [MinutesAmendment]

    public static let maxText = 50_000

    public init(draft: String) {
        self.text = draft
        self.publishedAt = nil
        self.amendments = []
    }

    /// The text as it reads now: the last amendment's, or the published one.
    public var currentText: String { amendments.last?.newText ?? text }
    public var isPublished: Bool { publishedAt != nil }

    /// A draft with new text; published minutes are refused (`minutes_published_amend_instead`).
    public func edited(_ newText: String) throws(DomainError) -> Minutes {
        guard !isPublished else { throw DomainError(.conflict, "minutes_published_amend_instead") }
        var next = self
        next.text = try Self.checkedText(newText)
        return next
    }

    /// The minutes published at `instant` (`minutes_already_published`, `minutes_text_required`).
    public func published(at instant: Date) throws(DomainError) -> Minutes {
        guard !isPublished else { throw DomainError(.conflict, "minutes_already_published") }
        var next = self
        next.text = try Self.checkedText(text)
        next.publishedAt = instant
        return next
    }

    /// Published minutes amended: refused for a draft (`minutes_not_published`, edit it instead), without a reason
    /// (`minutes_amendment_reason_required`) or without a change (`minutes_amendment_unchanged`).
    public func amended(
        _ newText: String, reason: String, by userID: Int64?, at instant: Date
    ) throws(DomainError)
        -> Minutes
    {
        guard isPublished else { throw DomainError(.conflict, "minutes_not_published") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2000 else {
            throw .invalid("minutes_amendment_reason_required", field: "reason")
        }
        let new = try Self.checkedText(newText)
        guard new != currentText else { throw .invalid("minutes_amendment_unchanged", field: "text") }
        var next = self
        next.amendments.append(
            MinutesAmendment(
                number: amendments.count + 1, at: instant, byUserID: userID, reason: reason, previousText: currentText,
                newText: new))
        return next
    }

    static func checkedText(_ raw: String) throws(DomainError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalid("minutes_text_required", field: "text") }
        guard text.count <= maxText else {
            throw .invalid("minutes_text_too_long", field: "text", args: ["\(maxText)"])
        }
        return text
    }
}

/// One recorded change to published minutes.
public struct MinutesAmendment: Sendable, Equatable, Codable {
    /// 1 for the first amendment.
    public var number: Int
    public var at: Date
    public var byUserID: Int64?
    public var reason: String
    public var previousText: String
    public var newText: String

    public init(number: Int, at: Date, byUserID: Int64?, reason: String, previousText: String, newText: String) {
        self.number = number
        self.at = at
        self.byUserID = byUserID
        self.reason = reason
        self.previousText = previousText
        self.newText = newText
    }
}
