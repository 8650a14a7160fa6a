import Foundation
import GongzhiWeb
import Testing

@Suite struct LocaleTests {
    @Test func everyKeyExistsInBothLanguages() throws {
        let localizer = try Localizer.load()
        let zh = Set(localizer.tables[.zh]!.keys), en = Set(localizer.tables[.en]!.keys)
        #expect(zh.subtracting(en).sorted() == [])
        #expect(en.subtracting(zh).sorted() == [])
    }

    @Test func everyStringATemplateUsesIsTranslated() throws {
        let localizer = try Localizer.load()
        let templates = try Localizer.templateTexts()
        var missing: [String] = []
        let regex = try NSRegularExpression(pattern: #"\{\{t\.([a-z0-9_]+)\}\}"#)
        for (name, text) in templates {
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if localizer.tables[.zh]?[key] == nil { missing.append("\(name): \(key)") }
            }
        }
        #expect(missing == [])
        #expect(templates.count >= 10)
    }
}

