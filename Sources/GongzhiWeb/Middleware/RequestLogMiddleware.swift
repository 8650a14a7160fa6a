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

    func log(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(Self.loggable(request.uri.path)),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", ms)),
            ])
    }

    /// A path as it may appear in a log: at most 200 characters, control and non-ASCII characters escaped.
    static func loggable(_ path: String) -> String {
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
