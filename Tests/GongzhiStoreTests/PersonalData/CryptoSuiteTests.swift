import Foundation
import GongzhiStore
import Testing

@Suite struct CryptoSuiteTests {
    @Test(arguments: CryptoSuiteName.allCases)
    func eachSuitePassesTheStandardsTestVectors(_ name: CryptoSuiteName) throws {
        try name.suite.selfTest()
    }

    @Test func sm3MatchesTheStandardsSecondExample() throws {
        // GB/T 32905-2016, example 2: "abcd" repeated 16 times.
        let digest = try NationalCryptoSuite().digest(Array(String(repeating: "abcd", count: 16).utf8))
        #expect(
            digest.map { String(format: "%02x", $0) }.joined()
                == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test(arguments: CryptoSuiteName.allCases)
    func aSealedValueOpensOnlyUnaltered(_ name: CryptoSuiteName) throws {
        // given
        let box = try PersonalDataBox(serverSecret: String(repeating: "s", count: 40), suite: name)
        // when
        let sealed = try box.seal("13812345678")
        // then
        #expect(!sealed.contains("13812345678"))
        #expect(try box.open(sealed) == "13812345678")
        #expect(try box.seal("13812345678") != sealed, "every seal takes a fresh nonce")
        var bytes = Array(Data(base64Encoded: String(sealed.split(separator: ":")[1]))!)
        bytes[bytes.count / 2] ^= 0x01
        let altered = "\(sealed.split(separator: ":")[0]):" + Data(bytes).base64EncodedString()
        #expect(throws: (any Error).self) { try box.open(altered) }
    }

    @Test func valuesSealedUnderOneSuiteOpenAfterTheSettingChanges() throws {
        let secret = String(repeating: "k", count: 40)
        let national = try PersonalDataBox(serverSecret: secret, suite: .national)
        let international = try PersonalDataBox(serverSecret: secret, suite: .international)
        let sealed = try national.seal("张三")
        #expect(sealed.hasPrefix("sm4:"))
        #expect(try international.open(sealed) == "张三")
        #expect(try national.open(try international.seal("李四")) == "李四")
    }

    @Test func anotherSecretOpensNothing() throws {
        let sealed = try PersonalDataBox(serverSecret: String(repeating: "a", count: 40)).seal("13812345678")
        let other = try PersonalDataBox(serverSecret: String(repeating: "b", count: 40))
        #expect(throws: (any Error).self) { try other.open(sealed) }
    }

    @Test func trackingCodesAreStablePerCaseAndDifferBetweenCases() throws {
        let box = try PersonalDataBox(serverSecret: String(repeating: "t", count: 40))
        let code = try box.trackingCode(caseID: 42)
        #expect(code.count == 8)
        #expect(try box.trackingCode(caseID: 42) == code)
        #expect(try box.trackingCode(caseID: 43) != code)
        #expect(code.allSatisfy { "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains($0) })
    }

    /// HMAC-SM3 against the `openssl mac` command (an independent path into libcrypto): a short key, a 32-byte key
    /// and a key longer than the per-thread cache holds, each twice, so a re-used keyed context answers as a new one.
    @Test func hmacSM3MatchesTheOpenSSLCommandWithKeysOfEveryLength() throws {
        let suite = NationalCryptoSuite()
        let keyed32 = (1...32).map { UInt8($0) }
        let cases: [([UInt8], [UInt8], String)] = [
            (Array("key".utf8), Array("abc".utf8), "28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393"),
            (keyed32, [], "83dadf1641abcec1b8a7bf570af4d34a74f27ec4f7e7a5594c9e4c4cbeb1ca52"),
            (
                Array(String(repeating: "k", count: 70).utf8), Array(String(repeating: "x", count: 100).utf8),
                "4568d0de09db18782362236c7f29472543f0b037a3b9f9a10bfdee02725f5de6"
            ),
        ]
        for _ in 0..<2 {
            for (key, data, expected) in cases {
                #expect(try suite.mac(key: key, data).map { String(format: "%02x", $0) }.joined() == expected)
            }
        }
    }

    /// Each thread keeps its own keyed contexts: many tasks hashing under more keys than a thread caches, at once,
    /// get what one thread gets alone.
    @Test func keyedHashesAgreeUnderConcurrencyAndManyKeys() async throws {
        // given
        let suite = NationalCryptoSuite()
        let keys = (0..<7).map { k in [UInt8](repeating: UInt8(k + 1), count: 32) }
        let values = (0..<50).map { Array("registry name \($0)".utf8) }
        var expected: [[UInt8]] = []
        for key in keys { for value in values { expected.append(try suite.mac(key: key, value)) } }
        let reference = expected
        // when
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var same = true
                    let sealKey = keys[0] + keys[1].prefix(16)
                    for round in 0..<keys.count * values.count {
                        let i = (round * 7 + task * 13) % (keys.count * values.count)
                        let value = values[i % values.count]
                        let opened = try suite.open(try suite.seal(value, key: sealKey), key: sealKey)
                        let mac = try suite.mac(key: keys[i / values.count], value)
                        same = same && opened == value && mac == reference[i]
                    }
                    return same
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        // then
        #expect(results == Array(repeating: true, count: 16))
    }
}
