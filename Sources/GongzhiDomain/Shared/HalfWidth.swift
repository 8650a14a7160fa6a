import Foundation

/// Text as people type it on Chinese keyboards: full-width digits, letters and punctuation (`１３８`, `Ｘ`, `－`) and
/// the ideographic space. Numbers are checked after folding them to their ASCII forms.
public enum HalfWidth {
    /// Full-width forms U+FF01–U+FF5E become U+0021–U+007E and the ideographic space U+3000 a space; everything
    /// else is kept.
    public static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}

extension String {
    /// The text without leading and trailing white space and new lines: what
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` gives (Unicode's White_Space characters and U+200B), without
    /// Foundation's round trip through `NSString`, which was a sixth of importing a person (issue 12).
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last, first.isWhiteSpace || last.isWhiteSpace
        else { return self }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].isWhiteSpace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isWhiteSpace {
            end = scalars.index(before: end)
        }
        return String(scalars[start..<end])
    }
}

extension Unicode.Scalar {
    /// Unicode's White_Space property and the zero-width space (U+200B, pasted from web pages), the characters
    /// Foundation's `.whitespacesAndNewlines` holds; answered for ASCII without the property table (every field of
    /// an import is looked at twice: issue 12).
    var isWhiteSpace: Bool {
        guard isASCII else { return value == 0x200B || properties.isWhitespace }
        return value == 0x20 || (0x09...0x0D).contains(value)
    }
}
