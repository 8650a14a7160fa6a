import Foundation

/// Where a change in the community's review queue stands (issue 12 item 5). Raw values name the stored value and the
/// locale keys (`review_status_<raw>`).
public enum ReviewStatus: String, CaseIterable, Codable, Sendable {
    /// Applied at once, waiting for a community worker to look at it.
    case pending
    /// Looked at and accepted.
    case accepted
    /// Sent back to the grid worker with a note saying what to put right.
    case returned
}

/// A community worker's answer to a change in the queue.
public enum ReviewDecision: Sendable, Equatable {
    case accept
    case sendBack(note: String)

    /// A sending back needs a note of 2–200 characters (`review_note_required` on `note`), kept trimmed.
    public static func sendBack(rawNote: String) throws(DomainError) -> ReviewDecision {
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(note.count) else { throw .invalid("review_note_required", field: "note") }
        return .sendBack(note: note)
    }

    public var status: ReviewStatus {
        switch self {
        case .accept: .accepted
        case .sendBack: .returned
        }
    }

    public var action: String {
        switch self {
        case .accept: "registry.review.accept"
        case .sendBack: "registry.review.return"
        }
    }
}

/// The queue's rules: which changes land in it (those a grid worker makes: register, amend, move out — applied at
/// once, reviewed after), and that a change is decided once (`review_decided` otherwise).
public enum ReviewQueue {
    public static func needsReview(_ command: RegistryCommand, by role: Role?) -> Bool {
        guard role == .gridWorker else { return false }
        switch command {
        case .register, .amend, .moveOut: return true
        case .anonymise: return false
        }
    }

    public static func requireUndecided(_ status: ReviewStatus) throws(DomainError) {
        guard status == .pending else { throw .invalid("review_decided") }
    }

    /// The fields that differ between two masked snapshots (flat JSON objects), in the order of `after`'s keys
    /// sorted, each with its before and after text.
    public static func changes(before: [String: String]?, after: [String: String]) -> [(String, String, String)] {
        let keys = Set(after.keys).union(before.map { Set($0.keys) } ?? []).sorted()
        return keys.compactMap { key in
            let old = before?[key] ?? ""
            let new = after[key] ?? ""
            return old == new ? nil : (key, old, new)
        }
    }
}
