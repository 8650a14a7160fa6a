import Foundation
import Logging
import Synchronization

/// Where log lines go: a buffer written out to a file descriptor (standard output) in large writes. Every request
/// logs a line, and one `write(2)` plus a fresh timestamp per line was a measurable part of a request's cost (issue
/// 11). Lines at `warning` and above, and a full buffer, are written at once; the rest within `interval` by
/// `run()`, and `flush()` writes whatever is left (at shutdown).
public final class LogSink: Sendable {
    struct State {
        var buffer: [UInt8] = []
        var second: Int = -1
        var stamp = ""
    }

    let fd: Int32
    let capacity: Int
    let state = Mutex(State())

    public init(fd: Int32 = 1, capacity: Int = 64 * 1024) {
        self.fd = fd
        self.capacity = capacity
    }

    /// Appends one line (its text after the timestamp); written out at once when `urgent` or the buffer is full.
    func append(_ line: String, urgent: Bool) {
        let now = time(nil)
        state.withLock { s in
            if Int(now) != s.second {
                s.second = Int(now)
                s.stamp = Self.timestamp(now)
            }
            s.buffer.append(contentsOf: s.stamp.utf8)
            s.buffer.append(UInt8(ascii: " "))
            s.buffer.append(contentsOf: line.utf8)
            s.buffer.append(UInt8(ascii: "\n"))
            if urgent || s.buffer.count >= capacity { write(&s.buffer) }
        }
    }

    /// Writes out what is buffered.
    public func flush() {
        state.withLock { write(&$0.buffer) }
    }

    /// Flushes every `interval` until cancelled, then once more.
    public func run(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            flush()
        }
        flush()
    }

    private func write(_ buffer: inout [UInt8]) {
        guard !buffer.isEmpty else { return }
        // What the program printed through stdio before these lines (the demo's accounts) goes out first: the
        // lines bypass stdio's buffer, which a file or pipe as standard output only flushes when full.
        if fd == 1 { fflush(nil) }  // nil: every stdio output stream, standard output among them
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break  // a closed or broken standard output: the lines are dropped, the server goes on
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// "2026-12-06T21:53:20+0000", local time, as swift-log's stream handler writes it.
    static func timestamp(_ seconds: time_t) -> String {
        var t = seconds
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return "<unknown>" }
        var out = [CChar](repeating: 0, count: 64)
        let n = strftime(&out, out.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: out.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// swift-log's handler for `serve`: the stream handler's line format ("<time> <level> <label>: <metadata> [<source>]
/// <message>"), written through a shared `LogSink`.
public struct BufferedLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: LogSink

    public init(label: String, sink: LogSink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The usual line (no provider, no error) is built from the two small maps without merging them into a new
        // dictionary: a request's line is written for every request.
        var pairs: [(String, Logger.Metadata.Value)]
        if metadataProvider == nil, event.error == nil {
            pairs = Array(metadata)
            if let explicit = event.metadata {
                pairs.removeAll { explicit[$0.0] != nil }
                pairs.append(contentsOf: explicit.map { ($0.key, $0.value) })
            }
        } else {
            var all = metadata
            if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
            if let explicit = event.metadata { all.merge(explicit) { $1 } }
            if let error = event.error {
                all["error.message"] = "\(error)"
                all["error.type"] = "\(String(reflecting: type(of: error)))"
            }
            pairs = all.map { ($0.key, $0.value) }
        }
        pairs.sort { $0.0 < $1.0 }
        var line = "\(event.level) \(label):"
        line.reserveCapacity(160)
        for (key, value) in pairs {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        sink.append(line, urgent: event.level >= .warning)
    }

    @available(*, deprecated, renamed: "log(event:)")
    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        log(
            event: LogEvent(
                level: level, message: message, metadata: metadata, source: source, file: file, function: function,
                line: line))
    }
}
