import Foundation

/// The person who called the hotline or came in, recorded by the staff member who files the case for them, so that
/// they can follow and rate it with the case number and its tracking code. Personal data: sealed in storage, shown
/// masked, and every full view is audited.
public struct Caller: Sendable, Equatable, Codable {
    public var name: String
    public var phone: String
    public init(name: String, phone: String) {
        self.name = name
        self.phone = phone
    }

    /// Channels on which staff file for someone else, and so record who that is.
    public static let channels: Set<CaseChannel> = [.hotline, .walkIn]

    /// A name of 1–40 characters and a phone number of 7–15 digits (a landline may carry `-` and spaces; `+86` is
    /// kept as digits). Both are required together, so a caller can always be called back.
    public static func validate(name rawName: String, phone rawPhone: String) throws(DomainError) -> Caller {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(name.count) else {
            throw DomainError.invalid("caller_name_invalid", field: "caller_name")
        }
        let phone = rawPhone.trimmingCharacters(in: .whitespaces)
        let allowed = phone.allSatisfy { $0.isASCII && ($0.isNumber || "+- ".contains($0)) }
        let digits = phone.filter(\.isNumber)
        guard allowed, (7...15).contains(digits.count) else {
            throw DomainError.invalid("caller_phone_invalid", field: "caller_phone")
        }
        return Caller(name: name, phone: digits)
    }

    public var masked: Caller { Caller(name: PersonalDataMask.name(name), phone: PersonalDataMask.phone(phone)) }
}
