import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct CSVInjectionTests {
    @Test func cellsThatWouldRunAsFormulasAreQuoted() throws {
        // given
        let rows = [
            [
                "=HYPERLINK(\"http://evil.example\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", "'=x", "'",
                "",
            ]
        ]
        // when
        let text = CSV.format(rows)
        // then
        #expect(
            text.hasPrefix(
                "\"'=HYPERLINK(\"\"http://evil.example\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",plain,a=b,''=x,',\n"))
        #expect(try CSV.parse(text).map(\.fields) == rows)
    }

    @Test func ourOwnTreeExportImportsUnchanged() async throws {
        try await withTestDatabase { db in
            let csv = """
                ref,kind,name,parent_ref,code,estate,latitude,longitude
                440305,district,南山区,,440305,,,
                440305001,subdistrict,=1+1,440305,440305001,,,
                c1,community,@同乐社区,440305001,,,,
                g1,grid,-第一网格,c1,,,,
                b1,building,1栋,g1,,+桂园小区,-22.5431,-113.9236

                """
            #expect(try await TreeExchange(db: db).importTree(.root, csv: csv) == 5)
            let root = try #require(try await JurisdictionStore(db: db).roots().first)
            let exported = try await TreeExchange(db: db).exportTree(.root, rootID: root.id)
            #expect(exported.contains(",'=1+1,"))
            #expect(exported.contains(",'@同乐社区,"))
            #expect(exported.contains(",'+桂园小区,'-22.5431,'-113.9236"))
            let records = try TreeRecord.parse(exported, existingRefs: [])
            #expect(records.map(\.name) == ["南山区", "=1+1", "@同乐社区", "-第一网格", "1栋"])
            #expect(records.last?.estate == "+桂园小区")
            #expect(records.last?.latitude == -22.5431)
        }
    }
}
