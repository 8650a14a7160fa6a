import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Testing

@testable import GongzhiStore

/// kill -9 in the middle of a batch loses no acknowledged command and leaves no half-written one (issue 11).
/// The writer is another process, `gongzhi-bench crash-writer`, which files cases from eight tasks and prints
/// `ack <id>` after each call returns; the test kills it with SIGKILL and reopens the database.
@Suite struct GroupCommitCrashTests {
    /// `gongzhi-bench`, built beside the test bundle by `swift build --build-tests` and `swift test`.
    static var bench: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "gongzhi-bench")
    }

    /// Runs the child until it acknowledged `acks` commands (or `timeout` passed), kills it with SIGKILL and returns
    /// every whole line it wrote.
    static func runAndKill(_ arguments: [String], acks: Int, timeout: Duration) async throws -> [String] {
        let process = Process()
        process.executableURL = bench
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = out.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        // Blocking reads, off the cooperative pool.
        let text: String = await withCheckedContinuation { done in
            Thread.detachNewThread {
                var data = Data()
                var seen = 0
                while seen < acks, ContinuousClock.now < deadline {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                    seen =
                        data.split(separator: UInt8(ascii: "\n")).filter { $0.starts(with: Array("ack ".utf8)) }
                        .count
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                // Whatever it wrote before it died is still in the pipe.
                data.append(reader.readDataToEndOfFile())
                done.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        // Only whole lines were acknowledged.
        var lines = text.components(separatedBy: "\n")
        if !text.hasSuffix("\n") { lines.removeLast() }
        return lines.filter { !$0.isEmpty }
    }

    @Test func aKilledWriterLosesNoAcknowledgedCommandAndLeavesNoHalfWrittenOne() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.bench.path) else {
            Issue.record("build gongzhi-bench first (swift build --build-tests): \(Self.bench.path)")
            return
        }
        try await withTestDatabase { db in
            // given: a resident and a building in a migrated database
            let w = try await CaseWorld.make(db)
            let before = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self)
            }
            // when: the child files from eight tasks and is killed after 300 acknowledgements
            let lines = try await Self.runAndKill(
                [
                    "crash-writer", "--db", db.url, "--secret", testAuditSecret, "--username", "resident",
                    "--node", "\(w.tree.buildings[0].id)", "--clients", "8",
                ], acks: 300, timeout: .seconds(120))
            let acked = Set(lines.filter { $0.hasPrefix("ack ") }.compactMap { Int64($0.dropFirst(4)) })
            #expect(lines.first == "ready")
            #expect(!lines.contains { $0.hasPrefix("error") }, "\(lines.filter { $0.hasPrefix("error") }.prefix(3))")
            #expect(acked.count >= 300)
            // then: a fresh process's view of the database
            let reopened = try Database.open(url: db.url, connectionsPerLoop: 1)
            try reopened.useServerSecret(testAuditSecret)
            if reopened.backend == .sqlite {
                let check = try await reopened.read { sql in
                    try await sql.raw("PRAGMA integrity_check").all().map {
                        try $0.decode(column: "integrity_check", as: String.self)
                    }
                }
                #expect(check == ["ok"])
            }
            let filed = try await reopened.read { sql in
                try await sql.raw(
                    """
                    SELECT c.id,
                      (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id) AS events,
                      (SELECT COUNT(*) FROM audit_log a WHERE a.object_type = 'case' AND a.object_id = CAST(c.id AS TEXT)
                         AND a.action = 'case.submit') AS audits
                    FROM cases c WHERE c.title LIKE 'crash %'
                    """
                ).all().map {
                    (
                        try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "events", as: Int.self),
                        try $0.decode(column: "audits", as: Int.self)
                    )
                }
            }
            // Every acknowledged case is there; every case there is whole (its timeline line and its audit entry).
            #expect(
                acked.isSubset(of: Set(filed.map(\.0))), "lost: \(acked.subtracting(filed.map(\.0)).sorted().prefix(5))"
            )
            for (id, events, audits) in filed {
                #expect(events >= 1 && audits == 1, "case \(id): \(events) timeline lines, \(audits) audit entries")
            }
            let total = try await reopened.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()!.decode(column: "n", as: Int.self)
            }
            #expect(total == before + filed.count)
            let chain = try await AuditLog.verify(reopened)
            #expect({ if case .intact = chain { true } else { false } }(), "\(chain)")
            await reopened.shutdown()
        }
    }
}
