import Foundation
import GongzhiDomain
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"), ("１３８ １２３４ ５６７８", "13812345678"), ("199.1234.5678", "19912345678"),
    ])
    func mobilesAreKeptAsTheirElevenDigits(_ raw: String, _ digits: String) throws {
        let phone = try PhoneNumber.parse(raw)
        #expect(phone.kind == .mobile)
        #expect(phone.digits == digits)
    }

    @Test(arguments: [
        ("010-62345678", "01062345678", "010"), ("(010) 6234 5678", "01062345678", "010"),
        ("02087654321", "02087654321", "020"), ("0755-23456789", "075523456789", "0755"),
        ("0755-2345678", "07552345678", "0755"), ("+86 10 62345678", "01062345678", "010"),
        ("０５７１－８８８８８８８８", "057188888888", "0571"),
    ])
    func landlinesKeepTheirAreaCode(_ raw: String, _ digits: String, _ area: String) throws {
        let phone = try PhoneNumber.parse(raw)
        #expect(phone.kind == .landline)
        #expect(phone.digits == digits)
        #expect(phone.formatted.hasPrefix(area + "-"))
    }

    @Test(arguments: [
        "12345678901",  // mobiles start 13–19
        "1381234567",  // ten digits
        "138123456789",  // twelve
        "62345678",  // a landline without its area code
        "011-62345678",  // no 011 area code
        "010-6234567",  // a 3-digit area code has an 8-digit local number
        "0755-123456",  // too short
        "0755-02345678",  // local numbers do not start with 0
        "0755-12345678",  // nor with 1
        "0101-2345678",  // the separator says a 4-digit area code, 010 is a 3-digit one
        "+1 415 555 0100",  // abroad
        "000",
    ])
    func otherNumbersAreRefused(_ raw: String) {
        #expect(throws: DomainError.invalid("phone_format", field: "phone"), "\(raw)") { try PhoneNumber.parse(raw) }
    }

    @Test func lettersAndEmptyInputHaveTheirOwnKeys() {
        #expect(throws: DomainError.invalid("phone_characters", field: "phone")) {
            try PhoneNumber.parse("138abc45678")
        }
        #expect(throws: DomainError.invalid("phone_characters", field: "phone")) {
            try PhoneNumber.parse("138+12345678")
        }
        #expect(throws: DomainError.invalid("phone_required", field: "mobile")) {
            try PhoneNumber.parse("  ", field: "mobile")
        }
    }

    @Test func maskedLast4AndFormatted() throws {
        let mobile = try PhoneNumber.parse("13812345678")
        #expect(mobile.masked == "138****5678")
        #expect(mobile.last4 == "5678")
        #expect(mobile.formatted == "138 1234 5678")
        let landline = try PhoneNumber.parse("0755-23456789")
        #expect(landline.masked == "0755****6789")
        #expect(landline.last4 == "6789")
        #expect(landline.formatted == "0755-23456789")
    }

    @Test func aPhoneIsStoredAsItsDigits() throws {
        let phone = try PhoneNumber.parse("+86 138 1234 5678")
        let json = try JSONEncoder().encode([phone])
        #expect(String(decoding: json, as: UTF8.self) == #"["13812345678"]"#)
        #expect(try JSONDecoder().decode([PhoneNumber].self, from: json) == [phone])
    }

    @Test func callersUseTheSameRule() throws {
        #expect(try Caller.validate(name: "王女士", phone: "０１０－６２３４５６７８").phone == "01062345678")
        #expect(throws: DomainError.invalid("caller_phone_invalid", field: "caller_phone")) {
            try Caller.validate(name: "王女士", phone: "62345678")
        }
    }
}
