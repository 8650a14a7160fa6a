import Foundation

/// A comment in a topic's discussion, with its moderation: an organiser hides a comment with a reason (the text is
/// kept for the record, the reason shown in its place), and readers report comments they find improper.
public struct TopicComment: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var topicID: Int64
    public var authorUserID: Int64?
    public var authorName: String?
    public var body: String
    public var createdAt: Date
    public var hiddenAt: Date?
    public var hiddenReason: String?
    /// How many readers reported it.
    public var reports: Int

    public init(
        id: Int64, topicID: Int64, authorUserID: Int64?, authorName: String? = nil, body: String, createdAt: Date,
        hiddenAt: Date? = nil, hiddenReason: String? = nil, reports: Int = 0
    ) {
        self.id = id
        self.topicID = topicID
        self.authorUserID = authorUserID
        self.authorName = authorName
        self.body = body
        self.createdAt = createdAt
        self.hiddenAt = hiddenAt
        self.hiddenReason = hiddenReason
        self.reports = reports
    }

    public var isHidden: Bool { hiddenAt != nil }

    public static let maxBody = 1000

    /// The comment as typed, trimmed: `topic_comment_required`, `topic_comment_too_long`.
    public static func validate(_ raw: String) throws(DomainError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalid("topic_comment_required", field: "comment") }
        guard text.count <= maxBody else {
            throw .invalid("topic_comment_too_long", field: "comment", args: ["\(maxBody)"])
        }
        return text
    }
}

/// What someone may do in a topic's discussion.
public enum TopicCommentPolicy {
    /// Commenting: whoever may read the topic, while it is open and past its draft (`topic_comments_closed`).
    public static func requireComment(
        _ actor: Actor, on topic: Topic, in context: TopicContext
    ) throws(DomainError) -> Role {
        let role = try TopicPolicy.require(.read, of: actor, on: topic, in: context)
        guard actor.principal == .user, topic.state != .draft, topic.state.isOpen else {
            throw DomainError(.conflict, "topic_comments_closed")
        }
        return role
    }

    /// Hiding a comment: the topic's organisers, saying why (`topic_text_required`), once
    /// (`topic_comment_hidden_already`).
    public static func requireHide(
        _ actor: Actor, _ comment: TopicComment, on topic: Topic, in context: TopicContext, reason: String
    ) throws(DomainError) -> (Role, String) {
        let role = try TopicPolicy.require(.archive, of: actor, on: topicForModeration(topic), in: context)
        guard !comment.isHidden else { throw DomainError(.conflict, "topic_comment_hidden_already") }
        return (role, try TopicWorkflow.requiredText(reason, field: "reason"))
    }

    /// Reporting a comment: a reader of the topic, not its author (`topic_comment_report_own`), once
    /// (`topic_comment_reported_already`, checked by the store's unique row).
    public static func requireReport(
        _ actor: Actor, _ comment: TopicComment, on topic: Topic, in context: TopicContext
    ) throws(DomainError) -> Role {
        let role = try TopicPolicy.require(.read, of: actor, on: topic, in: context)
        guard actor.principal == .user, comment.authorUserID != actor.userID else {
            throw DomainError(.conflict, "topic_comment_report_own")
        }
        return role
    }

    /// Whether the actor moderates the topic's discussion (the hide button).
    public static func mayModerate(_ actor: Actor, on topic: Topic, in context: TopicContext) -> Bool {
        TopicPolicy.role(for: .archive, actor, topicForModeration(topic), context) != nil
    }

    /// Moderation stays open after a topic is archived, so the organiser's right is asked of an open topic.
    static func topicForModeration(_ topic: Topic) -> Topic {
        var t = topic
        if !t.state.isOpen { t.state = .decided }
        return t
    }
}
