import Foundation

/// A day on the calendar without a time or zone: a birth date, a move-in day, a permit's end. Stored and sent as
/// `YYYY-MM-DD`, which sorts as it reads on both databases. "Today" is the day in Asia/Shanghai.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the day exists (no 30 February, 29 February only in leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.days(inMonth: month, of: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-11-24`, `2026/11/24`, `2026.11.24`, `20261124` or `2026年11月24日` (full-width digits folded first).
    public init?(_ text: String) {
        let text = HalfWidth.fold(text).trimmedWhitespace
        let parts: [Substring]
        if text.count == 8, text.allSatisfy(\.isASCIIDigit) {
            parts = [text.prefix(4), text.dropFirst(4).prefix(2), text.suffix(2)]
        } else {
            let trimmed = text.hasSuffix("日") ? String(text.dropLast()) : text
            parts = trimmed.split(omittingEmptySubsequences: false) { "-/.年月".contains($0) }
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }),
            parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// The day `instant` falls on in Asia/Shanghai.
    public init(_ instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Whole years lived on `date` (a person born on 29 February turns a year older on 1 March in common years).
    public func age(on date: CalendarDate) -> Int {
        let years = date.year - year
        return (date.month, date.day) < (month, day) ? years - 1 : years
    }

    /// The day `days` later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return CalendarDate(calendar.date(byAdding: .day, value: days, to: start)!)
    }

    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a calendar date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    /// 0–9 only (`isNumber` also accepts full-width digits, Chinese numerals and fractions).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
