import Foundation
import GongzhiDomain

/// Seals personal data (names, phones, ID numbers, exact addresses) for storage with keys kept outside the
/// database: someone holding only the database file (or a backup, or the WAL) reads no plaintext and cannot alter a
/// value unnoticed. Version 0 of the sealing keys is derived from the server secret; further versions come from
/// data keys (`GONGZHI_CRYPTO_KEYS`, or a key file), the highest sealing new values. Sealed values read
/// `<suite tag>[.<version>]:<base64>`, so values sealed under an older version or another suite still open, and
/// `gongzhi keys rotate` re-seals them under the current one. The keyed hashes that find values (`index`) and the
/// tracking codes stay keyed by the server secret, so searches work throughout a rotation.
public struct PersonalDataBox: Sendable {
    let active: any CryptoSuite
    /// The version new values are sealed under: the highest configured. Computed rather than stored: with one more
    /// stored property the web suite crashed reproducibly with heap corruption (session 5; not yet explained, to be
    /// run under the address sanitizer).
    public var activeVersion: Int {
        keys.keys.compactMap { $0.split(separator: ".").dropFirst().first.flatMap { Int($0) } }.max() ?? 0
    }
    /// Each suite's sealing key per version, by the tag prefix values carry (`sm4`, `sm4.2`, `aes.2`).
    let keys: [String: [UInt8]]
    let indexKey: [UInt8]
    let trackingKey: [UInt8]

    /// Derives the keys; refuses a suite that fails its published test vectors, and data keys shorter than 32 bytes.
    public init(serverSecret: String, suite: CryptoSuiteName = .national, dataKeys: [DataKey] = []) throws {
        let secret = Array(serverSecret.utf8)
        let national = NationalCryptoSuite()
        let international = InternationalCryptoSuite()
        try suite.suite.selfTest()
        func derive(_ suite: any CryptoSuite, _ material: [UInt8], _ label: String) throws -> [UInt8] {
            try suite.mac(key: material, Array("gongzhi personal data \(label)".utf8))
        }
        var keys: [String: [UInt8]] = [:]
        for (version, material) in [(0, secret)] + dataKeys.map({ ($0.version, $0.bytes) }) {
            guard material.count >= 32, version >= 0 else {
                throw CryptoFailure(description: "data key \(version) must be at least 32 bytes")
            }
            let suffix = version == 0 ? "" : ".\(version)"
            keys[national.tag + suffix] =
                Array(try derive(national, material, "sm4 key").prefix(16))
                + (try derive(national, material, "sm4 mac"))
            keys[international.tag + suffix] = try derive(international, material, "aes key")
        }
        active = suite.suite
        self.keys = keys
        indexKey = try derive(active, secret, "index")
        trackingKey = try derive(active, secret, "tracking")
    }

    public var suiteTag: String { active.tag }

    /// The prefix of values sealed under the current suite and version (`sm4.2`).
    public var currentPrefix: String { active.tag + (activeVersion == 0 ? "" : ".\(activeVersion)") }

    public func seal(_ text: String) throws -> String {
        currentPrefix + ":"
            + Data(try active.seal(Array(text.utf8), key: keys[currentPrefix]!)).base64EncodedString()
    }

    /// Whether a sealed value is under another suite or version than new values are (what `keys rotate` re-seals).
    public func needsResealing(_ sealed: String) -> Bool { !sealed.hasPrefix(currentPrefix + ":") }

    /// Fails on a value altered in any byte, sealed under another secret, or under a key version no longer given.
    public func open(_ sealed: String) throws -> String {
        guard let colon = sealed.firstIndex(of: ":"),
            let data = Data(base64Encoded: String(sealed[sealed.index(after: colon)...]))
        else { throw CryptoFailure(description: "not a sealed value") }
        let prefix = String(sealed[..<colon])
        guard let key = keys[prefix] else {
            throw CryptoFailure(description: "sealed under key \(prefix), which is not configured")
        }
        let suite: any CryptoSuite = prefix.hasPrefix("sm4") ? NationalCryptoSuite() : InternationalCryptoSuite()
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

/// A data key from outside the database: its version and at least 32 bytes of key material.
public struct DataKey: Sendable, Equatable {
    public var version: Int
    public var bytes: [UInt8]
    public init(version: Int, bytes: [UInt8]) {
        self.version = version
        self.bytes = bytes
    }

    /// `1:<64 hex digits>,2:<64 hex digits>` (commas, semicolons or new lines between; `#` starts a comment line),
    /// as `GONGZHI_CRYPTO_KEYS` or a key file gives them. Versions start at 1 (0 is the server secret's).
    public static func parse(_ text: String) throws -> [DataKey] {
        var out: [DataKey] = []
        for entry in text.split(whereSeparator: { ",;\n".contains($0) }) {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "=" }).map(String.init)
            guard parts.count == 2, let version = Int(parts[0]), version >= 1, parts[1].count >= 64,
                parts[1].count % 2 == 0, let bytes = hexBytes(parts[1])
            else { throw CryptoFailure(description: "a data key reads <version>:<at least 64 hex digits>") }
            guard !out.contains(where: { $0.version == version }) else {
                throw CryptoFailure(description: "data key version \(version) is given twice")
            }
            out.append(DataKey(version: version, bytes: bytes))
        }
        return out
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chars = hex.makeIterator()
        while let a = chars.next(), let b = chars.next() {
            guard let byte = UInt8(String([a, b]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
