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

    /// A name of 1–40 characters and a mainland phone number by the shared rule (`PhoneNumber`: a mobile or a
    /// landline with its area code), kept in its national form so that the registry's phone index finds the same
    /// person. Both are required together, so a caller can always be called back.
    public static func validate(name rawName: String, phone rawPhone: String) throws(DomainError) -> Caller {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(name.count) else {
            throw DomainError.invalid("caller_name_invalid", field: "caller_name")
        }
        guard let phone = try? PhoneNumber.parse(rawPhone, field: "caller_phone") else {
            throw DomainError.invalid("caller_phone_invalid", field: "caller_phone")
        }
        return Caller(name: name, phone: phone.digits)
    }

    public var masked: Caller { Caller(name: PersonalDataMask.name(name), phone: PersonalDataMask.phone(phone)) }
}
