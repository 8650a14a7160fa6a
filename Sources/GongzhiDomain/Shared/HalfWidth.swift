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
