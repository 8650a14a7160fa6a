import Foundation

/// Whether and how far a vote admits proxies (委托投票).
public struct ProxyRules: Sendable, Equatable, Codable {
    public var allowed: Bool
    /// The most mandates one person may hold; nil for no cap (none is found in owners' rules).
    public var maxMandatesPerProxy: Int?
    /// The proxy must be on the same roll (a voter of the same community in elections).
    public var proxyMustBeOnRoll: Bool

    public init(allowed: Bool, maxMandatesPerProxy: Int? = nil, proxyMustBeOnRoll: Bool = false) {
        self.allowed = allowed
        self.maxMandatesPerProxy = maxMandatesPerProxy
        self.proxyMustBeOnRoll = proxyMustBeOnRoll
    }

    /// No proxies: everyone attends or votes in person.
    public static let none = ProxyRules(allowed: false)

    /// Checks a register of mandates against the rules and the roll, each refusal naming the mandate's principal:
    /// `proxy_not_allowed`; `proxy_document_required` (a written mandate is recorded); `proxy_principal_not_on_roll`;
    /// `proxy_self` (one's own entry); `proxy_principal_twice` (one principal, one mandate: no re-delegation either);
    /// `proxy_not_on_roll` when the rules want the proxy on the roll; `proxy_too_many_mandates` (args: the proxy and
    /// the cap).
    public func validate(_ mandates: [ProxyMandate], roll: VoterRoll) throws(DomainError) {
        guard mandates.isEmpty || allowed else { throw DomainError(.conflict, "proxy_not_allowed") }
        var principals: Set<VoterKey> = []
        var held: [Int64: Int] = [:]
        for mandate in mandates {
            let who = [mandate.principal.label]
            guard !mandate.document.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalid("proxy_document_required", field: "document", args: who)
            }
            guard let entry = roll.entry(mandate.principal) else {
                throw .invalid("proxy_principal_not_on_roll", field: "principal", args: who)
            }
            guard !entry.casters.contains(mandate.proxyPersonID) else {
                throw .invalid("proxy_self", field: "proxy", args: who)
            }
            guard principals.insert(mandate.principal).inserted else {
                throw .invalid("proxy_principal_twice", field: "principal", args: who)
            }
            if proxyMustBeOnRoll, roll.keys(castableBy: mandate.proxyPersonID).isEmpty {
                throw .invalid("proxy_not_on_roll", field: "proxy", args: who)
            }
            held[mandate.proxyPersonID, default: 0] += 1
            if let cap = maxMandatesPerProxy, held[mandate.proxyPersonID]! > cap {
                throw .invalid(
                    "proxy_too_many_mandates", field: "proxy", args: ["person:\(mandate.proxyPersonID)", "\(cap)"])
            }
        }
    }
}

/// A written proxy mandate: who gave it, to whom, the document recording it, and any instructions ("按委托人意见
/// 投票").
public struct ProxyMandate: Sendable, Equatable, Codable {
    public var principal: VoterKey
    public var proxyPersonID: Int64
    /// The recorded mandate: an attachment's id or the letter's number.
    public var document: String
    public var signedOn: CalendarDate
    public var instructions: String?

    public init(
        principal: VoterKey, proxyPersonID: Int64, document: String, signedOn: CalendarDate, instructions: String? = nil
    ) {
        self.principal = principal
        self.proxyPersonID = proxyPersonID
        self.document = document
        self.signedOn = signedOn
        self.instructions = instructions
    }
}
