import Foundation
import GongzhiStore
import GongzhiTestSupport
import Logging
import Testing

@testable import GongzhiWeb

@Suite struct HousekeepingManifestTests {
    @Test func theAccountsModuleRunsHousekeeping() async throws {
        try await withTestDatabase { db in
            let services = AppServices(
                db: db, config: WebConfig(secret: String(repeating: "s", count: 40)), views: try await Views.load())
            let running = ModuleManifest.accounts.services(services)
            #expect(running.contains { ($0 as? PeriodicService)?.logger.label == HousekeepingService.label })
        }
    }
}
