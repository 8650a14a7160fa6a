import Foundation
import GongzhiDomain
import Hummingbird
import Mustache

/// Renders Mustache templates inside the layout, with the strings of the user's language as `t`.
public struct Views: Sendable {
    let library: MustacheLibrary
    public let localizer: Localizer

    /// Loads the templates and strings; a template a module names but that is missing stops start-up.
    public static func load() async throws -> Views {
        let library = try await MustacheLibrary(directory: Resources.root.appendingPathComponent("Templates").path)
        if let missing = Modules.templates.first(where: { library.getTemplate(named: $0) == nil }) {
            throw TemplateMissing(name: missing)
        }
        return Views(library: library, localizer: try Localizer.load())
    }

    public struct TemplateMissing: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "template \(name).mustache is missing from Resources/Templates" }
    }

    func t(_ key: String, _ context: AppRequestContext, _ args: [String] = []) -> String {
        localizer.t(key, context.language, args)
    }

    /// A full page. `data` is the template's own content; the layout adds the user, navigation and language.
    func page(
        _ template: String, _ context: AppRequestContext, title: String, data: [String: Any] = [:],
        status: HTTPResponse.Status = .ok, section: String = ""
    ) -> Response {
        var all = data
        let lang = context.language
        all["t"] = localizer.tables[lang] ?? [:]
        all["title"] = title
        all["lang"] = lang == .zh ? "zh-CN" : "en"
        all["other_lang"] = lang == .zh ? Language.en.rawValue : Language.zh.rawValue
        all["other_lang_label"] = lang == .zh ? "English" : "中文"
        all["csrf"] = context.csrfToken
        all["page_path"] = safeNext(context.pagePath)
        if let actor = context.actor, let user = context.user {
            all["user"] = ["display_name": user.displayName, "username": user.username]
            // The modules' navigation entries this actor may see, in their order.
            let nav: [[String: Any]] = Modules.navigation.filter { $0.visible(actor) }.map { entry in
                [
                    "href": entry.href,
                    "label": t(entry.label, context) + (entry.badge(context).map { " \($0)" } ?? ""),
                    "current": section == entry.section,
                ]
            }
            all["nav"] = nav
        }
        let html =
            library.render(Self.droppingEmptyStrings(all), withTemplate: template) ?? "template \(template) missing"
        assert(Modules.templates.contains(template), "template \(template) is not named by any module's manifest")
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: lang.rawValue],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A template rendered alone, without the layout (an SVG map served as an image).
    func fragment(_ template: String, _ context: AppRequestContext, data: [String: Any]) -> String {
        var all = data
        all["t"] = localizer.tables[context.language] ?? [:]
        return library.render(Self.droppingEmptyStrings(all), withTemplate: template) ?? ""
    }

    /// swift-mustache treats "" as true in a section, so empty strings are removed and `{{#x}}` means "x is set".
    static func droppingEmptyStrings(_ value: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (key, v) in value {
            if let s = v as? String, s.isEmpty { continue }
            if key == "t" { out[key] = v; continue }
            out[key] = clean(v)
        }
        return out
    }

    static func clean(_ value: Any) -> Any {
        if let d = value as? [String: Any] { return droppingEmptyStrings(d) }
        if let a = value as? [[String: Any]] { return a.map(droppingEmptyStrings) }
        return flattened(value)
    }

    /// Typed page models as dictionaries, made once per page: swift-mustache looks a name up in a struct with a new
    /// `Mirror` each time (and again in every enclosing section when the name is missing), which made list pages
    /// several times slower than with dictionaries. Values are kept as they are (an empty string stays one), so a
    /// template reads a model exactly as before.
    static func flattened(_ value: Any) -> Any {
        switch value {
        case is String, is Substring, is Bool, is Int, is Int64, is Double, is Date, is [String: Any]: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?:
            var out: [String: Any] = [:]
            for child in mirror.children {
                // A nil optional is left out, as swift-mustache treats it (missing, not the text "nil").
                guard let label = child.label, !isNil(child.value) else { continue }
                out[label] = flattened(child.value)
            }
            return out
        case .collection?, .set?:
            return mirror.children.map { flattened($0.value) }
        case .optional?:
            return mirror.children.first.map { flattened($0.value) } ?? value
        default:
            return value
        }
    }

    static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    /// Error list for a form: the summary at the top and the message beside the field.
    func formErrors(_ error: DomainError, _ context: AppRequestContext) -> [String: Any] {
        let message = localizer.message(error, context.language)
        let field = error.field ?? "form"
        return [
            // A message about no one field (too many attempts, a conflict) is listed without a link.
            "errors": [["field": field, "message": message, "hasField": error.field != nil] as [String: Any]],
            "error_\(field)": message,
        ]
    }
}

/// Dates as 2026年11月24日 14:05 in Chinese and ISO-like in English, in Asia/Shanghai.
enum DateText {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static func format(_ date: Date?, _ language: Language) -> String {
        guard let date else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let hm = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        return language == .zh
            ? "\(c.year!)年\(c.month!)月\(c.day!)日 \(hm)"
            : String(format: "%04d-%02d-%02d ", c.year!, c.month!, c.day!) + hm
    }
}

extension DateText {
    /// Only the time ("05:03") when `date` falls on the same day as `day` in Asia/Shanghai, else the full form: a
    /// list of one day's entries (an attendance sheet) need not repeat the date on every line.
    static func time(_ date: Date, onDayOf day: Date, _ language: Language) -> String {
        let full = format(date, language)
        return WorkCalendar.dayKey(date) == WorkCalendar.dayKey(day) ? String(full.suffix(5)) : full
    }

    /// The start (00:00 in Asia/Shanghai) of the day written as 2026-11-24; nil for anything else, an impossible day
    /// such as 2026-02-30 included.
    static func day(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
            WorkCalendar.dayKey(date) == String(format: "%04d-%02d-%02d", y, m, d)
        else { return nil }
        return date
    }
}
