import Foundation
import GongzhiDomain
import Testing

@Suite struct HouseholdTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    func member(_ label: String, _ relation: HouseholdRelation?, born: String? = "1980-01-01") -> Household.Member {
        Household.Member(label: label, relation: relation, birthDate: born.flatMap(CalendarDate.init))
    }

    @Test func aHouseholdHasOneAdultHeadAndEveryRelation() throws {
        try Household.validate(
            members: [
                member("张伟", .head), member("李娜", .spouse), member("张小明", .child, born: "2015-06-01"),
                member("张建国", .parent, born: "1950-03-02"),
            ], today: Self.today)
    }

    @Test func eachBrokenRuleHasItsKey() {
        func rejects(_ key: String, args: [String] = [], _ members: [Household.Member]) {
            #expect(throws: DomainError.invalid(key, field: "relation", args: args)) {
                try Household.validate(members: members, today: Self.today)
            }
        }
        rejects("household_empty", [])
        rejects("household_no_head", [member("李娜", .spouse), member("张小明", .child)])
        rejects("household_several_heads", args: ["张伟", "李娜"], [member("张伟", .head), member("李娜", .head)])
        rejects("household_relation_missing", args: ["李娜"], [member("张伟", .head), member("李娜", nil)])
        rejects(
            "household_several_spouses", args: ["李娜", "王芳"],
            [
                member("张伟", .head), member("李娜", .spouse), member("王芳", .spouse),
            ])
        // the head turns 18 tomorrow
        rejects("household_head_minor", args: ["张小明"], [member("张小明", .head, born: "2008-11-25")])
    }

    @Test func aHeadWhoTurns18TodayIsAnAdult() throws {
        try Household.validate(members: [member("张小明", .head, born: "2008-11-24")], today: Self.today)
    }
}

@Suite struct PersonTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    func person(
        sex: Sex = .female, born: String = "1949-12-31", residence: ResidenceStatus = .registered,
        permit: ResidencePermit? = nil
    ) throws -> Person {
        Person(
            id: 1, communityID: 7, name: "王秀英",
            document: try IdentityDocument.validate(kind: .residentID, number: "11010519491231002X", today: Self.today),
            sex: sex, birthDate: CalendarDate(born)!, ethnicity: .han, phone: try PhoneNumber.parse("13812345678"),
            residence: residence, residencePermit: permit, tags: [.lowIncome, .elderlyLivingAlone, .lowIncome])
    }

    @Test func aPersonAgreeingWithTheirIDIsValid() throws {
        let person = try person()
        try person.check(today: Self.today)
        #expect(person.tags == [.elderlyLivingAlone, .lowIncome], "sorted, without repeats")
        #expect(person.version == 1)
    }

    @Test func theFormMustAgreeWithTheID() throws {
        #expect(throws: DomainError.invalid("id_sex_mismatch", field: "sex")) {
            try self.person(sex: .male).check(today: Self.today)
        }
        #expect(throws: DomainError.invalid("id_birth_date_mismatch", field: "birth_date", args: ["1949-12-31"])) {
            try self.person(born: "1949-12-30").check(today: Self.today)
        }
    }

    @Test func otherRulesOfARecord() throws {
        var p = try person()
        p.name = "  "
        #expect(throws: DomainError.invalid("person_name_required", field: "name")) { try p.check(today: Self.today) }
        p = try person()
        p.movedInOn = CalendarDate("2020-05-01")
        p.movedOutOn = CalendarDate("2020-04-30")
        #expect(throws: DomainError.invalid("moved_out_before_in", field: "moved_out_on")) {
            try p.check(today: Self.today)
        }
        p = try person()
        p.householdID = 3
        #expect(throws: DomainError.invalid("relation_required", field: "relation")) { try p.check(today: Self.today) }
        let permit = try ResidencePermit(start: CalendarDate("2026-01-01")!, end: CalendarDate("2026-12-31")!)
        #expect(throws: DomainError.invalid("residence_permit_not_floating", field: "permit_start")) {
            try self.person(permit: permit).check(today: Self.today)
        }
        try person(residence: .floating, permit: permit).check(today: Self.today)
        #expect(throws: DomainError.invalid("residence_foreign_document", field: "id_type")) {
            try self.person(residence: .foreign).check(today: Self.today)
        }
    }

    @Test func aPermitEndsAfterItStartsAndRemindsBeforeItExpires() throws {
        #expect(throws: DomainError.invalid("residence_permit_dates", field: "permit_end")) {
            try ResidencePermit(start: CalendarDate("2026-12-31")!, end: CalendarDate("2026-01-01")!)
        }
        let permit = try ResidencePermit(start: CalendarDate("2026-01-01")!, end: CalendarDate("2026-12-31")!)
        func at(_ day: String) -> Date {
            // noon in Beijing
            ISO8601DateFormatter().date(from: day + "T04:00:00Z")!
        }
        #expect(!permit.expiresSoon(now: at("2026-11-30"), within: 30))
        #expect(permit.expiresSoon(now: at("2026-12-01"), within: 30))
        #expect(permit.expiresSoon(now: at("2026-12-31"), within: 30), "its last day")
        #expect(!permit.expiresSoon(now: at("2027-01-01"), within: 30), "expired, not expiring")
        #expect(permit.isExpired(on: CalendarDate("2027-01-01")!))
    }

    @Test func aPersonIsMaskedAndSensitiveTagsAreLeftOut() throws {
        var p = try person()
        p.setTags([.communityCorrection, .partyMember])
        let seenByGridWorker = p.masked(for: .gridWorker)
        #expect(seenByGridWorker.name == "王秀英")
        #expect(seenByGridWorker.documentNumber == "110105********002X")
        #expect(seenByGridWorker.phone == "138****5678")
        #expect(seenByGridWorker.tags == [.partyMember])
        #expect(p.masked(for: .communityWorker).tags == [.partyMember, .communityCorrection])
    }

    @Test func aPersonRoundTripsThroughJSON() throws {
        var p = try person(
            residence: .floating,
            permit: try ResidencePermit(
                start: CalendarDate("2026-01-01")!, end: CalendarDate("2026-12-31")!))
        p.address = RoomAddress(buildingID: 12, unit: "2", room: "301")
        let decoded = try JSONDecoder().decode(Person.self, from: JSONEncoder().encode(p))
        #expect(decoded == p)
    }
}

@Suite struct PersonTagPolicyTests {
    @Test(arguments: Role.allCases)
    func sensitiveTagsAreSeenOnlyByTheirManagers(_ role: Role) {
        let managers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin]
        for tag in PersonTag.allCases where tag.isSensitive {
            #expect(PersonTagPolicy.mayView(tag, as: role) == managers.contains(role), "\(tag) as \(role)")
        }
        #expect(PersonTagPolicy.mayView(.veteran, as: role) == (role.isStaff && role != .auditor))
    }

    @Test func theFourSpecialGroupsAreTheSensitiveOnes() {
        #expect(
            Set(PersonTag.allCases.filter(\.isSensitive))
                == [.communityCorrection, .releasedPrisoner, .drugRehabilitation, .severeMentalDisorder])
    }

    @Test func aDeploymentMayNameOtherManagers() {
        let managers: [PersonTag: Set<Role>] = [.communityCorrection: [.gridWorker]]
        #expect(PersonTagPolicy.mayView(.communityCorrection, as: .gridWorker, managers: managers))
        #expect(!PersonTagPolicy.mayView(.releasedPrisoner, as: .communityWorker, managers: managers))
    }
}
