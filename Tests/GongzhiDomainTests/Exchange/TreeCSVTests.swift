import Foundation
import GongzhiDomain
import Testing

@Suite struct TreeCSVTests {
    let head = "ref,kind,name,parent_ref,code,estate\n"

    @Test func aWellFormedFileBecomesRecordsInOrder() throws {
        // given
        let text =
            head + """
                440305,district,南山区,,440305,
                440305001,subdistrict,南头街道,440305,440305001,
                c1,community,同乐社区,440305001,,
                g1,grid,第一网格,c1,,
                b1,building,1栋,g1,,阳光花园

                """
        // when
        let records = try TreeRecord.parse(text)
        // then
        #expect(records.map(\.kind) == [.district, .subdistrict, .community, .grid, .building])
        #expect(records.map(\.line) == [2, 3, 4, 5, 6])
        #expect(records[0].parentRef == nil)
        #expect(records[4].estate == "阳光花园")
        #expect(records[2].code == nil)
    }

    @Test func aFileSavedByExcelWithBOMAndCRLFAndQuotedNamesIsRead() throws {
        // given
        let text =
            "\u{FEFF}ref,kind,name,parent_ref,code,estate\r\n"
            + "d,district,\"南山区, 深圳\",,440305,\r\n"
            + "s,subdistrict,\"南头\"\"老\"\"街道\",d,,\r\n"
        // when
        let records = try TreeRecord.parse(text)
        // then
        #expect(records.map(\.name) == ["南山区, 深圳", "南头\"老\"街道"])
    }

    @Test func theFullHeaderCarriesCoordinates() throws {
        // given
        let text =
            "ref,kind,name,parent_ref,code,estate,latitude,longitude\n"
            + "g1,grid,第一网格,c1,,,,\n"
            + "b1,building,1栋,g1,,,22.53,113.93\n"
        // when
        let records = try TreeRecord.parse(text, existingRefs: ["c1"])
        // then
        #expect(records[0].latitude == nil)
        #expect(records[1].latitude == 22.53)
        #expect(records[1].longitude == 113.93)
    }

    @Test func anUnknownHeaderIsRefused() {
        // given / when / then
        #expect(throws: DomainError.invalid("csv_bad_header", args: ["ref,kind,name,parent_ref,code,estate"])) {
            try TreeRecord.parse("ref,kind,name\nd,district,南山区\n")
        }
        #expect(throws: DomainError.invalid("csv_bad_header", args: ["ref,kind,name,parent_ref,code,estate"])) {
            try TreeRecord.parse("")
        }
    }

    /// Each bad row, placed after a good district row and a note spanning two lines, so the line named is the
    /// file's line, not the row's index.
    @Test(
        arguments: [
            ("x,district,南山区,,440305", "csv_field_count", ["5", "6"]),
            (",district,南山区,,440305,", "csv_ref_missing", ["5"]),
            ("d,district,南山区,,440305,", "csv_ref_duplicate", ["5", "d"]),
            ("x,street,南山区,,,", "csv_kind_unknown", ["5", "street"]),
            ("x,subdistrict,,d,,", "csv_name_invalid", ["5"]),
            ("x,subdistrict,南头,nowhere,,", "csv_parent_unknown", ["5", "nowhere"]),
            ("x,community,同乐,,,", "csv_parent_missing", ["5"]),
            ("x,grid,第一网格,d,,", "csv_kind_not_allowed", ["5", "grid", "district"]),
            ("x,subdistrict,南头,d,12,", "csv_code_invalid", ["5", "12"]),
            ("x,subdistrict,南头,d,,阳光花园", "csv_estate_not_building", ["5"]),
        ] as [(String, String, [String])])
    func aBadRowIsNamedByItsLine(row: String, key: String, args: [String]) {
        // given
        let text = head + "d,district,南山区,,440305,\n" + "s,subdistrict,\"南头\n街道\",d,,\n" + row + "\n"
        // when / then
        #expect(throws: DomainError.invalid(key, args: args)) { try TreeRecord.parse(text) }
    }

    @Test func aBadPointIsNamedByItsLine() {
        // given
        let text = "ref,kind,name,parent_ref,code,estate,latitude,longitude\n" + "b1,building,1栋,g1,,,95,113.9\n"
        // when / then
        #expect(throws: DomainError.invalid("csv_point_invalid", args: ["2"])) {
            try TreeRecord.parse(text, existingRefs: ["g1"])
        }
        #expect(throws: DomainError.invalid("csv_point_invalid", args: ["2"])) {
            try TreeRecord.parse(text.replacingOccurrences(of: "95,113.9", with: "22.5,"), existingRefs: ["g1"])
        }
    }

    @Test func aParentMayBeANodeAlreadyInTheTree() throws {
        // given
        let text = head + "g9,grid,新网格,c-existing,,\n"
        // when
        let records = try TreeRecord.parse(text, existingRefs: ["c-existing"])
        // then
        #expect(records.first?.parentRef == "c-existing")
    }

    @Test func whatAnExportWritesAnImportReadsBackEvenWithFormulaLookingNames() throws {
        // given
        let rows = [
            TreeRecord.header, ["d", "district", "=南山区", "", "440305", ""],
            ["s", "subdistrict", "@南头,街道", "d", "", ""],
        ]
        // when
        let records = try TreeRecord.parse(CSV.format(rows))
        // then
        #expect(records.map(\.name) == ["=南山区", "@南头,街道"])
    }
}

@Suite struct BodyCSVTests {
    let head = "community_ref,body_kind,body_name,major_item,minor_item\n"

    @Test func aMinorItemNeedsItsMajorItem() {
        // given
        let text = head + "c1,residentsCommittee,居委会,,\n" + "c1,residentsCommittee,居委会,,小项\n"
        // when / then
        #expect(throws: DomainError.invalid("csv_minor_without_major", args: ["3"])) { try BodyRecord.parse(text) }
    }

    @Test func aBadHeaderIsRefused() {
        // given / when / then
        #expect(throws: DomainError.invalid("csv_bad_header", args: [BodyRecord.header.joined(separator: ",")])) {
            try BodyRecord.parse("community_ref,body_kind\n")
        }
    }
}
