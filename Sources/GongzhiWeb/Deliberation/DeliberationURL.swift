import Foundation
import GongzhiDomain

/// Every URL of the deliberation module, used by routes and views alike.
enum DeliberationURL {
    case list
    case new
    /// Raising a topic (POST).
    case create
    case show(Int64)
    case step(Int64, TopicCapability)
    case comment(Int64)
    case hideComment(Int64)
    case reportComment(Int64)
    case meetings
    case newMeeting
    case meeting(Int64)
    case meetingStep(Int64, MeetingCapability)
    case apiList
    case api(Int64)
    case apiStep(Int64, TopicCapability)
    case apiComments(Int64)
    case apiHideComment(Int64)
    case apiReportComment(Int64)

    var path: String {
        switch self {
        case .list: "/deliberation"
        case .new: "/deliberation/topics/new"
        case .create: "/deliberation/topics"
        case .show(let id): "/deliberation/topics/\(id)"
        case .step(let id, let step): "/deliberation/topics/\(id)/\(step.rawValue)"
        case .comment(let id): "/deliberation/topics/\(id)/comments"
        case .hideComment(let id): "/deliberation/comments/\(id)/hide"
        case .reportComment(let id): "/deliberation/comments/\(id)/report"
        case .meetings: "/deliberation/meetings"
        case .newMeeting: "/deliberation/meetings/new"
        case .meeting(let id): "/deliberation/meetings/\(id)"
        case .meetingStep(let id, let step): "/deliberation/meetings/\(id)/\(step.rawValue)"
        case .apiList: "/topics"
        case .api(let id): "/topics/\(id)"
        case .apiStep(let id, let step): "/topics/\(id)/\(step.rawValue)"
        case .apiComments(let id): "/topics/\(id)/comments"
        case .apiHideComment(let id): "/topic-comments/\(id)/hide"
        case .apiReportComment(let id): "/topic-comments/\(id)/report"
        }
    }

    /// The route pattern of a meeting's step, on the pages or (with `api`) under /api/v1.
    static func meetingStepPattern(_ step: MeetingCapability, api: Bool = false) -> String {
        api ? "/meetings/:id/\(step.rawValue)" : "/deliberation/meetings/:id/\(step.rawValue)"
    }

    /// The route pattern of a step, on the pages or (with `api`) under /api/v1.
    static func stepPattern(_ step: TopicCapability, api: Bool = false) -> String {
        api ? "/topics/:id/\(step.rawValue)" : "/deliberation/topics/:id/\(step.rawValue)"
    }
}
