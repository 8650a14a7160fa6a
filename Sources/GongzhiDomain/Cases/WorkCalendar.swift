import Foundation

/// Deadlines in working time: weekdays 09:00–18:00 in Asia/Shanghai, minus public holidays, plus the
/// weekend days that are made working days (调休). Or plain calendar hours when a rule says so.
public struct WorkCalendar: Sendable {
    /// "2026-10-01" → false for a holiday, true for a make-up working day; other days follow the weekday.
    public var overrides: [String: Bool]
    public var startHour = 9
    public var endHour = 18
    public static let zone = TimeZone(identifier: "Asia/Shanghai")!

    public init(overrides: [String: Bool] = [:]) { self.overrides = overrides }

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = Self.zone
        return c
    }

    public static func dayKey(_ date: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        let d = c.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }

    public func isWorkday(_ date: Date) -> Bool {
        if let override = overrides[Self.dayKey(date)] { return override }
        let weekday = calendar.component(.weekday, from: date)
        return weekday != 1 && weekday != 7
    }

    /// The moment `hours` of working time after `start` (or calendar hours when `working` is false).
    public func deadline(from start: Date, hours: Int, working: Bool) -> Date {
        guard working else { return start.addingTimeInterval(Double(hours) * 3600) }
        var remaining = Double(hours) * 3600
        var cursor = start
        // Walk day by day; at most a few hundred iterations for any realistic deadline.
        for _ in 0..<3660 {
            let dayStart = calendar.date(bySettingHour: startHour, minute: 0, second: 0, of: cursor)!
            let dayEnd = calendar.date(bySettingHour: endHour, minute: 0, second: 0, of: cursor)!
            if isWorkday(cursor), cursor < dayEnd {
                let from = max(cursor, dayStart)
                let available = dayEnd.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            cursor = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: cursor))!
        }
        return cursor
    }
}
