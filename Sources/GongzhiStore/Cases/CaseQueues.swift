import Foundation
import GongzhiDomain
import SQLKit

/// The work waiting for someone, counted for their home page: one number per queue, each the count of the list the
/// queue links to (the same scope and filter), so the home page and the list never disagree.
public struct CaseQueues: Sendable, Equatable {
    /// Submitted cases of the actor's areas, waiting to be taken in.
    public var toFile = 0
    /// Dispatched to one of the actor's units, waiting to be taken on.
    public var toAccept = 0
    /// Being handled by one of the actor's units.
    public var inHand = 0
    /// Reported back in the actor's areas, waiting for a check on site.
    public var toVerify = 0
    /// Open past their deadline in the actor's areas.
    public var overdue = 0
    /// Closed in the actor's areas without the review (评事) yet.
    public var toReview = 0
    /// The actor's own reports still open.
    public var mineOpen = 0
    /// The actor's own closed appeals waiting for their rating.
    public var mineToRate = 0
    public init() {}
}

extension CaseStore {
    /// Every queue of the actor in at most three statements (areas, units, own reports), each a filtered count.
    public func queues(for actor: Actor, now: Date) async throws -> CaseQueues {
        let isArea = !actor.areas.isEmpty
        let area = isArea ? try Self.scopeClause(.area, actor) : nil
        let unit = try Self.scopeClause(.unit, actor)
        let mine = try Self.scopeClause(.mine, actor)
        let nowMillis = now.epochMillis
        return try await db.read { sql in
            var q = CaseQueues()
            if let area {
                let row = try await sql.raw(
                    SQLQueryString(
                        """
                        SELECT
                          SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END) AS to_file,
                          SUM(CASE WHEN status = 'reportedBack' THEN 1 ELSE 0 END) AS to_verify,
                          SUM(CASE WHEN status IN ('dispatched','handling','reportedBack') AND resolve_by < \(bind: nowMillis) THEN 1 ELSE 0 END) AS overdue,
                          SUM(CASE WHEN status = 'closed' AND NOT EXISTS (SELECT 1 FROM case_grid_steps g WHERE g.case_id = cases.id AND g.step = 'review')
                            THEN 1 ELSE 0 END) AS to_review
                        FROM cases WHERE
                        """) + " " + area
                ).first()
                q.toFile = try row?.decode(column: "to_file", as: Int?.self) ?? 0
                q.toVerify = try row?.decode(column: "to_verify", as: Int?.self) ?? 0
                q.overdue = try row?.decode(column: "overdue", as: Int?.self) ?? 0
                q.toReview = try row?.decode(column: "to_review", as: Int?.self) ?? 0
            }
            let units = try await sql.raw(
                SQLQueryString(
                    """
                    SELECT SUM(CASE WHEN status = 'dispatched' THEN 1 ELSE 0 END) AS to_accept,
                      SUM(CASE WHEN status = 'handling' THEN 1 ELSE 0 END) AS in_hand
                    FROM cases WHERE status IN ('dispatched','handling') AND
                    """) + " " + unit
            ).first()
            q.toAccept = try units?.decode(column: "to_accept", as: Int?.self) ?? 0
            q.inHand = try units?.decode(column: "in_hand", as: Int?.self) ?? 0
            if actor.storedUserID != nil {
                let own = try await sql.raw(
                    SQLQueryString(
                        """
                        SELECT SUM(CASE WHEN status NOT IN ('closed','rejected') THEN 1 ELSE 0 END) AS open,
                          SUM(CASE WHEN status = 'closed' AND rating IS NULL AND kind = 'appeal' THEN 1 ELSE 0 END) AS to_rate
                        FROM cases WHERE
                        """) + " " + mine
                ).first()
                q.mineOpen = try own?.decode(column: "open", as: Int?.self) ?? 0
                q.mineToRate = try own?.decode(column: "to_rate", as: Int?.self) ?? 0
            }
            return q
        }
    }
}
