import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

/// Raising a topic, from the form and from JSON alike. `place` names the scope as `community:12`, `estate:3` or
/// `building:40` (the form's choices); the API may send `place_kind` and `place_id` instead. `origin` is `resident`,
/// `partyMember` or `governanceBody` (with `body_id`); `submit` sends it out for co-signatures at once.
struct RaiseInput: Decodable, Sendable {
    var place: String?
    var placeKind: String?
    var placeId: LooseInt?
    var origin: String?
    var bodyId: LooseInt?
    var title: String?
    var body: String?
    var submit: LooseBool?

    enum CodingKeys: String, CodingKey {
        case place, origin, title, body, submit
        case placeKind = "place_kind"
        case placeId = "place_id"
        case bodyId = "body_id"
    }

    func proposal() throws -> TopicProposal {
        var kind = placeKind.flatMap(TopicScopeKind.init(rawValue:))
        var id = placeId?.value
        if let place, !place.isEmpty {
            let parts = place.split(separator: ":")
            if parts.count == 2 {
                kind = TopicScopeKind(rawValue: String(parts[0]))
                id = Int64(parts[1])
            }
        }
        guard let kind, let id else { throw DomainError.invalid("topic_place_invalid", field: "place") }
        let from: TopicOrigin
        switch origin ?? "resident" {
        case "", "resident": from = .resident
        case "partyMember": from = .partyMember
        case "governanceBody":
            guard let body = bodyId?.value else { throw DomainError.invalid("topic_body_unknown", field: "origin") }
            from = .governanceBody(bodyID: body)
        default: throw DomainError.invalid("topic_origin_invalid", field: "origin")
        }
        return TopicProposal(placeKind: kind, placeID: id, origin: from, title: title ?? "", body: self.body ?? "")
    }
}

/// Changing a draft's text.
struct TopicEditInput: Decodable, Sendable {
    var title: String?
    var body: String?
}

/// The steps that take only a note (placing on the agenda).
struct TopicNoteInput: Decodable, Sendable {
    var note: String?
}

/// Archiving with a reason (`declined`, `duplicate`, `concluded`) and a note.
struct TopicArchiveInput: Decodable, Sendable {
    var reason: String?
    var note: String?

    func command() throws -> TopicCommand {
        guard let reason = reason.flatMap(TopicArchiveReason.init(rawValue:)), reason != .withdrawn else {
            throw DomainError.invalid("topic_archive_reason_invalid", field: "reason")
        }
        return .archive(reason, note: note ?? "")
    }
}

/// Linking another case by its number.
struct TopicLinkCaseInput: Decodable, Sendable {
    var caseNumber: String?
    enum CodingKeys: String, CodingKey { case caseNumber = "case" }
}

/// A comment, or a moderator's or reader's reason.
struct TopicCommentInput: Decodable, Sendable {
    var comment: String?
    var reason: String?
}

/// One step of a topic: its capability (which names its URL) and how its input becomes a command. Pages and the API
/// register every step from this one list; `link_case` goes through its own route (it names a case by number).
struct TopicStep: Sendable {
    let capability: TopicCapability
    let fromData: @Sendable (Data) throws -> TopicCommand

    static func make<I: Decodable & Sendable>(
        _ capability: TopicCapability, _ input: I.Type, _ command: @escaping @Sendable (I) throws -> TopicCommand
    ) -> TopicStep {
        TopicStep(capability: capability) { data in
            let decoded: I
            do { decoded = try JSONDecoder().decode(I.self, from: data) } catch let error as DomainError {
                throw error
            } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
            return try command(decoded)
        }
    }

    /// The steps people take on the pages and the API; a meeting takes a topic up from its own page.
    static let all: [TopicStep] = [
        make(.edit, TopicEditInput.self) { .edit(title: $0.title ?? "", body: $0.body ?? "") },
        make(.submit, EmptyInput.self) { _ in .submit },
        make(.coSign, EmptyInput.self) { _ in .coSign },
        make(.placeOnAgenda, TopicNoteInput.self) { .placeOnAgenda(note: $0.note ?? "") },
        make(.withdraw, TopicNoteInput.self) { .archive(.withdrawn, note: $0.note ?? "") },
        make(.archive, TopicArchiveInput.self) { try $0.command() },
        make(.postpone, TopicReasonInput.self) { .postpone(reason: $0.reason ?? "") },
        make(.decide, TopicDecideInput.self) { .decide(resolutionID: nil, summary: $0.summary ?? "") },
    ]
}

extension Form {
    /// The form's fields (one value each) as JSON, for a step's input.
    var json: Data {
        (try? JSONSerialization.data(withJSONObject: values.compactMapValues { $0.first })) ?? Data("{}".utf8)
    }
}

extension Request {
    /// A step's JSON body (`{}` when empty), refused when it holds a NUL character.
    func stepData(context: AppRequestContext) async throws -> Data {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        if jsonHoldsNUL(data) { throw DomainError.invalid("text_nul") }
        return data
    }
}

extension Topic {
    /// The ETag of this version of the topic.
    var etag: String { "\"\(version)\"" }
}

/// Putting a topic off, saying why.
struct TopicReasonInput: Decodable, Sendable {
    var reason: String?
}

/// Recording what the meeting decided on a topic.
struct TopicDecideInput: Decodable, Sendable {
    var summary: String?
}

/// Scheduling a meeting, from the form and from JSON alike. `starts_at` is "2026-12-20T19:30" in Asia/Shanghai
/// (the form's datetime-local) or an ISO 8601 instant with its offset.
struct MeetingPlanInput: Decodable, Sendable {
    var community: LooseInt?
    var kind: String?
    var title: String?
    var place: String?
    var startsAt: String?
    var noticeReason: String?

    enum CodingKeys: String, CodingKey {
        case community, kind, title, place
        case startsAt = "starts_at"
        case noticeReason = "notice_reason"
    }

    func plan() throws -> MeetingPlan {
        guard let community = community?.value else {
            throw DomainError.invalid("meeting_community_invalid", field: "community")
        }
        guard let kind = kind.flatMap(MeetingKind.init(rawValue:)) else {
            throw DomainError.invalid("meeting_kind_unknown", field: "kind")
        }
        guard let start = startsAt.flatMap(Self.instant) else {
            throw DomainError.invalid("meeting_starts_invalid", field: "starts_at")
        }
        return MeetingPlan(
            communityID: community, kind: kind, title: title ?? "", place: place ?? "", startsAt: start,
            noticeReason: noticeReason ?? "")
    }

    static func instant(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = DateText.zone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

/// One step on a meeting: its capability and how its input becomes a command.
struct MeetingStep: Sendable {
    let capability: MeetingCapability
    let fromData: @Sendable (Data) throws -> MeetingCommand

    static func make<I: Decodable & Sendable>(
        _ capability: MeetingCapability, _ input: I.Type, _ command: @escaping @Sendable (I) throws -> MeetingCommand
    ) -> MeetingStep {
        MeetingStep(capability: capability) { data in
            let decoded: I
            do { decoded = try JSONDecoder().decode(I.self, from: data) } catch let error as DomainError {
                throw error
            } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
            return try command(decoded)
        }
    }

    struct TopicChoice: Decodable, Sendable { var topic: LooseInt? }
    struct Attendance: Decodable, Sendable {
        var basis: String?
        var entitled: LooseInt?
        var present: LooseInt?
    }
    /// A person signed in on (or taken off) the attendance sheet: their registry id; `basis` with the first one.
    struct Signer: Decodable, Sendable {
        var person: LooseInt?
        var basis: String?
    }
    /// An attachment taken off the record: its id.
    struct AttachmentChoice: Decodable, Sendable { var attachment: LooseInt? }
    struct MinutesText: Decodable, Sendable {
        var text: String?
        var reason: String?
        var summary: String?
    }

    static let all: [MeetingStep] = [
        make(.addTopic, TopicChoice.self) { i in
            guard let id = i.topic?.value else { throw DomainError.invalid("meeting_topic_unknown", field: "topic") }
            return .addTopic(topicID: id)
        },
        make(.hold, Attendance.self) { i in
            // Without a count the attendance sheet's is used; the domain refuses a hold with neither.
            guard let entitled = i.entitled?.value else {
                throw DomainError.invalid("meeting_count_invalid", field: "entitled")
            }
            return .hold(
                basis: i.basis.flatMap { $0.isEmpty ? nil : CountBasis(rawValue: $0) },
                entitled: Int(clamping: entitled),
                present: i.present?.value.map { Int(clamping: $0) })
        },
        make(.signIn, Signer.self) { i in
            guard let person = i.person?.value else {
                throw DomainError.invalid("attendance_person_required", field: "person")
            }
            var basis: CountBasis?
            if let text = i.basis, !text.isEmpty {
                guard let chosen = CountBasis(rawValue: text) else {
                    throw DomainError.invalid("attendance_basis_invalid", field: "basis", args: [text])
                }
                basis = chosen
            }
            return .signIn(personID: person, basis: basis)
        },
        make(.removeSignature, Signer.self) { i in
            guard let person = i.person?.value else {
                throw DomainError.invalid("attendance_person_required", field: "person")
            }
            return .removeSignature(personID: person)
        },
        make(.removeAttachment, AttachmentChoice.self) { i in
            guard let id = i.attachment?.value else {
                throw DomainError.invalid("meeting_attachment_unknown", field: "attachment")
            }
            return .removeAttachment(attachmentID: id)
        },
        make(.editMinutes, MinutesText.self) { .editMinutes(text: $0.text ?? "") },
        make(.publishMinutes, MinutesText.self) { .publishMinutes(summary: $0.summary ?? "") },
        make(.amendMinutes, MinutesText.self) { .amendMinutes(text: $0.text ?? "", reason: $0.reason ?? "") },
        make(.cancel, MinutesText.self) { .cancel(reason: $0.reason ?? "") },
    ]
}

extension Meeting {
    var etag: String { "\"\(version)\"" }
}
