import Foundation
import GongzhiStore

/// Settings the web application needs; the command line fills it from flags and environment.
public struct WebConfig: Sendable {
    /// Signs CSRF tokens; at least 32 characters. Several instances behind one balancer share it.
    public var secret: String
    /// `Secure` cookies with the `__Host-` prefix. Off only for plain-HTTP development.
    public var secureCookies: Bool
    public var accounts: AccountSettings
    public var publicURL: String
    /// Staff must set up a TOTP second factor before they can use anything but their account page.
    public var requireStaffSecondFactor: Bool
    /// Peers (reverse proxies) whose `X-Forwarded-For` names the client; from anyone else the header is ignored.
    public var trustedProxies: Set<String>
    /// How far (metres) an Open311 request given only `lat`/`long` may lie from the building it is placed at.
    public var open311SnapMeters: Double
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served at all (404).
    public var metricsToken: String?
    /// A tile service for Leaflet maps; without one (or without Leaflet) every map is drawn by the server.
    public var mapTiles: MapTiles?
    /// Where Debian's `libjs-leaflet` put `leaflet.js` and `leaflet.css`, when installed; served under
    /// `/assets/leaflet/`.
    public var leafletDirectory: String?

    /// Debian's Leaflet, when the package is installed.
    public static var installedLeaflet: String? {
        let dir = "/usr/share/javascript/leaflet"
        return FileManager.default.fileExists(atPath: dir + "/leaflet.js")
            && FileManager.default.fileExists(atPath: dir + "/leaflet.css") ? dir : nil
    }

    public init(
        secret: String, secureCookies: Bool = true, accounts: AccountSettings = .init(),
        publicURL: String = "http://127.0.0.1:8080",
        requireStaffSecondFactor: Bool = false, trustedProxies: Set<String> = [], open311SnapMeters: Double = 500,
        metricsToken: String? = nil, mapTiles: MapTiles? = nil, leafletDirectory: String? = WebConfig.installedLeaflet
    ) {
        self.mapTiles = mapTiles.flatMap { $0.urlTemplate.isEmpty ? nil : $0 }
        self.leafletDirectory = leafletDirectory
        self.metricsToken = metricsToken.flatMap { $0.isEmpty ? nil : $0 }
        self.secret = secret
        self.open311SnapMeters = open311SnapMeters
        self.requireStaffSecondFactor = requireStaffSecondFactor || accounts.requireStaffSecondFactor
        self.secureCookies = secureCookies
        self.accounts = accounts
        // The store refuses API tokens to staff without a second factor under the same setting.
        self.accounts.requireStaffSecondFactor = self.requireStaffSecondFactor
        self.publicURL = publicURL
        self.trustedProxies = trustedProxies
    }

    var sessionCookie: String { secureCookies ? "__Host-gz_session" : "gz_session" }
    var csrfCookie: String { secureCookies ? "__Host-gz_csrf" : "gz_csrf" }
    static let languageCookie = "gz_lang"
}

/// The client's address for throttling: the TCP peer, unless the peer is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
public enum ClientAddress {
    public static func resolve(peer: String, forwardedFor: String?, trusted: Set<String>) -> String {
        guard trusted.contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        return hops.last { !trusted.contains($0) } ?? hops.first ?? peer
    }
}
