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

    public init(secret: String, secureCookies: Bool = true, accounts: AccountSettings = .init(), publicURL: String = "http://127.0.0.1:8080",
                requireStaffSecondFactor: Bool = false) {
        self.secret = secret
        self.requireStaffSecondFactor = requireStaffSecondFactor
        self.secureCookies = secureCookies
        self.accounts = accounts
        self.publicURL = publicURL
    }

    var sessionCookie: String { secureCookies ? "__Host-gz_session" : "gz_session" }
    var csrfCookie: String { secureCookies ? "__Host-gz_csrf" : "gz_csrf" }
    static let languageCookie = "gz_lang"
}
