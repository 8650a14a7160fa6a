import GongzhiTestSupport
import Logging
import SQLKit
import Testing

@testable import GongzhiStore

/// The slow-statement log (GONGZHI_SLOW_STATEMENT_MS): what it writes, and what it never writes.
@Suite struct SlowStatementLogTests {
    @Test func aStatementOverTheThresholdIsLoggedWithItsTextAndWithoutItsValues() async throws {
        try await withTestDatabase { db in
            // given
            let lines = LogCapture()
            let log = SlowStatementLog(milliseconds: 0, logger: lines.logger)
            // when
            let phone = try await db.read { sql in
                try await TimedSQLDatabase(base: sql, log: log).raw(
                    "SELECT \(bind: "13800138000") AS phone"
                ).first()?.decode(column: "phone", as: String.self)
            }
            // then
            #expect(phone == "13800138000")
            let logged = lines.all
            #expect(logged.count == 1)
            #expect(lines.levels == [.warning])
            #expect(logged.first?.hasPrefix("slow statement") == true)
            #expect(logged.first?.contains("AS phone") == true)
            #expect(logged.first?.contains("binds=1") == true)
            #expect(logged.allSatisfy { !$0.contains("13800138000") })
        }
    }

    @Test func aStatementUnderTheThresholdIsNotLogged() async throws {
        try await withTestDatabase { db in
            let lines = LogCapture()
            let log = SlowStatementLog(milliseconds: 60_000, logger: lines.logger)
            try await db.read { sql in try await TimedSQLDatabase(base: sql, log: log).raw("SELECT 1 AS one").run() }
            #expect(lines.all.isEmpty)
        }
    }

    @Test func theThresholdComesFromTheEnvironmentOnlyWhenItIsANumber() {
        let logger = Logger(label: "gongzhi.test")
        #expect(
            SlowStatementLog.fromEnvironment(["GONGZHI_SLOW_STATEMENT_MS": "25"], logger: logger)?.thresholdNanos
                == 25_000_000)
        #expect(SlowStatementLog.fromEnvironment(["GONGZHI_SLOW_STATEMENT_MS": "fast"], logger: logger) == nil)
        #expect(SlowStatementLog.fromEnvironment([:], logger: logger) == nil)
    }
}
