import GongzhiDomain
import Testing

@testable import GongzhiWeb

@Suite struct FacilityClassNamesTests {
    @Test func facilityClassesAreNamedInTheReadersLanguage() throws {
        // given
        let localizer = try Localizer.load()
        let english = { (key: String) in localizer.t(key, .en) }
        let chinese = { (key: String) in localizer.t(key, .zh) }
        // then: the standard's name in Chinese, a translation in English, the stored name for a class unknown to both
        #expect(RegistryFacilityViews.className("0118", "路灯", english) == "Street lamp")
        #expect(RegistryFacilityViews.className("0118", "路灯", chinese) == "路灯")
        #expect(RegistryFacilityViews.className("9999", "自定义部件", english) == "自定义部件")
        for c in ComponentClass.table {
            #expect(english("facility_class_\(c.code)") != "facility_class_\(c.code)")
            #expect(chinese("facility_class_\(c.code)") == c.name)
        }
    }
}
