import Foundation

/// Long passphrases welcome; short, common and trivial passwords refused. No forced periodic change.
public enum PasswordPolicy {
    public static let minLength = 10
    public static let maxLength = 128

    /// A short list of the passwords seen most often in leaks, Chinese sites' included.
    static let common: Set<String> = [
        "1234567890", "12345678910", "123456789a", "a123456789", "qwertyuiop", "1qaz2wsx3edc", "password123",
        "password1234", "iloveyou123", "woaini1314", "woaini520", "5201314520", "1314520520", "abcd123456",
        "qq123456789", "admin12345", "administrator", "gongzhi123", "gongzhi2026", "p@ssw0rd123", "passw0rd123",
        "aa123456789", "asdfghjkl1", "zxcvbnm123", "0123456789", "9876543210", "1111111111", "0000000000",
    ]

    public static func check(_ password: String, username: String) throws(DomainError) {
        guard password.count >= minLength else {
            throw .invalid("password_too_short", field: "password", args: ["\(minLength)"])
        }
        guard password.count <= maxLength else { throw .invalid("password_too_long", field: "password") }
        let lower = password.lowercased()
        if common.contains(lower) || Set(lower).count <= 3 || isSequence(lower)
            || lower.contains(username.lowercased()) && !username.isEmpty
        {
            throw .invalid("password_weak", field: "password")
        }
    }

    /// "abcdefghij", "1234567890", "9876543210": each character one step from the last.
    static func isSequence(_ s: String) -> Bool {
        let scalars = s.unicodeScalars.map(\.value)
        guard scalars.count > 2 else { return false }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int($1) - Int($0) })
        return steps == [1] || steps == [-1]
    }
}

/// Usernames: 3–32 letters, digits, '_', '.', '-'; compared case-insensitively.
public enum UsernamePolicy {
    public static func normalise(_ raw: String) throws(DomainError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...32).contains(name.count),
            name.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
            })
        else { throw .invalid("username_invalid", field: "username") }
        return name
    }
}
