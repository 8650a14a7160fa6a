import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct RegistryImportPlacesTests {
    func file(_ text: String, encoding: String.Encoding = .utf8) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID()).csv")
        try #require(text.data(using: encoding)).write(to: url)
        return url
    }
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static let organisationsChinese = """
        社区,网格,类型,名称,统一社会信用代码,登记情况,备案编号,地址,联系人1,联系电话1
        同乐社区,第一网格,商户,南头便民超市,91350100M000100Y43,,,南头街 8 号,王秀英,13812345678
        同乐社区,,社会组织,同乐义工队,,街道备案,NT-2026-001,,,

        """
    static let organisationsEnglish = """
        community,grid,kind,name,credit_code,registration,registration_number,address,contact_name_1,contact_phone_1
        同乐社区,第一网格,shop,南头便民超市,91350100M000100Y43,,,南头街 8 号,王秀英,13812345678
        同乐社区,,social_organisation,同乐义工队,,subdistrict_filing,NT-2026-001,,,

        """

    @Test(arguments: [organisationsChinese, organisationsEnglish])
    func organisationsAreImportedWithChineseOrEnglishHeaders(text: String) async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importOrganisations(
                w.communityWorker, file: try file(text))
            // then: placed in the grid named, else the community; the contact sealed and masked on reading
            #expect(report.problems == [] && report.imported == 2 && report.encoding == "UTF-8")
            let listed = try await w.store.organisations(OrganisationFilter(), for: w.communityWorker).items
            let shop = try #require(listed.first { $0.organisation.name == "南头便民超市" })
            #expect(
                shop.organisation.nodeID == w.tree.grid1.id
                    && shop.organisation.contacts.map(\.phone) == ["138****5678"])
            #expect(listed.first { $0.organisation.name == "同乐义工队" }?.organisation.nodeID == w.tree.community.id)
            let sealed = try await db.read { sql in
                try await sql.raw(
                    "SELECT contacts_sealed FROM registry_organisations WHERE contacts_sealed IS NOT NULL"
                )
                .all().map { try $0.decode(column: "contacts_sealed", as: String.self) }
            }
            #expect(sealed.count == 1 && !sealed[0].contains("13812345678") && !sealed[0].contains("王秀英"))
            // and the import is one audit entry with its count
            let audited = try await db.read { sql in
                try await sql.raw("SELECT after_state FROM audit_log WHERE action = 'registry.import'").all().map {
                    try $0.decode(column: "after_state", as: String.self)
                }
            }
            #expect(audited.count == 1 && audited[0].contains("organisations") && audited[0].contains("\"2\""))
        }
    }

    @Test func badOrganisationRowsAreReportedByLineAndFieldAndNothingIsImported() async throws {
        try await withTestDatabase { db in
            // given: a bad check character, an unknown grid, the same code twice, a kind nobody knows
            let w = try await RegistryWorld.make(db)
            let text = """
                社区,网格,类型,名称,统一社会信用代码
                同乐社区,,商户,好又多超市,91350100M000100Y42
                同乐社区,第九网格,商户,阳光药店,
                同乐社区,,商户,南头便民超市,91350100M000100Y43
                同乐社区,,商户,南头便民超市二店,91350100M000100Y43
                同乐社区,,马戏团,开心马戏,
                同乐社区,,商户,正常的店,

                """
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importOrganisations(
                .commandLine, file: try file(text, encoding: Self.gb18030))
            // then
            #expect(report.imported == 0 && report.encoding == "GB18030")
            #expect(report.problems.map(\.line) == [2, 3, 5, 6])
            #expect(report.problems.map(\.field) == ["credit_code", "grid", "credit_code", "kind"])
            #expect(report.problems[1].key == "import_grid_not_found" && report.problems[2].args == ["4"])
            let count = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM registry_organisations").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test func facilitiesAreImportedFromAWorkbookAndPlacedInTheirGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let rows = [
                ["社区", "网格", "部件编码", "部件类别", "纬度", "经度", "状态", "备注"],
                ["同乐社区", "第一网格", "JG-0001", "污水井盖", "22.5250", "113.9250", "损坏", "南头街口"],
                ["同乐社区", "", "LD-0002", "0118", "22.5260", "113.9260", "", ""],
            ]
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID()).xlsx")
            try Data(try XLSXWriter.workbook(rows)).write(to: url)
            // when
            let report = try await RegistryImport(db: db, clock: .fixed(RegistryWorld.t0)).importFacilities(
                w.communityWorker, file: url)
            // then
            #expect(report.problems == [] && report.imported == 2 && report.encoding == "XLSX")
            let listed = try await w.store.facilities(FacilityFilter(), for: w.communityWorker).items
            let cover = try #require(listed.first { $0.facility.code == "JG-0001" })
            #expect(cover.facility.classCode == "0102" && cover.facility.state == .damaged)
            #expect(cover.facility.nodeID == w.tree.grid1.id)
            #expect(listed.first { $0.facility.code == "LD-0002" }?.facility.state == .inUse)
        }
    }

    @Test func facilityRowsWithProblemsAndStaffOutsideTheirAreaImportNothing() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await RegistryWorld.make(db)
            let importer = RegistryImport(db: db, clock: .fixed(RegistryWorld.t0))
            let bad = """
                community,code,class_code,lat,lng
                同乐社区,JG-0001,0102,22.5,113.9
                同乐社区,JG-0001,0102,22.5,113.9
                同乐社区,X,0102,22.5,113.9
                同乐社区,JG-0003,9999,22.5,113.9
                同乐社区,JG-0004,0102,,113.9

                """
            let good = "社区,部件编码,部件类别,纬度,经度\n同乐社区,JG-0009,0102,22.5,113.9\n"
            // when
            let report = try await importer.importFacilities(.commandLine, file: try file(bad))
            let outside = try await importer.importFacilities(w.otherCommunityWorker, file: try file(good))
            let unknown = try await importer.importFacilities(
                .commandLine, file: try file("社区,编码,小类,纬度,经度,颜色\n"))
            // then
            #expect(report.imported == 0 && report.problems.map(\.line) == [3, 4, 5, 6])
            #expect(
                report.problems.map(\.key) == [
                    "facility_code_taken", "facility_code_invalid", "facility_class_unknown", "facility_point_invalid",
                ])
            #expect(outside.imported == 0 && outside.problems.map(\.key) == ["not_found"])
            #expect(unknown.problems.map(\.key) == ["column_unknown"] && unknown.problems[0].args == ["颜色"])
            #expect(try await w.store.facilities(FacilityFilter(), for: w.communityWorker).items.isEmpty)
            // and a grid worker may not import at all
            await #expect(throws: DomainError.forbidden) {
                try await importer.importFacilities(w.gridWorker, file: try file(good))
            }
        }
    }
}
