import Foundation
import GongzhiDomain
import Testing

@Suite struct PasswordPolicyTests {
    let weak = DomainError.invalid("password_weak", field: "password")

    @Test(arguments: [
        "correct horse battery staple", "tz8#Lq2!vM", "我家门前有两棵枣树呢", String(repeating: "ab1", count: 42) + "xy",
    ])
    func longPassphrasesAndUnusualPasswordsAreAccepted(password: String) throws {
        // given / when / then
        try PasswordPolicy.check(password, username: "zhangsan")
    }

    @Test func theLengthIsCountedInCharactersFromTenToOneHundredTwentyEight() throws {
        // given
        let tooShort = "tz8#Lq2!v"
        let longest = String(repeating: "tz8#Lq2!", count: 16)
        // when / then
        #expect(throws: DomainError.invalid("password_too_short", field: "password", args: ["10"])) {
            try PasswordPolicy.check(tooShort, username: "zhangsan")
        }
        try PasswordPolicy.check("树" + tooShort, username: "zhangsan")
        try PasswordPolicy.check(longest, username: "zhangsan")
        #expect(throws: DomainError.invalid("password_too_long", field: "password")) {
            try PasswordPolicy.check(longest + "x", username: "zhangsan")
        }
    }

    @Test(arguments: ["password123", "PassWord123", "woaini1314", "1qaz2wsx3edc", "Gongzhi2026"])
    func commonPasswordsAreRefusedWhateverTheirCase(password: String) {
        // given / when / then
        #expect(throws: weak) { try PasswordPolicy.check(password, username: "zhangsan") }
    }

    @Test(arguments: ["aaaaaaaaaaaa", "abababababab", "abcabcabcabc", "abcdefghijkl", "ZYXWVUTSRQPO", "bcdefghijklm"])
    func trivialPasswordsAreRefused(password: String) {
        // given: few distinct characters, or each character one step from the last
        // when / then
        #expect(throws: weak) { try PasswordPolicy.check(password, username: "zhangsan") }
    }

    @Test func aPasswordContainingTheUsernameIsRefused() throws {
        // given / when / then
        #expect(throws: weak) { try PasswordPolicy.check("my-ZhangSan-pass", username: "zhangsan") }
        try PasswordPolicy.check("my-zhangsan-pass", username: "")
    }
}

@Suite struct UsernamePolicyTests {
    let invalid = DomainError.invalid("username_invalid", field: "username")

    @Test func usernamesAreTrimmedAndLowercased() throws {
        // given / when
        let name = try UsernamePolicy.normalise("  Zhang.San_01-x ")
        // then
        #expect(name == "zhang.san_01-x")
    }

    @Test func threeToThirtyTwoCharactersAreAllowed() throws {
        // given / when / then
        #expect(try UsernamePolicy.normalise("abc") == "abc")
        #expect(try UsernamePolicy.normalise(String(repeating: "a", count: 32)).count == 32)
        #expect(throws: invalid) { try UsernamePolicy.normalise("ab") }
        #expect(throws: invalid) { try UsernamePolicy.normalise(String(repeating: "a", count: 33)) }
        #expect(throws: invalid) { try UsernamePolicy.normalise("   ") }
    }

    @Test(arguments: ["张三丰", "zhang san", "zhang@san", "zhäng", "ｚhang", "zhang\tsan", "a/b/c"])
    func onlyASCIILettersDigitsAndUnderscoreDotHyphenAreAllowed(name: String) {
        // given / when / then
        #expect(throws: invalid) { try UsernamePolicy.normalise(name) }
    }
}
