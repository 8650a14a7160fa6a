import Foundation
import GongzhiDomain
import GongzhiStore
import SQLKit

// Registry search latency on a database whose registry was imported (Benchmarks/registry.sh builds one):
// `gongzhi-bench registry-search --db sqlite:///…` with GONGZHI_SECRET set to the secret the data was sealed under.
// Searches run as a community worker of the community holding the most people, and as the district administrator
// over everyone: a name by one, two and three characters, an ID number, a phone and the last four digits of a phone,
// each 100 times with values drawn from the people file (`--file`), alone and from 8 clients at once.

func registrySearch() async throws {
    let db = try Database.open(url: argument("--db", ""))
    guard let secret = ProcessInfo.processInfo.environment["GONGZHI_SECRET"] else {
        print("GONGZHI_SECRET must be the secret the registry was sealed under")
        return
    }
    try db.useServerSecret(secret)
    let file = argument("--file", "")
    // Values to look for, from the file the registry was imported from (so every search finds someone).
    var names: [String] = []
    var documents: [String] = []
    var phones: [String] = []
    if let text = try? String(contentsOfFile: file, encoding: .utf8) {
        var line = 0
        for row in text.split(whereSeparator: \.isNewline).dropFirst() {
            line += 1
            guard line % 997 == 0 else { continue }
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count > 6 else { continue }
            names.append(cells[0])
            documents.append(cells[2])
            if !cells[6].isEmpty { phones.append(cells[6]) }
        }
    }
    guard !names.isEmpty, !phones.isEmpty else {
        print("--file must name the people file the registry was imported from")
        return
    }
    let (people, community, path) = try await db.read { sql in
        let row = try await sql.raw(
            """
            SELECT p.community_id, n.path, COUNT(*) AS n FROM registry_people p JOIN nodes n ON n.id = p.community_id
            GROUP BY p.community_id, n.path ORDER BY n DESC LIMIT 1
            """
        ).first()!
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM registry_people").first()!.decode(
            column: "n", as: Int.self)
        return (
            total, try row.decode(column: "community_id", as: Int64.self),
            try row.decode(column: "path", as: String.self)
        )
    }
    print("database: \(db.backend.rawValue), \(people) people")
    let worker = Actor(
        userID: 1, username: "bench",
        grants: [RoleGrant(id: 0, userID: 1, role: .communityWorker, nodeID: community, nodePath: path)])
    let admin = Actor(
        userID: 2, username: "bench-admin",
        grants: [RoleGrant(id: 0, userID: 2, role: .districtAdmin, nodeID: 0, nodePath: "/")])
    let store = RegistryStore(db: db)
    let today = CalendarDate(Date())
    let queries: [(String, [String])] = [
        ("name, 1 character", names.map { String($0.prefix(1)) }),
        ("name, 2 characters", names.map { String($0.prefix(2)) }),
        ("name, 3 characters", names.filter { $0.count >= 3 }.map { String($0.prefix(3)) }),
        ("ID number", documents),
        ("phone", phones),
        ("phone, last 4 digits", phones.map { String($0.suffix(4)) }),
    ]
    for (who, actor) in [("community worker", worker), ("district administrator", admin)] {
        for (label, values) in queries {
            var times: [Double] = []
            for i in 0..<100 {
                var filter = PersonFilter()
                filter.query = values[i % values.count]
                times.append(try await measure { _ = try await store.people(filter, for: actor, today: today) } * 1000)
            }
            let concurrent = try await withThrowingTaskGroup(of: [Double].self) { group in
                for t in 0..<8 {
                    group.addTask {
                        var mine: [Double] = []
                        for i in 0..<25 {
                            var filter = PersonFilter()
                            filter.query = values[(t * 25 + i) % values.count]
                            let start = ContinuousClock.now
                            _ = try await store.people(filter, for: actor, today: today)
                            let d = ContinuousClock.now - start
                            mine.append(
                                (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000)
                        }
                        return mine
                    }
                }
                var all: [Double] = []
                for try await part in group { all += part }
                return all
            }
            print(
                "\(who), \(label)".padding(toLength: 46, withPad: " ", startingAt: 0)
                    + String(
                        format: "p50 %7.2f ms  p99 %7.2f ms   8 clients: p50 %7.2f ms  p99 %7.2f ms",
                        percentile(times, 0.5), percentile(times, 0.99), percentile(concurrent, 0.5),
                        percentile(concurrent, 0.99)))
        }
    }
    await db.shutdown()
}
