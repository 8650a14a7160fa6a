import Foundation
import GongzhiDomain
import SQLKit

/// A meeting as the public reads it: what, when, and the summary published with its minutes; never who came.
public struct PublicMeeting: Codable, Equatable, Sendable {
    public var number: String
    public var title: String
    public var kind: MeetingKind
    public var heldAt: Date?
    public var summary: String
}

/// A resolution as the public reads it: its text, state and progress notes without who wrote them, and each review
/// round's counts without who rated.
public struct PublicResolution: Sendable {
    public var resolution: Resolution
    public var communityName: String
    public var meetingNumber: String?
    public var progress: [(at: Date, note: String, percentDone: Int)]
    public var rounds: [ReviewRound]
}

/// A vote as the public reads it once its result is published: the question, who counted, the window and the
/// result with its arithmetic; never the roll, who took part or how anyone voted, and nothing before publication.
public struct PublicVote: Sendable, Equatable {
    public var number: String
    public var title: String
    public var spec: PollSpec
    public var basis: VotingBasis
    public var matter: OwnersMatter?
    public var opensAt: Date
    public var closesAt: Date
    public var closedAt: Date?
    public var publishedAt: Date
    public var publishedUntil: Date?
    public var result: VoteResult
    public var communityID: Int64
    public var communityName: String
}

/// A community's public face of deliberation: its meetings with published minutes, its resolutions and its
/// published vote results.
public struct PublicDeliberation: Sendable {
    public var communityID: Int64
    public var communityName: String
    public var meetings: [PublicMeeting]
    public var resolutions: [ResolutionSummary]
    public var votes: [PublicVote] = []
}

/// Reads for visitors who have not signed in: only what a community publishes (居务公开). They take no actor and
/// return no person's name.
public struct DeliberationPublic: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The open communities that have published something (a meeting summary, a resolution or a convention), by
    /// place in the tree: the index visitors start from.
    public func communities(limit: Int = 500) async throws -> [(id: Int64, name: String)] {
        try await db.read { sql in
            try await sql.raw(
                """
                SELECT n.id, n.name FROM nodes n
                WHERE n.kind IN ('community', 'village') AND n.closed_at IS NULL AND (
                  EXISTS (SELECT 1 FROM resolutions r WHERE r.community_id = n.id)
                  OR EXISTS (SELECT 1 FROM conventions c WHERE c.community_id = n.id)
                  OR EXISTS (SELECT 1 FROM votes v WHERE v.community_id = n.id AND v.state = 'published')
                  OR EXISTS (SELECT 1 FROM meetings m WHERE m.community_id = n.id AND m.state = 'held' AND m.summary <> ''))
                ORDER BY n.path LIMIT \(bind: max(1, min(2000, limit)))
                """
            ).all().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self))
            }
        }
    }

    public func community(_ id: Int64, now: Date) async throws -> PublicDeliberation {
        let today = CalendarDate(now)
        return try await db.read { sql in
            guard let node = try await JurisdictionStore.node(sql, id), node.kind.isCommunityLevel else {
                throw DomainError.notFound
            }
            let meetings = try await sql.raw(
                """
                SELECT * FROM meetings WHERE community_id = \(bind: id) AND state = 'held' AND summary <> ''
                ORDER BY held_at DESC, id DESC LIMIT 50
                """
            ).all().map { row in
                let m = try MeetingStore.decode(row)
                return PublicMeeting(
                    number: m.number, title: m.title, kind: m.kind, heldAt: m.heldAt, summary: m.summary)
            }
            let resolutions = try await sql.raw(
                "SELECT * FROM resolutions WHERE community_id = \(bind: id) ORDER BY id DESC LIMIT 100"
            ).all().map { ResolutionStore.summary(try ResolutionStore.decode($0), today: today) }
            let votes = try await sql.raw(
                """
                SELECT * FROM votes WHERE community_id = \(bind: id) AND state = 'published'
                ORDER BY published_at DESC, id DESC LIMIT 50
                """
            ).all().compactMap { Self.publicVote(try VoteStore.decode($0), communityName: node.name) }
            return PublicDeliberation(
                communityID: id, communityName: node.name, meetings: meetings, resolutions: resolutions,
                votes: votes)
        }
    }

    /// A published vote by its number; "not found" for any other number, and for a vote not yet published.
    public func vote(number: String) async throws -> PublicVote {
        try await db.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT * FROM votes WHERE number = \(bind: number) AND state = 'published'"
                ).first()
            else { throw DomainError.notFound }
            let v = try VoteStore.decode(row)
            let name = try await JurisdictionStore.node(sql, v.communityID)?.name ?? ""
            guard let out = Self.publicVote(v, communityName: name) else { throw DomainError.notFound }
            return out
        }
    }

    /// The public part of a published vote (nil for any other).
    static func publicVote(_ v: Vote, communityName: String) -> PublicVote? {
        guard v.state == .published, let publishedAt = v.publishedAt, let result = v.result else { return nil }
        return PublicVote(
            number: v.number, title: v.title, spec: v.spec, basis: v.basis, matter: v.matter,
            opensAt: v.window.opensAt, closesAt: v.window.closesAt, closedAt: v.closedAt, publishedAt: publishedAt,
            publishedUntil: v.publishedUntil, result: result, communityID: v.communityID,
            communityName: communityName)
    }

    public func resolution(number: String) async throws -> PublicResolution {
        try await db.read { sql in
            guard
                let row = try await sql.raw("SELECT * FROM resolutions WHERE number = \(bind: number)").first()
            else { throw DomainError.notFound }
            var r = try ResolutionStore.decode(row)
            r.executors = try await ResolutionStore.executors(sql, of: r.id)
            let progress = try await sql.raw(
                """
                SELECT at, note, percent_done FROM resolution_progress WHERE resolution_id = \(bind: r.id) ORDER BY at, id
                """
            ).all().map { row in
                (
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    note: try row.decode(column: "note", as: String.self),
                    percentDone: try row.decode(column: "percent_done", as: Int.self)
                )
            }
            var rounds: [ReviewRound] = []
            for round in stride(from: r.reviewRound, through: 1, by: -1) {
                let ratings = try await sql.raw(
                    """
                    SELECT rating FROM resolution_ratings WHERE resolution_id = \(bind: r.id) AND round = \(bind: round)
                    """
                ).all().compactMap { row in
                    CaseRating(rawValue: try row.decode(column: "rating", as: String.self)).map {
                        ReviewRating(round: round, raterUserID: 0, rating: $0, comment: "", at: Date(epochMillis: 0))
                    }
                }
                rounds.append(ReviewRound(round: round, summary: ReviewSummary(ratings)))
            }
            let meeting = try await sql.raw(
                "SELECT number FROM meetings WHERE id = \(bind: r.source.meetingID ?? -1)"
            ).first()?.decode(column: "number", as: String.self)
            return PublicResolution(
                resolution: r, communityName: try await JurisdictionStore.node(sql, r.communityID)?.name ?? "",
                meetingNumber: meeting, progress: progress, rounds: rounds)
        }
    }
}
