import Foundation
import GongzhiDomain

/// Strings in Simplified Chinese and English, from Resources/Locales/*.json (flat key → text).
public struct Localizer: Sendable {
    public let tables: [Language: [String: String]]

    public static func load() throws -> Localizer {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let url = Resources.root.appendingPathComponent("Locales/\(language.rawValue).json")
            tables[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return Localizer(tables: tables)
    }

    public func t(_ key: String, _ language: Language, _ args: [String] = []) -> String {
        var text = tables[language]?[key] ?? tables[.zh]?[key] ?? key
        for (i, arg) in args.enumerated() { text = text.replacingOccurrences(of: "{\(i)}", with: arg) }
        return text
    }

    /// The user-facing sentence for a domain error.
    public func message(_ error: DomainError, _ language: Language) -> String {
        var args = error.args
        // Nested keys (a CSV row rejected for a reason) are translated too.
        if error.key == "csv_row_rejected", args.count == 2 { args[1] = t("error.\(args[1])", language) }
        return t("error.\(error.key)", language, args)
    }
}

enum Resources {
    static let root: URL = Bundle.module.url(forResource: "Resources", withExtension: nil)!
}

extension Localizer {
    /// The template sources by file name, so tests can check that every `{{t.key}}` is translated.
    public static func templateTexts() throws -> [String: String] {
        let dir = Resources.root.appendingPathComponent("Templates")
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".mustache") {
            out[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }
}
