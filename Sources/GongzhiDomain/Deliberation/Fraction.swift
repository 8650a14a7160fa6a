import Foundation

/// An exact rational number such as 1/2, 2/3 or 4/5, kept in lowest terms with a positive denominator. Thresholds
/// are never floating point: "三分之二以上" on 9 of 12 members is decided by `3 × 9 ≥ 2 × 12`, not by 0.666….
public struct Fraction: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// Nil when `denominator` is not positive or `numerator` is negative: thresholds and shares are never negative.
    public init?(_ numerator: Int64, _ denominator: Int64) {
        guard denominator > 0, numerator >= 0 else { return nil }
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    public static let half = Fraction(1, 2)!
    public static let twoThirds = Fraction(2, 3)!
    public static let threeQuarters = Fraction(3, 4)!
    public static let fourFifths = Fraction(4, 5)!
    public static let oneTenth = Fraction(1, 10)!
    public static let oneFifth = Fraction(1, 5)!
    public static let oneThird = Fraction(1, 3)!
    /// All of them: "no objection" is every ballot not objecting.
    public static let whole = Fraction(1, 1)!

    /// `2/3`.
    public var description: String { "\(numerator)/\(denominator)" }

    public static func < (a: Fraction, b: Fraction) -> Bool {
        Int128(a.numerator) * Int128(b.denominator) < Int128(b.numerator) * Int128(a.denominator)
    }

    /// The share `part/whole` as a percentage with one decimal, rounded half up, for display only: `69.0%`.
    /// Decisions never read it (6,666/10,000 shows as 66.7% and still fails "at least 2/3").
    public static func percentText(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (Int128(part) * 2000 + Int128(whole)) / (Int128(whole) * 2)
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Reads `2/3` (what a rule set file holds).
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let n = Int64(parts[0].trimmingCharacters(in: .whitespaces)),
            let d = Int64(parts[1].trimmingCharacters(in: .whitespaces))
        else { return nil }
        self.init(n, d)
    }

    /// Stored and sent as `2/3`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Fraction(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a fraction: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return max(a, 1)
    }
}

/// How a share is compared with its fraction. The Civil Code (art. 1259) makes "以上" include the number itself
/// and "超过" exclude it; "过半数" is read as more than half.
public enum ThresholdComparison: String, CaseIterable, Codable, Sendable {
    /// 超过 / 过半数: strictly more (`part/whole > n/d`).
    case moreThan
    /// 以上 / 不少于: at least (`part/whole ≥ n/d`).
    case atLeast
}

/// A legal threshold such as "过半数" (more than 1/2) or "三分之二以上" (at least 2/3), decided on integers.
public struct Threshold: Sendable, Hashable, Codable, CustomStringConvertible {
    public var comparison: ThresholdComparison
    public var fraction: Fraction

    public init(_ comparison: ThresholdComparison, _ fraction: Fraction) {
        self.comparison = comparison
        self.fraction = fraction
    }

    /// Strictly more than `fraction` (过半数, 超过三分之二).
    public static func moreThan(_ fraction: Fraction) -> Threshold { Threshold(.moreThan, fraction) }
    /// At least `fraction` (三分之二以上, 四分之三以上).
    public static func atLeast(_ fraction: Fraction) -> Threshold { Threshold(.atLeast, fraction) }

    /// `> 1/2` or `≥ 2/3`.
    public var description: String { (comparison == .moreThan ? "> " : "≥ ") + fraction.description }

    /// Whether `part` out of `whole` meets the threshold, by cross-multiplying: `d × part > n × whole` or
    /// `d × part ≥ n × whole`. An empty whole meets nothing (nobody present cannot carry "at least 2/3").
    public func isMet(_ part: Int64, of whole: Int64) -> Bool {
        guard whole > 0, part >= 0 else { return false }
        let left = Int128(fraction.denominator) * Int128(part)
        let right = Int128(fraction.numerator) * Int128(whole)
        return comparison == .moreThan ? left > right : left >= right
    }

    /// The smallest part of `whole` that meets the threshold (for "how far from it"): more than half of 10 is 6,
    /// at least 2/3 of 9 is 6. Nil when no part of an empty whole can.
    public func minimumPart(of whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        let product = Int128(fraction.numerator) * Int128(whole)
        let d = Int128(fraction.denominator)
        let least: Int128 = comparison == .moreThan ? product / d + 1 : (product + d - 1) / d
        return Int64(least)
    }
}
