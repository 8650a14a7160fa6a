import Foundation
import GongzhiDomain
import Testing

/// ISO 7064 MOD 11-2 written out independently of the code under test: weight 2^(17−i) mod 11, and the check
/// character c with (sum + c) ≡ 1 (mod 11), `X` for 10.
func withCheckCharacter(_ body: String) -> String {
    precondition(body.count == 17)
    var sum = 0
    for (i, char) in body.enumerated() {
        var weight = 1
        for _ in 0..<(17 - i) { weight = weight * 2 % 11 }
        sum += char.wholeNumberValue! * weight
    }
    let check = (12 - sum % 11) % 11
    return body + (check == 10 ? "X" : String(check))
}

/// A check character that is not the right one.
func withWrongCheckCharacter(_ body: String) -> String {
    let right = withCheckCharacter(body).last!
    return body + (right == "0" ? "1" : "0")
}

@Suite struct IdentityDocumentTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    func residentID(_ number: String) throws(DomainError) -> IdentityDocument {
        try IdentityDocument.validate(kind: .residentID, number: number, today: Self.today)
    }

    func rejects(_ key: String, _ number: String, as kind: DocumentKind = .residentID) {
        #expect(throws: DomainError.invalid(key, field: "id_number"), "\(number)") {
            try IdentityDocument.validate(kind: kind, number: number, today: Self.today)
        }
    }

    @Test func thePublishedExampleIsValid() throws {
        // given: GB 11643-1999's example, a woman born 31 December 1949 in Beijing's Chaoyang district
        let id = try residentID("11010519491231002X")
        // then
        #expect(id.number == "11010519491231002X")
        #expect(id.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(id.residentID?.regionCode == "110105")
        #expect(id.residentID?.sequence == "002")
        #expect(withCheckCharacter("11010519491231002") == "11010519491231002X", "the test's own algorithm agrees")
    }

    @Test(arguments: [
        "44030519900307123", "31010420000229002", "65010219001231991", "81000019850615004", "50010320261124005",
        "11010519491231002", "37020219780101381",
    ])
    func numbersWithTheirCheckCharacterAreValid(_ body: String) throws {
        let id = try residentID(withCheckCharacter(body))
        let digit = body.last!.wholeNumberValue!
        #expect(id.sex == (digit % 2 == 1 ? .male : .female))
        #expect(
            id.birthDate?.description
                == "\(body.dropFirst(6).prefix(4))-\(body.dropFirst(10).prefix(2))-\(body.dropFirst(12).prefix(2))")
    }

    @Test func aNumberWhoseCheckCharacterIsXIsBuiltAndAccepted() throws {
        // given: search for a body whose check character is X, so `X` is exercised beyond the published example
        let body = (0..<1000).lazy.map { String(format: "440305199003071%02d", $0 % 100) }.first {
            withCheckCharacter($0).last == "X"
        }!
        // then: lower-case x is accepted too
        #expect(try residentID(withCheckCharacter(body).lowercased()).number == withCheckCharacter(body))
    }

    @Test func aWrongCheckCharacterIsRefused() {
        rejects("id_number_check_digit", withWrongCheckCharacter("11010519491231002"))
        rejects("id_number_check_digit", "110105194912310021")
        // two digits swapped keep the length and the date, and change the check
        rejects("id_number_check_digit", "11010519491231020X")
    }

    @Test func impossibleBirthDatesAreRefused() {
        rejects("id_number_birth_date", withCheckCharacter("11010519900230123"))  // 30 February
        rejects("id_number_birth_date", withCheckCharacter("11010519000229123"))  // 1900 was not a leap year
        rejects("id_number_birth_date", withCheckCharacter("11010519901301123"))  // month 13
        rejects("id_number_birth_date", withCheckCharacter("11010519900100123"))  // day 0
        rejects("id_number_birth_date", withCheckCharacter("11010518991231123"))  // before 1900
        rejects("id_number_birth_date", withCheckCharacter("11010520261125123"))  // tomorrow
        rejects("id_number_birth_date", withCheckCharacter("11010530000101123"))  // the future
    }

    @Test func aLeapDayAndTodayAreValidBirthDates() throws {
        #expect(try residentID(withCheckCharacter("11010520000229123")).birthDate?.description == "2000-02-29")
        #expect(try residentID(withCheckCharacter("11010520261124123")).birthDate == Self.today)
    }

    @Test func onlyTheProvinceOfTheRegionCodeMustExist() throws {
        rejects("id_number_region", withCheckCharacter("99010519491231002"))
        rejects("id_number_region", withCheckCharacter("00010519491231002"))
        rejects("id_number_region", withCheckCharacter("72010519491231002"))  // Taiwan's GB/T 2260 code is not issued
        rejects("id_number_region", withCheckCharacter("91010519491231002"))  // 9 starts a permanent-residence card
        // Beijing's 崇文 district (110103) was merged away in 2010; its people keep their numbers
        #expect(try residentID(withCheckCharacter("11010319700101123")).residentID?.regionCode == "110103")
        // a Taiwan resident's residence permit
        #expect(try residentID(withCheckCharacter("83000019800101123")).sex == .male)
    }

    @Test func wrongLengthsAndCharactersAreRefused() {
        rejects("id_number_length", "11010519491231002")
        rejects("id_number_length", "11010519491231002X1")
        rejects("id_number_length", "110105491231002")  // the old 15-digit number is not accepted
        rejects("id_number_format", "1101051949123100XX")
        rejects("id_number_format", "A1010519491231002X")
        rejects("id_number_format", "11010519491231002Y")
        rejects("id_number_required", "   ")
    }

    @Test func fullWidthSpacedInputIsNormalised() throws {
        // given: typed on a Chinese keyboard, with the ideographic space and a lower-case full-width x
        let id = try residentID(" １１０１０５\u{3000}１９４９１２３１ ００２ｘ ")
        // then
        #expect(id.number == "11010519491231002X")
        #expect(IdentityDocument.normalise("ｈ１２３４５６７８") == "H12345678")
    }

    @Test func theFormMustAgreeWithTheNumber() throws {
        let id = try residentID("11010519491231002X")
        try IdentityDocument.agrees(id: id, birthDate: CalendarDate(year: 1949, month: 12, day: 31), sex: .female)
        try IdentityDocument.agrees(id: id, birthDate: nil, sex: nil)
        #expect(
            throws: DomainError.invalid("id_birth_date_mismatch", field: "birth_date", args: ["1949-12-31"])
        ) {
            try IdentityDocument.agrees(id: id, birthDate: CalendarDate(year: 1949, month: 12, day: 30), sex: .female)
        }
        #expect(throws: DomainError.invalid("id_sex_mismatch", field: "sex")) {
            try IdentityDocument.agrees(id: id, birthDate: nil, sex: .male)
        }
        // a passport encodes neither
        let passport = try IdentityDocument.validate(kind: .passport, number: "E12345678", today: Self.today)
        try IdentityDocument.agrees(id: passport, birthDate: CalendarDate(year: 2001, month: 1, day: 1), sex: .male)
        #expect(passport.birthDate == nil && passport.sex == nil)
    }

    @Test func hongKongAndMacaoPermits() throws {
        let short = try IdentityDocument.validate(kind: .hongKongMacaoPermit, number: "h 1234 5678", today: Self.today)
        let long = try IdentityDocument.validate(kind: .hongKongMacaoPermit, number: "H1234567801", today: Self.today)
        #expect(short.number == "H12345678")
        #expect(short.holderKey == long.holderKey, "a renewed permit belongs to the same holder")
        #expect(
            try IdentityDocument.validate(kind: .hongKongMacaoPermit, number: "M87654321", today: Self.today)
                .masked == "M****4321")
        rejects("id_number_format", "T12345678", as: .hongKongMacaoPermit)
        rejects("id_number_format", "H1234567A", as: .hongKongMacaoPermit)
        rejects("id_number_length", "H1234567", as: .hongKongMacaoPermit)
        rejects("id_number_length", "H123456780", as: .hongKongMacaoPermit)
    }

    @Test func taiwanPermits() throws {
        let permit = try IdentityDocument.validate(kind: .taiwanPermit, number: "１２３４５６７８", today: Self.today)
        #expect(permit.number == "12345678")
        #expect(permit.masked == "****5678")
        rejects("id_number_length", "1234567801", as: .taiwanPermit)
        rejects("id_number_format", "1234567B", as: .taiwanPermit)
    }

    @Test func foreignPermanentResidenceCards() throws {
        // 2023: 18 characters starting with 9, MOD 11-2 like a citizen number
        let body = "93115619900101123"
        let card = try IdentityDocument.validate(
            kind: .foreignPermanentResidence, number: withCheckCharacter(body), today: Self.today)
        #expect(card.masked == "931156********" + String(withCheckCharacter(body).suffix(4)))
        #expect(card.birthDate == nil, "its layout is not read")
        rejects("id_number_check_digit", withWrongCheckCharacter(body), as: .foreignPermanentResidence)
        rejects("id_number_format", withCheckCharacter("83115619900101123"), as: .foreignPermanentResidence)
        // 2017: three letters and twelve digits
        let old = try IdentityDocument.validate(
            kind: .foreignPermanentResidence, number: "usa110090010112", today: Self.today)
        #expect(old.number == "USA110090010112")
        #expect(old.masked == "USA*********112")
        rejects("id_number_format", "US1110090010112", as: .foreignPermanentResidence)
        rejects("id_number_length", "USA11009001011", as: .foreignPermanentResidence)
    }

    @Test func passports() throws {
        #expect(
            try IdentityDocument.validate(kind: .passport, number: "EA1234567", today: Self.today).masked
                == "E****4567")
        #expect(try IdentityDocument.validate(kind: .passport, number: "x1234", today: Self.today).number == "X1234")
        rejects("id_number_format", "ABCDEFGHI", as: .passport)
        rejects("id_number_format", "E1234-5678", as: .passport)
        rejects("id_number_length", "E123", as: .passport)
    }

    @Test func residentIDsAreMaskedWithTheBirthDateHidden() throws {
        #expect(try residentID("11010519491231002X").masked == "110105********002X")
    }

    @Test func aDocumentRoundTripsThroughJSON() throws {
        let id = try residentID("11010519491231002X")
        let decoded = try JSONDecoder().decode(IdentityDocument.self, from: JSONEncoder().encode(id))
        #expect(decoded == id)
    }
}
