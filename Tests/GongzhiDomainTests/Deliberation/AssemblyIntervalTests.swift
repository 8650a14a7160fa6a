import Foundation
import GongzhiDomain
import Testing

@Suite struct AssemblyIntervalTests {
    @Test(arguments: [
        ("2026-01-15", 6, "2026-07-15"), ("2026-08-31", 6, "2027-02-28"), ("2027-08-31", 6, "2028-02-29"),
        ("2026-12-01", 6, "2027-06-01"), ("2026-03-31", 1, "2026-04-30"),
    ])
    func theNextMeetingIsDueThatManyCalendarMonthsLater(last: String, months: Int, due: String) {
        #expect(AssemblyInterval.due(after: CalendarDate(last)!, months: months) == CalendarDate(due)!)
    }

    @Test func aCommunityIsOverdueTheDayAfterItsDueDayOrWhenItNeverHeldOne() {
        let last = CalendarDate("2026-01-15")!
        #expect(!AssemblyInterval.isOverdue(lastHeld: last, months: 6, today: CalendarDate("2026-07-15")!))
        #expect(AssemblyInterval.isOverdue(lastHeld: last, months: 6, today: CalendarDate("2026-07-16")!))
        #expect(AssemblyInterval.isOverdue(lastHeld: nil, months: 6, today: CalendarDate("2026-07-16")!))
    }

    @Test func theRepresentativesAssemblyMeetsEverySixMonthsUnderThe2025Law() throws {
        let rules = try DecisionRuleCatalogue.national.inForce(on: CalendarDate("2026-06-01")!).rules(
            for: .representativesAssembly)
        #expect(rules.maximumIntervalMonths == 6)
    }
}
