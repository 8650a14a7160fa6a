import Foundation
import GongzhiDomain
import GongzhiTestSupport
import SQLKit
import Testing

@testable import GongzhiStore

/// Name terms are stored cut to 64 bits (migration 0064): terms written in full before it are cut by it, and the
/// people are found by name as before.
@Suite struct RegistryShortTermsTests {
    func terms(_ db: Database) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT term FROM registry_person_terms ORDER BY person_id, term").all().map {
                try $0.decode(column: "term", as: String.self)
            }
        }
    }

    func found(_ w: RegistryWorld, _ query: String) async throws -> [String] {
        var f = PersonFilter()
        f.query = query
        return try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.map(\.name)
    }

    @Test func termsWrittenInFullAreCutByTheMigrationAndStillFind() async throws {
        try await withTestDatabase { db in
            // given: two people, whose terms are put back as they were stored before the migration
            let w = try await RegistryWorld.make(db)
            let people = [
                (try await w.register(w.form("张三丰"))).id, (try await w.register(w.form("李四", sequence: 30))).id,
            ]
            let written = try await terms(db)
            #expect(!written.isEmpty && written.allSatisfy { $0.count == 16 })
            let box = try #require(db.personalDataBox)
            try await db.transaction { sql in
                try await sql.raw("DELETE FROM registry_person_terms").run()
                for (id, name) in zip(people, ["张三丰", "李四"]) {
                    for term in NameTerms.stored(name) {
                        let full = try box.index("registry name \(term)")
                        try await sql.raw(
                            """
                            INSERT INTO registry_person_terms (person_id, community_id, term)
                            VALUES (\(bind: id), \(bind: w.tree.community.id), \(bind: full))
                            """
                        ).run()
                    }
                }
            }
            #expect(try await terms(db).allSatisfy { $0.count == 64 })
            #expect(try await found(w, "三丰") == [])
            // when
            try await db.transaction(alone: true) { sql in
                try await Migration0064_RegistryShortNameTerms().apply(on: sql, backend: db.backend)
            }
            // then: the same terms as the writer stores now, and the names are found by a character or a pair
            #expect(try await terms(db) == written)
            #expect(try await found(w, "三丰") == ["张三丰"])
            #expect(try await found(w, "四") == ["李四"])
        }
    }
}
