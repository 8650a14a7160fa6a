import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryImportTests {
    func file(_ text: String, encoding: String.Encoding = .utf8) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID()).csv")
        try #require(text.data(using: encoding)).write(to: url)
        return url
    }
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    func count(_ db: Database) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM registry_people").first()!.decode(column: "n", as: Int.self)
        }
    }

    func peopleFile(_ w: RegistryWorld, header: String) -> String {
        // the child stands above the head: the head's row is taken first
        """
        \(header)
        张小三,居民身份证,\(RegistryWorld.idNumber(born: "20100101", sequence: 20)),男,2010-01-01,汉族,,同乐社区,1栋,1单元,101,H1,儿子,户籍人口,
        张三,居民身份证,\(RegistryWorld.idNumber()),男,,汉,138 1234 5678,同乐社区,1栋,1单元,101,H1,户主,户籍人口,党员;独居老人
        李四,身份证,\(RegistryWorld.idNumber(sequence: 30)),,,,13900001111,同乐社区,1栋,1单元,102,,,流动人口,

        """
    }
    static let chineseHeader = "姓名,证件类型,证件号码,性别,出生日期,民族,联系电话,社区,楼栋,单元,房号,户号,与户主关系,居住状态,标签"
    static let englishHeader =
        "name,id_type,id_number,sex,birth_date,ethnicity,phone,community,building,unit,room,household,relation,residence_status,tags"

    @Test(arguments: [chineseHeader, englishHeader])
    func aPeopleFileIsImportedWithChineseOrEnglishHeaders(header: String) async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importPeople(
                .commandLine, file: try file(peopleFile(w, header: header)))
            // then
            #expect(report.problems == [])
            #expect(report.imported == 3 && report.encoding == "UTF-8")
            var f = PersonFilter()
            f.query = "张"
            let found = try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items
            #expect(found.count == 2)
            let head = try await w.store.person(
                try #require(found.first { $0.name == "张三" }).id, for: w.communityWorker, today: RegistryWorld.today,
                clock: .fixed(RegistryWorld.t0))
            #expect(head.members.map(\.name) == ["张小三"] && head.relation == .head)
            #expect(head.summary.tags == [.elderlyLivingAlone, .partyMember])
        }
    }

    @Test func fieldsAreTrimmedAndAMemberWhoseHeadNeverComesIsReportedAtItsLine() async throws {
        try await withTestDatabase { db in
            // given: white space around values (full-width space too), and a member of household H9, which nobody heads
            let w = try await RegistryWorld.make(db)
            let text = """
                \(Self.chineseHeader)
                \u{3000}王五 , 居民身份证 ,\(RegistryWorld.idNumber(sequence: 40)) ,男, ,汉族, 13900002222 ,同乐社区 , 1栋 ,1单元, 101 , H2 ,户主 ,户籍人口,
                王小五,居民身份证,\(RegistryWorld.idNumber(born: "20100101", sequence: 50)),男,,,,同乐社区,1栋,1单元,101,H9,儿子,户籍人口,

                """
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            // when
            let refused = try await importer.importPeople(.commandLine, file: try file(text))
            // then: the member's line is named, and the head was not written either
            #expect(refused.imported == 0)
            #expect(
                refused.problems.map { "\($0.line) \($0.field ?? "") \($0.key) \($0.args)" } == [
                    "3 household household_unknown [\"H9\"]"
                ])
            #expect(try await count(db) == 0)
            // when: the member's row is dropped
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let report = try await importer.importPeople(
                .commandLine, file: try file((lines[0..<2] + [""]).joined(separator: "\n")))
            // then: every value arrived without its white space
            #expect(report.problems == [] && report.imported == 1)
            var f = PersonFilter()
            f.query = "王五"
            let found = try #require(
                try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.first)
            let person = try await w.store.person(
                found.id, for: w.communityWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            #expect(person.summary.name == "王五" && person.relation == .head && person.householdNumber == "H2")
            #expect(person.form.unit == "1单元" && person.form.room == "101" && person.ethnicity == .han)
        }
    }

    /// `count` people in households of two (every tenth household's member stands above its head), ids from
    /// `first` on, each with a valid resident ID number of their own.
    static func manyPeople(_ count: Int, first: Int = 0) -> String {
        func row(_ i: Int) -> String {
            let day = (i % 300)
            let born = String(format: "1980%02d%02d", day / 28 + 1, day % 28 + 1)
            let id = RegistryWorld.idNumber(born: born, sequence: i / 300)
            let head = i % 2 == 0
            return "人\(i),居民身份证,\(id),男,,,,同乐社区,1栋,,,P\(i / 2),\(head ? "户主" : "兄弟姐妹"),户籍人口,"
        }
        var rows: [String] = []
        for i in stride(from: first, to: first + count, by: 2) {
            rows += (i / 2) % 10 == 0 ? [row(i + 1), row(i)] : [row(i), row(i + 1)]
        }
        return ([chineseHeader] + rows + [""]).joined(separator: "\n")
    }

    @Test func aFileOfManyBatchesIsImportedWholeOrNotAtAll() async throws {
        try await withTestDatabase { db in
            // given: 1,000 people, two and a half of the import's batches
            let w = try await RegistryWorld.make(db)
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            // when
            let report = try await importer.importPeople(.commandLine, file: try file(Self.manyPeople(1000)))
            // then: everyone, each household with its head and its member
            #expect(report.problems == [] && report.imported == 1000)
            #expect(try await count(db) == 1000)
            let households = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM registry_households h
                    WHERE (SELECT COUNT(*) FROM registry_people p WHERE p.household_id = h.id) = 2
                    AND h.head_person_id IN (SELECT id FROM registry_people WHERE household_id = h.id AND relation = 'head')
                    """
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(households == 500)
            var f = PersonFilter()
            f.query = "人999"
            #expect(try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.count == 1)
            // when: a second file whose 950th row holds an ID number the first registered (found in its third batch)
            var lines = Self.manyPeople(1000, first: 1000).split(separator: "\n", omittingEmptySubsequences: false)
            let taken = RegistryWorld.idNumber(born: "19800101", sequence: 0)
            lines[950] = "重复,居民身份证,\(taken),男,,,,同乐社区,1栋,,,,,户籍人口,"
            let refused = try await importer.importPeople(.commandLine, file: try file(lines.joined(separator: "\n")))
            // then: refused whole, with the line; nothing of its earlier batches stays
            #expect(refused.imported == 0)
            #expect(refused.problems.map { "\($0.line) \($0.key)" } == ["951 id_number_duplicate"])
            #expect(try await count(db) == 1000)
            // and the writer goes on: a person registered afterwards is there
            _ = try await w.register(w.form("后来者", sequence: 99, unit: "", room: ""))
            #expect(try await count(db) == 1001)
        }
    }

    @Test func aGB18030FileIsReadAsExcelSavesIt() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let url = try file(peopleFile(w, header: Self.chineseHeader), encoding: Self.gb18030)
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importPeople(
                .commandLine, file: url)
            // then
            #expect(report.problems == [] && report.imported == 3 && report.encoding == "GB18030")
            var f = PersonFilter()
            f.query = "李四"
            #expect(try await w.store.people(f, for: w.communityWorker, today: RegistryWorld.today).items.count == 1)
        }
    }

    @Test func badRowsAreReportedWithTheirLineAndFieldAndNothingIsImported() async throws {
        try await withTestDatabase { db in
            // given: a wrong check digit, a room the building lacks, an unknown building and an unknown sex
            let w = try await RegistryWorld.make(db)
            let good = RegistryWorld.idNumber()
            let text = """
                \(Self.chineseHeader)
                张三,居民身份证,\(good),男,,,,同乐社区,1栋,1单元,101,,,,
                李四,居民身份证,\(String(good.dropLast()))\(good.hasSuffix("0") ? "1" : "0"),,,,,同乐社区,1栋,1单元,101,,,,
                王五,居民身份证,\(RegistryWorld.idNumber(sequence: 31)),,,,,同乐社区,1栋,1单元,909,,,,
                赵六,居民身份证,\(RegistryWorld.idNumber(sequence: 32)),,,,,同乐社区,99栋,,,,,,
                钱七,居民身份证,\(RegistryWorld.idNumber(sequence: 33)),未知,,,,同乐社区,1栋,1单元,101,,,,
                孙八,居民身份证,\(good),男,,,,同乐社区,1栋,1单元,102,,,,

                """
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importPeople(
                .commandLine, file: try file(text))
            // then
            #expect(report.imported == 0)
            #expect(report.problems.map(\.line) == [3, 4, 5, 6, 7])
            #expect(
                report.problems.map(\.key) == [
                    "id_number_check_digit", "room_unknown", "building_not_found", "sex_unknown", "id_number_duplicate",
                ])
            #expect(report.problems.map(\.field) == ["id_number", "room", "building", "sex", "id_number"])
            #expect(try await count(db) == 0)
        }
    }

    @Test func aFileMeetsThePeopleRegisteredBeforeIt() async throws {
        try await withTestDatabase { db in
            // given: a head registered with household H7 and another person, before the file
            let w = try await RegistryWorld.make(db)
            let head = try await w.register(w.form("周大", sequence: 40, household: "H7", relation: "户主"))
            _ = try await w.register(w.form("吴二", sequence: 41, room: "102"))
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            // when: the file adds a spouse to H7 and names 吴二's ID number again
            let refused = try await importer.importPeople(
                .commandLine,
                file: try file(
                    """
                    \(Self.chineseHeader)
                    郑三,居民身份证,\(RegistryWorld.idNumber(sequence: 42, sex: .female)),女,,,,同乐社区,1栋,1单元,101,H7,配偶,户籍人口,
                    吴二,居民身份证,\(RegistryWorld.idNumber(sequence: 41)),男,,,,同乐社区,1栋,1单元,102,,,户籍人口,

                    """))
            // then: the number taken before is refused at its line and nothing is written
            #expect(refused.imported == 0 && refused.problems.map(\.line) == [3])
            #expect(
                refused.problems.first?.key == "id_number_duplicate" && refused.problems.first?.field == "id_number")
            #expect(try await count(db) == 2)
            // when: without that row, the spouse joins the household registered before; a second head is refused
            let joined = try await importer.importPeople(
                .commandLine,
                file: try file(
                    """
                    \(Self.chineseHeader)
                    郑三,居民身份证,\(RegistryWorld.idNumber(sequence: 42, sex: .female)),女,,,,同乐社区,1栋,1单元,101,H7,配偶,户籍人口,

                    """))
            #expect(joined.problems == [] && joined.imported == 1)
            let detail = try await w.store.person(
                head.id, for: w.communityWorker, today: RegistryWorld.today, clock: .fixed(RegistryWorld.t0))
            #expect(detail.members.map(\.name) == ["郑三"])
            let secondHead = try await importer.importPeople(
                .commandLine,
                file: try file(
                    """
                    \(Self.chineseHeader)
                    冯四,居民身份证,\(RegistryWorld.idNumber(sequence: 43)),男,,,,同乐社区,1栋,1单元,101,H7,户主,户籍人口,

                    """))
            #expect(secondHead.imported == 0 && secondHead.problems.map(\.field) == ["relation"])
        }
    }

    @Test func filesThatCannotBeReadAreRefusedWithTheReason() async throws {
        try await withTestDatabase { db in
            let w = try await RegistryWorld.make(db)
            _ = w
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            // an unknown column
            let unknown = try await importer.importPeople(
                .commandLine, file: try file("姓名,证件号码,楼栋,血型\n张三,1,1栋,A\n"))
            #expect(unknown.problems.map(\.key) == ["column_unknown"] && unknown.problems.first?.args == ["血型"])
            // a missing required column
            let missing = try await importer.importPeople(.commandLine, file: try file("姓名,楼栋\n张三,1栋\n"))
            #expect(missing.problems.map(\.key) == ["column_missing"])
            // bytes that are neither UTF-8 nor GB18030
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
            try Data([0x80, 0x80, 0xFF, 0xFE, 0x0A, 0x81]).write(to: url)
            let garbled = try await importer.importPeople(.commandLine, file: url)
            #expect(garbled.problems.map(\.key) == ["file_encoding"])
            #expect(try await count(db) == 0)
        }
    }

    @Test func housesAreImportedAndAStaffImportStaysInsideTheirArea() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            let text = "社区,楼栋,单元,楼层,房号,使用情况,面积\n同乐社区,2栋,1单元,3,301,出租,75.5\n同乐社区,2栋,,4,401,,\n"
            // when: the other community's worker, then the community's own
            let outside = try await importer.importHouses(w.otherCommunityWorker, file: try file(text))
            let report = try await importer.importHouses(w.communityWorker, file: try file(text))
            // then
            #expect(outside.imported == 0 && outside.problems.map(\.key) == ["not_found", "not_found"])
            #expect(report.problems == [] && report.imported == 2)
            let houses = try await w.store.houses(in: w.tree.buildings[1].id, for: w.communityWorker)
            #expect(houses.map(\.house.label) == ["401", "1单元-301"])
            #expect(houses.first { $0.house.room == "301" }?.house.use == .rented)
            // and a grid worker may not import at all
            await #expect(throws: DomainError.forbidden) {
                try await importer.importHouses(w.gridWorker, file: try file(text))
            }
        }
    }

    func houseCount(_ db: Database) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM registry_houses").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func describe(_ p: ImportProblem) -> String { "\(p.line) \(p.field ?? "-") \(p.key) \(p.args)" }

    /// 1,100 rooms of 2栋 (more than two of the import's batches).
    static func manyRooms() -> [String] {
        (0..<1100).map { i in "同乐社区,2栋,\(i % 4 + 1)单元,\(i / 40 + 1),\(i / 4)0\(i % 4 + 1),自住,\(60 + i % 50).5" }
    }

    @Test func aHousesFileLargerThanABatchIsImportedWhole() async throws {
        try await withTestDatabase { db in
            // given
            _ = try await RegistryWorld.make(db)
            let text = (["社区,楼栋,单元,楼层,房号,使用情况,面积"] + Self.manyRooms()).joined(separator: "\n")
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            // when
            let report = try await importer.importHouses(.commandLine, file: try file(text))
            let again = try await importer.importHouses(.commandLine, file: try file(text))
            // then: every row once; the same file again is refused row by row (up to the report's cap)
            #expect(report.problems == [] && report.imported == 1100)
            #expect(try await houseCount(db) == 4 + 1100)
            #expect(again.imported == 0 && again.problems.count == RegistryImport.maxProblems)
            #expect(again.problems.first.map(Self.describe) == "2 room house_exists []")
            #expect(try await houseCount(db) == 4 + 1100)
        }
    }

    /// The batched import refuses the rows the per-row writer refused, with the same report, and writes nothing:
    /// a room registered before, a room twice in the file (after a batch has been written), an unknown building,
    /// a bad floor and area, and an empty room.
    @Test func aHousesFileWithBadRowsIsRefusedWholeWithEveryLine() async throws {
        try await withTestDatabase { db in
            // given
            _ = try await RegistryWorld.make(db)
            var rows = Self.manyRooms()
            rows.insert("同乐社区,1栋,1单元,1,101,自住,80", at: 3)  // line 5: registered before
            rows.append("同乐社区,2栋,1单元,1,001,出租,70")  // line 1103: line 2 again
            rows.append("同乐社区,9栋,1单元,1,101,自住,70")  // line 1104
            rows.append("同乐社区,2栋,1单元,楼上,9901,自住,70")  // line 1105
            rows.append("同乐社区,2栋,1单元,9,9902,自住,-3")  // line 1106
            rows.append("同乐社区,2栋,1单元,9,,自住,70")  // line 1107
            rows.append("同乐社区,2栋,1单元,9,9903,自住,70")  // line 1108: fine
            let text = (["社区,楼栋,单元,楼层,房号,使用情况,面积"] + rows).joined(separator: "\n")
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importHouses(
                .commandLine, file: try file(text))
            // then
            #expect(report.imported == 0)
            #expect(
                report.problems.map(Self.describe) == [
                    "5 room house_exists []",
                    "1103 room house_exists []",
                    #"1104 building building_not_found ["同乐社区", "9栋"]"#,
                    "1105 floor floor_invalid []",
                    "1106 area area_invalid []",
                    "1107 room room_required []",
                ])
            #expect(try await houseCount(db) == 4)
        }
    }
}
