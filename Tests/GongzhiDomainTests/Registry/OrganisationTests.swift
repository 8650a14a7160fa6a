import Foundation
import GongzhiDomain
import Testing

@Suite struct OrganisationTests {
    /// Codes of real, registered companies (public on their licences), and the same with one character changed.
    @Test(arguments: [
        "91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91110000802100433B",
        " 9144 0300 7152 6726 xg ",
    ])
    func validCreditCodesPass(_ code: String) throws {
        #expect(try UnifiedSocialCreditCode.parse(code).count == 18)
    }

    @Test(arguments: [
        ("91350100M000100Y42", "credit_code_check"), ("9144030071526726XA", "credit_code_check"),
        ("914403001922038217", "credit_code_check"), ("9144030071526726X", "credit_code_length"),
        ("9144030071526726XGG", "credit_code_length"), ("9144030071526726IG", "credit_code_character"),
        ("91A4030071526726XG", "credit_code_division"), ("", "credit_code_length"),
    ])
    func badCreditCodesAreRefusedWithTheirReason(_ code: String, _ key: String) {
        #expect(throws: DomainError.invalid(key, field: "credit_code")) { try UnifiedSocialCreditCode.parse(code) }
    }

    @Test func theCheckCharacterFollowsGB32100() {
        #expect(UnifiedSocialCreditCode.checkCharacter("91350100M000100Y4") == "3")
        #expect(UnifiedSocialCreditCode.checkCharacter("9144030071526726X") == "G")
        #expect(UnifiedSocialCreditCode.checkCharacter("9144030071526726I") == nil)
    }

    @Test func aSocialOrganisationSaysHowItStandsWithItsNumber() throws {
        let filed = OrganisationForm(
            kind: "社会组织", name: "阳光志愿服务队", registration: "subdistrict_filing", registrationNumber: "南头备2024-017",
            node: "5", contacts: [("王秀英", "138 1234 5678")])
        let draft = try filed.draft()
        #expect(draft.kind == .socialOrganisation && draft.registrationNumber == "南头备2024-017")
        #expect(draft.contacts == [OrganisationContact(name: "王秀英", phone: "138 1234 5678")])
        #expect(draft.contacts[0].masked == OrganisationContact(name: "王**", phone: "138****5678"))
        var form = filed
        form.registration = ""
        #expect(throws: DomainError.invalid("registration_required", field: "registration")) { try form.draft() }
        form = filed
        form.registrationNumber = ""
        #expect(throws: DomainError.invalid("registration_number_required", field: "registration_number")) {
            try form.draft()
        }
        form = filed
        form.registration = "civil_affairs"
        #expect(throws: DomainError.invalid("credit_code_required", field: "credit_code")) { try form.draft() }
        form.creditCode = "51440300MJL123456X"
        #expect(throws: DomainError.invalid("credit_code_check", field: "credit_code")) { try form.draft() }
    }

    @Test func everyFieldIsChecked() throws {
        let shop = OrganisationForm(kind: "shop", name: "便民超市", creditCode: "91350100M000100Y43", node: "7")
        #expect(try shop.draft().creditCode == "91350100M000100Y43")
        var form = shop
        form.kind = "工厂"
        #expect(throws: DomainError.invalid("organisation_kind_unknown", field: "kind", args: ["工厂"])) {
            try form.draft()
        }
        form = shop
        form.name = "店"
        #expect(throws: DomainError.invalid("organisation_name_required", field: "name")) { try form.draft() }
        form = shop
        form.node = ""
        #expect(throws: DomainError.invalid("node_required", field: "node")) { try form.draft() }
        form = shop
        form.contactPhone2 = "13812345678"
        #expect(throws: DomainError.invalid("contact_name_required", field: "contact_name_2")) { try form.draft() }
        form = shop
        form.contactName1 = "李四"
        form.contactPhone1 = "12345"
        #expect(throws: DomainError.self) { try form.draft() }
    }
}
