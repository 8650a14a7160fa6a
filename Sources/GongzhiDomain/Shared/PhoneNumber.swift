import Foundation

/// A mainland phone number, kept in its national form so that the same number typed two ways seals and indexes the
/// same: a mobile as its 11 digits (`13812345678`), a landline as its area code with the trunk 0 and the local number
/// (`01062345678`, `075512345678`). One rule for every module: the registry's people and the callers of cases.
public struct PhoneNumber: Sendable, Hashable, Codable {
    public enum Kind: String, CaseIterable, Codable, Sendable { case mobile, landline }

    public let kind: Kind
    /// The national digits, without separators.
    public let digits: String
    /// The area code's length with its 0 (3 for 010 and 02x, otherwise 4); 0 for a mobile.
    public let areaCodeLength: Int

    init(kind: Kind, digits: String, areaCodeLength: Int) {
        self.kind = kind
        self.digits = digits
        self.areaCodeLength = areaCodeLength
    }

    /// Reads a number as people write it: `+86`/`0086`/`86` before a mobile, spaces, dashes, dots, brackets around
    /// the area code and full-width digits. Mobiles are `1[3-9]` and nine digits; landlines are an area code (010,
    /// 02x, or four digits 03xx–09xx) and a local number of 7 or 8 digits that does not start with 0 or 1 (a
    /// 3-digit area code always has 8).
    public static func parse(_ raw: String, field: String = "phone") throws(DomainError) -> PhoneNumber {
        let text = HalfWidth.fold(raw).trimmedWhitespace
        guard !text.isEmpty else { throw .invalid("phone_required", field: field) }
        guard text.allSatisfy({ $0.isASCIIDigit || " -.()+".contains($0) }), !text.dropFirst().contains("+") else {
            throw .invalid("phone_characters", field: field)
        }
        // The area code is told by where a separator falls, when there is one: "0755-1234567".
        let groups = text.split { " -.()".contains($0) }.map(String.init)
        var digits = text.filter(\.isASCIIDigit)
        var international = false
        if text.hasPrefix("+86") {
            digits.removeFirst(2)
            international = true
        } else if text.hasPrefix("+") {
            throw .invalid("phone_format", field: field)  // a number abroad
        } else if digits.hasPrefix("0086") {
            digits.removeFirst(4)
            international = true
        } else if digits.count == 13, digits.hasPrefix("861") {
            digits.removeFirst(2)
        }
        // From abroad a landline drops its trunk 0: +86 10 6234 5678.
        if international, mobile(digits) == nil, digits.first != "0" { digits = "0" + digits }
        if let mobile = mobile(digits) { return mobile }
        let statedArea =
            !international && groups.count > 1 && groups[0].hasPrefix("0") && (3...4).contains(groups[0].count)
            ? groups[0].count : nil
        if let landline = landline(digits, areaLength: statedArea) { return landline }
        throw .invalid("phone_format", field: field)
    }

    static func mobile(_ digits: String) -> PhoneNumber? {
        let d = Array(digits)
        guard d.count == 11, d[0] == "1", ("3"..."9").contains(d[1]) else { return nil }
        return PhoneNumber(kind: .mobile, digits: digits, areaCodeLength: 0)
    }

    static func landline(_ digits: String, areaLength stated: Int?) -> PhoneNumber? {
        let d = Array(digits)
        guard d.count >= 10, d[0] == "0", d[1] != "0" else { return nil }
        // 010 and 020–029 are the 3-digit area codes; every other starts 03–09 and has 4 digits.
        let areaLength = d[1] == "1" || d[1] == "2" ? 3 : 4
        if let stated, stated != areaLength { return nil }
        if d[1] == "1", d[2] != "0" { return nil }
        let local = d[areaLength...]
        let allowed = areaLength == 3 ? 8...8 : 7...8
        guard allowed.contains(local.count), let head = local.first, head != "0", head != "1" else { return nil }
        return PhoneNumber(kind: .landline, digits: digits, areaCodeLength: areaLength)
    }

    /// The last four digits, the part people remember and search by.
    public var last4: String { String(digits.suffix(4)) }

    /// `138****5678`; a landline keeps its area code and last four: `010****5678`.
    public var masked: String {
        switch kind {
        case .mobile: PersonalDataMask.phone(digits)
        case .landline:
            String(digits.prefix(areaCodeLength)) + String(repeating: "*", count: digits.count - areaCodeLength - 4)
                + last4
        }
    }

    /// As it is written: `138 1234 5678`, `010-62345678`.
    public var formatted: String {
        switch kind {
        case .mobile: "\(digits.prefix(3)) \(digits.dropFirst(3).prefix(4)) \(digits.suffix(4))"
        case .landline: "\(digits.prefix(areaCodeLength))-\(digits.dropFirst(areaCodeLength))"
        }
    }

    /// Stored and sent as its national digits; read back through `parse`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try PhoneNumber.parse(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
