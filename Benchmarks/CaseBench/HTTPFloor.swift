import Hummingbird

/// `gongzhi-bench http-floor [--port 18700]`: one bare Hummingbird route with no middleware, the floor beside which
/// Gongzhi's `/healthz` is measured (issue 11: middleware cost as a ratio in one run on the same machine).
func serveHTTPFloor(port: Int) async throws {
    let router = Router()
    router.get("/healthz") { _, _ in "ok\n" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    try await app.runService()
}
