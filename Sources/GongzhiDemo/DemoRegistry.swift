import Foundation
import GongzhiDomain
import GongzhiStore

/// The demo's registry, all made up: the houses of every building of the first community (three units of twelve
/// floors with two rooms each) and the people living in them, about `perBuilding` a building, in households of one
/// to five (a head of 25 to 85, a spouse, children, a parent), rented houses with floating residents and their
/// permits, vacant ones, and the tags a community worker meets (elderly living alone, party members, low income,
/// disabled, veterans, left-behind children, and rarely a sensitive one). Written through the registry's writer, so
/// every value is checked, sealed and indexed like a real one.
enum DemoRegistry {
    struct Summary {
        var houses = 0
        var people = 0
        /// Each house with its use and the people registered in it (none in an empty one), for owners and rentals
        /// (`DemoPlaces`).
        var homes: [(house: Int64, use: HouseUse, people: [Int64])] = []
    }

    /// `taken` holds the ID numbers given so far: a document is registered once in the district. `people` is the
    /// run's batch writer: a building's houses are registered first, then its people queued and written together.
    static func build(
        _ tx: Transaction, buildings: [Node], perBuilding: Int, today: CalendarDate, taken: inout Set<String>,
        people bulk: inout RegistryPeopleBulk, rng: inout SplitMix64
    ) async throws -> Summary {
        var summary = Summary()
        guard perBuilding > 0 else { return summary }
        for building in buildings {
            var people = 0
            var houseNumber = 0
            var homes: [(house: Int64, use: HouseUse, tickets: [Int])] = []
            // Three units, twelve floors, two rooms a floor: 72 houses, enough for about 200 people.
            let rooms = (1...3).flatMap { unit in
                (1...12).flatMap { floor in (1...2).map { (unit, floor, "\(floor)0\($0)") } }
            }
            var lived: [(house: House, unit: Int, room: String, use: HouseUse, members: [Member])] = []
            for (unit, floor, room) in rooms where people < perBuilding {
                let roll = Int.random(in: 0..<100, using: &rng)
                let use: HouseUse = roll < 8 ? .vacant : roll < 30 ? .rented : .ownerOccupied
                let area = [5650, 7280, 8950, 9620, 11_840, 13_500][Int.random(in: 0..<6, using: &rng)]
                let house = try await RegistryBulk.registerHouse(
                    tx,
                    try HouseForm(
                        building: "\(building.id)", unit: "\(unit)单元", floor: "\(floor)", room: room,
                        use: use.rawValue, area: "\(area / 100).\(String(format: "%02d", area % 100))"
                    ).draft())
                summary.houses += 1
                guard use != .vacant else {
                    summary.homes.append((house.id, .vacant, []))
                    continue
                }
                let members = members(use: use, today: today, rng: &rng)
                lived.append((house, unit, room, use, members))
                people += members.count
            }
            for home in lived {
                houseNumber += 1
                // 户号: nine digits, as the household register writes them.
                let household = String(format: "%06d%03d", building.id, houseNumber)
                let family = surnames[Int.random(in: 0..<surnames.count, using: &rng)]
                var tickets: [Int] = []
                for member in home.members {
                    // Children and grandchildren mostly carry the head's family name; spouses and parents their own.
                    let carries =
                        [.head, .child, .grandchild].contains(member.relation)
                        && Int.random(in: 0..<10, using: &rng) < 9
                    var form = PersonForm(
                        name: name(member.sex, family: carries ? family : nil, rng: &rng), idType: "residentID",
                        idNumber: idNumber(born: member.born, sex: member.sex, taken: &taken, rng: &rng),
                        phone: member.born.age(on: today) >= 14 ? phone(rng: &rng) : nil, building: "\(building.id)",
                        unit: "\(home.unit)单元", room: home.room, household: household,
                        relation: member.relation.rawValue,
                        residenceStatus: home.use == .rented
                            ? ResidenceStatus.floating.rawValue : member.residence.rawValue,
                        movedInOn: max(member.born, today.adding(days: -Int.random(in: 30...7000, using: &rng)))
                            .description,
                        tags: tags(member, alone: member.alone, today: today, rng: &rng))
                    if home.use == .rented, member.born.age(on: today) >= 16 {
                        // Two-year permits; one in six ends within the next 30 days, so the reminders have work.
                        let start =
                            Int.random(in: 0..<6, using: &rng) == 0
                            ? today.adding(days: -(730 - Int.random(in: 1...30, using: &rng)))
                            : today.adding(days: -Int.random(in: 0...700, using: &rng))
                        form.permitStart = start.description
                        form.permitEnd = start.adding(days: 730).description
                    }
                    tickets.append(try await bulk.add(try form.draft(today: today), building: building))
                }
                homes.append((home.house.id, home.use, tickets))
            }
            try await bulk.flush()
            for home in homes {
                summary.homes.append((home.house, home.use, home.tickets.compactMap { bulk.id($0) }))
            }
            summary.people += people
        }
        return summary
    }

    /// The buildings of a community other than the first that get a registry: its first building, so that every
    /// community has people, households and rentals to search and export while the demo stays quick at any scale
    /// (a building a community adds about 200 people; every building of the district would be 1.8 million).
    static func sample(_ place: DemoCases.Place) -> [Node] {
        place.buildings.prefix(1).map(\.node)
    }

    /// A few changes waiting in the review queue (the demo grid worker's phone amendments) and, for the demo
    /// resident, their record claimed and two corrections waiting for the grid worker.
    static func queues(
        _ tx: Transaction, building: Node, gridWorkerID: Int64?, residentID: Int64?, today: CalendarDate,
        rng: inout SplitMix64
    ) async throws {
        let people = try await RegistryBulk.people(tx, in: building.id, limit: 6)
        if let gridWorkerID {
            for person in people.prefix(4) {
                try await RegistryBulk.amendForReview(
                    tx, person: person, phone: phone(rng: &rng), authorUserID: gridWorkerID, today: today)
            }
        }
        if let residentID, let own = people.last {
            try await RegistryBulk.claim(tx, person: own, userID: residentID)
            try await RegistryBulk.askCorrection(
                tx, person: own, userID: residentID,
                try CorrectionRequest(field: "phone", note: "手机号换了，旧号码已停用，请按新号码更新。"))
            try await RegistryBulk.askCorrection(
                tx, person: own, userID: residentID,
                try CorrectionRequest(field: "ethnicity", note: "民族登记错了，应为壮族，户口本上写的是壮族。"))
        }
    }

    struct Member {
        var relation: HouseholdRelation
        var sex: Sex
        var born: CalendarDate
        var residence: ResidenceStatus = .registered
        var alone = false
    }

    static func members(use: HouseUse, today: CalendarDate, rng: inout SplitMix64) -> [Member] {
        func born(_ age: ClosedRange<Int>) -> CalendarDate {
            today.adding(days: -(Int.random(in: age, using: &rng) * 365 + Int.random(in: 0..<365, using: &rng)))
        }
        let headAge = Int.random(in: 25...85, using: &rng)
        let headSex: Sex = Bool.random(using: &rng) ? .male : .female
        var out = [Member(relation: .head, sex: headSex, born: born(headAge...headAge))]
        let size =
            use == .rented
            ? Int.random(in: 1...3, using: &rng)
            : [1, 2, 2, 3, 3, 3, 4, 4, 5][
                Int.random(
                    in: 0..<9, using: &rng)]
        if size == 1 {
            out[0].alone = true
            return out
        }
        out.append(
            Member(
                relation: .spouse, sex: headSex == .male ? .female : .male,
                born: born(max(20, headAge - 5)...min(90, headAge + 3))))
        for _ in 2..<size {
            if headAge > 62, Bool.random(using: &rng) {
                out.append(
                    Member(relation: .grandchild, sex: Bool.random(using: &rng) ? .male : .female, born: born(1...16)))
            } else if headAge < 50, Int.random(in: 0..<4, using: &rng) == 0 {
                out.append(Member(relation: .parent, sex: .female, born: born((headAge + 22)...(headAge + 32))))
            } else {
                let childAge = max(0, min(headAge - 22, Int.random(in: 0...30, using: &rng)))
                out.append(
                    Member(
                        relation: .child, sex: Bool.random(using: &rng) ? .male : .female,
                        born: born(childAge...childAge),
                        residence: childAge > 18 && Int.random(in: 0..<5, using: &rng) == 0
                            ? .livingElsewhere : .registered))
            }
        }
        return out
    }

    static func tags(_ m: Member, alone: Bool, today: CalendarDate, rng: inout SplitMix64) -> String {
        let age = m.born.age(on: today)
        var tags: [PersonTag] = []
        if age >= 70, alone { tags.append(.elderlyLivingAlone) }
        let roll = Int.random(in: 0..<1000, using: &rng)
        if age >= 18, roll < 80 { tags.append(.partyMember) }
        if (80..<110).contains(roll) { tags.append(.lowIncome) }
        if (110..<130).contains(roll) { tags.append(.disabled) }
        if age >= 30, (130..<150).contains(roll) { tags.append(.veteran) }
        if age >= 18, (150..<200).contains(roll) { tags.append(.volunteer) }
        if age < 16, (200..<260).contains(roll) { tags.append(.leftBehindChild) }
        if age >= 18, roll == 999 { tags.append(.communityCorrection) }
        return tags.map(\.rawValue).joined(separator: ";")
    }

    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let maleChars = Array("伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋锋磊晨建国志文")
    static let femaleChars = Array("芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪婷颖倩洁慧欣悦佳怡晶燕莉")

    static func name(_ sex: Sex, family: Character? = nil, rng: inout SplitMix64) -> String {
        let chars = sex == .male ? maleChars : femaleChars
        var name = String(family ?? surnames[Int.random(in: 0..<surnames.count, using: &rng)])
        for _ in 0..<(Int.random(in: 0..<3, using: &rng) == 0 ? 1 : 2) {
            name.append(chars[Int.random(in: 0..<chars.count, using: &rng)])
        }
        return name
    }

    /// A resident ID of Nanshan (440305) for the birth date and sex, unique within the demo.
    static func idNumber(born: CalendarDate, sex: Sex, taken: inout Set<String>, rng: inout SplitMix64) -> String {
        let date = String(format: "%04d%02d%02d", born.year, born.month, born.day)
        while true {
            let order = Int.random(in: 0..<50, using: &rng)
            let last = sex == .male ? order % 5 * 2 + 1 : order % 5 * 2
            let body = "440305" + date + String(format: "%02d", order) + "\(last)"
            let number = body + String(ResidentIDNumber.checkCharacter(body)!)
            if taken.insert(number).inserted { return number }
        }
    }

    static func phone(rng: inout SplitMix64) -> String {
        let prefixes = ["135", "136", "137", "138", "139", "150", "151", "158", "159", "177", "186", "188", "199"]
        return prefixes[Int.random(in: 0..<prefixes.count, using: &rng)]
            + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &rng))
    }
}
