import Crypto
import Foundation

/// The key of the audit hash chain: HMAC-SHA256 under a key derived (HKDF-SHA256, info "gongzhi audit chain") from the
/// server secret, which lives outside the database. Someone holding only the database file can neither rewrite an
/// entry and recompute the chain after it, nor cut entries off the end and reset the head.
public struct AuditKey: Sendable {
    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(secret: String) {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("gongzhi audit chain".utf8),
            outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Data($0) }
    }

    /// The hex HMAC of `text`.
    func mac(_ text: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).hexString
    }

    /// Compares an expected MAC with a stored one in constant time.
    func check(_ text: String, against stored: String?) -> Bool {
        guard let stored else { return false }
        let expected = Array(mac(text).utf8), given = Array(stored.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// What the head row's MAC covers: the last entry and where the keyed part of the chain starts.
    static func headText(seq: Int64, hash: String, keyedFrom: Int64) -> String {
        "audit_head|\(seq)|\(hash)|\(keyedFrom)"
    }
    static func checkpointText(seq: Int64, hash: String, verifiedAt: Int64) -> String {
        "audit_checkpoint|\(seq)|\(hash)|\(verifiedAt)"
    }
}

extension Data {
    /// Lower-case hex, two digits a byte. Written out by hand: `String(format:)` per byte cost a twentieth of a
    /// filing's CPU time (two MACs per audit entry; issue 11).
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: count * 2) { buffer in
            var i = 0
            for byte in self {
                buffer[i] = digits[Int(byte >> 4)]
                buffer[i + 1] = digits[Int(byte & 0x0f)]
                i += 2
            }
            return i
        }
    }
}

extension AuditLog {
    /// The audit key of the transaction being run. `Database.transaction` binds it to the database's key, so
    /// `AuditLog.append(sql, …)` — called with a bare connection from forty commands — finds the key without any
    /// caller passing it, and an append outside a transaction of a keyed database cannot happen unnoticed (it throws).
    @TaskLocal static var transactionKey: AuditKey?
}
