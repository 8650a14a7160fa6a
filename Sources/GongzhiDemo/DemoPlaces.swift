import Foundation
import GongzhiDomain
import GongzhiStore

/// The demo's owners and rentals, organisations and public facilities, all made up, in the first community: owners
/// of the owner-occupied houses (the household's head) and of the rented ones (a landlord living elsewhere), a lease
/// for every rented house (a few ending within 30 days), the shops, units, social organisations, property company
/// and owners' committee of the community with their contacts, and manhole covers, street lamps, hydrants, cameras,
/// fitness equipment and bins across its grids. Everything goes through the registry's bulk helpers, so it is
/// checked, sealed and placed like a real entry.
enum DemoPlaces {
    static func build(
        _ tx: Transaction, place: DemoCases.Place, homes: [(house: Int64, use: HouseUse, people: [Int64])],
        today: CalendarDate, serials: inout [String: Int], rng: inout SplitMix64
    ) async throws {
        try await tenure(tx, homes: homes, today: today, rng: &rng)
        try await organisations(tx, place: place, rng: &rng)
        try await facilities(tx, place: place, serials: &serials, rng: &rng)
    }

    /// The made-up developer of the demo estate.
    static let developerName = "深圳南山和谐置业有限公司"

    static func tenure(
        _ tx: Transaction, homes: [(house: Int64, use: HouseUse, people: [Int64])], today: CalendarDate,
        rng: inout SplitMix64
    ) async throws {
        for home in homes {
            // Half the empty houses are still unsold, held by the estate's developer: one head together in owners'
            // votes (art. 278). The rest are sold and simply empty.
            if home.use == .vacant, home.house % 2 == 0 {
                try await RegistryBulk.house(tx, home.house, .addOwner(.developer(name: developerName)))
                continue
            }
            guard let head = home.people.first else { continue }
            switch home.use {
            case .ownerOccupied:
                let share = home.people.count > 1 && Bool.random(using: &rng) ? 5000 : HouseShares.whole
                try await RegistryBulk.house(
                    tx, home.house, .addOwner(OwnerDraft(personID: head, name: nil, share: share)))
                if share < HouseShares.whole, let spouse = home.people.dropFirst().first {
                    try await RegistryBulk.house(
                        tx, home.house, .addOwner(OwnerDraft(personID: spouse, name: nil, share: share)))
                }
            case .rented:
                let sex: Sex = Bool.random(using: &rng) ? .male : .female
                let owner = try await RegistryBulk.house(
                    tx, home.house,
                    .addOwner(
                        OwnerDraft(personID: nil, name: DemoRegistry.name(sex, rng: &rng), share: HouseShares.whole)))
                guard let landlord = owner.ownerID else { continue }
                // One-year leases, most running for months yet, a few ending within the month.
                let end = today.adding(days: Int.random(in: 3...360, using: &rng))
                let purpose: RentalPurpose = Int.random(in: 0..<20, using: &rng) == 0 ? .office : .residence
                try await RegistryBulk.house(
                    tx, home.house,
                    .registerRental(
                        RentalDraft(
                            landlordOwnerID: landlord, tenantIDs: home.people, start: end.adding(days: -365), end: end,
                            purpose: purpose)))
            case .vacant:
                continue
            }
        }
    }

    /// A made-up credit code with a right check character: the authority and kind (`92` a sole trader, `91` a
    /// company, `52` a social service organisation, `12` a public institution), Nanshan's division code, a random
    /// organisation code.
    static func creditCode(_ prefix: String, taken: inout Set<String>, rng: inout SplitMix64) -> String {
        let alphabet = UnifiedSocialCreditCode.alphabet
        while true {
            var body = prefix + "440305"
            for _ in 0..<9 { body.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
            let code = body + String(UnifiedSocialCreditCode.checkCharacter(body)!)
            if taken.insert(code).inserted { return code }
        }
    }

    static func organisations(_ tx: Transaction, place: DemoCases.Place, rng: inout SplitMix64) async throws {
        var taken: Set<String> = []
        let grids = Array(Set(place.buildings.compactMap(\.node.parentID))).sorted()
        func contacts(_ n: Int) -> [(String, String)] {
            (0..<n).map { _ in
                (
                    DemoRegistry.name(Bool.random(using: &rng) ? .male : .female, rng: &rng),
                    DemoRegistry.phone(rng: &rng)
                )
            }
        }
        func node(_ i: Int) -> String { grids.isEmpty ? "\(place.community.id)" : "\(grids[i % grids.count])" }
        let short = place.community.name.replacingOccurrences(of: "社区", with: "")
        var forms: [OrganisationForm] = []
        for (i, shop) in ["便民超市", "鲜果屋", "社区药房", "洗衣店", "早餐店", "五金店"].enumerated() {
            forms.append(
                OrganisationForm(
                    kind: "shop", name: "\(short)\(shop)", creditCode: creditCode("92", taken: &taken, rng: &rng),
                    address: "\(short)路\(10 + i * 6)号", node: node(i), contacts: contacts(1)))
        }
        for (i, unit) in ["\(short)小学", "\(short)社区健康服务中心", "\(short)派出所警务室"].enumerated() {
            forms.append(
                OrganisationForm(
                    kind: "resident_unit", name: unit, creditCode: creditCode("12", taken: &taken, rng: &rng),
                    address: "\(short)大道\(100 + i * 20)号", node: node(i + 2), contacts: contacts(2)))
        }
        forms.append(
            OrganisationForm(
                kind: "social_organisation", name: "\(short)社区邻里互助社", registration: "subdistrict_filing",
                registrationNumber: "南头街备字〔2024〕第017号", address: "\(short)社区党群服务中心", node: "\(place.community.id)",
                contacts: contacts(1)))
        forms.append(
            OrganisationForm(
                kind: "social_organisation", name: "\(short)长者关爱服务中心",
                creditCode: creditCode("52", taken: &taken, rng: &rng), registration: "civil_affairs",
                address: "\(short)路2号", node: "\(place.community.id)", contacts: contacts(2)))
        forms.append(
            OrganisationForm(
                kind: "property_company", name: "深圳市\(short)物业服务有限公司",
                creditCode: creditCode("91", taken: &taken, rng: &rng), address: "\(short)路6号", node: node(1),
                contacts: contacts(2)))
        forms.append(
            OrganisationForm(
                kind: "owners_committee", name: "\(short)花园业主委员会", address: "\(short)花园物业管理处",
                node: node(1), contacts: contacts(3)))
        for form in forms { try await RegistryBulk.organisation(tx, try form.draft()) }
    }

    /// `serials` runs across communities: a facility's code is unique in the district.
    static func facilities(
        _ tx: Transaction, place: DemoCases.Place, serials: inout [String: Int], rng: inout SplitMix64
    ) async throws {
        let cases = try CaseBulk(tx)
        let now = tx.now
        // Classes a patrol meets most, weighted by how often they stand in a street: manhole covers, hydrants
        // (0113), street lamps (0118), cameras (0136), bus shelters, litter bins (0305), fitness equipment (0126).
        let classes = [
            "0101", "0102", "0102", "0103", "0104", "0105", "0107", "0111", "0113", "0118", "0118", "0118", "0136",
            "0203", "0305", "0305", "0126",
        ]
        for building in place.buildings where Int.random(in: 0..<3, using: &rng) == 0 {
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let kind = classes[Int.random(in: 0..<classes.count, using: &rng)]
                serials[kind, default: 0] += 1
                let roll = Int.random(in: 0..<20, using: &rng)
                let state: FacilityState = roll == 0 ? .damaged : roll == 1 ? .underRepair : roll == 2 ? .lost : .inUse
                // Near the building: within about 40 m.
                let lat = building.latitude + Double(Int.random(in: -35...35, using: &rng)) / 100_000
                let lng = building.longitude + Double(Int.random(in: -35...35, using: &rng)) / 100_000
                let code = "440305" + kind + String(format: "%06d", serials[kind]!)
                try await RegistryBulk.facility(
                    tx,
                    FacilityDraft(
                        code: code, classCode: kind, note: "\(building.node.name)旁", latitude: lat, longitude: lng,
                        state: state, nodeID: place.community.id))
                // A damaged or lost one was reported on patrol, and the case names it.
                if state == .damaged || state == .lost, let name = ComponentClass.named(kind)?.name {
                    let at = now.addingTimeInterval(-Double(Int.random(in: 1...72, using: &rng)) * 3600)
                    var seed = CaseSeed(
                        kind: .event, channel: .patrol, status: .submitted,
                        title: "\(name)\(state == .lost ? "丢失" : "损坏")",
                        description:
                            "巡查发现\(building.node.name)旁的\(name)（编码 \(code)）\(state == .lost ? "不见了" : "损坏")，需尽快处理。",
                        categoryID: nil, place: building.node, createdAt: at,
                        events: [CaseSeed.Event(action: "submit", from: nil, to: .submitted, at: at)])
                    seed.latitude = lat
                    seed.longitude = lng
                    seed.facilityCode = code
                    try await cases.add(seed)
                }
            }
        }
    }
}
