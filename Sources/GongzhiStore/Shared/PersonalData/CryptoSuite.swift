import CGongzhiCrypto
import Crypto
import Foundation

/// The one interface every use of cryptography on personal data goes through, so that a deployment chooses the
/// national algorithms (SM3/SM4, as 密评 expects) or the international ones (SHA-256/AES-GCM) by setting, and a
/// value sealed under one suite stays readable after the setting changes (each sealed value names its suite).
public protocol CryptoSuite: Sendable {
    /// The tag written in front of every value this suite seals.
    var tag: String { get }
    func digest(_ data: [UInt8]) throws -> [UInt8]
    func mac(key: [UInt8], _ data: [UInt8]) throws -> [UInt8]
    /// Encrypts and authenticates: a flipped byte makes `open` fail.
    func seal(_ plaintext: [UInt8], key: [UInt8]) throws -> [UInt8]
    func open(_ sealed: [UInt8], key: [UInt8]) throws -> [UInt8]
    /// Checks the implementation against the standards' published test vectors; start-up refuses a suite that fails.
    func selfTest() throws
}

public struct CryptoFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Which suite seals new values.
public enum CryptoSuiteName: String, Sendable, CaseIterable {
    /// SM3 (GB/T 32905-2016) and SM4 (GB/T 32907-2016) from the system's OpenSSL.
    case national = "sm"
    /// SHA-256, HMAC-SHA256 and AES-256-GCM from swift-crypto.
    case international = "intl"

    public var suite: any CryptoSuite {
        switch self {
        case .national: NationalCryptoSuite()
        case .international: InternationalCryptoSuite()
        }
    }
}

/// SM4-CTR encrypted, then authenticated with HMAC-SM3 over nonce and ciphertext (encrypt-then-MAC): OpenSSL 3.0
/// offers no SM4-GCM. Layout: 16-byte nonce, ciphertext, 32-byte tag. The key is 48 bytes: 16 for SM4, 32 for the MAC.
public struct NationalCryptoSuite: CryptoSuite {
    public init() {}
    public var tag: String { "sm4" }

    public func digest(_ data: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        guard gz_sm3(data, data.count, &out) == 1 else { throw CryptoFailure(description: "SM3 unavailable") }
        return out
    }

    public func mac(key: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        guard gz_hmac_sm3(key, key.count, data, data.count, &out) == 1 else {
            throw CryptoFailure(description: "HMAC-SM3 unavailable")
        }
        return out
    }

    public func seal(_ plaintext: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let (cipherKey, macKey) = try split(key)
        var nonce = [UInt8](repeating: 0, count: 16)
        guard gz_random(&nonce, 16) == 1 else { throw CryptoFailure(description: "no random bytes") }
        let body = try ctr(plaintext, key: cipherKey, nonce: nonce)
        return nonce + body + (try mac(key: macKey, nonce + body))
    }

    public func open(_ sealed: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let (cipherKey, macKey) = try split(key)
        guard sealed.count >= 48 else { throw CryptoFailure(description: "sealed value too short") }
        let nonce = Array(sealed[0..<16])
        let body = Array(sealed[16..<(sealed.count - 32)])
        let tag = Array(sealed[(sealed.count - 32)...])
        let expected = try mac(key: macKey, nonce + body)
        guard constantTimeEqual(tag, expected) else {
            throw CryptoFailure(description: "sealed value altered")
        }
        return try ctr(body, key: cipherKey, nonce: nonce)
    }

    func ctr(_ input: [UInt8], key: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(input.count, 1))
        guard input.isEmpty || gz_sm4_ctr(key, nonce, input, input.count, &out) == 1 else {
            throw CryptoFailure(description: "SM4 unavailable")
        }
        return Array(out.prefix(input.count))
    }

    func split(_ key: [UInt8]) throws -> ([UInt8], [UInt8]) {
        guard key.count == 48 else { throw CryptoFailure(description: "the SM4 suite takes a 48-byte key") }
        return (Array(key[0..<16]), Array(key[16...]))
    }

    public func selfTest() throws {
        // GB/T 32905-2016, example 1: SM3("abc").
        let abc = try digest(Array("abc".utf8))
        guard hex(abc) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" else {
            throw CryptoFailure(description: "SM3 does not match the standard's test vector")
        }
        // GB/T 32907-2016, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
        let block: [UInt8] = [
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
        ]
        var out = [UInt8](repeating: 0, count: 16)
        guard gz_sm4_block(block, block, &out) == 1, hex(out) == "681edf34d206965e86b3e94f536e4246" else {
            throw CryptoFailure(description: "SM4 does not match the standard's test vector")
        }
        try roundTrip(self, keyLength: 48)
    }
}

/// AES-256-GCM, SHA-256 and HMAC-SHA256 from swift-crypto. The key is 32 bytes.
public struct InternationalCryptoSuite: CryptoSuite {
    public init() {}
    public var tag: String { "aes" }

    public func digest(_ data: [UInt8]) throws -> [UInt8] { Array(SHA256.hash(data: data)) }

    public func mac(key: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    public func seal(_ plaintext: [UInt8], key: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.seal(plaintext, using: SymmetricKey(data: key.prefix(32))).combined!)
    }

    public func open(_ sealed: [UInt8], key: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: key.prefix(32))))
    }

    public func selfTest() throws {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        guard
            hex(try digest(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        else { throw CryptoFailure(description: "SHA-256 does not match the standard's test vector") }
        try roundTrip(self, keyLength: 32)
    }
}

/// A seal that opens to what went in and refuses a flipped byte.
private func roundTrip(_ suite: any CryptoSuite, keyLength: Int) throws {
    let key = [UInt8](repeating: 7, count: keyLength)
    let text = Array("13812345678 张三".utf8)
    var sealed = try suite.seal(text, key: key)
    guard try suite.open(sealed, key: key) == text else { throw CryptoFailure(description: "\(suite.tag) round trip") }
    sealed[sealed.count / 2] ^= 1
    guard (try? suite.open(sealed, key: key)) == nil else {
        throw CryptoFailure(description: "\(suite.tag) accepted an altered value")
    }
}

/// Equal in length and bytes, compared in constant time so the answer does not tell how many bytes matched.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count && zip(a, b).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
}

/// Lower-case hexadecimal; by table, since `String(format:)` per byte cost more than the keyed hash it printed
/// (issue 12: a dozen indexes per person imported).
func hex(_ bytes: [UInt8]) -> String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        for (i, byte) in bytes.enumerated() {
            out[2 * i] = digits[Int(byte >> 4)]
            out[2 * i + 1] = digits[Int(byte & 0x0f)]
        }
        return bytes.count * 2
    }
}
