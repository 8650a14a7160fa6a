import Foundation
import GongzhiDomain
import SQLKit

/// Builds the demo district, modelled on Shenzhen's Nanshan: its eight real sub-districts, 100 communities
/// (scaled by `scale`), their grids, buildings, estates and "1+3+N" bodies with duty lists, and one account
/// per role. Everything is written in one transaction and recorded as one audit entry.
public struct DemoBuilder: Sendable {
    public struct Account: Sendable {
        public var username: String
        public var password: String
        public var role: Role
        public var nodeName: String
    }

    public struct Summary: Sendable {
        public var counts: [NodeKind: Int]
        public var bodies: Int
        public var duties: Int
        public var cases: Int
        public var accounts: [Account]
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
    public func build(scale: Double = 1, seed: UInt64 = 2026) async throws -> Summary {
        guard scale > 0, scale <= 100 else { throw DomainError.invalid("demo_scale_invalid", field: "scale") }
        let accounts = try await makeAccounts()
        let now = clock.now()
        return try await db.transaction { sql in
            let existing = try await sql.raw("SELECT COUNT(*) AS n FROM nodes").first()!.decode(
                column: "n", as: Int.self)
            guard existing == 0 else { throw DomainError(.conflict, "demo_database_not_empty") }
            var rng = SplitMix64(seed: seed)
            var counts: [NodeKind: Int] = [:]
            var bodies = 0
            var duties = 0
            func add(_ kind: NodeKind, _ name: String, code: String? = nil, under parent: Node?) async throws -> Node {
                counts[kind, default: 0] += 1
                return try await TreeWrites.insertNode(
                    sql, kind: kind, name: name, code: code, parent: parent, at: now)
            }
            let district = try await add(.district, "南山区", code: "440305", under: nil)
            let communityTotal = max(1, Int((100 * scale).rounded()))
            let names = DemoCatalogue.subdistricts.flatMap { s in s.communities.map { (s, $0) } }
            var subdistricts: [String: Node] = [:]
            var firsts: (sub: Node?, community: Node?, grid: Node?, building: Node?) = (nil, nil, nil, nil)
            for index in 0..<communityTotal {
                let (sub, baseName) = names[index % names.count]
                let round = index / names.count
                let name = round == 0 ? baseName : baseName.replacingOccurrences(of: "社区", with: "\(round + 1)社区")
                if subdistricts[sub.code] == nil {
                    subdistricts[sub.code] = try await add(.subdistrict, sub.name, code: sub.code, under: district)
                }
                let community = try await add(.community, name, under: subdistricts[sub.code])
                let centre = Self.centres[sub.code] ?? (22.53, 113.93)
                let communityPoint = (
                    centre.0 + Double.random(in: -0.008...0.008, using: &rng),
                    centre.1 + Double.random(in: -0.008...0.008, using: &rng)
                )
                var estateIDs: [Int64] = []
                for e in 0..<Int.random(in: 2...4, using: &rng) {
                    let estateName = DemoCatalogue.estateNames[(index * 3 + e) % DemoCatalogue.estateNames.count]
                    estateIDs.append(
                        try await BodyWrites.insertEstate(sql, communityID: community.id, name: estateName, at: now)
                            .id)
                }
                for g in 1...Int.random(in: 6...10, using: &rng) {
                    let grid = try await add(.grid, "第\(g)网格", under: community)
                    let street = DemoCatalogue.streetNames[
                        Int.random(in: 0..<DemoCatalogue.streetNames.count, using: &rng)]
                    for b in 1...Int.random(in: 8...14, using: &rng) {
                        let building = try await add(.building, "\(street)\(g * 100 + b)号", under: grid)
                        try await sql.raw(
                            """
                            UPDATE nodes SET latitude = \(bind: communityPoint.0 + Double.random(in: -0.0015...0.0015, using: &rng)),
                              longitude = \(bind: communityPoint.1 + Double.random(in: -0.0015...0.0015, using: &rng)) WHERE id = \(bind: building.id)
                            """
                        ).run()
                        if Int.random(in: 0..<10, using: &rng) < 8, let estate = estateIDs.randomElement(using: &rng) {
                            try await sql.raw(
                                "UPDATE nodes SET estate_id = \(bind: estate) WHERE id = \(bind: building.id)"
                            ).run()
                        }
                        if firsts.building == nil { firsts.building = building }
                    }
                    if firsts.grid == nil { firsts.grid = grid }
                }
                if firsts.community == nil { (firsts.sub, firsts.community) = (subdistricts[sub.code], community) }
                for (kind, bodyName) in bodySet(community: name, index: index, estates: estateIDs.count, rng: &rng) {
                    let body = try await BodyWrites.insertBody(
                        sql, community: community, kind: kind, name: bodyName, at: now)
                    bodies += 1
                    for duty in DemoCatalogue.duties[kind.rawValue] ?? [] {
                        let major = try await BodyWrites.insertDuty(sql, body: body, parentID: nil, title: duty.major)
                        duties += 1
                        for minor in duty.minors {
                            _ = try await BodyWrites.insertDuty(sql, body: body, parentID: major.id, title: minor)
                            duties += 1
                        }
                    }
                }
            }
            var created: [Account] = []
            var userIDs: [Role: Int64] = [:]
            for (username, role, hash, password) in accounts {
                let node: Node? =
                    switch role {
                    case .systemAdmin, .auditor, .districtAdmin: district
                    case .subdistrictAdmin, .departmentHandler: firsts.sub
                    case .communityWorker, .supervisionMember: firsts.community
                    case .gridWorker: firsts.grid
                    case .buildingHead, .resident: firsts.building
                    }
                guard let node else { continue }
                let user = try await AccountCommands.insertUser(
                    sql, username: username, displayName: Self.displayNames[role] ?? username, hash: hash,
                    home: role == .resident || role == .buildingHead ? node : nil, mustChange: false, at: now)
                _ = try await AccountCommands.insertGrant(
                    sql, userID: user.id, role: role, node: node, by: nil, at: now)
                userIDs[role] = user.id
                created.append(Account(username: username, password: password, role: role, nodeName: node.name))
            }
            let communities = try await sql.raw(
                """
                SELECT * FROM nodes WHERE kind = 'community' ORDER BY id
                """
            ).all().map(JurisdictionStore.decodeNode)
            let cases = try await DemoCases.build(
                sql, district: district, communities: communities, handlerID: userIDs[.departmentHandler],
                reporterID: userIDs[.resident], workerID: userIDs[.gridWorker], now: now, rng: &rng)
            try await AuditLog.append(
                sql, backend: db.backend, actor: nil, at: now,
                AuditRecord(
                    action: "demo.create", objectType: "tree", objectID: "\(district.id)", nodeID: district.id,
                    after: AuditJSON.encode(["scale": "\(scale)", "communities": "\(communityTotal)"])))
            return Summary(counts: counts, bodies: bodies, duties: duties, cases: cases, accounts: created)
        }
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

    /// Fresh random passwords, printed once by `gongzhi demo`: a demo has no default credentials either.
    func makeAccounts() async throws -> [(String, Role, String, String)] {
        var out: [(String, Role, String, String)] = []
        for (username, role) in Self.usernames {
            let password = "demo-" + String(Secrets.token(prefix: "").filter(\.isLetter).prefix(10)).lowercased()
            out.append((username, role, try await Secrets.hashPassword(password, cost: bcryptCost), password))
        }
        return out
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
