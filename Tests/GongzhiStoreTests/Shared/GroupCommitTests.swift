import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Synchronization
import Testing

@testable import GongzhiStore

/// Commands that arrive together share one SQLite commit, each in its own savepoint (issue 11): one that fails
/// rolls back alone and hears its own error, the others commit, every caller is answered after the commit, and the
/// audit chain stays one chain. The same tests run on PostgreSQL, where each command keeps its own transaction.
@Suite struct GroupCommitTests {
    struct Boom: Error, Equatable { let n: Int }

    enum Outcome: Sendable, Equatable {
        case done(Int)
        case failed(String)
    }

    /// A probe table, made in a transaction of its own.
    func probe(_ db: Database) async throws {
        try await db.transaction { sql in
            try await sql.raw("CREATE TABLE gc_probe (id BIGINT PRIMARY KEY, v TEXT NOT NULL UNIQUE)").run()
            try await sql.raw("CREATE TABLE gc_probe_part (id BIGINT PRIMARY KEY, probe_id BIGINT NOT NULL)").run()
            // The value the conflicting writers collide with, there before any of them (on PostgreSQL writers run
            // in any order, so colliding with writer 0 would make writer 0 fail whenever it came second).
            try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (-1, 'taken')").run()
        }
    }

    func ids(_ db: Database, _ table: String = "gc_probe") async throws -> Set<Int> {
        try await db.read { sql in
            Set(
                try await sql.raw("SELECT id FROM \(unsafeRaw: table) WHERE id >= 0").all().map {
                    try $0.decode(column: "id", as: Int.self)
                })
        }
    }

    /// What each of `n` concurrent writers does: rows in two tables and an audit entry; every seventh throws a
    /// DomainError after writing, every eleventh hits a unique constraint after writing its first row.
    func write(_ db: Database, _ i: Int) async throws -> Int {
        try await db.transaction { sql in
            try await sql.raw("INSERT INTO gc_probe_part (id, probe_id) VALUES (\(bind: i), \(bind: i))").run()
            try await AuditLog.append(
                sql, backend: db.backend, actor: nil, at: Date(),
                AuditRecord(action: "probe.write", objectType: "probe", objectID: "\(i)"))
            if i % 11 == 10 {
                // A value already taken: a unique violation from the database itself.
                try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (\(bind: i), 'taken')").run()
            } else {
                try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (\(bind: i), \(bind: "v\(i)"))").run()
            }
            if i % 7 == 6 { throw DomainError(.conflict, "probe_\(i)") }
            return i
        }
    }

    func burst(_ db: Database, _ n: Int) async -> [Int: Outcome] {
        await withTaskGroup(of: (Int, Outcome).self) { group in
            for i in 0..<n {
                group.addTask {
                    do {
                        let value = try await write(db, i)
                        // Visible to a reader (another connection) as soon as the call returns.
                        let seen = try await db.read { sql in
                            try await sql.raw("SELECT id FROM gc_probe WHERE id = \(bind: i)").first() != nil
                        }
                        return (i, seen ? .done(value) : .failed("not visible after return"))
                    } catch let error as DomainError {
                        return (i, .failed(error.key))
                    } catch {
                        return (i, .failed(isUniqueViolation(error) ? "unique" : "\(error)"))
                    }
                }
            }
            var all: [Int: Outcome] = [:]
            for await (i, outcome) in group { all[i] = outcome }
            return all
        }
    }

    func expected(_ i: Int) -> Outcome {
        if i % 11 == 10 { return .failed("unique") }
        if i % 7 == 6 { return .failed("probe_\(i)") }
        return .done(i)
    }

    @Test func aFailingCommandRollsBackAloneWhileTheOthersCommit() async throws {
        try await withTestDatabase { db in
            // given
            try await probe(db)
            let before = try await AuditLog.page(db, afterSeq: 0, limit: 10_000).count
            // when: 120 writers at once, some failing after they wrote
            let outcomes = await burst(db, 120)
            // then: each caller heard its own outcome, the failed left nothing, the others are all there
            for i in 0..<120 { #expect(outcomes[i] == expected(i), "writer \(i)") }
            let committed = Set((0..<120).filter { expected($0) == .done($0) })
            #expect(try await ids(db) == committed)
            #expect(try await ids(db, "gc_probe_part") == committed)
            let entries = try await AuditLog.page(db, afterSeq: 0, limit: 10_000)
            #expect(entries.count == before + committed.count)
            #expect(Set(entries.dropFirst(before).map { Int($0.objectID)! }) == committed)
            #expect(try await AuditLog.verify(db) == .intact(entries: Int64(entries.count)))
            #expect(entries.map(\.seq) == Array(1...Int64(entries.count)))
        }
    }

    @Test func aBulkCommandRunsInATransactionOfItsOwnAmongTheOthers() async throws {
        try await withTestDatabase { db in
            // given
            try await probe(db)
            async let others = burst(db, 60)
            // when: a bulk command that writes and then fails, and one that commits, while 60 others write
            var failed = Outcome.done(1000)
            do {
                _ = try await db.transaction(alone: true) { sql in
                    try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (1000, 'bulk-1000')").run()
                    throw Boom(n: 1000)
                }
            } catch let error as Boom { failed = .failed("boom \(error.n)") }
            try await db.transaction(alone: true) { sql in
                try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (1001, 'bulk-1001')").run()
                // Without a savepoint of its own (SQLite): releasing one fails.
                if db.backend == .sqlite {
                    await #expect(throws: (any Error).self) { try await sql.raw("RELEASE gz_command").run() }
                }
            }
            let outcomes = await others
            // then: the failed bulk command left nothing, the other one and the other writers are there
            #expect(failed == .failed("boom 1000"))
            for i in 0..<60 { #expect(outcomes[i] == expected(i), "writer \(i)") }
            #expect(try await ids(db) == Set((0..<60).filter { expected($0) == .done($0) }).union([1001]))
            #expect(
                try await AuditLog.verify(db)
                    == .intact(entries: Int64(try await AuditLog.page(db, afterSeq: 0, limit: 10_000).count)))
        }
    }

    @Test func commandsThatArriveTogetherShareACommit() async throws {
        try await withTestDatabase { db in
            // given
            try await probe(db)
            guard let writer = db.writer else { return }  // PostgreSQL: one commit per command, by design
            let (batches, commands) = writer.committed
            // when
            _ = await burst(db, 120)
            // then: fewer commits than commands (a lone command commits alone, so not every run batches as much)
            let after = writer.committed
            #expect(after.commands - commands == 120)
            #expect(after.batches - batches < 120)
        }
    }

    @Test func aLoneCommandCommitsAtOnce() async throws {
        try await withTestDatabase { db in
            // given: SQLite only (PostgreSQL commits each command alone anyway)
            try await probe(db)
            guard let writer = db.writer else { return }
            let (batches, _) = writer.committed
            // when: one command after another, nobody waiting behind any of them
            for i in 1...20 {
                try await db.transaction { sql in
                    try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (\(bind: i), \(bind: "v\(i)"))").run()
                }
                // then: each is committed and visible when its call returns: no batch waited for company
                #expect(writer.committed.batches - batches == i)
                #expect(try await ids(db).count == i)
            }
        }
    }

    @Test func aBodyThatThrowsAfterWritingLeavesNothing() async throws {
        try await withTestDatabase { db in
            // given
            try await probe(db)
            let head = try await AuditLog.readHead(db)
            // when
            await #expect(throws: Boom(n: 1)) {
                try await db.transaction { sql in
                    for i in 1...3 {
                        try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (\(bind: i), \(bind: "v\(i)"))").run()
                    }
                    try await AuditLog.append(
                        sql, backend: db.backend, actor: nil, at: Date(),
                        AuditRecord(action: "probe.write", objectType: "probe", objectID: "1"))
                    throw Boom(n: 1)
                }
            }
            // then
            #expect(try await ids(db).isEmpty)
            #expect(try await AuditLog.readHead(db) == head)
        }
    }

    @Test func theAuditKeyReachesEveryBodyOfABatch() async throws {
        try await withTestDatabase { db in
            // given
            try await probe(db)
            // when: bodies that append to the chain need the key the transaction binds
            let keys = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        (try? await db.transaction { _ in AuditLog.transactionKey != nil }) ?? false
                    }
                }
                var all: [Bool] = []
                for await k in group { all.append(k) }
                return all
            }
            // then
            #expect(keys == Array(repeating: true, count: 40))
        }
    }

    @Test func casesFiledInABurstKeepTheChainAndTheirIdempotencyKeys() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let commands = w.commands()
            let before = try await AuditLog.page(db, afterSeq: 0, limit: 10_000).count
            // when: 60 filings at once; pairs share an idempotency key, every tenth names no place (and a key of its own)
            let results = await withTaskGroup(of: (Int, Result<Int64, DomainError>).self) { group in
                for i in 0..<60 {
                    group.addTask {
                        let bad = i % 10 == 9
                        let place = bad ? Int64(999_999) : w.tree.buildings[(i / 2) % 4].id
                        do {
                            let c = try await commands.submit(
                                w.resident,
                                CaseSubmission(title: "路灯不亮 \(i / 2)", description: "门口的灯坏了", nodeID: place),
                                idempotencyKey: bad ? "bad-\(i)" : "key-\(i / 2)")
                            return (i, .success(c.id))
                        } catch let error as DomainError {
                            return (i, .failure(error))
                        } catch {
                            return (i, .failure(DomainError(.conflict, "\(error)")))
                        }
                    }
                }
                var all: [Int: Result<Int64, DomainError>] = [:]
                for await (i, r) in group { all[i] = r }
                return all
            }
            // then: the two calls of a key got the same case; the bad places were refused alone
            for pair in 0..<30 {
                let (a, b) = (results[pair * 2]!, results[pair * 2 + 1]!)
                if pair % 5 == 4 {
                    // i = 9, 19, …: the second of the pair names no place; its twin filed normally
                    #expect((try? a.get()) != nil, "pair \(pair)")
                    #expect(b == .failure(DomainError.invalid("case_place_invalid", field: "place")), "pair \(pair)")
                } else {
                    #expect((try? a.get()) != nil && (try? a.get()) == (try? b.get()), "pair \(pair): \(a) \(b)")
                }
            }
            let filed = Set(results.values.compactMap { try? $0.get() })
            #expect(filed.count == 30)
            let entries = try await AuditLog.page(db, afterSeq: 0, limit: 10_000)
            #expect(entries.count == before + filed.count)
            #expect(try await AuditLog.verify(db) == .intact(entries: Int64(entries.count)))
        }
    }

    @Test func aWALGrownByAFewLargeCommandsIsCheckpointedWithoutWaitingForTheCommandCount() async throws {
        try await withTestDatabase { db in
            // given: SQLite on disk only, a checkpoint due at 256 kB of WAL and not before 500 commands
            guard let writer = db.writer else { return }
            try await db.transaction { sql in
                try await sql.raw("CREATE TABLE gc_big (id BIGINT PRIMARY KEY, v TEXT NOT NULL)").run()
            }
            writer.limits.checkpointAtWALBytes = 256 << 10
            let before = writer.checkpointsDone
            // when: two commands that write about a megabyte each
            let text = String(repeating: "居民反映", count: 10_000)
            for round in 0..<2 {
                try await db.transaction { sql in
                    for i in 0..<8 {
                        try await sql.raw("INSERT INTO gc_big (id, v) VALUES (\(bind: round * 100 + i), \(bind: text))")
                            .run()
                    }
                }
            }
            // then: a checkpoint ran (it runs in the background, at the writer's next turn)
            for _ in 0..<500 where writer.checkpointsDone == before { try await Task.sleep(for: .milliseconds(10)) }
            #expect(writer.checkpointsDone > before)
        }
    }

    @Test func aTransactionLostToAnotherCommandRunsTheOthersAgain() async throws {
        try await withTestDatabase { db in
            // given: SQLite only; a body there can end the whole transaction (as a full disk would)
            guard let writer = db.writer else { return }
            try await probe(db)
            // A slow machine must not close the batch on time before the saboteur joins it.
            writer.limits.maxOpen = .seconds(60)
            let runs = Atomic<Int>(0)
            let saboteur = Mutex<Task<Void, any Error>?>(nil)
            // when: the first command starts the saboteur and waits until it queues behind it, so both share a batch
            let value = try await db.transaction { sql in
                let run = runs.add(1, ordering: .relaxed).newValue
                try await sql.raw("INSERT INTO gc_probe (id, v) VALUES (1, 'first')").run()
                if run == 1 {
                    saboteur.withLock {
                        $0 = Task {
                            try await db.transaction { sql in
                                try await sql.raw("ROLLBACK").run()
                                throw Boom(n: 2)
                            }
                        }
                    }
                    while writer.waiting == 0 { try await Task.sleep(for: .milliseconds(1)) }
                }
                return run
            }
            // then: the saboteur heard its own error, the first ran again and committed
            let task = saboteur.withLock { $0 }!
            await #expect(throws: Boom(n: 2)) { try await task.value }
            #expect(value == 2)
            #expect(try await ids(db) == [1])
        }
    }
}
