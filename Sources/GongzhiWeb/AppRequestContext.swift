import Foundation
import GongzhiDomain
import Hummingbird
import Logging

/// Per-request state: who is asking, in which language, and the token their forms must carry.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var actor: Actor?
    public var user: User?
    public var sessionToken: String?
    /// Set when the request authenticated with a bearer token (API); such requests carry no CSRF token.
    public var viaAPIToken = false
    public var language: Language = .zh
    /// The page to come back to after switching language: this page for a GET, the page the form was on otherwise.
    public var pagePath = "/home"
    /// Unread notifications, shown in the navigation.
    public var unread = 0
    /// The browser's CSRF cookie value (set by the CSRF middleware when missing).
    var csrfSeed: String = ""
    var csrfToken: String = ""

    /// The peer's IP address, for log-in throttling. Proxies' X-Forwarded-For is not trusted.
    public var remoteAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The largest body a handler reads unless it takes photos (`BodyLimits.upload`).
    public var maxUploadSize: Int { BodyLimits.ordinary }
}

public enum Language: String, Sendable, CaseIterable {
    case zh = "zh-Hans"
    case en

    /// Picks from an Accept-Language header: Chinese unless English is preferred over it.
    static func negotiate(_ header: String?) -> Language {
        guard let header else { return .zh }
        let tags = header.split(separator: ",").map { part -> (String, Double) in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (pieces.first?.lowercased() ?? "", q)
        }.sorted { $0.1 > $1.1 }
        for (tag, _) in tags {
            if tag.hasPrefix("zh") { return .zh }
            if tag.hasPrefix("en") { return .en }
        }
        return .zh
    }
}

extension AppRequestContext {
    /// ISO 8601 dates and sorted keys in every JSON answer.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
