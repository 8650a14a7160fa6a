import Foundation

/// A floor area in exact hundredths of a square metre (the register gives two decimals), so that sums over
/// thousands of exclusive parts and the owners' thresholds stay exact. Stored and sent as its decimal text
/// (`"6210.50"`); shown with thousands separators and no trailing zeros (`6,210.5`).
public struct Area: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, AdditiveArithmetic {
    /// The area in units of 0.01 m².
    public let hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }

    /// Whole square metres.
    public init(squareMetres: Int64) { self.hundredths = squareMetres * 100 }

    public static let zero = Area(hundredths: 0)

    /// Reads `89.5`, `6,210.50` or `９０.２５` (full-width digits folded first); at most two decimals, not negative.
    public init?(_ text: String) {
        let folded = HalfWidth.fold(text).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let parts = folded.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
            parts[0].allSatisfy(\.isASCIIDigit), let whole = Int64(parts[0])
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits) else {
                return nil
            }
            fraction = digits.count == 1 ? value * 10 : value
        }
        self.hundredths = whole * 100 + fraction
    }

    /// `6210.50`: the stored form.
    public var description: String { "\(hundredths / 100)." + String(format: "%02lld", hundredths % 100) }

    /// `6,210.5` (two decimals only when needed, none for whole metres): for display.
    public var formatted: String {
        var whole = String(hundredths / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let cents = hundredths % 100
        if cents == 0 { return grouped }
        return cents % 10 == 0 ? "\(grouped).\(cents / 10)" : grouped + "." + String(format: "%02lld", cents)
    }

    public static func < (a: Area, b: Area) -> Bool { a.hundredths < b.hundredths }
    public static func + (a: Area, b: Area) -> Area { Area(hundredths: a.hundredths + b.hundredths) }
    public static func - (a: Area, b: Area) -> Area { Area(hundredths: a.hundredths - b.hundredths) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let area = Area(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an area: \(text)"))
        }
        self = area
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
