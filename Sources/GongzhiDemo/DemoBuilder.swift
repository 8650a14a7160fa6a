import Foundation
import GongzhiDomain
import GongzhiStore

/// Builds the demo district, modelled on Shenzhen's Nanshan: its eight real sub-districts, 100 communities
/// (scaled by `scale`), their grids, buildings, estates and "1+3+N" bodies with duty lists, one account per role,
/// the handling units with two handlers each, and cases. Everything is written through the stores' bulk helpers in
/// one command-line transaction and recorded as one audit entry.
public struct DemoBuilder: Sendable {
    public struct Account: Sendable {
        public var username: String
        public var password: String
        public var role: Role
        public var nodeName: String
        /// The handling units a department handler works for (none for other roles).
        public var units: [String] = []
    }

    public struct Summary: Sendable {
        public var counts: [NodeKind: Int]
        public var bodies: Int
        public var duties: Int
        public var cases: Int
        /// Topics in the first community.
        public var topics = 0
        /// Votes in the first community, one in each state.
        public var votes = 0
        /// The registry: the houses and the people living in them, in every community.
        public var houses = 0
        public var people = 0
        /// One account per role.
        public var accounts: [Account]
        /// The further department handlers, so that every unit has two and work can be shared.
        public var handlers: [Account]
    }

    let db: Database
    let clock: Clock
    let bcryptCost: UInt8
    public init(db: Database, clock: Clock = .system, bcryptCost: UInt8 = 11) {
        self.db = db
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// Refuses to run on a database that already holds a tree, so a real deployment is never mixed with demo data.
    /// `cases` adds that many more cases over three years (`DemoBigCases`), in transactions of their own after the
    /// district is built.
    public func build(
        scale: Double = 1, seed: UInt64 = 2026, peoplePerBuilding: Int = 200, cases extraCases: Int = 0
    ) async throws -> Summary {
        guard scale > 0, scale <= 100 else { throw DomainError.invalid("demo_scale_invalid", field: "scale") }
        guard extraCases >= 0, extraCases <= 10_000_000 else {
            throw DomainError.invalid("demo_cases_invalid", field: "cases")
        }
        let credentials = try await makeCredentials()
        // The neighbours who co-sign the demo topics sign in with a password nobody knows.
        let neighbourHash = try await AccountBulk.hashPassword(Secrets.token(prefix: "n_"), cost: bcryptCost)
        var (summary, places, routes) = try await db.command(.commandLine, clock: clock) { tx in
            let tree = try JurisdictionBulk(tx)
            let people = try AccountBulk(tx)
            guard try await tree.treeIsEmpty() else { throw DomainError(.conflict, "demo_database_not_empty") }
            var rng = SplitMix64(seed: seed)
            var counts: [NodeKind: Int] = [:]
            var bodies = 0
            var duties = 0
            func add(
                _ kind: NodeKind, _ name: String, code: String? = nil, under parent: Node?,
                point: (Double, Double)? = nil, estateID: Int64? = nil
            ) async throws -> Node {
                counts[kind, default: 0] += 1
                return try await tree.addNode(
                    kind, name: name, code: code, under: parent, latitude: point?.0, longitude: point?.1,
                    estateID: estateID)
            }
            let district = try await add(.district, "南山区", code: "440305", under: nil)
            let communityTotal = max(1, Int((100 * scale).rounded()))
            let names = DemoCatalogue.subdistricts.flatMap { s in s.communities.map { (s, $0) } }
            var subdistricts: [String: Node] = [:]
            var places: [DemoCases.Place] = []
            var firsts: (sub: Node?, community: Node?, grid: Node?, building: Node?) = (nil, nil, nil, nil)
            var firstBodyID: Int64? = nil
            var takenCells: Set<[Int]> = []
            for index in 0..<communityTotal {
                let (sub, baseName) = names[index % names.count]
                let round = index / names.count
                let name = round == 0 ? baseName : baseName.replacingOccurrences(of: "社区", with: "\(round + 1)社区")
                if subdistricts[sub.code] == nil {
                    subdistricts[sub.code] = try await add(.subdistrict, sub.name, code: sub.code, under: district)
                }
                let community = try await add(.community, name, under: subdistricts[sub.code])
                let centre = Self.centres[sub.code] ?? (22.53, 113.93)
                // Communities take the free cell of a lattice nearest their sub-district's centre, so their
                // boundaries never overlap, however large the demo.
                let communityPoint = DemoMap.freeCell(near: centre, taken: &takenCells)
                var estateIDs: [Int64] = []
                for e in 0..<Int.random(in: 2...4, using: &rng) {
                    let estateName = DemoCatalogue.estateNames[(index * 3 + e) % DemoCatalogue.estateNames.count]
                    estateIDs.append(try await tree.addEstate(estateName, in: community).id)
                }
                var buildings: [(node: Node, latitude: Double, longitude: Double)] = []
                let gridCount = Int.random(in: 6...10, using: &rng)
                let cells = DemoMap.cells(gridCount, around: communityPoint, rng: &rng)
                for g in 1...gridCount {
                    let cell = cells[g - 1]
                    let grid = try await add(.grid, "第\(g)网格", under: community)
                    try await tree.setBoundary(DemoMap.boundary(cell), of: grid)
                    let street = DemoCatalogue.streetNames[
                        Int.random(in: 0..<DemoCatalogue.streetNames.count, using: &rng)]
                    for b in 1...Int.random(in: 8...14, using: &rng) {
                        let point = DemoMap.inside(cell, rng: &rng)
                        // Most buildings stand in an estate (小区); a few are on their own.
                        let estate =
                            Int.random(in: 0..<10, using: &rng) < 8 ? estateIDs.randomElement(using: &rng) : nil
                        let building = try await add(
                            .building, "\(street)\(g * 100 + b)号", under: grid, point: point, estateID: estate)
                        buildings.append((building, point.0, point.1))
                        if firsts.building == nil { firsts.building = building }
                    }
                    if firsts.grid == nil { firsts.grid = grid }
                }
                places.append(DemoCases.Place(community: community, buildings: buildings))
                if firsts.community == nil { (firsts.sub, firsts.community) = (subdistricts[sub.code], community) }
                for (kind, bodyName) in bodySet(community: name, index: index, estates: estateIDs.count, rng: &rng) {
                    let body = try await tree.addBody(kind, name: bodyName, in: community)
                    if index == 0, firstBodyID == nil { firstBodyID = body.id }
                    bodies += 1
                    duties += try await tree.addDuties(DemoCatalogue.duties[kind.rawValue] ?? [], to: body)
                }
            }
            var accounts: [Account] = []
            var handlers: [Account] = []
            var userIDs: [String: Int64] = [:]
            let unitsOf = Dictionary(
                grouping: DemoCases.units.flatMap { unit in unit.handlers.map { ($0, unit.name) } }, by: \.0
            ).mapValues { $0.map(\.1) }
            for credential in credentials {
                let role = credential.role
                // Department handlers work for units set up at the district, so they are granted there.
                let node: Node? =
                    switch role {
                    case .systemAdmin, .auditor, .districtAdmin, .departmentHandler: district
                    case .subdistrictAdmin: firsts.sub
                    case .communityWorker, .supervisionMember: firsts.community
                    case .gridWorker: firsts.grid
                    case .buildingHead, .resident: firsts.building
                    }
                guard let node else { continue }
                let user = try await people.addUser(
                    username: credential.username, displayName: credential.displayName,
                    passwordHash: credential.hash, home: role == .resident || role == .buildingHead ? node : nil)
                try await people.grant(role, to: user.id, at: node)
                userIDs[credential.username] = user.id
                let account = Account(
                    username: credential.username, password: credential.password, role: role, nodeName: node.name,
                    units: unitsOf[credential.username] ?? [])
                if credential.isExtraHandler { handlers.append(account) } else { accounts.append(account) }
            }
            let routes = try await DemoCases.setUp(try CaseSetupBulk(tx), district: district, userIDs: userIDs)
            let cases = try await DemoCases.build(
                try CaseBulk(tx), places: places, routes: routes, reporterID: userIDs["resident"],
                workerID: userIDs["gridworker"], now: tx.now, rng: &rng)
            var topics = 0
            var topicsForVotes: (lockers: Int64?, liftFund: Int64?) = (nil, nil)
            if let community = firsts.community, let building = firsts.building {
                (topics, topicsForVotes.lockers, topicsForVotes.liftFund) = try await DemoTopics.build(
                    try TopicBulk(tx), meetings: try MeetingBulk(tx), people: people, community: community,
                    building: building, bodyID: firstBodyID,
                    residentID: userIDs["resident"], workerID: userIDs["worker"], neighbourHash: neighbourHash,
                    now: tx.now)
                // Resolutions in every state of their follow-up (issue 13).
                _ = try await DemoResolutions.build(
                    try ResolutionBulk(tx), conventions: try ConventionBulk(tx), meetings: try MeetingBulk(tx),
                    people: people, community: community,
                    building: building, bodyID: firstBodyID,
                    departmentID: routes.first { $0.name == "乱堆乱放" }?.rule.unitID, workerID: userIDs["worker"],
                    departmentUserID: userIDs["department"], residentID: userIDs["resident"], raterHash: neighbourHash,
                    now: tx.now)
            }
            var registry = DemoRegistry.Summary()
            var votes = 0
            var serials: [String: Int] = [:]
            var taken: Set<String> = []
            var peopleBulk = try RegistryPeopleBulk(tx, today: CalendarDate(tx.now))
            // Every community has a registry (issue 12): the first in every building, the others in one building
            // (`DemoRegistry.sample`), with their owners, leases, organisations, facilities and care.
            for (index, place) in places.enumerated() {
                let built = try await DemoRegistry.build(
                    tx, buildings: index == 0 ? place.buildings.map(\.node) : DemoRegistry.sample(place),
                    perBuilding: peoplePerBuilding, today: CalendarDate(tx.now), taken: &taken, people: &peopleBulk,
                    rng: &rng)
                registry.houses += built.houses
                registry.people += built.people
                try await DemoPlaces.build(
                    tx, place: place, homes: built.homes, today: CalendarDate(tx.now), serials: &serials, rng: &rng)
                // Care groups and visits of the community (issue 12's 走访).
                _ = try await DemoCare.build(
                    try CareBulk(tx), community: place.community, today: CalendarDate(tx.now), rng: &rng)
            }
            if let building = firsts.building, peoplePerBuilding > 0 {
                try await DemoRegistry.queues(
                    tx, building: building, gridWorkerID: userIDs["gridworker"], residentID: userIDs["resident"],
                    today: CalendarDate(tx.now), rng: &rng)
            }
            // Votes on rolls frozen from the first community's registry (issue 13).
            if let first = places.first, peoplePerBuilding > 0 {
                let same = first.community.id == firsts.community?.id
                let built = try await DemoVotes.build(
                    try VoteBulk(tx), community: first.community, topicID: same ? topicsForVotes.lockers : nil,
                    fundTopicID: same ? topicsForVotes.liftFund : nil, meetingID: nil,
                    scrutineers: userIDs["worker"].flatMap { w in userIDs["subdistrict"].map { (w, $0) } },
                    now: tx.now)
                votes = built.count
                // The owners' vote that passed makes a resolution with no meeting, deciding the lift's topic.
                if built.fund.topicID != nil, built.fund.result?.outcome?.passed == true {
                    try await DemoResolutions.fromVote(
                        try ResolutionBulk(tx), vote: built.fund, bodyID: firstBodyID, workerID: userIDs["worker"],
                        now: tx.now)
                }
            }
            // A residents' meeting under way, its attendance sheet part-filled from the registry, and a meeting called
            // off (issue 13).
            if let first = places.first {
                _ = try await DemoAttendance.build(
                    try MeetingBulk(tx), community: first.community, withSheet: peoplePerBuilding > 0, now: tx.now)
            }
            try await tx.audit(
                AuditRecord(
                    action: "demo.create", objectType: "tree", objectID: "\(district.id)", nodeID: district.id,
                    after: AuditJSON.encode([
                        "scale": "\(scale)", "communities": "\(communityTotal)", "houses": "\(registry.houses)",
                        "people": "\(registry.people)",
                    ])),
                role: .systemAdmin)
            let summary = Summary(
                counts: counts, bodies: bodies, duties: duties, cases: cases, topics: topics, votes: votes,
                houses: registry.houses, people: registry.people, accounts: accounts, handlers: handlers)
            return (summary, places, routes)
        }
        summary.cases += try await DemoBigCases.build(
            db: db, clock: clock, places: places, routes: routes, total: extraCases, seed: seed)
        return summary
    }

    /// "1+3+N": the five bodies every community has, then owners' committees, property companies, social
    /// organisations and resident units.
    func bodySet(community: String, index: Int, estates: Int, rng: inout SplitMix64) -> [(BodyKind, String)] {
        let short = community.replacingOccurrences(of: "社区", with: "")
        var set: [(BodyKind, String)] = [
            (.partyCommittee, "\(short)社区综合党委"), (.residentsCommittee, "\(short)社区居民委员会"),
            (.workstation, "\(short)社区工作站"), (.serviceCenter, "\(short)社区服务中心"),
            (.supervisionCommittee, "\(short)社区居务监督委员会"),
        ]
        for e in 0..<min(estates, 2) {
            set.append(
                (
                    .ownersCommittee,
                    DemoCatalogue.estateNames[(index * 3 + e) % DemoCatalogue.estateNames.count] + "业主委员会"
                ))
        }
        func pick(_ list: [String], _ n: Int, _ kind: BodyKind) {
            var taken = Set<String>()
            for _ in 0..<n {
                let name = list[Int.random(in: 0..<list.count, using: &rng)]
                if taken.insert(name).inserted { set.append((kind, name)) }
            }
        }
        pick(DemoCatalogue.propertyCompanies, 2, .propertyCompany)
        pick(DemoCatalogue.socialOrganisations, 2, .socialOrganisation)
        pick(DemoCatalogue.residentUnits, 2, .residentUnit)
        return set
    }

    /// Rough centres of Nanshan's sub-districts (WGS 84), for placing demo buildings on a map.
    static let centres: [String: (Double, Double)] = [
        "440305001": (22.545, 113.920), "440305002": (22.525, 113.925), "440305003": (22.540, 113.970),
        "440305005": (22.490, 113.915), "440305006": (22.480, 113.900), "440305007": (22.530, 113.945),
        "440305008": (22.570, 113.960), "440305009": (22.590, 113.955),
    ]

    static let usernames: [(String, Role)] = [
        ("admin", .systemAdmin), ("auditor", .auditor), ("district", .districtAdmin),
        ("subdistrict", .subdistrictAdmin),
        ("department", .departmentHandler), ("worker", .communityWorker), ("supervisor", .supervisionMember),
        ("gridworker", .gridWorker), ("buildinghead", .buildingHead), ("resident", .resident),
    ]

    static let displayNames: [Role: String] = [
        .systemAdmin: "系统管理员", .auditor: "安全审计员", .districtAdmin: "区管理员", .subdistrictAdmin: "街道管理员",
        .departmentHandler: "职能部门经办人", .communityWorker: "社区工作者", .supervisionMember: "监督委员会委员",
        .gridWorker: "网格员", .buildingHead: "楼长", .resident: "居民",
    ]

    struct Credential: Sendable {
        var username: String
        var displayName: String
        var role: Role
        var password: String
        var hash: String
        /// A unit's handler beyond the one account per role.
        var isExtraHandler: Bool
    }

    /// Fresh random passwords, printed once by `gongzhi demo`: a demo has no default credentials either. Hashed
    /// before the transaction and side by side, since bcrypt is slow on purpose.
    func makeCredentials() async throws -> [Credential] {
        var wanted: [(String, String, Role, Bool)] = Self.usernames.map {
            ($0.0, Self.displayNames[$0.1] ?? $0.0, $0.1, false)
        }
        let taken = Set(wanted.map(\.0))
        for unit in DemoCases.units {
            for (number, username) in unit.handlers.enumerated() where !taken.contains(username) {
                wanted.append((username, "\(unit.handlerTitle)\(number + 1)", .departmentHandler, true))
            }
        }
        let cost = bcryptCost
        return try await withThrowingTaskGroup(of: (Int, Credential).self) { group in
            for (index, (username, displayName, role, extra)) in wanted.enumerated() {
                let password = "demo-" + String(Secrets.token(prefix: "").filter(\.isLetter).prefix(10)).lowercased()
                group.addTask {
                    let hash = try await AccountBulk.hashPassword(password, cost: cost)
                    return (
                        index,
                        Credential(
                            username: username, displayName: displayName, role: role, password: password, hash: hash,
                            isExtraHandler: extra)
                    )
                }
            }
            var out: [(Int, Credential)] = []
            for try await made in group { out.append(made) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

/// A small seeded generator, so the demo is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
