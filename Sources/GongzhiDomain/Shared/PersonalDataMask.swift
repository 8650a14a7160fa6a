import Foundation

/// How personal data is shown by default: enough to recognise, not enough to use (security requirements: phones as
/// `138****5678`, ID numbers with the birth date hidden). A full view is a separate, audited act.
public enum PersonalDataMask {
    /// Mobile numbers keep the first three and last four digits; other numbers keep their last four.
    public static func phone(_ phone: String) -> String {
        let digits = Array(phone.filter(\.isNumber))
        guard digits.count > 4 else { return String(repeating: "*", count: digits.count) }
        if digits.count == 11, digits.first == "1" { return String(digits[0..<3]) + "****" + String(digits[7...]) }
        return String(repeating: "*", count: digits.count - 4) + String(digits.suffix(4))
    }

    /// A name keeps its first character (the family name for most Chinese names).
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Mainland ID numbers keep the region (six digits) and the last four characters: `110105********123X`.
    public static func idNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars[0..<6]) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// Keeps the first `first` and the last `last` characters and stars the rest; a value too short to hide
    /// anything that way is starred whole.
    public static func keep(_ value: String, first: Int, last: Int) -> String {
        let chars = Array(value)
        guard chars.count > first + last else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(first)) + String(repeating: "*", count: chars.count - first - last)
            + String(chars.suffix(last))
    }
}
