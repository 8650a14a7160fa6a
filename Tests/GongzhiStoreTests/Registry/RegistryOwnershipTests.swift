import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryOwnershipTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func ownersAreStoredSealedAndTheirAreaIsGroupedByOwner() async throws {
        try await withTestDatabase { db in
            // given: 101 owned by a resident alone, 102 shared by the resident and a non-resident owner
            let w = try await RegistryWorld.make(db)
            let resident = try await w.register(w.form("王秀英", household: "H1", relation: "户主")).id
            let (h101, h102) = (w.houses[0].id, w.houses[1].id)
            try await w.commands.perform(
                w.gridWorker, house: h101, .addOwner(OwnerDraft(personID: resident, name: nil, share: 10_000)))
            try await w.commands.perform(
                w.gridWorker, house: h102, .addOwner(OwnerDraft(personID: resident, name: nil, share: 5000)))
            try await w.commands.perform(
                w.gridWorker, house: h102, .addOwner(try OwnerForm(name: "陈大文", share: "50").draft()))
            // when
            let areas = try await w.store.ownerAreas(building: w.tree.buildings[0].id, for: w.communityWorker)
            // then: 89.50 + 44.75 for the resident, 44.75 for the other owner
            #expect(areas.count == 2)
            let byName = Dictionary(uniqueKeysWithValues: areas.map { ($0.name, $0) })
            #expect(byName["王秀英"]?.areaCenti == 13_425 && byName["王秀英"]?.houses == 2)
            #expect(byName["陈大文"]?.areaCenti == 4475 && byName["陈大文"]?.houses == 1)
            #expect(byName["王秀英"]?.ownerKey == "p\(resident)")
            // and the shares cannot pass the whole house
            await #expect(throws: DomainError.invalid("shares_over_whole", field: "share", args: ["0%"])) {
                try await w.commands.perform(
                    w.gridWorker, house: h102, .addOwner(try OwnerForm(name: "李四", share: "1").draft()))
            }
            // and the non-resident's name is nowhere readable
            let dump = try await db.read { sql in
                var text = ""
                for table in ["registry_house_owners", "audit_log"] {
                    for row in try await sql.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: table)")).all() {
                        for column in row.allColumns {
                            text += (try? row.decode(column: column, as: String.self)) ?? ""
                        }
                    }
                }
                return text
            }
            #expect(!dump.contains("陈大文") && dump.contains("registry.house.add_owner"))
            // and a grid worker of another grid sees none of it
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await w.store.house(h101, for: w.otherGridWorker)
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await w.commands.perform(
                    w.otherGridWorker, house: h101, .addOwner(try OwnerForm(name: "赵六").draft()))
            }
        }
    }

    @Test func aRentalIsRegisteredAndEveryBadOneRefusedWithNothingWritten() async throws {
        try await withTestDatabase { db in
            // given: an owner living elsewhere, a tenant in 101, a person without a house and one in 102
            let w = try await RegistryWorld.make(db)
            let h101 = w.houses[0].id
            let tenant = try await w.register(w.form("租客甲", sequence: 1)).id
            let elsewhere = try await w.register(w.form("邻居乙", sequence: 2, room: "102")).id
            let homeless = try await w.register(w.form("无房丙", sequence: 3, unit: "", room: "")).id
            let owner = try #require(
                try await w.commands.perform(
                    w.gridWorker, house: h101, .addOwner(try OwnerForm(name: "陈大文").draft())
                ).ownerID)
            let other = try #require(
                try await w.commands.perform(
                    w.gridWorker, house: w.houses[1].id, .addOwner(try OwnerForm(name: "钱七").draft())
                ).ownerID)
            func rental(_ landlord: Int64, _ tenants: [Int64], _ start: String, _ end: String) -> HouseCommand {
                .registerRental(
                    RentalDraft(
                        landlordOwnerID: landlord, tenantIDs: tenants, start: Self.day(start), end: Self.day(end),
                        purpose: .residence))
            }
            // when
            let made = try await w.commands.perform(
                w.gridWorker, house: h101, rental(owner, [tenant], "2026-01-01", "2026-06-30"))
            // then
            let detail = try await w.store.house(h101, for: w.gridWorker)
            #expect(detail.rentals.count == 1 && detail.rentals[0].tenants.map(\.name) == ["租客甲"])
            #expect(detail.rentals[0].landlordName == "陈大文" && detail.rentals[0].id == made.rentalID)
            // and the refusals
            await #expect(throws: DomainError.invalid("tenant_without_house", field: "tenants", args: ["\(homeless)"]))
            {
                try await w.commands.perform(
                    w.gridWorker, house: h101, rental(owner, [homeless], "2026-07-01", "2026-12-31"))
            }
            await #expect(throws: DomainError.invalid("tenant_other_house", field: "tenants", args: ["\(elsewhere)"])) {
                try await w.commands.perform(
                    w.gridWorker, house: h101, rental(owner, [elsewhere], "2026-07-01", "2026-12-31"))
            }
            await #expect(throws: DomainError.invalid("landlord_not_owner", field: "landlord")) {
                try await w.commands.perform(
                    w.gridWorker, house: h101, rental(other, [tenant], "2026-07-01", "2026-12-31"))
            }
            await #expect(
                throws: DomainError(
                    .conflict, "rental_overlaps", field: "start_on", args: ["2026-01-01", "2026-06-30"])
            ) {
                try await w.commands.perform(
                    w.gridWorker, house: h101, rental(owner, [tenant], "2026-06-30", "2026-12-31"))
            }
            await #expect(throws: DomainError.invalid("rental_end_before_start", field: "end_on")) {
                _ = try RentalForm(
                    landlord: "\(owner)", tenants: "\(tenant)", startOn: "2026-07-01", endOn: "2026-06-01"
                ).draft()
            }
            let count = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM registry_rentals").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(count == 1)
            // and the next lease may start the day after
            try await w.commands.perform(w.gridWorker, house: h101, rental(owner, [tenant], "2026-07-01", "2026-12-31"))
            // and the landlord of a running lease cannot be removed
            await #expect(throws: DomainError.invalid("owner_is_landlord")) {
                try await w.commands.perform(w.gridWorker, house: h101, .removeOwner(owner))
            }
        }
    }

    @Test func theBuildingShowsRunningLeasesAndThoseEndingWithinThirtyDays() async throws {
        try await withTestDatabase { db in
            // given: today is RegistryWorld.today; one lease ends in 10 days, one in 100
            let w = try await RegistryWorld.make(db)
            let today = RegistryWorld.today
            var ids: [Int64] = []
            for (i, house) in w.houses.prefix(2).enumerated() {
                let tenant = try await w.register(
                    w.form("租客\(i)", sequence: 20 + i, room: house.room)
                ).id
                let owner = try #require(
                    try await w.commands.perform(
                        w.gridWorker, house: house.id, .addOwner(try OwnerForm(name: "业主\(i)").draft())
                    ).ownerID)
                let outcome = try await w.commands.perform(
                    w.gridWorker, house: house.id,
                    .registerRental(
                        RentalDraft(
                            landlordOwnerID: owner, tenantIDs: [tenant], start: today.adding(days: -30),
                            end: today.adding(days: i == 0 ? 10 : 100), purpose: .residence)))
                ids.append(try #require(outcome.rentalID))
            }
            // when
            let tenure = try await w.store.tenure(in: w.tree.buildings[0].id, for: w.gridWorker, today: today)
            // then
            #expect(tenure.endingSoon.map(\.id) == [ids[0]])
            #expect(tenure.rentals.values.joined().count == 2)
            #expect(tenure.owners[w.houses[0].id]?.map(\.name) == ["业主0"])
            // and ending the first lease early takes it off the building's list from the next day
            try await w.commands.perform(w.gridWorker, house: w.houses[0].id, .endRental(ids[0], on: today))
            let later = try await w.store.tenure(
                in: w.tree.buildings[0].id, for: w.gridWorker, today: today.adding(days: 1))
            #expect(later.endingSoon.isEmpty && later.rentals.values.joined().count == 1)
            let audited = try await db.read { sql in
                try await sql.raw(
                    "SELECT before_state, after_state FROM audit_log WHERE action = 'registry.rental.end'"
                ).first()
            }
            #expect(try audited?.decode(column: "after_state", as: String.self).contains("endedOn") == true)
        }
    }

    @Test func aHouseIsAmendedWithTheVersionChecked() async throws {
        try await withTestDatabase { db in
            let w = try await RegistryWorld.make(db)
            let house = w.houses[0]
            let draft = try HouseForm(
                building: "\(house.buildingID)", unit: "1单元", floor: "1", room: "101", use: "出租", area: "90"
            ).draft()
            let outcome = try await w.commands.perform(
                w.gridWorker, house: house.id, .amend(draft), expectedVersion: house.version)
            let read = try await w.store.house(house.id, for: w.gridWorker)
            #expect(read.house.use == .rented && read.house.areaCenti == 9000 && read.version == outcome.version)
            await #expect(throws: DomainError(.conflict, "house_changed_meanwhile")) {
                try await w.commands.perform(
                    w.gridWorker, house: house.id, .amend(draft), expectedVersion: house.version)
            }
        }
    }
}

@Suite struct RegistryPlacesFollowTheTreeTests {
    @Test func ownersRentalsOrganisationsAndFacilitiesMoveWithTheirGridToAnotherCommunity() async throws {
        try await withTestDatabase { db in
            // given: in the first grid, an owner and a lease of 101, a shop and a lamp
            let w = try await RegistryWorld.make(db)
            let tenant = try await w.register(w.form("租客甲")).id
            let house = w.houses[0].id
            let owner = try #require(
                try await w.commands.perform(w.gridWorker, house: house, .addOwner(try OwnerForm(name: "陈大文").draft()))
                    .ownerID)
            try await w.commands.perform(
                w.gridWorker, house: house,
                .registerRental(
                    RentalDraft(
                        landlordOwnerID: owner, tenantIDs: [tenant], start: RegistryWorld.today,
                        end: RegistryWorld.today.adding(days: 200), purpose: .residence)))
            try await w.commands.perform(
                w.gridWorker, organisation: nil,
                .create(try OrganisationForm(kind: "shop", name: "便民超市", node: "\(w.tree.grid1.id)").draft()))
            try await w.commands.perform(
                w.gridWorker, facility: nil,
                .create(
                    try FacilityForm(
                        code: "LD-1", classCode: "0118", lat: "22.5", lng: "113.9", node: "\(w.tree.grid1.id)"
                    )
                    .draft()))
            // when: the grid moves to the other community
            try await JurisdictionCommands(db: db).perform(.root, w.tree.grid1.id, .move(to: w.tree.otherCommunity.id))
            // then: every row of it carries the new community, and its new community worker reads them
            let other = w.tree.otherCommunity.id
            for table in [
                "registry_house_owners", "registry_rentals", "registry_rental_tenants", "registry_organisations",
                "registry_facilities",
            ] {
                let communities = try await db.read { sql in
                    try await sql.raw(SQLQueryString("SELECT DISTINCT community_id FROM \(unsafeRaw: table)")).all()
                        .map { try $0.decode(column: "community_id", as: Int64.self) }
                }
                #expect(communities == [other], "\(table)")
            }
            let read = try await w.store.house(house, for: w.otherCommunityWorker)
            #expect(read.owners.map(\.name) == ["陈大文"] && read.rentals.count == 1)
            #expect(try await w.store.facilities(FacilityFilter(), for: w.otherCommunityWorker).items.count == 1)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await w.store.house(house, for: w.communityWorker)
            }
        }
    }
}
