import Foundation
import GongzhiWeb
import Testing

@Suite struct LocaleTests {
    @Test func everyModulesFileHoldsTheSameKeysInBothLanguages() throws {
        let localizer = try Localizer.load()
        let zh = try #require(localizer.namespaces[.zh]), en = try #require(localizer.namespaces[.en])
        #expect(Set(zh.keys) == Set(en.keys), "every namespace has a file in both languages")
        for (namespace, keys) in zh {
            let other = en[namespace] ?? []
            #expect(keys.subtracting(other).sorted() == [], "\(namespace): missing in en")
            #expect(other.subtracting(keys).sorted() == [], "\(namespace): missing in zh-Hans")
        }
        #expect(zh.keys.contains("cases") && zh.keys.contains("common"))
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
