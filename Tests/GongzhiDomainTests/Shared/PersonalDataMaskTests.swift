import GongzhiDomain
import Testing

@Suite struct PersonalDataMaskTests {
    @Test(arguments: [
        ("13812345678", "138****5678"), ("010-62345678", "*******5678"), ("123", "***"),
    ])
    func phonesKeepOnlyWhatRecognises(_ phone: String, _ masked: String) {
        #expect(PersonalDataMask.phone(phone) == masked)
    }

    @Test func namesKeepTheFirstCharacter() {
        #expect(PersonalDataMask.name("张三丰") == "张**")
        #expect(PersonalDataMask.name("李") == "李*")
        #expect(PersonalDataMask.name("") == "")
    }

    @Test func idNumbersHideTheBirthDate() {
        #expect(PersonalDataMask.idNumber("11010519491231002X") == "110105********002X")
    }
}

@Suite struct CallerTests {
    @Test func aCallerNeedsANameAndAPhoneNumber() throws {
        // given / when
        let caller = try Caller.validate(name: " 王女士 ", phone: "+86 138-1234-5678")
        // then: the national digits (as the registry keeps them), name trimmed
        #expect(caller == Caller(name: "王女士", phone: "13812345678"))
        #expect(throws: DomainError.invalid("caller_name_invalid", field: "caller_name")) {
            try Caller.validate(name: "  ", phone: "13812345678")
        }
        #expect(throws: DomainError.invalid("caller_phone_invalid", field: "caller_phone")) {
            try Caller.validate(name: "王女士", phone: "12345")
        }
        #expect(throws: DomainError.invalid("caller_phone_invalid", field: "caller_phone")) {
            try Caller.validate(name: "王女士", phone: "138abc45678")
        }
    }

    @Test func aCallerIsShownMasked() throws {
        let caller = Caller(name: "王小明", phone: "13812345678")
        #expect(caller.masked == Caller(name: "王**", phone: "138****5678"))
    }
}
