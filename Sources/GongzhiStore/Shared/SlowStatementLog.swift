import Dispatch
import Foundation
import Logging
import NIOCore
import SQLKit

/// Logs every statement that takes at least `threshold` milliseconds, with its SQL text and never its bound values
/// (they may be personal data), so an operator can find what makes a page slow. Off unless
/// GONGZHI_SLOW_STATEMENT_MS is set.
struct SlowStatementLog: Sendable {
    let thresholdNanos: UInt64
    let logger: Logger

    init(milliseconds: Double, logger: Logger) {
        thresholdNanos = UInt64(max(0, milliseconds) * 1_000_000)
        self.logger = logger
    }

    /// The threshold from the environment, if set to a number.
    static func fromEnvironment(_ env: [String: String], logger: Logger) -> SlowStatementLog? {
        env["GONGZHI_SLOW_STATEMENT_MS"].flatMap(Double.init).map { SlowStatementLog(milliseconds: $0, logger: logger) }
    }

    func record(_ query: any SQLExpression, on sql: any SQLDatabase, since start: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- start
        guard elapsed >= thresholdNanos else { return }
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        let text = serializer.sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        logger.warning(
            "slow statement",
            metadata: [
                "ms": "\(Double(elapsed / 1000) / 1000)", "binds": "\(serializer.binds.count)", "sql": "\(text)",
            ])
    }
}

/// A connection that times what it sends (`SlowStatementLog`) and forwards everything to the real one.
struct TimedSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let log: SlowStatementLog
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        let start = DispatchTime.now().uptimeNanoseconds
        return base.execute(sql: query, onRow).always { _ in log.record(query, on: base, since: start) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { log.record(query, on: base, since: start) }
        try await base.execute(sql: query, onRow)
    }
}
