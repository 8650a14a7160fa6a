import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Testing

@Suite struct ConventionCommandsTests {
    @Test func aConventionKeepsItsVersionsWithTheirResolutionAndFiling() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await ResolutionWorld.make(db)
            let r = try await w.adopt(withTopic: false)
            let commands = ConventionCommands(db: db, clock: .fixed(w.heldAt))
            let subUser = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "subadmin", displayName: "街道", password: "correct horse battery staple",
                role: .subdistrictAdmin, nodeID: w.tree.subdistrict.id)
            let sub = try #require(try await AccountStore(db: db).actor(for: subUser.id))
            let day = CalendarDate(w.heldAt)
            // when
            await #expect(throws: DomainError.forbidden) {
                _ = try await commands.create(
                    w.resident,
                    ConventionDraft(
                        communityID: w.tree.community.id, kind: .residentsConvention, title: "同乐社区居民公约",
                        text: "一、爱护环境", effectiveOn: day))
            }
            await #expect(throws: DomainError.invalid("convention_estate_required", field: "estate")) {
                _ = try await commands.create(
                    w.worker,
                    ConventionDraft(
                        communityID: w.tree.community.id, kind: .ownersStatute, title: "管理规约", text: "第一条",
                        effectiveOn: day))
            }
            let c = try await commands.create(
                w.worker,
                ConventionDraft(
                    communityID: w.tree.community.id, kind: .residentsConvention, title: "同乐社区居民公约",
                    text: "一、爱护环境\n二、邻里和睦", resolutionID: r.id, effectiveOn: day))
            await #expect(throws: DomainError(.conflict, "convention_changed_meanwhile")) {
                try await commands.perform(
                    w.worker, c.id, .addVersion(text: "新", resolutionID: nil, effectiveOn: day), expectedVersion: 7)
            }
            await #expect(throws: DomainError.invalid("convention_resolution_unknown", field: "resolution")) {
                try await commands.perform(
                    w.worker, c.id, .addVersion(text: "新", resolutionID: 999_999, effectiveOn: day))
            }
            let two = try await commands.perform(
                w.worker, c.id,
                .addVersion(text: "一、爱护环境\n二、邻里和睦\n三、文明养犬", resolutionID: nil, effectiveOn: day.adding(days: 30)),
                expectedVersion: c.version)
            _ = try await commands.perform(w.worker, c.id, .file(number: 2))
            await #expect(throws: DomainError(.conflict, "convention_filed_already")) {
                try await commands.perform(w.worker, c.id, .file(number: 2))
            }
            await #expect(throws: DomainError.forbidden) {
                try await commands.perform(w.worker, c.id, .acknowledge(number: 2))
            }
            let acknowledged = try await commands.perform(sub, c.id, .acknowledge(number: 2))
            // then
            #expect(two.versions.map(\.number) == [1, 2] && acknowledged.versions[1].acknowledgedBy == sub.userID)
            let record = try await ConventionStore(db: db).record(c.id, for: w.resident)
            #expect(record.resolutionNumbers[1] == r.number && record.capabilities == [.read])
            #expect(record.convention.inForce(on: day)?.number == 1)
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await ConventionStore(db: db).record(c.id, for: w.deliberation.outsider)
            }
            #expect(try await Notifications.list(db, userID: sub.userID).contains { $0.kind == "convention.file" })
            #expect(try await ConventionStore(db: db).publicList(communityID: w.tree.community.id).count == 1)
        }
    }
}
