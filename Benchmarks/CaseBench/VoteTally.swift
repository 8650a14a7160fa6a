import Foundation
import GongzhiDomain
import GongzhiStore
import SQLKit

// Votes (issue 13): a community of `--voters` adults (50,000) on a secret persons' vote, `--casts` of them casting
// through the real command (online, one transaction each with the audit entry) one after another and from 8 tasks,
// the rest cast in bulk; then the tally (a recount from every row, as the close does) timed; then an owners' vote
// over `--parts` exclusive parts (10,000), 80% of the owners voting, and its double-majority tally timed.
// Usage: gongzhi-bench vote-tally [--voters 50000] [--parts 10000] [--casts 2000] [--db sqlite:///… | postgres://…]
// The registry rows are written straight into the tables (the sealed fields hold a placeholder): the benchmark is
// about the vote, not the registry import, which has its own (registry.sh).

func voteTally() async throws {
    let voters = Int(argument("--voters", "50000"))!
    let parts = Int(argument("--parts", "10000"))!
    let casts = Int(argument("--casts", "2000"))!
    let db = try Database.open(url: url)
    try db.useServerSecret(ProcessInfo.processInfo.environment["GONGZHI_SECRET"] ?? Secrets.token(prefix: "bench-"))
    try await Migrator().migrate(db)
    say("database: \(db.backend.rawValue), voters \(voters), exclusive parts \(parts), casts \(casts)")
    // The command line acting as a system administrator over the whole tree, as the CLI does.
    let root = Actor(
        userID: 0, username: "root",
        grants: [RoleGrant(id: 0, userID: 0, role: .systemAdmin, nodeID: 0, nodePath: "/")], principal: .commandLine)
    let c = JurisdictionCommands(db: db)
    func add(_ kind: NodeKind, _ name: String, code: String? = nil, under parent: Int64?) async throws -> Node {
        guard let parent else { return try await c.createRoot(root, name: name, code: code) }
        return try await c.perform(root, parent, .createChild(kind: kind, name: name, code: code)).landing
    }
    let district = try await add(.district, "南山区", code: "440305", under: nil)
    let sub = try await add(.subdistrict, "南头街道", code: "440305001", under: district.id)
    let community = try await add(.community, "同乐社区", under: sub.id)
    let grid = try await add(.grid, "第一网格", under: community.id)
    var built: [Node] = []
    for b in 0..<50 { built.append(try await add(.building, "\(b + 1)栋", under: grid.id)) }
    let buildings = built
    let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
    let store = AccountStore(db: db)
    let workerUser = try await accounts.createUser(
        root, username: "worker", displayName: "worker", password: "correct horse battery staple",
        role: .communityWorker, nodeID: community.id)
    let worker = try await store.actor(for: workerUser.id)!
    let now = Date()
    // People and houses, in batches.
    let seeded = try await measure {
        try await db.transaction { sql in
            for start in stride(from: 0, to: voters, by: 500) {
                var q = SQLQueryString(
                    """
                    INSERT INTO registry_people (community_id, building_id, name_sealed, document_kind, document_sealed,
                      sex, birth_date, residence, created_at, updated_at) VALUES
                    """)
                for i in start..<min(voters, start + 500) {
                    q =
                        q + (i == start ? " " : ", ")
                        + "(\(bind: community.id), \(bind: buildings[i % 50].id), 'bench', 'residentID', 'bench', 'male', '1980-01-01', 'registered', 0, 0)"
                }
                try await sql.raw(q).run()
            }
            let people = try await sql.raw(
                "SELECT id FROM registry_people WHERE community_id = \(bind: community.id) ORDER BY id LIMIT \(bind: parts)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            for start in stride(from: 0, to: parts, by: 500) {
                var q = SQLQueryString(
                    """
                    INSERT INTO registry_houses (community_id, building_id, unit, room, house_use, area_centi, created_at,
                      updated_at) VALUES
                    """)
                for i in start..<min(parts, start + 500) {
                    q =
                        q + (i == start ? " " : ", ")
                        + "(\(bind: community.id), \(bind: buildings[i % 50].id), '1', \(bind: "\(i)"), 'ownerOccupied', \(bind: Int64(5_000 + (i * 37) % 9_000)), 0, 0)"
                }
                try await sql.raw(q).run()
            }
            let houses = try await sql.raw(
                "SELECT id, building_id FROM registry_houses WHERE community_id = \(bind: community.id) ORDER BY id"
            ).all().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "building_id", as: Int64.self))
            }
            for start in stride(from: 0, to: houses.count, by: 500) {
                var q = SQLQueryString(
                    "INSERT INTO registry_house_owners (community_id, house_id, building_id, person_id, owner_key, share, created_at) VALUES "
                )
                for i in start..<min(houses.count, start + 500) {
                    // Every tenth owner holds two parts: one head, their areas added.
                    let owner = people[i % 10 == 9 ? i - 1 : i]
                    q =
                        q + (i == start ? " " : ", ")
                        + "(\(bind: community.id), \(bind: houses[i].0), \(bind: houses[i].1), \(bind: owner), \(bind: "p\(owner)"), 10000, 0)"
                }
                try await sql.raw(q).run()
            }
        }
    }
    say(String(format: "registry rows written:                 %8.2f s", seeded))

    // The persons' vote: drafted, its roll frozen from 50,000 people.
    let window = (now.addingTimeInterval(-3600), now.addingTimeInterval(3600))
    let plan = VotePlan(
        communityID: community.id, title: "小区公共收益使用方案", spec: try PollSpec(kind: .proposal), basis: .persons,
        opensAt: window.0, closesAt: window.1, secrecy: .secret)
    var vote = try await db.command(.commandLine, clock: .fixed(now)) { tx in
        try await VoteBulk(tx).draft(plan, at: now.addingTimeInterval(-7200))
    }
    let frozen = try await measure {
        vote = try await VoteCommands(db: db, clock: .fixed(now.addingTimeInterval(-7000))).perform(
            worker, vote.id, .schedule)
    }
    say(String(format: "roll frozen (%d voters):             %8.2f s", vote.rollSize, frozen))

    // Voters with accounts bound to their records, casting through the command.
    let people = try await db.read { sql in
        try await sql.raw(
            "SELECT id FROM registry_people WHERE community_id = \(bind: community.id) ORDER BY id LIMIT \(bind: casts)"
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
    }
    var actors: [Actor] = []
    for (i, person) in people.enumerated() {
        let user = try await accounts.signUpResident(
            username: "voter\(i)", displayName: "voter\(i)", password: "correct horse battery staple",
            buildingID: buildings[0].id)
        try await db.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO registry_person_accounts (person_id, community_id, user_id, bound_at)
                VALUES (\(bind: person), \(bind: community.id), \(bind: user.id), 0)
                """
            ).run()
        }
        actors.append(try await store.actor(for: user.id)!)
    }
    let commands = VoteCommands(db: db, clock: .system)
    let id = vote.id
    let half = actors.count / 2
    let sequential = try await measure {
        for (i, actor) in actors.prefix(half).enumerated() {
            _ = try await commands.cast(actor, id, .proposal(i % 3 == 0 ? .no : .yes))
        }
    }
    say(String(format: "ballots accepted, sequential:          %8.0f ballots/s", Double(half) / sequential))
    let rest = Array(actors.dropFirst(half))
    let parallel = try await measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                let mine = stride(from: t, to: rest.count, by: 8).map { rest[$0] }
                group.addTask {
                    for actor in mine { _ = try await commands.cast(actor, id, .proposal(.yes)) }
                }
            }
            try await group.waitForAll()
        }
    }
    say(String(format: "ballots accepted, 8 tasks at once:     %8.0f ballots/s", Double(rest.count) / parallel))
    let duplicates = try await measure {
        for actor in actors.prefix(200) {
            do { _ = try await commands.cast(actor, id, .proposal(.no)) } catch let e as DomainError
                where e.key == "vote_already_cast"
            {}
        }
    }
    say(String(format: "second ballots refused:                %8.0f refusals/s", 200 / duplicates))

    // The rest of the community votes (85% turnout), then the tally from every row.
    let scheduled = vote
    let bulkCast = try await measure {
        _ = try await db.command(.commandLine, clock: .fixed(now)) { tx in
            try await VoteBulk(tx).cast(scheduled) { i in
                i % 7 == 6 ? nil : .proposal(i % 5 == 0 ? .no : i % 11 == 0 ? .abstain : .yes)
            }
        }
    }
    say(String(format: "remaining ballots written in bulk:     %8.2f s", bulkCast))
    // Closed first: a secret vote's choices stay sealed until its close opens and reshuffles them, and the close's
    // count reads them opened (the bench predates the sealing, and stopped here on both backends since).
    let close = try await measure {
        _ = try await VoteCommands(db: db, clock: .fixed(window.1.addingTimeInterval(60))).perform(
            worker, scheduled.id, .close)
    }
    say(String(format: "close (reshuffle, count, result stored): %6.2f s", close))
    let voteStore = VoteStore(db: db)
    var result: VoteResult?
    var runs: [Double] = []
    for _ in 0..<7 {
        runs.append(
            try await measure { result = try await voteStore.recount(id, for: worker, now: window.1, fromRows: false) }
                * 1000)
    }
    say(
        String(
            format: "tally of %d ballots (%d on the roll): p50 %6.1f ms, max %6.1f ms", result!.participants,
            result!.rollSize, percentile(runs, 0.5), runs.max()!))
    var recount: VoteResult?
    let fromRows = try await measure { recount = try await voteStore.recount(id, for: worker, now: window.1) } * 1000
    say(
        String(
            format: "recount from every row through the domain: %6.1f ms (%@)", fromRows,
            recount == result ? "equal" : "DIFFERENT"))
    say("  \(result!.outcome!.checks[0].summary) → \(result!.outcome!.passed ? "passed" : "not passed")")

    // The owners' vote over the exclusive parts.
    let ownersPlan = VotePlan(
        communityID: community.id, title: "使用专项维修资金更换电梯", spec: try PollSpec(kind: .proposal), basis: .owners,
        matter: .useMaintenanceFund, opensAt: window.0, closesAt: window.1, secrecy: .open)
    var owners = try await db.command(.commandLine, clock: .fixed(now)) { tx in
        try await VoteBulk(tx).draft(ownersPlan, at: now.addingTimeInterval(-7200))
    }
    let ownersFrozen = try await measure {
        owners = try await VoteCommands(db: db, clock: .fixed(now.addingTimeInterval(-7000))).perform(
            worker, owners.id, .schedule)
    }
    say(String(format: "owners' roll frozen (%d heads):       %8.2f s", owners.rollSize, ownersFrozen))
    let ownersScheduled = owners
    _ = try await db.command(.commandLine, clock: .fixed(now)) { tx in
        try await VoteBulk(tx).cast(ownersScheduled) { i in i % 5 == 4 ? nil : .proposal(i % 4 == 0 ? .no : .yes) }
    }
    var ownersResult: VoteResult?
    var ownerRuns: [Double] = []
    for _ in 0..<7 {
        ownerRuns.append(
            try await measure {
                ownersResult = try await voteStore.recount(owners.id, for: worker, now: window.1, fromRows: false)
            } * 1000)
    }
    let ownersRecount = try await voteStore.recount(owners.id, for: worker, now: window.1)
    say("owners' recount from every row: \(ownersRecount == ownersResult ? "equal" : "DIFFERENT")")
    say(
        String(
            format: "owners' tally over %d parts (%d heads): p50 %6.1f ms, max %6.1f ms", parts,
            ownersResult!.rollSize, percentile(ownerRuns, 0.5), ownerRuns.max()!))
    for check in ownersResult!.outcome!.checks { say("  \(check.kind.rawValue): \(check.summary)") }
    await db.shutdown()
}

/// Writes a line at once (unbuffered), so a long run shows each figure as it is measured even into a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
