import Foundation
import GongzhiDomain

/// Strings in Simplified Chinese and English, from Resources/Locales/<language>/<module>.json (flat key → text): one
/// file per module's namespace, merged into one table per language. A key defined in two files stops loading.
public struct Localizer: Sendable {
    public let tables: [Language: [String: String]]
    /// The keys of each namespace (file), per language: every module's file must hold the same keys in both.
    public let namespaces: [Language: [String: Set<String>]]

    public static func load() throws -> Localizer {
        var tables: [Language: [String: String]] = [:]
        var namespaces: [Language: [String: Set<String>]] = [:]
        for language in Language.allCases {
            let dir = Resources.root.appendingPathComponent("Locales/\(language.rawValue)")
            var table: [String: String] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where file.hasSuffix(".json") {
                let strings = try JSONDecoder().decode(
                    [String: String].self, from: Data(contentsOf: dir.appendingPathComponent(file)))
                if let clash = strings.keys.first(where: { table[$0] != nil }) {
                    throw LocaleError.duplicateKey(clash, file)
                }
                table.merge(strings) { a, _ in a }
                namespaces[language, default: [:]][String(file.dropLast(5))] = Set(strings.keys)
            }
            tables[language] = table
        }
        return Localizer(tables: tables, namespaces: namespaces)
    }

    public enum LocaleError: Error, CustomStringConvertible {
        case duplicateKey(String, String)
        public var description: String {
            switch self {
            case .duplicateKey(let key, let file): "locale key \(key) is defined again in \(file)"
            }
        }
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
        for name in FileManager.default.subpaths(atPath: dir.path) ?? [] where name.hasSuffix(".mustache") {
            out[String(name.dropLast(".mustache".count))] = try String(
                contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }
}
