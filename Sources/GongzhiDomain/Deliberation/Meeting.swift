import Foundation

/// A meeting's place in its life: announced and scheduled, held (with its attendance and quorum recorded), or
/// cancelled. Raw values name the locale keys (`meeting_state_<raw>`).
public enum MeetingState: String, CaseIterable, Codable, Sendable { case scheduled, held, cancelled }

/// A deliberation meeting (议事会, 恳谈会, 听证会, 联席会议, 居民会议, 居民代表会议, 业主大会) of one community, decided
/// under the rule set in force on the day it was announced.
public struct Meeting: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    /// "HY20261124-000003".
    public var number: String
    public var communityID: Int64
    public var kind: MeetingKind
    public var title: String
    public var place: String
    public var startsAt: Date
    public var announcedAt: Date
    /// Why it was announced with a shorter notice than its kind's rule ("遇有特殊情况").
    public var noticeReason: String?
    /// The rule set it is held under (`DecisionRuleCatalogue.inForce(on:)` on the day it was announced).
    public var ruleSetID: String
    public var state: MeetingState
    /// Attendance, recorded when it is held: on which basis, out of how many, how many came.
    public var basis: CountBasis?
    public var entitled: Int?
    public var present: Int?
    /// Whether the attendance made it quorate (true for kinds without a quorum).
    public var quorate: Bool?
    public var heldAt: Date?
    public var minutes: Minutes
    /// The short summary published with the minutes (会议纪要摘要) for residents.
    public var summary: String
    public var cancelReason: String?
    public var version: Int

    public init(
        id: Int64, number: String, communityID: Int64, kind: MeetingKind, title: String, place: String,
        startsAt: Date, announcedAt: Date, noticeReason: String? = nil, ruleSetID: String,
        state: MeetingState = .scheduled, version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.place = place
        self.startsAt = startsAt
        self.announcedAt = announcedAt
        self.noticeReason = noticeReason
        self.ruleSetID = ruleSetID
        self.state = state
        self.minutes = Minutes(draft: "")
        self.summary = ""
        self.version = version
    }

    /// The meeting's number: the day it was announced and its id.
    public static func number(day: String, id: Int64) -> String {
        "HY" + day.replacingOccurrences(of: "-", with: "") + String(format: "-%06d", id)
    }
}

/// What someone may do with a meeting. Raw values name URLs, audit actions and locale keys (`meeting_step_<raw>`).
public enum MeetingCapability: String, CaseIterable, Codable, Sendable {
    case read
    case addTopic = "add_topic"
    case hold
    case editMinutes = "edit_minutes"
    case publishMinutes = "publish_minutes"
    case amendMinutes = "amend_minutes"
    case cancel
    /// Sign someone in on the attendance sheet, or take a mistaken signature off it, before it is held.
    case signIn = "sign_in"
    case removeSignature = "remove_signature"
    /// Keep a file with the meeting's record (会议附件), or take one off before the minutes are published.
    case attach
    case removeAttachment = "remove_attachment"
}

/// Every step on an existing meeting.
public enum MeetingCommand: Sendable, Equatable {
    /// Put a topic that is on the agenda on this meeting's agenda (the topic is then taken up).
    case addTopic(topicID: Int64)
    /// Record that it was held, with its attendance on a basis its kind allows. When the attendance sheet holds
    /// signatures, its basis and count are the attendance (`present` may then be left out).
    case hold(basis: CountBasis?, entitled: Int, present: Int?)
    case editMinutes(text: String)
    /// Publish the minutes with a short summary; from then on they change only by amendment.
    case publishMinutes(summary: String)
    case amendMinutes(text: String, reason: String)
    case cancel(reason: String)
    /// Sign a registry person in on the attendance sheet; `basis` chooses the sheet's basis with its first signature.
    case signIn(personID: Int64, basis: CountBasis?)
    case removeSignature(personID: Int64)
    /// Keep a file with the record: its name and bytes (`MeetingAttachmentRules`).
    case attach(name: String, bytes: [UInt8])
    case removeAttachment(attachmentID: Int64)

    public var capability: MeetingCapability {
        switch self {
        case .addTopic: .addTopic
        case .hold: .hold
        case .editMinutes: .editMinutes
        case .publishMinutes: .publishMinutes
        case .amendMinutes: .amendMinutes
        case .cancel: .cancel
        case .signIn: .signIn
        case .removeSignature: .removeSignature
        case .attach: .attach
        case .removeAttachment: .removeAttachment
        }
    }

    /// Signatures and their removals are entries on the sheet, not edits of the meeting: two clerks signing people
    /// in at the door each act on the sheet as it is when the step is taken (the sheet's own rules refuse a second
    /// signature), so a page loaded before the other clerk's entry is not "changed meanwhile".
    public var isSheetEntry: Bool {
        switch self {
        case .signIn, .removeSignature: true
        default: false
        }
    }
}

/// Facts about a meeting its policy and workflow need.
public struct MeetingContext: Sendable, Equatable {
    public var now: Date
    /// The community's path.
    public var path: String
    /// The actor lives in the meeting's community.
    public var actorInCommunity: Bool
    /// The rules of its kind in the rule set it is held under.
    public var rules: MeetingRules
    /// The attendance sheet as it stands (nil while nobody has signed).
    public var attendance: AttendanceSheet?
    /// How many attachments the meeting holds (counted by the store for `attach` only).
    public var attachmentCount: Int

    public init(
        now: Date, path: String, actorInCommunity: Bool, rules: MeetingRules, attendance: AttendanceSheet? = nil,
        attachmentCount: Int = 0
    ) {
        self.now = now
        self.path = path
        self.actorInCommunity = actorInCommunity
        self.rules = rules
        self.attendance = attendance
        self.attachmentCount = attachmentCount
    }
}

/// Who may do what with a meeting: its community's organisers run it; the community's residents and the staff of
/// the area read it.
public enum MeetingPolicy {
    public static func capabilities(
        of actor: Actor, on m: Meeting, in context: MeetingContext
    ) -> Set<MeetingCapability> {
        Set(
            MeetingCapability.allCases.filter {
                role(for: $0, actor, context) != nil && MeetingWorkflow.isAvailable($0, m)
            })
    }

    /// The role that allows the step, or "not found" for who may not read the meeting, "forbidden" for a reader,
    /// `meeting_step_out_of_order` when its state does not allow it now.
    @discardableResult
    public static func require(
        _ capability: MeetingCapability, of actor: Actor, on m: Meeting, in context: MeetingContext
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, context) else {
            throw role(for: .read, actor, context) != nil ? DomainError.forbidden : .outsideJurisdiction
        }
        guard MeetingWorkflow.isAvailable(capability, m) else {
            throw MeetingWorkflow.unavailable(capability, m)
        }
        return role
    }

    /// Whether the actor may read the meeting's attachments: its organisers and the area's staff always, the
    /// community's residents once the minutes are published.
    public static func mayReadAttachments(_ actor: Actor, _ m: Meeting, in context: MeetingContext) -> Bool {
        guard actor.principal == .user, role(for: .read, actor, context) != nil else { return false }
        return m.minutes.isPublished || organiser(actor, context.path) != nil
            || staffReader(actor, context.path) != nil
    }

    /// Scheduling a meeting: the community's organisers.
    public static func requireSchedule(_ actor: Actor, communityPath: String) throws(DomainError) -> Role {
        guard actor.principal == .user, let role = organiser(actor, communityPath) else { throw DomainError.forbidden }
        return role
    }

    /// The organiser role the actor holds over the community at `path`, if any.
    public static func organiser(_ actor: Actor, _ path: String) -> Role? {
        actor.grants.first { TopicPolicy.organiserRoles.contains($0.role) && NodePath.isInside(path, $0.nodePath) }?
            .role
    }

    static func role(for capability: MeetingCapability, _ actor: Actor, _ context: MeetingContext) -> Role? {
        guard actor.principal == .user else { return nil }
        if capability != .read { return organiser(actor, context.path) }
        return staffReader(actor, context.path)
            ?? (context.actorInCommunity ? actor.grants.first?.role ?? .resident : nil)
    }

    /// The staff role that reads the meetings of the community at `path` (its area's staff), if any.
    static func staffReader(_ actor: Actor, _ path: String) -> Role? {
        actor.grants.first {
            $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                && NodePath.isInside(path, $0.nodePath)
        }?.role
    }
}

/// A meeting's life as pure functions.
public enum MeetingWorkflow {
    public static let maxTitle = 80

    public static func isAvailable(_ capability: MeetingCapability, _ m: Meeting) -> Bool {
        switch capability {
        case .read: true
        case .addTopic, .hold, .cancel, .signIn, .removeSignature: m.state == .scheduled
        case .editMinutes, .publishMinutes: m.state == .held && !m.minutes.isPublished
        case .amendMinutes: m.state == .held && m.minutes.isPublished
        // Files are kept while it is scheduled or held; once the minutes are published the record is fixed.
        case .attach: m.state != .cancelled
        case .removeAttachment: m.state != .cancelled && !m.minutes.isPublished
        }
    }

    /// Why a step is not available now: the attendance sheet is closed, the record is fixed by the published
    /// minutes (`meeting_attachment_record_fixed`), or the step is out of order in the meeting's state.
    public static func unavailable(_ capability: MeetingCapability, _ m: Meeting) -> DomainError {
        if capability == .signIn || capability == .removeSignature {
            return DomainError(.conflict, "attendance_meeting_closed")
        }
        if capability == .removeAttachment, m.minutes.isPublished {
            return DomainError(.conflict, "meeting_attachment_record_fixed")
        }
        return DomainError(.conflict, "meeting_step_out_of_order", args: [capability.rawValue, m.state.rawValue])
    }

    /// Checks a new meeting: its title (`meeting_title_required`, `meeting_title_too_long`), a start after now
    /// (`meeting_starts_in_past`) and its kind's notice period (`meeting_notice_too_short` unless the rules allow a
    /// shorter notice and `noticeReason` says why). Returns the title and place trimmed, and the reason when it was
    /// needed.
    public static func checkSchedule(
        title rawTitle: String, place rawPlace: String, startsAt: Date, noticeReason: String, now: Date,
        rules: MeetingRules
    ) throws(DomainError) -> (title: String, place: String, reason: String?) {
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        let place = rawPlace.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid("meeting_title_required", field: "title") }
        guard title.count <= maxTitle else {
            throw .invalid("meeting_title_too_long", field: "title", args: ["\(maxTitle)"])
        }
        guard !place.isEmpty, place.count <= 200 else { throw .invalid("meeting_place_required", field: "place") }
        guard startsAt > now else { throw .invalid("meeting_starts_in_past", field: "starts_at") }
        let reason = noticeReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 2000 else { throw .invalid("topic_text_too_long", field: "notice_reason") }
        // The form asks for the start and, for a short notice, the reason: the notice's errors point there.
        let needed: Bool
        do {
            needed =
                try rules.notice?.check(
                    announcedOn: CalendarDate(now), meetingOn: CalendarDate(startsAt), specialReason: reason) ?? false
        } catch {
            throw DomainError(
                error.kind, error.key, field: error.key == "meeting_notice_too_short" ? "notice_reason" : "starts_at",
                args: error.args)
        }
        return (title, place, needed ? reason : nil)
    }

    /// The meeting after a step, and the line its timeline and audit entry carry.
    public static func transition(
        _ command: MeetingCommand, of current: Meeting, by actor: Actor, in context: MeetingContext
    ) throws(DomainError) -> (next: Meeting, action: String, note: String) {
        let name = command.capability.rawValue
        guard isAvailable(command.capability, current) else { throw unavailable(command.capability, current) }
        var next = current
        switch command {
        case .addTopic(let topicID):
            return (next, name, "\(topicID)")
        case .hold(let typedBasis, let entitled, let typedPresent):
            guard context.now >= current.startsAt else { throw DomainError(.conflict, "meeting_not_started") }
            let (basis, present) = try heldAttendance(
                basis: typedBasis, present: typedPresent, sheet: context.attendance)
            guard entitled > 0, (0...entitled).contains(present) else {
                throw .invalid("meeting_count_invalid", field: "present")
            }
            var quorate = true
            if let quorum = context.rules.quorum {
                guard let basis, quorum.bases.contains(basis) else {
                    throw .invalid("meeting_basis_not_allowed", field: "basis", args: [basis?.rawValue ?? ""])
                }
                quorate =
                    ThresholdCheck(.attendance, part: Int64(present), of: Int64(entitled), threshold: quorum.threshold)
                    .isMet
            }
            next.state = .held
            next.heldAt = context.now
            next.basis = basis
            next.entitled = entitled
            next.present = present
            next.quorate = quorate
            return (next, name, "\(present)/\(entitled)")
        case .editMinutes(let text):
            next.minutes = try current.minutes.edited(text)
            return (next, name, "")
        case .publishMinutes(let summary):
            let text = summary.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw .invalid("meeting_summary_required", field: "summary") }
            guard text.count <= 2000 else { throw .invalid("topic_text_too_long", field: "summary") }
            next.minutes = try current.minutes.published(at: context.now)
            next.summary = text
            return (next, name, "")
        case .amendMinutes(let text, let reason):
            next.minutes = try current.minutes.amended(text, reason: reason, by: actor.storedUserID, at: context.now)
            return (next, name, reason.trimmingCharacters(in: .whitespacesAndNewlines))
        case .cancel(let reason):
            next.state = .cancelled
            next.cancelReason = try TopicWorkflow.requiredText(reason, field: "reason")
            return (next, name, next.cancelReason ?? "")
        case .signIn, .removeSignature:
            // The sheet's own rules (`AttendanceSheet.signIn`, `removing`) run in the store with the signer's
            // registry record; the meeting itself only moves on a version.
            return (next, name, "")
        case .attach(let rawName, let bytes):
            // The timeline names the file; its bytes go to the attachments' table in the store.
            let checked = try MeetingAttachmentRules.check(
                name: rawName, bytes: bytes, existing: context.attachmentCount)
            return (next, name, checked.name)
        case .removeAttachment:
            // The store names the file it took off on the timeline.
            return (next, name, "")
        }
    }

    /// The attendance a meeting is held with: the sheet's basis and count when it holds signatures (a typed count
    /// or basis that differs is refused: `attendance_sheet_present_differs`, `attendance_basis_invalid`), the typed
    /// ones otherwise (`meeting_count_invalid` without a count).
    public static func heldAttendance(
        basis: CountBasis?, present: Int?, sheet: AttendanceSheet?
    ) throws(DomainError) -> (basis: CountBasis?, present: Int) {
        guard let sheet, sheet.present > 0 else {
            guard let present else { throw .invalid("meeting_count_invalid", field: "present") }
            return (basis, present)
        }
        guard basis == nil || basis == sheet.basis else {
            throw .invalid("attendance_basis_invalid", field: "basis", args: [sheet.basis.rawValue])
        }
        guard present == nil || present == sheet.present else {
            throw .invalid("attendance_sheet_present_differs", field: "present", args: ["\(sheet.present)"])
        }
        return (sheet.basis, sheet.present)
    }

    /// The quorum's arithmetic for the page ("12 / 20 = 3/5, more than 1/2"), when the kind has one and it was held.
    public static func quorumCheck(_ m: Meeting, rules: MeetingRules) -> ThresholdCheck? {
        guard let quorum = rules.quorum, let entitled = m.entitled, let present = m.present else { return nil }
        return ThresholdCheck(.attendance, part: Int64(present), of: Int64(entitled), threshold: quorum.threshold)
    }
}
