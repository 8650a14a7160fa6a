import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct KeyRotationTests {
    static let key1 = DataKey(version: 1, bytes: Array(repeating: 0x11, count: 32))
    static let key2 = DataKey(version: 2, bytes: Array(repeating: 0x22, count: 32))

    func sealedPrefixes(_ db: Database) async throws -> Set<String> {
        try await db.read { sql in
            try await sql.raw("SELECT name_sealed, document_sealed, phone_sealed FROM registry_people").all().flatMap {
                row in
                try ["name_sealed", "document_sealed", "phone_sealed"].compactMap {
                    try row.decode(column: $0, as: String?.self).map { String($0.prefix { $0 != ":" }) }
                }
            }
        }.reduce(into: Set<String>()) { $0.insert($1) }
    }

    @Test func rotatingReSealsEveryValueUnderTheNewestKeyAndSearchKeepsWorking() async throws {
        try await withTestDatabase { db in
            // given: two people sealed under the server secret's key (version 0)
            let w = try await RegistryWorld.make(db)
            try await w.register(w.form("张三", phone: "13812345678"))
            try await w.register(w.form("李四", sequence: 40, phone: "13900001111", room: "102"))
            #expect(try await sealedPrefixes(db) == ["sm4"])
            // when: a data key is configured, a new person is sealed under it and the old ones still open
            try db.useServerSecret(testAuditSecret, dataKeys: [Self.key1])
            try await w.register(w.form("王五", sequence: 41, room: "201"))
            #expect(try await sealedPrefixes(db) == ["sm4", "sm4.1"])
            let rotation = KeyRotation(db: db)
            #expect(try await rotation.remaining() == 2)
            let done = try await rotation.rotate(batch: 1)
            // then
            #expect(done == 2)
            #expect(try await rotation.remaining() == 0)
            #expect(try await sealedPrefixes(db) == ["sm4.1"])
            for q in ["张三", RegistryWorld.idNumber(), "13900001111", "1111"] {
                var f = PersonFilter()
                f.query = q
                #expect(
                    try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.count == 1)
            }
            let phone = try await w.store.reveal(
                try await w.store.people(PersonFilter(), for: w.communityWorker, today: RegistryWorld.today).items
                    .first { $0.name == "张三" }!.id, .phone, for: w.communityWorker, reason: "核对",
                clock: .fixed(RegistryWorld.t0))
            #expect(phone == "138 1234 5678")
            // and the next key takes over in turn; a value under a key no longer given fails clearly
            try db.useServerSecret(testAuditSecret, dataKeys: [Self.key1, Self.key2])
            #expect(try await rotation.rotate() == 3)
            #expect(try await sealedPrefixes(db) == ["sm4.2"])
            try db.useServerSecret(testAuditSecret, dataKeys: [Self.key1])
            await #expect(throws: CryptoFailure.self) {
                try await w.store.people(PersonFilter(), for: w.communityWorker, today: RegistryWorld.today)
            }
        }
    }

    @Test func dataKeysAreReadAsVersionedHexLines() throws {
        let hex = String(repeating: "ab", count: 32)
        let keys = try DataKey.parse("# keys\n1:\(hex)\n2=\(hex),3 \(hex)")
        #expect(keys.map(\.version) == [1, 2, 3] && keys[0].bytes.count == 32)
        #expect(throws: CryptoFailure.self) { try DataKey.parse("1:abcd") }
        #expect(throws: CryptoFailure.self) { try DataKey.parse("1:\(hex),1:\(hex)") }
        #expect(throws: CryptoFailure.self) { try DataKey.parse("0:\(hex)") }
    }
}
