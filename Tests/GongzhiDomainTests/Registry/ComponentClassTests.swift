import GongzhiDomain
import Testing

@Suite struct ComponentClassTests {
    @Test func theTableIsTheStandardsWholeListPlusTwoLocalExtensions() {
        let table = ComponentClass.table
        // then: codes and names are unique (the form and imports take either), every class in a known big class
        #expect(Set(table.map(\.code)).count == table.count)
        #expect(Set(table.map(\.name)).count == table.count)
        #expect(table.allSatisfy { $0.code.count == 4 && $0.code.allSatisfy(\.isNumber) })
        #expect(table.allSatisfy { ComponentMajorClass(rawValue: String($0.code.prefix(2))) != nil })
        // GB/T 30428.2-2013's small classes per big class, numbered from 01 without gaps
        let standard = table.filter { Int($0.code.suffix(2))! < 90 }
        let counts: [ComponentMajorClass: Int] = [
            .publicUtilities: 38, .roadsAndTraffic: 17, .cityscape: 10, .greenery: 10, .buildingsAndLand: 3, .other: 6,
        ]
        for major in ComponentMajorClass.allCases {
            let numbers = standard.filter { $0.major == major }.map { Int($0.code.suffix(2))! }
            #expect(numbers == Array(1...counts[major]!), "\(major)")
        }
        // and the local extensions count down from 99
        #expect(table.filter { Int($0.code.suffix(2))! >= 90 }.map(\.code) == ["0199", "0599"])
        for (code, name) in [
            ("0113", "消防设施"), ("0114", "无主井盖"), ("0118", "路灯"), ("0126", "健身设施"), ("0136", "监控电子眼"),
            ("0199", "充电桩"), ("0305", "垃圾箱"), ("0407", "街头坐椅"), ("0501", "宣传栏"), ("0599", "其他房屋"),
        ] {
            #expect(ComponentClass.named(code)?.name == name)
        }
    }

    @Test func aStandardCodeMustCarryItsClass() throws {
        func draft(_ code: String, _ kind: String) throws -> FacilityDraft {
            try FacilityForm(code: code, classCode: kind, lat: "22.525", lng: "113.925", node: "1").draft()
        }
        #expect(try draft("4403050118000001", "路灯").classCode == "0118")
        #expect(try draft("4403050113000001", "0113").classCode == "0113")
        #expect(throws: DomainError.invalid("facility_code_class_mismatch", field: "code", args: ["0119", "0118"])) {
            try draft("4403050119000001", "0118")
        }
    }
}
