import Foundation
import GongzhiDomain
import GongzhiStore

/// Typed page models of the case pages, built by pure functions from read models. Every field a template tests is
/// a `Bool` beside its text: Mustache looks a missing or nil name up in the enclosing sections, so a row without a
/// deadline would otherwise show the one of the row the table was opened on.
enum CaseViews {
    /// Words in the reader's language.
    typealias Words = (String) -> String

    /// One row of a case list.
    struct Row: Sendable, Equatable {
        var id: Int64
        var href: String
        var number: String
        var title: String
        var status: String
        var createdAt: String
        var hasDue: Bool
        var due: String
        var overdue: Bool
        var isEscalated: Bool
        var escalated: String
        /// The version the list showed, sent with a bulk step as its optimistic lock.
        var version: Int
        /// Whether the row has a checkbox for bulk steps (staff lists).
        var selectable = false
    }

    static func row(_ c: Case, now: Date, language: Language, words: Words) -> Row {
        let due = c.status.isOpen ? c.resolveBy : nil
        return Row(
            id: c.id, href: CaseURL.show(c.id).path, number: c.number, title: c.title,
            status: words("case_status_\(c.status.rawValue)"),
            createdAt: DateText.format(c.createdAt, language), hasDue: due != nil, due: DateText.format(due, language),
            overdue: due.map { $0 < now } ?? false, isEscalated: c.escalationLevel > 0,
            escalated: c.escalationLevel > 0 ? words("case_escalation_\(c.escalationLevel)") : "", version: c.version)
    }

    /// What a bulk step came to: how many cases were done, and for each refused one its number and the reason.
    struct BulkSummary: Sendable, Equatable {
        struct Refusal: Sendable, Equatable {
            var href: String
            var number: String
            var reason: String
        }
        var headline: String
        var allDone: Bool
        var refusals: [Refusal]
    }

    /// `numbers` are those of the cases the reader may see; a refused id they may not see stays a bare number.
    static func bulkSummary(
        _ step: CaseBulkStep, _ results: [(id: Int64, outcome: CaseCommands.BulkOutcome)], numbers: [Int64: String],
        words: Words, message: (DomainError) -> String
    ) -> BulkSummary {
        var done = 0
        var refusals: [BulkSummary.Refusal] = []
        for (id, outcome) in results {
            switch outcome {
            case .done: done += 1
            case .refused(let error):
                refusals.append(
                    .init(href: CaseURL.show(id).path, number: numbers[id] ?? "#\(id)", reason: message(error)))
            }
        }
        var headline = words("case_bulk_done_\(step.rawValue)").replacingOccurrences(of: "{0}", with: "\(done)")
        if !refusals.isEmpty {
            headline += words("case_bulk_refused").replacingOccurrences(of: "{0}", with: "\(refusals.count)")
        }
        return BulkSummary(headline: headline, allDone: refusals.isEmpty, refusals: refusals)
    }

    /// One public report in a list or on its page: no reporter, the place by name.
    struct PublicRow: Sendable, Equatable {
        var href: String
        var number: String
        var title: String
        var status: String
        var isClosed: Bool
        var category: String
        var place: String
        var createdAt: String
        var updatedAt: String
        var hasNotes: Bool
        var notes: String
    }

    static func publicRow(_ p: PublicCase, language: Language, words: Words) -> PublicRow {
        PublicRow(
            href: CaseURL.report(p.case.number).path, number: p.case.number, title: p.case.title,
            status: words("case_status_\(p.case.status.rawValue)"), isClosed: !p.case.status.isOpen,
            category: p.categoryName ?? words("case_category_none"), place: p.placeName ?? "",
            createdAt: DateText.format(p.case.createdAt, language), updatedAt: DateText.format(p.updatedAt, language),
            hasNotes: !p.statusNotes.isEmpty, notes: p.statusNotes)
    }

    /// One line of a case's timeline; the reporter stays "the reporter" to those who may not know who it was.
    struct TimelineLine: Sendable, Equatable {
        var at: String
        var action: String
        var who: String
        var status: String
        var hasNote: Bool
        var note: String
    }

    static func timeline(_ events: [CaseEvent], language: Language, words: Words) -> [TimelineLine] {
        events.map { e in
            TimelineLine(
                at: DateText.format(e.at, language), action: words("case_step_\(e.action)"),
                who: e.byReporter && e.actorName == nil ? words("case_reporter") : e.actorName ?? "",
                status: words("case_status_\(e.toStatus.rawValue)"), hasNote: !e.note.isEmpty,
                note: note(e, words: words))
        }
    }

    /// A timeline note in words: an automatic escalation names the level it rose to instead of its stored key.
    static func note(_ e: CaseEvent, words: Words) -> String {
        guard e.action == "escalate", e.note.hasPrefix("auto:"), let level = Int(e.note.dropFirst(5)) else {
            return e.note
        }
        return words("case_escalation_\(level)")
    }

    /// The facts at the top of the case page. Optional facts are nil when absent: templates reach them as `case.x`,
    /// and a dotted name never falls back to an enclosing section.
    struct Facts: Sendable, Equatable {
        var id: Int64
        var number: String
        var title: String
        var description: String
        var version: Int
        var status: String
        var kind: String
        var channel: String
        var place: String
        var category: String
        var unit: String?
        var createdAt: String
        var resolveBy: String?
        var closedAt: String?
        var rating: String?
        var ratingComment: String?
        var escalation: String?
        var grade: String?
    }

    static func facts(
        _ c: Case, place: String, category: String, unit: String, language: Language, words: Words
    ) -> Facts {
        Facts(
            id: c.id, number: c.number, title: c.title, description: c.description, version: c.version,
            status: words("case_status_\(c.status.rawValue)"), kind: words("case_kind_\(c.kind.rawValue)"),
            channel: words("case_channel_\(c.channel.rawValue)"), place: place, category: category,
            unit: unit.isEmpty ? nil : unit,
            createdAt: DateText.format(c.createdAt, language),
            resolveBy: c.resolveBy.map { DateText.format($0, language) },
            closedAt: c.closedAt.map { DateText.format($0, language) },
            rating: c.rating.map { words("case_rating_\($0.rawValue)") },
            ratingComment: c.ratingComment,
            escalation: c.escalationLevel > 0 ? words("case_escalation_\(c.escalationLevel)") : nil,
            grade: c.disputeGrade.map { words("dispute_grade_\($0.rawValue)") })
    }

    /// Which steps the page offers: exactly the actor's capabilities, with each step's URL.
    static func steps(
        _ capabilities: Set<CaseCapability>, caseID: Int64
    ) -> (can: [String: Bool], url: [String: String]) {
        (
            Dictionary(uniqueKeysWithValues: CaseCapability.allCases.map { ($0.rawValue, capabilities.contains($0)) }),
            Dictionary(
                uniqueKeysWithValues: CaseCapability.allCases.map { ($0.rawValue, CaseURL.step(caseID, $0).path) })
        )
    }
}
