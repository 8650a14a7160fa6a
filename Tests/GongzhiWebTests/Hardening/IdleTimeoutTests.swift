import Dispatch
import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import GongzhiWeb
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct IdleTimeoutTests {
    @Test func theServerClosesConnectionsThatStayIdle() async throws {
        #expect(idleConnectionTimeout == .seconds(60))
        try await withTestDatabase { db in
            let services = AppServices(
                db: db, config: WebConfig(secret: String(repeating: "s", count: 40), secureCookies: false),
                views: try await Views.load())
            let app = buildApplication(services, host: "127.0.0.1", port: 0, idleTimeout: .seconds(1))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // A client that connects and never sends a request.
                let started = Date()
                let closed = await idleConnectionIsClosed(port: port, waitingAtMost: 8)
                #expect(closed)
                #expect(Date().timeIntervalSince(started) < 6)
            }
        }
    }
}

/// Connects, sends nothing, and waits for the server to close the connection (recv answers 0).
private func idleConnectionIsClosed(port: Int, waitingAtMost seconds: Int) async -> Bool {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { return continuation.resume(returning: false) }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return continuation.resume(returning: false) }
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, 0)
            continuation.resume(returning: n == 0)
        }
    }
}
