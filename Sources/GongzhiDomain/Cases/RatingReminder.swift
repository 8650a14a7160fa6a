import Foundation

/// A reporter who has not rated a closed case is asked once more, `after` its closing; cases closed longer ago than
/// `until` are left alone (a new deployment does not remind of last year's cases).
public enum RatingReminder {
    public static let after: TimeInterval = 3 * 86_400
    public static let until: TimeInterval = 30 * 86_400

    /// Whether the case waits for its reporter's rating and is due a reminder now: the same cases the rating step is
    /// open for (a reporter's appeal, not entered by staff for a caller), closed between `until` and `after` ago.
    public static func isDue(_ c: Case, now: Date) -> Bool {
        guard c.status == .closed, c.rating == nil, c.mergedIntoID == nil, c.kind == .appeal,
            c.reporterUserID != nil, c.channel != .patrol, !Caller.channels.contains(c.channel),
            let closed = c.closedAt
        else { return false }
        let age = now.timeIntervalSince(closed)
        return age >= after && age <= until
    }
}
