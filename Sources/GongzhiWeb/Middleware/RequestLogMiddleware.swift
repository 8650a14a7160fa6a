import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status and duration. Never the query string (it can carry API keys, search
/// terms or names), headers or bodies; the path is cut short and its control characters escaped, so what a client
/// sends cannot forge log lines.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    var level: Logger.Level = .info

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: Int(response.status.code), since: started)
            return response
        } catch {
            // The error middleware outside answers it; the status it will give is the error's.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context, status: Int(status), since: started)
            throw error
        }
    }

    /// The metadata is an autoclosure: nothing below is built when the level is off.
    func log(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(Self.loggable(request.uri.path)),
                "status": .stringConvertible(status),
                "duration_ms": .string(Self.milliseconds(elapsed)),
            ])
    }

    /// A duration in milliseconds with one decimal ("12.3"), without Foundation's formatter.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return "0.0" }
        let tenths = seconds * 10_000 + (attoseconds + 50_000_000_000_000) / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A path as it may appear in a log: at most 200 characters, control and non-ASCII characters escaped. The
    /// usual path (short, printable ASCII) is returned as it is.
    static func loggable(_ path: String) -> String {
        if path.utf8.count <= 200, path.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return path }
        var out = ""
        for scalar in path.unicodeScalars.prefix(200) {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value != 0x7F {
                out.unicodeScalars.append(scalar)
            } else {
                out += String(format: "%%%02X", scalar.value)
            }
        }
        return out
    }
}
