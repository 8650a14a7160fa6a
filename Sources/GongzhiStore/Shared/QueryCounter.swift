import Logging
import NIOCore
import SQLKit
import Synchronization

/// Counts the SQL statements a piece of work sends, so tests and benchmarks can hold pages to their query budget.
/// Off unless a `Database` is given one; then every connection handed out is wrapped.
public final class QueryCounter: Sendable {
    private let count = Atomic<Int>(0)
    public init() {}
    public var value: Int { count.load(ordering: .relaxed) }
    public func reset() { count.store(0, ordering: .relaxed) }
    func add() { count.wrappingAdd(1, ordering: .relaxed) }
}

/// A connection that counts what it sends and forwards everything to the real one.
struct CountingSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let counter: QueryCounter
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        counter.add()
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        counter.add()
        try await base.execute(sql: query, onRow)
    }
}
