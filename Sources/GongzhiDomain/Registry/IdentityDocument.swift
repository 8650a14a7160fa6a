import Foundation

/// The identity documents a person in the registry is recorded with. Raw values name the locale keys
/// (`document_kind_<raw>`) and the stored column.
public enum DocumentKind: String, CaseIterable, Codable, Sendable {
    /// 居民身份证: the 18-character citizen identity number of GB 11643-1999.
    case residentID
    /// 护照: Chinese or foreign.
    case passport
    /// 港澳居民来往内地通行证 (回乡证).
    case hongKongMacaoPermit
    /// 台湾居民来往大陆通行证 (台胞证).
    case taiwanPermit
    /// 外国人永久居留身份证 (永居证): the 2017 and the 2023 formats.
    case foreignPermanentResidence

    /// Whether the number itself encodes a birth date and sex the form's answers must agree with.
    public var encodesBirthAndSex: Bool { self == .residentID }
}

/// Sex as recorded on identity documents (GB/T 2261.1's 1 male, 2 female).
public enum Sex: String, CaseIterable, Codable, Sendable { case male, female }

/// A document kind with its number, normalised and checked: the value the store seals. Build it with `validate`.
public struct IdentityDocument: Sendable, Hashable, Codable {
    public let kind: DocumentKind
    /// Upper-case ASCII without spaces, as checked.
    public let number: String

    /// Trusts `number` as already validated (read back from the store).
    public init(kind: DocumentKind, validNumber number: String) {
        self.kind = kind
        self.number = number
    }

    /// What is written on the form or in the import file, folded the way people type it: trimmed, full-width digits
    /// and letters made half-width, spaces dropped, upper case (`x` → `X`).
    public static func normalise(_ raw: String) -> String {
        HalfWidth.fold(raw).filter { !$0.isWhitespace }.uppercased()
    }

    /// Checks `number` as a document of `kind` issued no later than `today`, and returns it normalised. Each reason
    /// has its own key, all on the `id_number` field: `id_number_required`, `id_number_length`, `id_number_format`,
    /// `id_number_region`, `id_number_birth_date`, `id_number_check_digit`.
    public static func validate(
        kind: DocumentKind, number raw: String, today: CalendarDate
    ) throws(DomainError) -> IdentityDocument {
        let number = normalise(raw)
        guard !number.isEmpty else { throw invalid("id_number_required") }
        switch kind {
        case .residentID:
            _ = try ResidentIDNumber.parse(number, today: today)
        case .passport:
            try checkPassport(number)
        case .hongKongMacaoPermit:
            try checkHongKongMacaoPermit(number)
        case .taiwanPermit:
            // Since 25 September 2008 the permit carries only the holder's lifelong number of eight digits (一人一号、
            // 终身不变); the issue count and issuing office moved out of the number (MPS Exit and Entry
            // Administration, reported by China News Service, 2008-09-11).
            guard number.count == 8 else { throw invalid("id_number_length") }
            guard number.allSatisfy(\.isASCIIDigit) else { throw invalid("id_number_format") }
        case .foreignPermanentResidence:
            try checkForeignPermanentResidence(number)
        }
        return IdentityDocument(kind: kind, validNumber: number)
    }

    /// Passports: Chinese ordinary passports are `E` and eight characters (E12345678, EA1234567); foreign ones differ
    /// by country, so only the ICAO 9303 shape is checked: letters and digits, at least one digit, 5 to 17 long (the
    /// machine-readable zone's nine characters plus its optional-data overflow).
    static func checkPassport(_ number: String) throws(DomainError) {
        guard (5...17).contains(number.count) else { throw invalid("id_number_length") }
        guard number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), number.contains(where: \.isNumber)
        else { throw invalid("id_number_format") }
    }

    /// 港澳居民来往内地通行证: `H` (Hong Kong) or `M` (Macao), then the holder's lifelong number of eight digits,
    /// then, in the 11-character form, two digits counting the renewals (00 at first issue) — "港澳居民来往内地通行证
    /// 号码规则", Ministry of Public Security, Exit and Entry Administration, 2010-03-10. Cards since 2013 print the
    /// nine-character number and the count apart, so both lengths are accepted.
    static func checkHongKongMacaoPermit(_ number: String) throws(DomainError) {
        guard number.count == 9 || number.count == 11 else { throw invalid("id_number_length") }
        guard let first = number.first, first == "H" || first == "M", number.dropFirst().allSatisfy(\.isASCIIDigit)
        else { throw invalid("id_number_format") }
    }

    /// 外国人永久居留身份证. The 2017 card: 15 characters, three Latin letters (the nationality) and 12 digits — only
    /// its shape is checked, having no published check rule to verify here. The 2023 card (issued from 1 December
    /// 2023): 18 characters, 17 digits and a check character, starting with `9`; its last character is computed
    /// "with MOD 11-2, the same as the citizen identity number" ("新版外国人永久居留身份证机读信息规则(2023版)",
    /// National Immigration Administration), which is checked. Its birth date and sex are not read from it: the
    /// layout of its other digits was not verified against the published table.
    static func checkForeignPermanentResidence(_ number: String) throws(DomainError) {
        switch number.count {
        case 15:
            guard number.prefix(3).allSatisfy({ $0.isASCII && $0.isLetter }),
                number.dropFirst(3).allSatisfy(\.isASCIIDigit)
            else { throw invalid("id_number_format") }
        case 18:
            guard number.first == "9", number.prefix(17).allSatisfy(\.isASCIIDigit),
                let last = number.last, last.isASCIIDigit || last == "X"
            else { throw invalid("id_number_format") }
            guard ResidentIDNumber.checkCharacter(number.prefix(17)) == last else {
                throw invalid("id_number_check_digit")
            }
        default:
            throw invalid("id_number_length")
        }
    }

    static func invalid(_ key: String) -> DomainError { .invalid(key, field: "id_number") }

    /// The resident ID's parts; nil for other kinds.
    public var residentID: ResidentIDNumber? {
        kind == .residentID ? try? ResidentIDNumber.parse(number, today: nil) : nil
    }

    /// The birth date the number encodes (resident IDs only).
    public var birthDate: CalendarDate? { residentID?.birthDate }

    /// The sex the number encodes (resident IDs only).
    public var sex: Sex? { residentID?.sex }

    /// What stays the same for one holder across renewals: the nine characters of a Hong Kong or Macao permit
    /// without its renewal count, otherwise the number. Duplicates are found on this.
    public var holderKey: String {
        kind == .hongKongMacaoPermit ? String(number.prefix(9)) : number
    }

    /// Shown by default (PIPL; security requirements): an 18-character number keeps the region code and the last
    /// four (`110105********123X`, the birth date hidden); a 2017 permanent-residence card keeps the nationality and
    /// the last three; permits and passports keep their first character and last four (a Taiwan permit, having no
    /// letter, its last four).
    public var masked: String {
        switch (kind, number.count) {
        case (.residentID, _), (.foreignPermanentResidence, 18): PersonalDataMask.idNumber(number)
        case (.foreignPermanentResidence, _): PersonalDataMask.keep(number, first: 3, last: 3)
        case (.taiwanPermit, _): PersonalDataMask.keep(number, first: 0, last: 4)
        case (.passport, _), (.hongKongMacaoPermit, _): PersonalDataMask.keep(number, first: 1, last: 4)
        }
    }

    /// The form's birth date and sex must agree with what the number encodes (resident IDs; other kinds encode
    /// neither, so anything agrees). A missing answer agrees: the number supplies it.
    public static func agrees(
        id: IdentityDocument, birthDate: CalendarDate?, sex: Sex?
    ) throws(DomainError) {
        guard let encoded = id.residentID else { return }
        if let birthDate, birthDate != encoded.birthDate {
            throw .invalid("id_birth_date_mismatch", field: "birth_date", args: [encoded.birthDate.description])
        }
        if let sex, sex != encoded.sex {
            throw .invalid("id_sex_mismatch", field: "sex")
        }
    }
}

/// The parts of a citizen identity number (公民身份号码, GB 11643-1999): a six-digit address code (the
/// administrative division where it was first issued, GB/T 2260), the birth date as YYYYMMDD, a three-digit
/// sequence code whose last digit is odd for men and even for women, and a check character by ISO 7064 MOD 11-2
/// (`X` standing for 10).
public struct ResidentIDNumber: Sendable, Hashable {
    public let regionCode: String
    public let birthDate: CalendarDate
    public let sequence: String
    public let sex: Sex

    /// Parses a normalised number. `today` nil skips the future check (for numbers read back from the store).
    public static func parse(_ number: String, today: CalendarDate?) throws(DomainError) -> ResidentIDNumber {
        // Read as ASCII bytes: a form, an import row and every stored record are parsed, some twice (issue 12).
        let bytes = Array(number.utf8)
        guard bytes.count == 18 else {
            // Eighteen characters of which some are not ASCII are in the wrong format, not of the wrong length.
            throw IdentityDocument.invalid(number.count == 18 ? "id_number_format" : "id_number_length")
        }
        func digit(_ byte: UInt8) -> Int? { (0x30...0x39).contains(byte) ? Int(byte &- 0x30) : nil }
        guard bytes[..<17].allSatisfy({ digit($0) != nil }), digit(bytes[17]) != nil || bytes[17] == UInt8(ascii: "X")
        else { throw IdentityDocument.invalid("id_number_format") }
        func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digit(bytes[$1])! } }
        let region = String(decoding: bytes[0..<6], as: UTF8.self)
        // Only the province must exist: a number keeps the county code it was first issued under for life, and
        // counties have been merged, renamed and renumbered since (e.g. Beijing's 崇文 110103 and 宣武 110104 were
        // merged into 东城 and 西城 in 2010), so a full-code check against today's table would refuse valid IDs.
        guard provinceCodes.contains(String(region.prefix(2))) else {
            throw IdentityDocument.invalid("id_number_region")
        }
        let year = value(6..<10)
        guard let birthDate = CalendarDate(year: year, month: value(10..<12), day: value(12..<14)), year >= 1900,
            today.map({ birthDate <= $0 }) ?? true
        else { throw IdentityDocument.invalid("id_number_birth_date") }
        guard checkByte(bytes[..<17]) == bytes[17] else {
            throw IdentityDocument.invalid("id_number_check_digit")
        }
        return ResidentIDNumber(
            regionCode: region, birthDate: birthDate, sequence: String(decoding: bytes[14..<17], as: UTF8.self),
            sex: digit(bytes[16])! % 2 == 1 ? .male : .female)
    }

    /// The check characters by the weighted sum mod 11, as ASCII bytes.
    static let checkCharacters = Array("10X98765432".utf8)

    /// The check character of ISO 7064 MOD 11-2 over 17 digits: the sum of each digit times 2^(17−i) mod 11,
    /// mapped so that the whole number's weighted sum is 1 mod 11. Nil if any character is not a digit.
    public static func checkCharacter(_ body: some StringProtocol) -> Character? {
        checkByte(Array(body.utf8)[...]).map { Character(Unicode.Scalar($0)) }
    }

    /// The check character as an ASCII byte, of 17 ASCII digits; nil for anything else.
    static func checkByte(_ body: ArraySlice<UInt8>) -> UInt8? {
        guard body.count == 17 else { return nil }
        var sum = 0
        for (weight, byte) in zip(weights, body) {
            guard (0x30...0x39).contains(byte) else { return nil }
            sum += Int(byte &- 0x30) * weight
        }
        return checkCharacters[sum % 11]
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// The first two digits of the provinces, autonomous regions, municipalities and special administrative regions
    /// in the Ministry of Civil Affairs' table of 2025-12-31 (`shared/reference/divisions-mca-2025.csv`, level 1),
    /// and 83: the residence permits of Taiwan residents (港澳台居民居住证, GB 11643 numbers starting 810000,
    /// 820000 and 830000) use it, while the table has no Taiwan row.
    public static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
        "44",
        "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "81", "82", "83",
    ]
}
