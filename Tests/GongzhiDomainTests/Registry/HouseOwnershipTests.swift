import Foundation
import GongzhiDomain
import Testing

@Suite struct HouseOwnershipTests {
    @Test(arguments: [("", 10_000), ("100", 10_000), ("50", 5000), ("50%", 5000), ("33.33", 3333), ("0.5", 50)])
    func sharesAsPeopleWriteThem(_ text: String, _ share: Int) throws {
        #expect(try HouseShares.parse(text) == share)
    }

    @Test(arguments: ["0", "100.01", "101", "-5", "33.333", "一半", "5.", ".5"])
    func impossibleSharesAreRefused(_ text: String) {
        #expect(throws: DomainError.invalid("share_invalid", field: "share")) { try HouseShares.parse(text) }
    }

    @Test func sharesTogetherAreAtMostTheWholeHouseAndAPersonOwnsOnce() throws {
        // given
        let owners = [
            HouseOwner(id: 1, houseID: 9, personID: 4, name: "王", share: 6000),
            HouseOwner(id: 2, houseID: 9, personID: nil, name: "李", share: 2500),
        ]
        // then
        try HouseShares.check(adding: OwnerDraft(personID: 5, name: nil, share: 1500), to: owners)
        #expect(throws: DomainError.invalid("shares_over_whole", field: "share", args: ["15%"])) {
            try HouseShares.check(adding: OwnerDraft(personID: 5, name: nil, share: 1501), to: owners)
        }
        #expect(throws: DomainError(.conflict, "owner_exists", field: "person")) {
            try HouseShares.check(adding: OwnerDraft(personID: 4, name: nil, share: 100), to: owners)
        }
        #expect(HouseShares.text(3333) == "33.33%" && HouseShares.text(5000) == "50%")
    }

    @Test func anOwnerIsAPersonOrANameNotBoth() throws {
        #expect(try OwnerForm(person: "12", share: "50").draft() == OwnerDraft(personID: 12, name: nil, share: 5000))
        #expect(try OwnerForm(name: " 陈大文 ").draft() == OwnerDraft(personID: nil, name: "陈大文", share: 10_000))
        #expect(throws: DomainError.invalid("owner_required", field: "person")) { try OwnerForm().draft() }
        #expect(throws: DomainError.invalid("owner_both", field: "name")) {
            try OwnerForm(person: "12", name: "陈大文").draft()
        }
    }

    @Test func aRentalFormIsCheckedFieldByField() throws {
        let good = RentalForm(
            landlord: "3", tenants: "7, 8,7", startOn: "2026-01-01", endOn: "2026-12-31", purpose: "居住")
        let draft = try good.draft()
        #expect(draft.tenantIDs == [7, 8] && draft.purpose == .residence && draft.landlordOwnerID == 3)
        var form = good
        form.endOn = "2025-12-31"
        #expect(throws: DomainError.invalid("rental_end_before_start", field: "end_on")) { try form.draft() }
        form = good
        form.tenants = ""
        #expect(throws: DomainError.invalid("tenants_required", field: "tenants")) { try form.draft() }
        form = good
        form.landlord = nil
        #expect(throws: DomainError.invalid("landlord_required", field: "landlord")) { try form.draft() }
        form = good
        form.startOn = ""
        #expect(throws: DomainError.invalid("date_required", field: "start_on")) { try form.draft() }
        form = good
        form.purpose = "赌场"
        #expect(throws: DomainError.invalid("rental_purpose_unknown", field: "purpose", args: ["赌场"])) {
            try form.draft()
        }
    }

    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func aRentalNeedsAnOwnerAsLandlordTenantsLivingThereAndNoOverlap() throws {
        // given
        let owners = [HouseOwner(id: 3, houseID: 9, personID: nil, name: "陈", share: 10_000)]
        let draft = RentalDraft(
            landlordOwnerID: 3, tenantIDs: [7], start: Self.day("2026-03-01"), end: Self.day("2026-08-31"),
            purpose: .residence)
        let here: [Int64: RentalRules.TenantPlace] = [7: .thisHouse]
        let earlier = Rental(
            id: 1, houseID: 9, landlordOwnerID: 3, landlordName: "陈", tenants: [], start: Self.day("2025-03-01"),
            end: Self.day("2026-02-28"), purpose: .residence)
        // then
        try RentalRules.check(draft, owners: owners, tenants: here, others: [earlier])
        var notOwner = draft
        notOwner.landlordOwnerID = 4
        #expect(throws: DomainError.invalid("landlord_not_owner", field: "landlord")) {
            try RentalRules.check(notOwner, owners: owners, tenants: here, others: [])
        }
        #expect(throws: DomainError.invalid("tenant_without_house", field: "tenants", args: ["7"])) {
            try RentalRules.check(draft, owners: owners, tenants: [7: .noHouse], others: [])
        }
        #expect(throws: DomainError.invalid("tenant_other_house", field: "tenants", args: ["7"])) {
            try RentalRules.check(draft, owners: owners, tenants: [7: .otherHouse], others: [])
        }
        #expect(throws: DomainError.invalid("tenant_unknown", field: "tenants", args: ["7"])) {
            try RentalRules.check(draft, owners: owners, tenants: [:], others: [])
        }
        var overlapping = earlier
        overlapping.end = Self.day("2026-03-01")
        #expect(
            throws: DomainError(.conflict, "rental_overlaps", field: "start_on", args: ["2025-03-01", "2026-03-01"])
        ) {
            try RentalRules.check(draft, owners: owners, tenants: here, others: [overlapping])
        }
        // and a lease that ended early no longer overlaps after its last day
        overlapping.endedOn = Self.day("2026-02-15")
        try RentalRules.check(draft, owners: owners, tenants: here, others: [overlapping])
    }

    @Test func aLeaseEndsSoonWithinThirtyDaysOfItsLastDay() {
        let r = Rental(
            id: 1, houseID: 9, landlordOwnerID: 3, landlordName: "陈", tenants: [], start: Self.day("2026-01-01"),
            end: Self.day("2026-06-30"), purpose: .residence)
        #expect(r.endsSoon(today: Self.day("2026-06-01")))
        #expect(!r.endsSoon(today: Self.day("2026-05-30")))
        #expect(!r.endsSoon(today: Self.day("2026-07-01")))
        #expect(throws: DomainError.invalid("rental_end_after_end", field: "ended_on")) {
            try RentalRules.checkEnd(r, on: Self.day("2026-07-01"))
        }
        #expect(throws: DomainError.invalid("rental_end_before_start", field: "ended_on")) {
            try RentalRules.checkEnd(r, on: Self.day("2025-12-31"))
        }
    }
}
