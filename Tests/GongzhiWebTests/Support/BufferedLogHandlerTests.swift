import Foundation
import Logging
import Testing

@testable import GongzhiWeb

/// The server's log handler: the stream handler's line format, info lines held back until a flush or a full
/// buffer, warnings written at once.
@Suite struct BufferedLogHandlerTests {
    /// A pipe whose read end is non-blocking, so "nothing written yet" reads as empty instead of waiting.
    final class Pipe: Sendable {
        let read: Int32
        let write: Int32
        init() throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
            (read, write) = (fds[0], fds[1])
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }
        func drain() -> String {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = Foundation.read(read, &chunk, chunk.count)
                guard n > 0 else { break }
                out += chunk.prefix(n)
            }
            return String(decoding: out, as: UTF8.self)
        }
        deinit {
            close(read)
            close(write)
        }
    }

    @Test func infoLinesWaitForAFlushAndWarningsGoOutAtOnce() throws {
        // given
        let pipe = try Pipe()
        let sink = LogSink(fd: pipe.write, capacity: 1 << 20)
        var logger = Logger(label: "gongzhi.web") { BufferedLogHandler(label: $0, sink: sink, level: .info) }
        logger[metadataKey: "request"] = "r1"
        // when an info line is logged, nothing is written yet
        logger.info("request", metadata: ["status": "200", "method": "GET"])
        logger.debug("not at this level")
        #expect(pipe.drain().isEmpty)
        // then a warning writes both, in order, in the stream handler's format
        logger.warning("slow")
        let lines = pipe.drain().split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let stamp = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} "#
        #expect(
            lines[0].contains(
                try Regex(stamp + #"info gongzhi\.web: method=GET request=r1 status=200 \[GongzhiWebTests\] request$"#))
        )
        #expect(lines[1].contains(try Regex(stamp + #"warning gongzhi\.web: request=r1 \[GongzhiWebTests\] slow$"#)))
        // and a flush writes what is held
        logger.info("later")
        #expect(pipe.drain().isEmpty)
        sink.flush()
        #expect(pipe.drain().hasSuffix("[GongzhiWebTests] later\n"))
    }

    @Test func aFullBufferIsWrittenWithoutWaiting() throws {
        let pipe = try Pipe()
        let sink = LogSink(fd: pipe.write, capacity: 256)
        let logger = Logger(label: "l") { BufferedLogHandler(label: $0, sink: sink, level: .info) }
        for n in 0..<10 { logger.info("line \(n)") }
        // the first lines went out when the buffer filled; a flush writes the rest, nothing lost or repeated
        let written = pipe.drain()
        #expect(written.contains("line 0"))
        sink.flush()
        let all = (written + pipe.drain()).split(separator: "\n")
        #expect(all.count == 10 && all.last?.hasSuffix("line 9") == true)
    }
}
