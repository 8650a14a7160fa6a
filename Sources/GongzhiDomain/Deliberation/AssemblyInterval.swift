import Foundation

/// Meetings a kind's rules say must be held at least every so many months (the residents' representatives' assembly:
/// every six months, 居委会组织法 2025 art. 28): when the next one is due, from the last one held.
public enum AssemblyInterval {
    /// The day by which the next meeting of a kind with `months` between meetings is due: `months` calendar months
    /// after the last one (the last day of a shorter month when that day does not exist); nil when none was held.
    public static func due(after lastHeld: CalendarDate?, months: Int) -> CalendarDate? {
        guard let last = lastHeld else { return nil }
        let index = last.year * 12 + (last.month - 1) + months
        let (year, month) = (index / 12, index % 12 + 1)
        var day = last.day
        while day > 28, CalendarDate(year: year, month: month, day: day) == nil { day -= 1 }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// Whether a community is overdue on `today`: it never held one, or the interval since the last one has passed
    /// (on the due day itself it is still in time).
    public static func isOverdue(lastHeld: CalendarDate?, months: Int, today: CalendarDate) -> Bool {
        guard let due = due(after: lastHeld, months: months) else { return true }
        return today > due
    }
}
