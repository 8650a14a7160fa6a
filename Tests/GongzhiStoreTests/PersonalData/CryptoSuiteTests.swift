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
}
