import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Random tokens, their stored hashes, and password hashing off the event loops.
public enum Secrets {
    /// 32 random bytes, base64url, with a prefix that says what the token is for.
    public static func token(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// bcrypt reads only 72 bytes, so long passphrases are hashed to a fixed length first.
    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    public static func hashPassword(_ password: String, cost: UInt8) async throws -> String {
        let pre = prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(pre, cost: cost) }
    }

    public static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        let pre = prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(pre, hash: hash) }
    }

    /// A hash to verify against when the user does not exist, so timing does not reveal usernames.
    static let decoyHash = Bcrypt.hash("decoy-password-never-matches", cost: 10)
}
