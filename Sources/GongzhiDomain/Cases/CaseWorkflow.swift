import Foundation

/// The closed loop as a pure function: whether a step fits the case's state now, and what the case looks like
/// afterwards. Who may take the step is `CasePolicy`'s question; writing it down is the store's `perform`.
public enum CaseWorkflow {
    public static let maxReopens = 1
    static let inHand: Set<CaseStatus> = [.dispatched, .handling, .reportedBack]

    /// Whether the case's state allows the step now (ignoring who asks).
    public static func isAvailable(_ capability: CaseCapability, _ c: Case, _ context: CaseContext) -> Bool {
        switch capability {
        case .read, .seeReporter: true
        case .file: c.status == .submitted
        case .reject, .resolveAtOnce, .merge: [.submitted, .filed].contains(c.status)
        case .dispatch: c.status == .filed
        case .acceptHandling: c.status == .dispatched
        case .returnCase: [.dispatched, .handling].contains(c.status)
        case .reportBack: c.status == .handling
        case .verify: c.status == .reportedBack
        case .rate: c.status == .closed && c.rating == nil && c.mergedIntoID == nil
        case .requestExtension:
            [.dispatched, .handling].contains(c.status) && c.resolveBy != nil && context.pendingExtension == nil
        case .decideExtension: context.pendingExtension != nil && c.status.isOpen
        case .escalate: c.status.isOpen && c.escalationLevel < Escalation.maxLevel
        case .escalateOverdue:
            Escalation.automaticLevel(status: c.status, resolveBy: c.resolveBy, now: context.now) > c.escalationLevel
        case .referToDeliberation: GridStep.referToDeliberation.allowed(in: c.status)
        case .review: GridStep.review.allowed(in: c.status)
        case .followUp: GridStep.followUp.allowed(in: c.status)
        case .mediate: c.kind == .dispute && [.filed, .dispatched, .handling].contains(c.status)
        case .setFacility: c.status.isOpen && c.mergedIntoID == nil
        case .addPhoto: c.status.isOpen && context.photoCount < PhotoRules.maxPerCase
        case .follow: !context.following && c.mergedIntoID == nil
        case .unfollow: context.following
        case .support: c.status.isOpen && !context.supporting && c.mergedIntoID == nil
        }
    }

    /// The transition a command makes. Call after `CasePolicy.require`; this checks the command's own values.
    public static func transition(
        _ command: CaseCommand, of current: Case, by actor: Actor, in context: CaseContext
    )
        throws(DomainError) -> CaseTransition
    {
        let now = context.now
        var next = current
        let name = command.capability.rawValue
        func done(_ note: String = "", _ audience: Set<CaseAudience> = [], effects: [CaseEffect] = []) -> CaseTransition
        {
            CaseTransition(
                next: next, action: name, note: note, audience: audience, auditBefore: current.status.rawValue,
                auditAfter: next.status.rawValue, effects: effects)
        }
        switch command {
        case .file(let category):
            next.status = .filed
            next.categoryID = category ?? current.categoryID
            return done("", [.reporter])
        case .reject(let reason):
            let text = try requireText(reason, field: "reason")
            next.status = .rejected
            next.closedAt = now
            return done(text, [.reporter])
        case .resolveAtOnce(let result):
            let text = try requireText(result, field: "result")
            next.status = .closed
            next.closedAt = now
            return done(text, [.reporter])
        case .dispatch(let unit, let respondBy, let resolveBy):
            guard let unitID = unit ?? context.routing?.unitID else {
                throw .invalid("routing_rule_missing", field: "unit")
            }
            if let usable = context.usableUnits, !usable.contains(unitID) {
                throw .invalid("unit_not_usable", field: "unit")
            }
            guard let respond = respondBy ?? context.routing?.respondBy,
                let resolve = resolveBy ?? context.routing?.resolveBy
            else {
                throw .invalid("routing_rule_missing", field: "unit")
            }
            guard respond > now, resolve >= respond else {
                throw .invalid("case_deadline_invalid", field: "resolve_by")
            }
            next.status = .dispatched
            next.unitID = unitID
            next.respondBy = respond
            next.resolveBy = resolve
            next.respondedAt = nil
            return done("", [.reporter, .unitMembers])
        case .acceptHandling:
            next.status = .handling
            next.respondedAt = current.respondedAt ?? now
            return done()
        case .returnCase(let reason):
            let text = try requireText(reason, field: "reason")
            next.status = .filed
            next.unitID = nil
            next.respondBy = nil
            next.resolveBy = nil
            // The next unit's response is measured afresh.
            next.respondedAt = nil
            return done(text, [.communityWorkers])
        case .reportBack(let result):
            let text = try requireText(result, field: "result")
            next.status = .reportedBack
            return done(text, [.reporter, .communityWorkers])
        case .verify(let passed, let note):
            if passed {
                next.status = .closed
                next.closedAt = now
            } else {
                _ = try requireText(note, field: "note")
                next.status = .handling
            }
            return done(note.trimmingCharacters(in: .whitespacesAndNewlines), [.reporter, .unitMembers])
        case .rate(let rating, let comment, let reopen):
            let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count <= 2000 else { throw .invalid("case_text_too_long", field: "note") }
            next.rating = rating
            next.ratingComment = text.isEmpty ? nil : text
            if reopen {
                guard rating == .dissatisfied else { throw .invalid("case_reopen_needs_dissatisfied", field: "reopen") }
                guard current.reopenCount < maxReopens, current.unitID != nil else {
                    throw DomainError(.conflict, "case_reopen_limit")
                }
                next.status = .handling
                next.closedAt = nil
                next.reopenCount += 1
                // A reopened case gets new deadlines: the rule's from now, or the old ones moved by the time it lay closed.
                if let routing = context.routing {
                    next.respondBy = routing.respondBy
                    next.resolveBy = routing.resolveBy
                } else if let closed = current.closedAt {
                    let pause = now.timeIntervalSince(closed)
                    next.respondBy = current.respondBy?.addingTimeInterval(pause)
                    next.resolveBy = current.resolveBy?.addingTimeInterval(pause)
                }
            }
            return CaseTransition(
                next: next, action: name, note: text, audience: [.unitMembers], auditBefore: current.status.rawValue,
                auditAfter: next.status.rawValue, auditResult: rating.rawValue)
        case .requestExtension(let until, let reason):
            let text = try requireText(reason, field: "reason")
            guard let due = current.resolveBy, until > due, until > now else {
                throw .invalid("extension_until_invalid", field: "until")
            }
            let request = ExtensionRequest(until: until, reason: text, requestedBy: actor.storedUserID)
            return CaseTransition(
                next: next, action: name, note: text, audience: [.communityWorkers],
                auditAfter: "\(until.epochMillis)", effects: [.extensionRequested(request)])
        case .decideExtension(let approve, let note):
            guard let pending = context.pendingExtension else { throw DomainError(.conflict, "extension_none_pending") }
            if approve { next.resolveBy = pending.until }
            let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count <= 2000 else { throw .invalid("case_text_too_long", field: "note") }
            return CaseTransition(
                next: next, action: approve ? "approve_extension" : "refuse_extension", note: text,
                audience: [.unitMembers], auditBefore: current.resolveBy.map { "\($0.epochMillis)" },
                auditAfter: next.resolveBy.map { "\($0.epochMillis)" },
                effects: [.extensionDecided(approved: approve, note: text)])
        case .escalate(let reason):
            let text = try requireText(reason, field: "reason")
            next.escalationLevel += 1
            next.escalatedAt = now
            return CaseTransition(
                next: next, action: "escalate", note: text,
                audience: [.watchers(level: next.escalationLevel), .unitMembers],
                auditBefore: "\(current.escalationLevel)", auditAfter: "\(next.escalationLevel)", auditResult: "manual")
        case .escalateOverdue:
            next.escalationLevel = Escalation.automaticLevel(
                status: current.status, resolveBy: current.resolveBy, now: now)
            next.escalatedAt = now
            return CaseTransition(
                next: next, action: "escalate", note: "auto:\(next.escalationLevel)",
                audience: [.watchers(level: next.escalationLevel), .unitMembers, .reporter],
                auditBefore: "\(current.escalationLevel)", auditAfter: "\(next.escalationLevel)",
                auditResult: "automatic")
        case .gridStep(let step, let note):
            let text = try requireText(note, field: "note")
            return CaseTransition(next: next, action: step.rawValue, note: text, effects: [.gridStep(step, note: text)])
        case .mediate(let session):
            let valid = try session.validated()
            return CaseTransition(
                next: next, action: name, note: "\(valid.method.rawValue)/\(valid.outcome.rawValue)",
                auditAfter: valid.outcome.rawValue, effects: [.mediation(valid)])
        case .merge(let intoNumber):
            guard intoNumber.trimmingCharacters(in: .whitespaces) != current.number else {
                throw .invalid("merge_same_case", field: "into")
            }
            guard let primary = context.mergeTarget, primary.id != current.id,
                primary.communityID == current.communityID
            else {
                throw .invalid("merge_case_unknown", field: "into")
            }
            guard primary.status.isOpen else { throw .invalid("merge_into_closed", field: "into") }
            next.status = .rejected
            next.closedAt = now
            next.mergedIntoID = primary.id
            return CaseTransition(
                next: next, action: name, note: primary.number, audience: [.reporter],
                auditBefore: current.status.rawValue, auditAfter: "\(primary.id)", effects: [.mergedInto(primary)])
        case .setFacility(let code):
            // The timeline says which facility it is about now; clearing is its own line.
            let before = current.facilityID.map(String.init) ?? ""
            if code.trimmingCharacters(in: .whitespaces).isEmpty {
                guard current.facilityID != nil else { throw .invalid("case_facility_none", field: "facility") }
                next.facilityID = nil
                return CaseTransition(next: next, action: "clear_facility", auditBefore: before, auditAfter: "")
            }
            guard let target = context.facilityTarget else {
                throw .invalid("case_facility_unknown", field: "facility", args: [code])
            }
            guard target.id != current.facilityID else {
                throw .invalid("case_facility_unchanged", field: "facility", args: [target.code])
            }
            next.facilityID = target.id
            return CaseTransition(
                next: next, action: name, note: target.code, auditBefore: before, auditAfter: "\(target.id)")
        case .addPhoto(let bytes):
            let type = try PhotoRules.contentType(of: bytes)
            return CaseTransition(next: next, action: name, effects: [.photo(contentType: type, bytes: bytes)])
        case .follow, .support, .unfollow:
            var t = CaseTransition(
                next: next, action: name,
                effects: command == .unfollow ? [.unfollow] : [.follow(support: command == .support)])
            t.keepsCase = true
            return t
        }
    }

    @discardableResult
    static func requireText(_ text: String, field: String) throws(DomainError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("case_text_required", field: field) }
        guard trimmed.count <= 2000 else { throw .invalid("case_text_too_long", field: field) }
        return trimmed
    }
}
