import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryCorrectionsTests {
    @Test func aResidentAsksTheGridWorkerAppliesOrDeclinesAndTheResidentSeesTheAnswer() async throws {
        try await withTestDatabase { db in
            // given: a resident whose record the grid worker registered, not yet claimed
            let w = try await CareWorld.make(db)
            var form = w.registry.form("王秀英", sequence: 12, phone: "13812345678", tags: "独居老人")
            form.residenceStatus = "户籍人口"
            let person = try await w.registry.register(form, by: w.gridWorker).id
            let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).signUpResident(
                username: "wangxy", displayName: "王秀英", password: "correct horse battery staple",
                buildingID: w.tree.buildings[0].id)
            let resident = try #require(try await AccountStore(db: db).actor(for: user.id))
            let corrections = RegistryCorrections(db: db, clock: .fixed(RegistryWorld.t0))
            let request = try CorrectionRequest(field: "phone", note: "手机号换了，新号码是 13900001111")
            // when asking before claiming the record
            await #expect(throws: DomainError.invalid("correction_no_record", field: "field")) {
                try await corrections.ask(resident, request)
            }
            // when the resident claims it and asks
            try await w.registry.store.bindOwnRecord(
                resident, idNumber: RegistryWorld.idNumber(), phone: "13812345678", homeNodeID: w.tree.buildings[0].id,
                clock: .fixed(RegistryWorld.t0))
            let id = try await corrections.ask(resident, request)
            // then the grid worker hears of it and lists it; the other grid's worker does not
            #expect(
                try await Notifications.list(db, userID: w.gridWorker.userID).map(\.kind) == [
                    "registry.correction_asked"
                ])
            let pending = try await corrections.list(status: .pending, for: w.gridWorker)
            #expect(pending.items.map(\.note) == ["手机号换了，新号码是 13900001111"] && pending.counts["pending"] == 1)
            #expect(try await corrections.list(status: .pending, for: w.otherGridWorker).items.isEmpty)
            // and the note is sealed at rest and never in the audit log
            let stored = try await db.read { sql in
                var text = ""
                for table in ["registry_corrections", "audit_log"] {
                    for row in try await sql.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: table)")).all() {
                        for column in row.allColumns {
                            text += (try? row.decode(column: column, as: String.self)) ?? ""
                        }
                    }
                }
                return text
            }
            #expect(!stored.contains("13900001111"))
            // when the grid worker applies it through the registry's writer
            form.phone = "13900001111"
            let record = try await w.registry.store.person(
                person, for: w.gridWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            try await corrections.answer(
                w.gridWorker, request: id, .apply(try form.draft(today: RegistryWorld.today)),
                expectedVersion: record.version)
            // then the record reads the new phone, the resident sees it applied and is told, and it is answered once
            let after = try await w.registry.store.person(
                person, for: w.gridWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            #expect(after.summary.phone == "139****1111")
            #expect(try await corrections.mine(for: resident).map(\.status) == [.applied])
            #expect(try await Notifications.list(db, userID: user.id).map(\.kind) == ["registry.correction_applied"])
            await #expect(throws: DomainError.invalid("correction_answered")) {
                try await corrections.answer(w.gridWorker, request: id, try .decline(rawReason: "不需要"))
            }
            // when another request is declined without a reason, then with one
            let second = try await corrections.ask(
                resident, try CorrectionRequest(field: "birth_date", note: "生日应该是 1980-01-02"))
            #expect(throws: DomainError.invalid("correction_reason_required", field: "reason")) {
                try CorrectionAnswer.decline(rawReason: " ")
            }
            await #expect(throws: DomainError.outsideJurisdiction) {
                try await corrections.answer(w.otherGridWorker, request: second, try .decline(rawReason: "证件为准"))
            }
            try await corrections.answer(w.gridWorker, request: second, try .decline(rawReason: "以身份证上的日期为准"))
            let mine = try await corrections.mine(for: resident)
            #expect(mine.first?.status == .declined && mine.first?.reason == "以身份证上的日期为准")
        }
    }
}
