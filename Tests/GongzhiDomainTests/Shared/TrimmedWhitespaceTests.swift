import Foundation
import GongzhiDomain
import Testing

@Suite struct TrimmedWhitespaceTests {
    /// The same text as Foundation's trim for every kind of white space a form or a file brings.
    @Test(arguments: [
        "", " ", "\t\n", "张三", " 张三 ", "\u{3000}张 三\u{3000}", "\u{00A0}138\u{2028}", "\r\n110105\n",
        "a\u{200A}", "\u{0085}x\u{205F}", "  \u{3000} ", "户主",
    ])
    func trimsWhatFoundationTrims(_ text: String) {
        #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every character of the Basic Multilingual Plane at both ends, as Foundation trims it.
    @Test func everyCharacterAsFoundationTrims() {
        for value in 0...0xFFFF {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let c = String(Character(scalar))
            let text = c + "x" + c
            #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(value)")
        }
    }
}
