import Foundation

/// A topic's life as a pure function: whether a step fits its state now, and what it looks like afterwards. Who may
/// take the step is the policy's question; writing it down is the store's `perform`.
///
/// draft → collecting → onAgenda, then either a meeting takes it up (`inMeeting`, `takeUp`) or an online vote with no
/// meeting is drafted on it (`inVote`, `putToVote`); from either it is decided (`decide`, by the meeting's or the
/// vote's resolution) or postponed back onto the agenda (the meeting did not reach it, the vote failed), or archived
/// (declined: a failed vote is a reason too).
public enum TopicWorkflow {
    /// Whether the topic's state allows the step now (ignoring who asks).
    public static func isAvailable(_ capability: TopicCapability, _ t: Topic, _ context: TopicContext) -> Bool {
        switch capability {
        case .read: true
        case .edit, .submit: t.state == .draft
        case .coSign:
            t.state == .collecting && !context.hasCoSigned && t.collectUntil.map { context.now < $0 } == true
        case .placeOnAgenda: [.draft, .collecting].contains(t.state)
        case .expire:
            t.state == .collecting && t.coSignatures < t.coSignatureThreshold
                && t.collectUntil.map { context.now >= $0 } == true
        case .takeUp, .putToVote: t.state == .onAgenda
        case .postpone, .decide: t.state == .inMeeting || t.state == .inVote
        case .archive: t.state != .archived
        case .withdraw: [.draft, .collecting, .onAgenda].contains(t.state)
        case .linkCase: t.state.isOpen
        }
    }

    /// The transition a command makes. Call after the policy's `require`; this checks the step's state and values:
    /// `topic_step_out_of_order` (args: the step, the state) when the state does not allow it, and the step's own
    /// reasons otherwise.
    public static func transition(
        _ command: TopicCommand, of current: Topic, by actor: Actor, in context: TopicContext
    )
        throws(DomainError) -> TopicTransition
    {
        let now = context.now
        let name = command.capability.rawValue
        guard isAvailable(command.capability, current, context) || command == .coSign else {
            throw DomainError(.conflict, "topic_step_out_of_order", args: [name, current.state.rawValue])
        }
        var next = current
        func done(
            _ note: String = "", _ audience: Set<TopicAudience> = [], result: String = "ok", effects: [TopicEffect] = []
        ) -> TopicTransition {
            TopicTransition(
                next: next, action: name, note: note, audience: audience, auditBefore: current.state.rawValue,
                auditAfter: next.state.rawValue, auditResult: result, effects: effects)
        }
        switch command {
        case .edit(let title, let body):
            (next.title, next.body) = try Topic.validate(title: title, body: body)
            return done()
        case .submit:
            _ = try Topic.validate(title: current.title, body: current.body)
            let rule = context.coSignatureRule
            guard rule.threshold >= 0, rule.windowDays > 0 else {
                throw .invalid("topic_cosign_rule_invalid", field: "threshold")
            }
            next.submittedAt = now
            next.coSignatureThreshold = rule.threshold
            next.collectUntil = now.addingTimeInterval(TimeInterval(rule.windowDays) * 86400)
            if rule.threshold == 0 {
                next.state = .onAgenda
                next.agendaAt = now
                return done("0/0", [.organisers, .scopeResidents], result: "threshold_reached")
            }
            next.state = .collecting
            return done("0/\(rule.threshold)", [.organisers])
        case .coSign:
            try checkCoSign(current, by: actor, in: context)
            next.coSignatures += 1
            let note = "\(next.coSignatures)/\(next.coSignatureThreshold)"
            let effects = [TopicEffect.coSignature(userID: actor.userID)]
            guard next.coSignatures >= next.coSignatureThreshold else { return done(note, effects: effects) }
            next.state = .onAgenda
            next.agendaAt = now
            return done(
                note, [.proposer, .coSigners, .organisers, .scopeResidents], result: "threshold_reached",
                effects: effects)
        case .placeOnAgenda(let note):
            next.state = .onAgenda
            next.agendaAt = now
            next.placedByOrganiser = true
            if current.state == .draft { next.submittedAt = now }
            return done(try optionalText(note), [.proposer, .coSigners, .scopeResidents], result: "organiser")
        case .expire:
            next.state = .archived
            next.archiveReason = .expired
            next.archivedAt = now
            return done(
                "\(current.coSignatures)/\(current.coSignatureThreshold)", [.proposer, .coSigners],
                result: TopicArchiveReason.expired.rawValue)
        case .takeUp(let meetingID):
            next.state = .inMeeting
            next.meetingID = meetingID
            return done("\(meetingID)", [.proposer, .coSigners])
        case .putToVote(let voteID):
            next.state = .inVote
            next.voteID = voteID
            return done("\(voteID)", [.proposer, .coSigners])
        case .postpone(let reason):
            let text = try requiredText(reason, field: "reason")
            next.state = .onAgenda
            next.meetingID = nil
            next.voteID = nil
            return done(text, [.proposer, .coSigners])
        case .decide(let resolutionID, let summary):
            let text = try requiredText(summary, field: "summary")
            next.state = .decided
            next.decidedAt = now
            next.resolutionID = resolutionID
            return done(text, [.proposer, .coSigners, .scopeResidents, .caseReporters])
        case .archive(let reason, let note):
            try checkArchive(reason, of: current, by: actor)
            let text =
                reason == .withdrawn || reason == .concluded
                ? try optionalText(note) : try requiredText(note, field: "note")
            next.state = .archived
            next.archiveReason = reason
            next.archivedAt = now
            return done(text, [.proposer, .coSigners, .organisers], result: reason.rawValue)
        case .linkCase(let caseID):
            guard caseID != current.caseID, !context.linkedCaseIDs.contains(caseID) else {
                throw DomainError(.conflict, "topic_case_linked_already")
            }
            return TopicTransition(
                next: next, action: name, note: "\(caseID)", audience: [.caseReporters], auditAfter: "\(caseID)",
                effects: [.linkCase(caseID: caseID)])
        }
    }

    /// Co-signing: while collecting and inside the window (`topic_cosign_window_closed`, also at its last instant),
    /// not one's own topic (`topic_cosign_own`), once (`topic_cosign_twice`), from inside the scope
    /// (`topic_cosign_outside_scope`).
    static func checkCoSign(_ t: Topic, by actor: Actor, in context: TopicContext) throws(DomainError) {
        guard t.state == .collecting else {
            throw DomainError(.conflict, "topic_step_out_of_order", args: ["co_sign", t.state.rawValue])
        }
        guard let until = t.collectUntil, context.now < until else {
            throw DomainError(.conflict, "topic_cosign_window_closed")
        }
        guard actor.principal == .user, actor.userID != t.proposerUserID else {
            throw DomainError(.conflict, "topic_cosign_own")
        }
        guard !context.hasCoSigned else { throw DomainError(.conflict, "topic_cosign_twice") }
        guard context.actorInScope else { throw DomainError(.forbidden, "topic_cosign_outside_scope") }
    }

    /// Archiving reasons: `expired` is the scan's (`topic_archive_reason_invalid`); the proposer withdraws only
    /// before a meeting takes it up (`withdraw` is then out of order); `concluded` only once decided, and a decided
    /// topic is only concluded (`topic_archive_reason_invalid`).
    static func checkArchive(_ reason: TopicArchiveReason, of t: Topic, by actor: Actor) throws(DomainError) {
        switch reason {
        case .expired: throw .invalid("topic_archive_reason_invalid", field: "reason")
        case .withdrawn: break
        case .concluded:
            guard t.state == .decided else { throw .invalid("topic_archive_reason_invalid", field: "reason") }
        case .declined, .duplicate:
            guard t.state != .decided else { throw .invalid("topic_archive_reason_invalid", field: "reason") }
        }
    }

    /// Text a step requires (`topic_text_required`, `topic_text_too_long`), trimmed.
    public static func requiredText(_ text: String, field: String) throws(DomainError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("topic_text_required", field: field) }
        guard trimmed.count <= 2000 else { throw .invalid("topic_text_too_long", field: field) }
        return trimmed
    }

    /// Text a step may leave empty (`topic_text_too_long`), trimmed.
    public static func optionalText(_ text: String) throws(DomainError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= 2000 else { throw .invalid("topic_text_too_long", field: "note") }
        return trimmed
    }
}
