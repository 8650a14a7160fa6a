import Foundation
import GongzhiDomain
import GongzhiStore

/// `gongzhi demo --cases N`: a district's three years of cases on top of the demo, so anyone can feel the speed of
/// lists, searches and measures at a realistic size (issue 11). Old cases are mostly closed or rejected, a few were
/// left stuck (and stand escalated as far as their deadline calls for); the last two months hold every state.
enum DemoBigCases {
    static let batch = 5000

    static func build(
        db: Database, clock: Clock, places: [DemoCases.Place], routes: [DemoCases.Route], total: Int, seed: UInt64
    ) async throws -> Int {
        let places = places.filter { !$0.buildings.isEmpty }
        guard total > 0, !places.isEmpty, !routes.isEmpty else { return 0 }
        var rng = SplitMix64(seed: seed ^ 0x5EED_CA5E)
        let now = clock.now()
        let recent: [CaseStatus] =
            [
                .submitted, .submitted, .filed, .rejected, .dispatched, .dispatched, .handling, .handling, .handling,
                .reportedBack, .reportedBack,
            ] + Array(repeating: .closed, count: 12)
        let old: [CaseStatus] =
            Array(repeating: .closed, count: 88) + Array(repeating: .rejected, count: 8) + [
                .dispatched, .handling, .handling, .reportedBack,
            ]
        var made = 0
        while made < total {
            let n = min(batch, total - made)
            var seeds: [CaseSeed] = []
            seeds.reserveCapacity(n)
            for _ in 0..<n {
                // Three years, the newer months busier than the older ones.
                let age = 3 * 365 * 86400 * pow(Double.random(in: 0..<1, using: &rng), 1.3) + 3600
                let created = now.addingTimeInterval(-age)
                let status = (age < 60 * 86400 ? recent : old).randomElement(using: &rng)!
                let place = places.randomElement(using: &rng)!
                let route = routes.randomElement(using: &rng)!
                var seed = DemoCases.seed(
                    place: place, route: route, status: status, created: created, now: now, mediation: false,
                    rng: &rng)
                let level = Escalation.automaticLevel(status: status, resolveBy: seed.resolveBy, now: now)
                if level > 0, let due = seed.resolveBy {
                    seed.escalation = (level, due.addingTimeInterval(level == 2 ? Escalation.secondLevelAfter : 0))
                }
                seeds.append(seed)
            }
            let batchSeeds = seeds
            let from = made
            try await db.command(.commandLine, clock: clock) { tx in
                try await CaseBulk(tx).addMany(batchSeeds)
                try await tx.audit(
                    AuditRecord(
                        action: "demo.cases", objectType: "cases", objectID: "\(from + 1)-\(from + batchSeeds.count)",
                        after: AuditJSON.encode(["cases": "\(batchSeeds.count)"])),
                    role: .systemAdmin)
            }
            made += n
        }
        return made
    }
}
