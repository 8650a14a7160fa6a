import Foundation
import GongzhiDomain
import GongzhiStore

/// A residents' meeting under way today in the first community, its attendance sheet part-filled at the door
/// (issue 13): the demo worker goes on signing households in, and holds it once enough have come.
enum DemoAttendance {
    /// Writes the meeting and its first signatures; returns how many households signed.
    static func build(_ meetings: MeetingBulk, community: Node, now: Date) async throws -> Int {
        let day: TimeInterval = 86400
        let start = now.addingTimeInterval(-1800)
        let meeting = try await meetings.add(
            MeetingSeed(
                communityID: community.id, kind: .residentsMeeting, title: "居民会议：老旧小区改造方案征求意见",
                place: "社区党群服务中心一楼大厅", startsAt: start, announcedAt: start.addingTimeInterval(-12 * day)))
        return try await meetings.signInHouseholds(meeting.id, count: 24, from: start.addingTimeInterval(-1200))
    }
}
