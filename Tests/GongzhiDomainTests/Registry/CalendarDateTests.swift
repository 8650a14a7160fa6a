import Foundation
import GongzhiDomain
import Testing

@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-11-24", "2026/11/24", "2026.11.24", "20261124", "2026年11月24日", "２０２６－１１－２４", "2026-1-5"])
    func datesAreReadAsPeopleWriteThem(_ text: String) {
        #expect(CalendarDate(text) != nil, "\(text)")
    }

    @Test(arguments: ["2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "26-11-24", "2026-11", "", "yesterday"])
    func impossibleOrMalformedDatesAreNot(_ text: String) {
        #expect(CalendarDate(text) == nil, "\(text)")
    }

    @Test func leapYears() {
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)
    }

    @Test func agesCountWholeYears() {
        let born = CalendarDate(year: 2008, month: 11, day: 25)!
        #expect(born.age(on: CalendarDate(year: 2026, month: 11, day: 24)!) == 17)
        #expect(born.age(on: CalendarDate(year: 2026, month: 11, day: 25)!) == 18)
        let leap = CalendarDate(year: 2008, month: 2, day: 29)!
        #expect(leap.age(on: CalendarDate(year: 2026, month: 2, day: 28)!) == 17)
        #expect(leap.age(on: CalendarDate(year: 2026, month: 3, day: 1)!) == 18)
    }

    @Test func todayIsTheDayInShanghai() {
        // 2026-11-24 16:30 UTC is already the 25th in Beijing time
        let instant = Date(timeIntervalSince1970: 1_795_537_800)
        #expect(CalendarDate(instant).description == "2026-11-25")
        #expect(CalendarDate(year: 2026, month: 12, day: 31)!.adding(days: 1).description == "2027-01-01")
    }

    @Test func aDateIsStoredAsText() throws {
        let date = CalendarDate(year: 1949, month: 12, day: 31)!
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["1949-12-31"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: json) == [date])
    }
}
