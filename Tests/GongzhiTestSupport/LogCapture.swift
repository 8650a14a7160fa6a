import Logging
import Synchronization

/// Keeps every log line (message and metadata as text) and its level for a test to read.
public final class LogCapture: Sendable {
    let lines = Mutex<[(level: Logger.Level, text: String)]>([])
    public init() {}
    public var all: [String] { lines.withLock { $0.map(\.text) } }
    public var levels: [Logger.Level] { lines.withLock { $0.map(\.level) } }

    public var logger: Logger {
        Logger(label: "gongzhi.test") { label in CapturingHandler(capture: self) }
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text =
                "\(event.message) "
                + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.lines.withLock { $0.append((event.level, text)) }
        }
    }
}
