import Foundation
import GongzhiDomain
import GongzhiStore

/// A residents' meeting under way today in the first community, its attendance sheet part-filled at the door
/// (issue 13): the demo worker goes on signing households in, and holds it once enough have come; and one called
/// off.
enum DemoAttendance {
    /// Writes the meeting and its first signatures; returns how many households signed.
    static func build(_ meetings: MeetingBulk, community: Node, withSheet: Bool, now: Date) async throws -> Int {
        let day: TimeInterval = 86400
        let start = now.addingTimeInterval(-1800)
        let meeting = try await meetings.add(
            MeetingSeed(
                communityID: community.id, kind: .residentsMeeting, title: "居民会议：老旧小区改造方案征求意见",
                place: "社区党群服务中心一楼大厅", startsAt: start, announcedAt: start.addingTimeInterval(-12 * day)))
        let signed =
            withSheet
            ? try await meetings.signInHouseholds(meeting.id, count: 24, from: start.addingTimeInterval(-1200)) : 0
        // And a representatives' assembly called off after its notice, so the demo holds a meeting in every state.
        var called = MeetingSeed(
            communityID: community.id, kind: .representativesAssembly, title: "居民代表会议：社区服务设施配置",
            place: "社区党群服务中心二楼会议室", startsAt: now.addingTimeInterval(-3 * day),
            announcedAt: now.addingTimeInterval(-12 * day))
        called.cancelReason = "台风红色预警，停止一切聚集性活动，会议另行通知。"
        try await meetings.add(called)
        return signed
    }
}
