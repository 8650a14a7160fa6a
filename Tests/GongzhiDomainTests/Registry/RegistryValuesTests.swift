import Foundation
import GongzhiDomain
import Testing

@Suite struct RegistryValuesTests {
    @Test func documentKindsInChineseAndEnglish() throws {
        #expect(try RegistryValues.documentKind(from: "居民身份证") == .residentID)
        #expect(try RegistryValues.documentKind(from: " resident_id ") == .residentID)
        #expect(try RegistryValues.documentKind(from: "护照") == .passport)
        #expect(try RegistryValues.documentKind(from: "回乡证") == .hongKongMacaoPermit)
        #expect(try RegistryValues.documentKind(from: "台胞证") == .taiwanPermit)
        #expect(try RegistryValues.documentKind(from: "Foreign Permanent Residence") == .foreignPermanentResidence)
        #expect(try RegistryValues.documentKind(from: "") == nil)
        #expect(throws: DomainError.invalid("document_kind_unknown", field: "id_type", args: ["驾驶证"])) {
            try RegistryValues.documentKind(from: " 驾驶证 ")
        }
    }

    @Test func sexes() throws {
        #expect(try RegistryValues.sex(from: "男") == .male)
        #expect(try RegistryValues.sex(from: "女") == .female)
        #expect(try RegistryValues.sex(from: "Female") == .female)
        #expect(try RegistryValues.sex(from: "１") == .male)
        #expect(throws: DomainError.invalid("sex_unknown", field: "sex", args: ["未知"])) {
            try RegistryValues.sex(from: "未知")
        }
    }

    @Test(arguments: [
        ("户主", HouseholdRelation.head), ("本人", .head), ("配偶", .spouse), ("妻子", .spouse), ("子女", .child),
        ("长子", .child), ("女儿", .child), ("父母", .parent), ("母亲", .parent), ("祖父母", .grandparent),
        ("外婆", .grandparent), ("孙子女", .grandchild), ("外孙女", .grandchild), ("兄弟姐妹", .sibling),
        ("姐姐", .sibling), ("其他", .other), ("儿媳", .other), ("Head", .head), ("grand child", .grandchild),
    ])
    func relationsAsPeopleWriteThem(_ text: String, _ relation: HouseholdRelation) throws {
        #expect(try RegistryValues.relation(from: text) == relation)
    }

    @Test func residenceStatuses() throws {
        #expect(try RegistryValues.residenceStatus(from: "户籍人口") == .registered)
        #expect(try RegistryValues.residenceStatus(from: "人户分离") == .livingElsewhere)
        #expect(try RegistryValues.residenceStatus(from: "流动人口") == .floating)
        #expect(try RegistryValues.residenceStatus(from: "境外人员") == .foreign)
        #expect(try RegistryValues.residenceStatus(from: "living-elsewhere") == .livingElsewhere)
        #expect(throws: DomainError.invalid("residence_status_unknown", field: "residence_status", args: ["常住"])) {
            try RegistryValues.residenceStatus(from: "常住")
        }
    }

    @Test func ethnicities() throws {
        #expect(Ethnicity.allCases.count == 57)
        #expect(Set(Ethnicity.allCases.map(\.rawValue)).count == 57)
        #expect(
            Ethnicity.allCases.filter { $0 != .other }.map(\.rawValue) == (1...56).map { String(format: "%02d", $0) })
        #expect(Ethnicity.han.chineseName == "汉族")
        #expect(Ethnicity.jino.chineseName == "基诺族")
        #expect(Ethnicity.uyghur.chineseName == "维吾尔族")
        #expect(try RegistryValues.ethnicity(from: "汉族") == .han)
        #expect(try RegistryValues.ethnicity(from: "汉") == .han)
        #expect(try RegistryValues.ethnicity(from: "土家族") == .tujia)
        #expect(try RegistryValues.ethnicity(from: "土") == .tu)
        #expect(try RegistryValues.ethnicity(from: "05") == .uyghur)
        #expect(try RegistryValues.ethnicity(from: "5") == .uyghur)
        #expect(try RegistryValues.ethnicity(from: "Mongolian") == .mongol)
        #expect(try RegistryValues.ethnicity(from: "其他") == .other)
        #expect(throws: DomainError.invalid("ethnicity_unknown", field: "ethnicity", args: ["57"])) {
            try RegistryValues.ethnicity(from: "57")
        }
    }

    @Test func tagsSeparatedEitherWay() throws {
        #expect(try RegistryValues.tags(from: "独居老人;党员；低保") == [.elderlyLivingAlone, .lowIncome, .partyMember])
        #expect(try RegistryValues.tags(from: "volunteer, veteran、志愿者") == [.veteran, .volunteer])
        #expect(try RegistryValues.tags(from: "社区矫正对象") == [.communityCorrection])
        #expect(try RegistryValues.tags(from: " ; ") == [])
        #expect(try RegistryValues.tags(from: "") == [])
        #expect(throws: DomainError.invalid("tag_unknown", field: "tags", args: ["网红"])) {
            try RegistryValues.tags(from: "党员;网红")
        }
    }

    @Test func everyTagIsFoundByItsChineseNameAndRawValue() throws {
        for tag in PersonTag.allCases {
            #expect(try RegistryValues.tags(from: tag.chineseName) == [tag])
            #expect(try RegistryValues.tags(from: tag.rawValue) == [tag])
        }
        for relation in HouseholdRelation.allCases {
            #expect(try RegistryValues.relation(from: relation.chineseName) == relation)
        }
        for status in ResidenceStatus.allCases {
            #expect(try RegistryValues.residenceStatus(from: status.chineseName) == status)
        }
        for kind in DocumentKind.allCases {
            #expect(try RegistryValues.documentKind(from: kind.rawValue) == kind)
        }
    }

    @Test func dates() throws {
        #expect(try RegistryValues.date(from: "1949年12月31日", field: "birth_date") == CalendarDate("1949-12-31"))
        #expect(try RegistryValues.date(from: " ", field: "birth_date") == nil)
        #expect(throws: DomainError.invalid("date_invalid", field: "birth_date", args: ["1949-02-30"])) {
            try RegistryValues.date(from: "1949-02-30", field: "birth_date")
        }
    }
}
