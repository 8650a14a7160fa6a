import Foundation
import GongzhiDomain
import GongzhiStore

/// Typed page models of the deliberation pages, built by pure functions from read models. Every field a template
/// tests is a `Bool` beside its text (Mustache looks a missing name up in the enclosing sections).
enum DeliberationViews {
    typealias Words = (String) -> String

    /// One row of a topic list.
    struct Row: Sendable, Equatable {
        var href: String
        var number: String
        var title: String
        var state: String
        var scope: String
        var createdAt: String
        var collecting: Bool
        /// "12 / 30" while collecting.
        var progress: String
    }

    static func row(_ t: Topic, language: Language, words: Words) -> Row {
        Row(
            href: DeliberationURL.show(t.id).path, number: t.number, title: t.title,
            state: words("topic_state_\(t.state.rawValue)")
                + (t.archiveReason.map { "（" + words("topic_archive_\($0.rawValue)") + "）" } ?? ""),
            scope: words("topic_scope_\(t.scope.kind.rawValue)"), createdAt: DateText.format(t.createdAt, language),
            collecting: t.state == .collecting, progress: "\(t.coSignatures) / \(t.coSignatureThreshold)")
    }

    /// How far a topic is from its threshold, in words: "还差 3 人联名，剩余 5 天".
    struct Progress: Sendable, Equatable {
        var shown: Bool
        var count: Int
        var threshold: Int
        var percent: Int
        var text: String
        var until: String
    }

    static func progress(_ r: TopicRecord, language: Language, words: (String, [String]) -> String) -> Progress {
        let p = r.progress
        let shown = r.topic.state == .collecting || (r.topic.state == .archived && r.topic.archiveReason == .expired)
        let percent = p.threshold == 0 ? 100 : min(100, p.count * 100 / max(1, p.threshold))
        let text =
            p.isReached
            ? words("topic_progress_reached", ["\(p.count)"])
            : words("topic_progress_remaining", ["\(p.remaining)", "\(p.daysLeft ?? 0)"])
        return Progress(
            shown: shown, count: p.count, threshold: p.threshold, percent: percent, text: text,
            until: DateText.format(p.collectUntil, language))
    }

    /// One line of the timeline.
    struct Event: Sendable, Equatable {
        var at: String
        var who: String
        var action: String
        var note: String
        var hasNote: Bool
    }

    static func events(_ r: TopicRecord, language: Language, words: Words) -> [Event] {
        r.timeline.map { e in
            Event(
                at: DateText.format(e.at, language), who: e.actorName ?? words("topic_by_system"),
                action: e.action == "raise" ? words("topic_step_raise") : words("topic_step_\(e.action)"),
                note: e.note, hasNote: !e.note.isEmpty)
        }
    }

    /// One comment of the discussion, with what the reader may do with it.
    struct Comment: Sendable, Equatable {
        var id: Int64
        var author: String
        var at: String
        var body: String
        var hasBody: Bool
        var hidden: Bool
        var hiddenReason: String
        var reports: Int
        var hasReports: Bool
        var mayHide: Bool
        var mayReport: Bool
        var hideURL: String
        var reportURL: String
    }

    static func comments(_ r: TopicRecord, actor: Actor, language: Language) -> [Comment] {
        r.comments.map { c in
            Comment(
                id: c.id, author: c.authorName ?? "", at: DateText.format(c.createdAt, language), body: c.body,
                hasBody: !c.body.isEmpty, hidden: c.isHidden, hiddenReason: c.hiddenReason ?? "", reports: c.reports,
                hasReports: r.mayModerate && c.reports > 0, mayHide: r.mayModerate && !c.isHidden,
                mayReport: !c.isHidden && c.authorUserID != actor.userID && !r.reportedCommentIDs.contains(c.id),
                hideURL: DeliberationURL.hideComment(c.id).path, reportURL: DeliberationURL.reportComment(c.id).path)
        }
    }

    /// A linked case.
    struct LinkedCase: Sendable, Equatable {
        var href: String
        var number: String
        var title: String
        var status: String
        var isOrigin: Bool
    }

    static func cases(_ r: TopicRecord, words: Words) -> [LinkedCase] {
        r.cases.map { c in
            LinkedCase(
                href: CaseURL.show(c.id).path, number: c.number, title: c.title,
                status: words("case_status_\(c.status.rawValue)"), isOrigin: c.isOrigin)
        }
    }

    /// The origin in words: "党员问事", "治理主体提出（社区工作站）", "由诉求转入".
    static func origin(_ r: TopicRecord, words: Words) -> String {
        words("topic_origin_\(r.topic.origin.rawKind)") + (r.bodyName.map { "（\($0)）" } ?? "")
    }
}
