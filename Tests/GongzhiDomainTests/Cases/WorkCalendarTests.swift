import Foundation
import GongzhiDomain
import Testing

@Suite struct WorkCalendarTests {
    func at(_ text: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = WorkCalendar.zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    @Test func hoursRunWithinTheWorkingDay() {
        // 2026-11-24 is a Tuesday
        #expect(
            WorkCalendar().deadline(from: at("2026-11-24 10:00"), hours: 2, working: true) == at("2026-11-24 12:00"))
        #expect(
            WorkCalendar().deadline(from: at("2026-11-24 17:00"), hours: 2, working: true) == at("2026-11-25 10:00"))
    }

    @Test func weekendsAndHolidaysDoNotCount() {
        // Friday 2026-11-27 16:00 + 4 working hours → Monday 11:00
        #expect(
            WorkCalendar().deadline(from: at("2026-11-27 16:00"), hours: 4, working: true) == at("2026-11-30 11:00"))
        let calendar = WorkCalendar(overrides: ["2026-11-30": false])
        #expect(calendar.deadline(from: at("2026-11-27 16:00"), hours: 4, working: true) == at("2026-12-01 11:00"))
    }

    @Test func madeUpWorkdaysCount() {
        let calendar = WorkCalendar(overrides: ["2026-11-28": true])  // a Saturday worked in exchange for a holiday
        #expect(calendar.deadline(from: at("2026-11-27 16:00"), hours: 4, working: true) == at("2026-11-28 11:00"))
    }

    @Test func requestsAtNightStartNextMorning() {
        #expect(
            WorkCalendar().deadline(from: at("2026-11-24 22:30"), hours: 1, working: true) == at("2026-11-25 10:00"))
    }

    @Test func calendarHoursIgnoreWorkingTime() {
        #expect(
            WorkCalendar().deadline(from: at("2026-11-27 16:00"), hours: 48, working: false) == at("2026-11-29 16:00"))
    }
}
