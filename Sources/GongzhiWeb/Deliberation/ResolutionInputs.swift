import Foundation
import GongzhiDomain
import GongzhiStore

/// Every URL of resolutions and the public deliberation pages, used by routes and views alike.
enum ResolutionURL {
    case list
    case new
    case show(Int64)
    case step(Int64, ResolutionCapability)
    case photo(Int64, Int64)
    case publicCommunity(Int64)
    case publicResolution(String)
    /// A published vote's result on the public face (issue 13 item 7).
    case publicVote(String)
    case apiList
    case api(Int64)

    var path: String {
        switch self {
        case .list: "/deliberation/resolutions"
        case .new: "/deliberation/resolutions/new"
        case .show(let id): "/deliberation/resolutions/\(id)"
        case .step(let id, let step): "/deliberation/resolutions/\(id)/\(step.rawValue)"
        case .photo(let id, let photo): "/deliberation/resolutions/\(id)/photos/\(photo)"
        case .publicCommunity(let id): "/public/communities/\(id)"
        case .publicResolution(let number): "/public/resolutions/\(number)"
        case .publicVote(let number): "/public/votes/\(number)"
        case .apiList: "/resolutions"
        case .api(let id): "/resolutions/\(id)"
        }
    }

    /// The route pattern of a step, on the pages or (with `api`) under /api/v1.
    static func stepPattern(_ step: ResolutionCapability, api: Bool = false) -> String {
        api ? "/resolutions/:id/\(step.rawValue)" : "/deliberation/resolutions/:id/\(step.rawValue)"
    }

    /// The steps people take by hand (the scan's own step has no route).
    static let steps: [ResolutionCapability] = [.reportProgress, .complete, .openReview, .rate, .escalate]
}

/// Text lines sent as a JSON array or as one text with a line each (a form's textarea).
struct LooseLines: Decodable, Sendable, Equatable {
    let lines: [String]
    init(_ lines: [String]) { self.lines = lines }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            lines = []
        } else if let list = try? c.decode([String].self) {
            lines = list
        } else {
            lines = try c.decode(String.self).split(whereSeparator: \.isNewline).map(String.init)
        }
        // Blank lines say nothing; each line is one piece of evidence or one executor.
    }
    var cleaned: [String] {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A resolution to adopt, from the form or JSON alike: `executors` name `person:<user id>`, `body:<id>` or
/// `department:<unit id>`; the deadline is a day (2026-12-31).
struct ResolutionDraftInput: Decodable, Sendable {
    var meeting: LooseInt?
    var vote: LooseInt?
    var topic: LooseInt?
    var text: String?
    var executors: LooseLines?
    var deadline: String?

    func draft() throws -> ResolutionDraft {
        // A resolution comes from a held meeting, or from a closed vote taken online with no meeting.
        guard meeting?.value != nil || vote?.value != nil else {
            throw DomainError.invalid("resolution_source_required", field: "meeting")
        }
        guard let deadline = deadline.flatMap({ CalendarDate($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw DomainError.invalid("resolution_deadline_invalid", field: "deadline")
        }
        let executors = try (executors?.cleaned ?? []).map { value throws -> Executor in
            let parts = value.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[1]) else {
                throw DomainError.invalid("resolution_executor_unknown", field: "executors")
            }
            switch parts[0] {
            case "person": return .person(id)
            case "body": return .body(id)
            case "department": return .department(id)
            default: throw DomainError.invalid("resolution_executor_unknown", field: "executors")
            }
        }
        return ResolutionDraft(
            meetingID: meeting?.value, voteID: vote?.value, topicID: topic?.value, text: text ?? "",
            executors: executors,
            deadline: deadline)
    }
}

/// One step on a resolution: its capability and how its input becomes a command.
struct ResolutionStepInput: Decodable, Sendable {
    var note: String?
    var evidence: LooseLines?
    var percentDone: LooseInt?
    var rating: String?
    var comment: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case note, evidence, rating, comment, reason
        case percentDone = "percent_done"
    }

    func command(_ step: ResolutionCapability) throws -> ResolutionCommand {
        switch step {
        case .reportProgress:
            guard let percent = percentDone?.value else {
                throw DomainError.invalid("resolution_percent_invalid", field: "percent_done")
            }
            return .reportProgress(
                note: note ?? "", evidence: evidence?.cleaned ?? [], percentDone: Int(clamping: percent))
        case .complete: return .complete(note: note ?? "", evidence: evidence?.cleaned ?? [])
        case .openReview: return .openReview
        case .rate:
            guard let rating = rating.flatMap(CaseRating.init(rawValue:)) else {
                throw DomainError.invalid("resolution_rating_required", field: "rating")
            }
            return .rate(rating, comment: comment ?? "")
        case .escalate: return .escalate(reason: reason ?? "")
        case .read, .escalateOverdue: throw DomainError.notFound
        }
    }

    static func decode(_ data: Data) throws -> ResolutionStepInput {
        do { return try JSONDecoder().decode(ResolutionStepInput.self, from: data) } catch let error as DomainError {
            throw error
        } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
    }
}

extension Resolution {
    var etag: String { "\"\(version)\"" }
}

extension CalendarDate {
    /// 2026年6月30日 in Chinese, 2026-06-30 in English.
    func text(_ language: Language) -> String {
        language == .zh ? "\(year)年\(month)月\(day)日" : description
    }
}
