import Foundation
import GongzhiDomain

/// Seals personal data (names, phones, ID numbers, exact addresses) for storage with keys derived from the server
/// secret, which lives outside the database: someone holding only the database file (or a backup, or the WAL) reads
/// no plaintext and cannot alter a value unnoticed. Sealed values read `<suite tag>:<base64>`, so values sealed
/// before a change of suite still open.
public struct PersonalDataBox: Sendable {
    let active: any CryptoSuite
    /// Each suite's sealing key, derived from the same secret.
    let keys: [String: [UInt8]]
    let indexKey: [UInt8]
    let trackingKey: [UInt8]

    /// Derives the keys; refuses a suite that fails its published test vectors.
    public init(serverSecret: String, suite: CryptoSuiteName = .national) throws {
        let secret = Array(serverSecret.utf8)
        let national = NationalCryptoSuite()
        let international = InternationalCryptoSuite()
        try suite.suite.selfTest()
        func derive(_ suite: any CryptoSuite, _ label: String) throws -> [UInt8] {
            try suite.mac(key: secret, Array("gongzhi personal data \(label)".utf8))
        }
        var keys: [String: [UInt8]] = [:]
        keys[national.tag] = Array(try derive(national, "sm4 key").prefix(16)) + (try derive(national, "sm4 mac"))
        keys[international.tag] = try derive(international, "aes key")
        active = suite.suite
        self.keys = keys
        indexKey = try derive(active, "index")
        trackingKey = try derive(active, "tracking")
    }

    public var suiteTag: String { active.tag }

    public func seal(_ text: String) throws -> String {
        active.tag + ":" + Data(try active.seal(Array(text.utf8), key: keys[active.tag]!)).base64EncodedString()
    }

    /// Fails on a value altered in any byte, or sealed under another secret.
    public func open(_ sealed: String) throws -> String {
        guard let colon = sealed.firstIndex(of: ":"), let key = keys[String(sealed[..<colon])],
            let data = Data(base64Encoded: String(sealed[sealed.index(after: colon)...]))
        else { throw CryptoFailure(description: "not a sealed value") }
        let suite: any CryptoSuite = sealed.hasPrefix("sm4:") ? NationalCryptoSuite() : InternationalCryptoSuite()
        return String(decoding: try suite.open(Array(data), key: key), as: UTF8.self)
    }

    /// A keyed hash of a normalised value, so equal values can be found without storing them in the clear.
    /// Changing the suite changes every index: re-index then.
    public func index(_ normalized: String) throws -> String {
        hex(try active.mac(key: indexKey, Array(normalized.utf8)))
    }

    /// Eight characters a caller is told with the case number, to follow and rate the case without an account:
    /// derived from the case id, so staff can tell it again, and unguessable without the server secret (2^40).
    public func trackingCode(caseID: Int64) throws -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let mac = try active.mac(key: trackingKey, Array("case \(caseID)".utf8))
        return String(mac.prefix(8).map { alphabet[Int($0) % alphabet.count] })
    }
}
