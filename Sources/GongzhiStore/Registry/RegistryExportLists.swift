import Foundation
import GongzhiDomain
import SQLKit

/// The registry lists that can be exported. People, households (the head's name) and organisations (their contacts)
/// hold personal data and go through the two-person approval of `RegistryExports`; houses and facilities hold none
/// and are exported at once by a holder of the export right, audited with their row count.
public enum RegistryExportKind: String, Sendable, Codable, CaseIterable {
    case people, households, organisations, houses, facilities

    public var needsApproval: Bool { self == .people || self == .households || self == .organisations }
}

/// One list with its filter, as asked for.
public enum RegistryExportList: Sendable, Equatable {
    case people(PersonFilter)
    case households(PlaceFilter)
    case organisations(OrganisationFilter)
    case houses(PlaceFilter)
    case facilities(FacilityFilter)

    public var kind: RegistryExportKind {
        switch self {
        case .people: .people
        case .households: .households
        case .organisations: .organisations
        case .houses: .houses
        case .facilities: .facilities
        }
    }

    /// The list of one community, from its first row.
    func scoped(to communityID: Int64) -> RegistryExportList {
        switch self {
        case .people(var f):
            f.communityID = communityID
            f.before = nil
            return .people(f)
        case .households(var f):
            f.communityID = communityID
            f.before = nil
            return .households(f)
        case .organisations(var f):
            f.communityID = communityID
            f.before = nil
            return .organisations(f)
        case .houses(var f):
            f.before = nil
            return .houses(f)
        case .facilities(var f):
            f.before = nil
            return .facilities(f)
        }
    }

    var filterJSON: String {
        switch self {
        case .people(let f): AuditJSON.encode(f)
        case .households(let f), .houses(let f): AuditJSON.encode(f)
        case .organisations(let f): AuditJSON.encode(f)
        case .facilities(let f): AuditJSON.encode(f)
        }
    }
}

extension RegistryExport {
    /// The list this export holds.
    public var list: RegistryExportList {
        switch kind {
        case .households: .households(places ?? PlaceFilter())
        case .organisations: .organisations(organisations ?? OrganisationFilter())
        default: .people(filter)
        }
    }
}

/// A list read whole, page by page through the same reads the pages use (so masked as they show it), as a header
/// and rows of cells.
enum RegistryExportTables {
    static func table(
        _ list: RegistryExportList, for actor: Actor, db: Database, clock: Clock
    ) async throws -> (header: [String], rows: [[String]]) {
        let store = RegistryStore(db: db)
        var rows: [[String]] = []
        switch list {
        case .people(var filter):
            let today = CalendarDate(clock.now())
            filter.limit = 200
            while true {
                let page = try await store.people(filter, for: actor, today: today)
                for p in page.items {
                    rows.append([
                        p.name, p.documentKind.rawValue, p.documentNumber, p.sex == .male ? "男" : "女", "\(p.age)",
                        p.phone ?? "", p.building ?? "", p.room ?? "", p.residence.chineseName,
                        p.tags.map(\.chineseName).joined(separator: ";"),
                    ])
                }
                guard let cursor = page.nextCursor.flatMap({ Int64($0) }) else { break }
                filter.before = cursor
            }
            return (["姓名", "证件类型", "证件号码", "性别", "年龄", "联系电话", "楼栋", "房号", "居住状态", "标签"], rows)
        case .households(var filter):
            filter.limit = 1000
            while true {
                let page = try await store.households(filter, for: actor)
                for h in page.items {
                    rows.append([h.number, h.building ?? "", h.house ?? "", h.head ?? "", "\(h.members)"])
                }
                guard let cursor = page.nextCursor.flatMap({ Int64($0) }) else { break }
                filter.before = cursor
            }
            return (["户号", "楼栋", "单元-房号", "户主", "在住人数"], rows)
        case .organisations(var filter):
            filter.limit = 200
            while true {
                let page = try await store.organisations(filter, for: actor)
                for s in page.items {
                    let o = s.organisation
                    rows.append([
                        o.name, o.kind.chineseName, o.creditCode ?? "", o.registration?.chineseName ?? "",
                        o.registrationNumber ?? "", o.address, s.nodeName,
                        o.contacts.map { "\($0.name) \($0.phone)" }.joined(separator: ";"), o.closed ? "已注销" : "",
                    ])
                }
                guard let cursor = page.nextCursor.flatMap({ Int64($0) }) else { break }
                filter.before = cursor
            }
            return (["名称", "类型", "统一社会信用代码", "登记情况", "登记证号或备案编号", "地址", "所在网格或社区", "联系人", "状态"], rows)
        case .houses(var filter):
            filter.limit = 1000
            while true {
                let page = try await store.houses(filter, for: actor)
                for item in page.items {
                    let h = item.house
                    rows.append([
                        item.building, h.unit, h.room, h.floor.map(String.init) ?? "", h.use.chineseName,
                        h.areaText ?? "", "\(item.residents)",
                    ])
                }
                guard let cursor = page.nextCursor.flatMap({ Int64($0) }) else { break }
                filter.before = cursor
            }
            return (["楼栋", "单元", "房号", "楼层", "使用情况", "建筑面积", "在住人数"], rows)
        case .facilities(var filter):
            filter.limit = 200
            while true {
                let page = try await store.facilities(filter, for: actor)
                for s in page.items {
                    let f = s.facility
                    rows.append([
                        f.code, f.componentClass?.major.chineseName ?? "", s.className, f.classCode,
                        f.state.chineseName,
                        "\(f.latitude)", "\(f.longitude)", s.nodeName, f.note,
                    ])
                }
                guard let cursor = page.nextCursor.flatMap({ Int64($0) }) else { break }
                filter.before = cursor
            }
            return (["部件编码", "大类", "小类", "小类代码", "状态", "纬度", "经度", "所在网格或社区", "备注"], rows)
        }
    }
}

extension RegistryExports {
    /// A list without personal data (houses, facilities), exported at once by a holder of the export right: the rows
    /// the reader sees, the first line naming the exporter and the time, the export audited with its row count.
    public func direct(_ actor: Actor, _ list: RegistryExportList) async throws -> RegistryExportFile {
        guard !list.kind.needsApproval else { throw DomainError.invalid("export_needs_approval", field: "kind") }
        let paths = RegistryPolicy.paths(.export, of: actor)
        guard let path = paths.first else { throw DomainError.forbidden }
        let list = list.scoped(to: 0)
        let table = try await RegistryExportTables.table(list, for: actor, db: db, clock: clock)
        let count = table.rows.count
        let exporter = try await db.command(actor, clock: clock) { tx in
            let name =
                try await tx.sql.raw("SELECT display_name FROM users WHERE id = \(bind: actor.storedUserID ?? 0)")
                .first()?.decode(column: "display_name", as: String.self) ?? actor.username
            try await tx.audit(
                AuditRecord(
                    action: "registry.export.direct", objectType: "registry", objectID: list.kind.rawValue,
                    after: AuditJSON.encode([
                        "kind": list.kind.rawValue, "rows": "\(count)", "filter": list.filterJSON,
                    ])),
                role: try RegistryPolicy.require(.export, of: actor, at: path))
            return name
        }
        let stamp = ISO8601DateFormatter().string(from: clock.now())
        let lines =
            [["导出人 exporter: \(exporter)", "时间 time: \(stamp)", "行数 rows: \(count)"], table.header] + table.rows
        return RegistryExportFile(cells: lines, rows: count)
    }
}
