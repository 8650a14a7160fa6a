import Foundation
import GongzhiDomain
import Testing

@Suite struct CSVTests {
    @Test func quotedFieldsKeepCommasAndDoubledQuotes() throws {
        // given
        let text = "a,\"b,c\",\"say \"\"hi\"\"\",\"\"\n"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.map(\.fields) == [["a", "b,c", "say \"hi\"", ""]])
        #expect(rows.map(\.line) == [1])
    }

    @Test func aNewlineInsideQuotesStaysInTheFieldAndLaterRowsKeepTheirLineNumbers() throws {
        // given
        let text = "ref,note\nr1,\"第一行\n第二行\"\nr2,x\n"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.map(\.fields) == [["ref", "note"], ["r1", "第一行\n第二行"], ["r2", "x"]])
        #expect(rows.map(\.line) == [1, 2, 4])
    }

    @Test func crlfLfAndCrAllEndARow() throws {
        // given
        let text = "a,b\r\nc,d\ne,f\rg,h"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(rows.map(\.line) == [1, 2, 3, 4])
    }

    @Test func aCRLFInsideQuotesCountsAsOneLine() throws {
        // given
        let text = "a,\"x\r\ny\"\r\nb,z\r\n"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.map(\.fields) == [["a", "x\r\ny"], ["b", "z"]])
        #expect(rows.map(\.line) == [1, 3])
    }

    @Test func aLeadingByteOrderMarkIsDropped() throws {
        // given: what Excel writes when saving "CSV UTF-8"
        let text = "\u{FEFF}ref,kind\r\nn1,district\r\n"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.first?.fields == ["ref", "kind"])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        // given
        let text = "a,b\n\n\nc,d\n"
        // when
        let rows = try CSV.parse(text)
        // then
        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(rows.map(\.line) == [1, 4])
    }

    @Test func aLastRowWithoutNewlineAndATrailingEmptyFieldAreKept() throws {
        // given / when
        let rows = try CSV.parse("a,\nb,c")
        // then
        #expect(rows.map(\.fields) == [["a", ""], ["b", "c"]])
    }

    @Test func anUnclosedQuoteNamesTheLineWhereItsRowStarts() {
        // given
        let text = "a,b\nc,d\ne,\"never\nclosed\n"
        // when / then
        #expect(throws: DomainError.invalid("csv_unclosed_quote", args: ["3"])) { try CSV.parse(text) }
    }

    @Test func formatQuotesOnlyFieldsThatNeedIt() {
        // given
        let rows = [["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r"]]
        // when
        let text = CSV.format(rows)
        // then
        #expect(text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\n")
    }

    @Test func whatFormatWritesParseReadsBack() throws {
        // given
        let rows = [
            ["ref", "name"], ["n1", "同乐,社区"], ["n2", "\"引号\""], ["n3", "多\n行"], ["n4", ""], ["n5", "Windows\r\n行尾"],
        ]
        // when
        let back = try CSV.parse(CSV.format(rows))
        // then
        #expect(back.map(\.fields) == rows)
    }

    @Test(arguments: [
        "=HYPERLINK(\"http://evil\",\"点我\")", "'=already marked", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1",
        "\r=1",
    ])
    func formulaLookingCellsAreWrittenAsTextAndReadBackUnchanged(cell: String) throws {
        // given: a resident's case title opened by staff in a spreadsheet
        let rows = [["title"], [cell]]
        // when
        let text = CSV.format(rows)
        let back = try CSV.parse(text)
        // then
        let written = text.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
        #expect(written.hasPrefix("'") || written.hasPrefix("\"'"), "\(written)")
        #expect(back.map(\.fields) == rows)
    }

    @Test func signedNumbersAreGuardedLikeFormulasAndReadBackAsNumbers() throws {
        // given: a longitude west of Greenwich (a spreadsheet would read "-1+2" as a formula, so every sign is guarded)
        let rows = [["-73.5", "+8", "-0"]]
        // when
        let text = CSV.format(rows)
        // then
        #expect(text == "'-73.5,'+8,'-0\n")
        #expect(try CSV.parse(text).map(\.fields) == rows)
    }
}
