import Foundation
import GongzhiDomain
import SQLKit

/// An export of a registry list and where it stands.
public struct RegistryExport: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Codable { case pending, approved, refused, downloaded }
    public var id: Int64
    public var communityID: Int64
    public var community: String
    public var requestedBy: Int64
    public var requester: String
    public var reason: String
    /// Which list it holds; `filter` is the people list's filter, `places` the households', `organisations` the
    /// organisations'.
    public var kind: RegistryExportKind = .people
    public var filter: PersonFilter
    public var places: PlaceFilter?
    public var organisations: OrganisationFilter?
    public var status: Status
    public var decidedBy: Int64?
    public var decider: String?
    public var decidedAt: Date?
    public var rowCount: Int?
    public var createdAt: Date
    /// Whether the reader may approve or refuse it (a second person with the export right there), or download it
    /// (the one who asked, once, within a day of the approval).
    public var mayDecide = false
    public var mayDownload = false
}

/// Exporting personal data takes two people (issue 12): one with the `export` right asks, giving a reason; another
/// with it approves or refuses; the one who asked downloads once, within a day. The file holds what the lists show
/// (ID numbers and phones masked) and names the exporter, the approver and the time on its first line; every step
/// is audited, the download with its row count.
public struct RegistryExports: Sendable {
    let db: Database
    let clock: Clock
    public static let downloadWindow: TimeInterval = 86400
    public init(db: Database, clock: Clock) {
        self.db = db
        self.clock = clock
    }

    @discardableResult
    public func request(
        _ actor: Actor, communityID: Int64, filter: PersonFilter, reason rawReason: String
    ) async throws -> RegistryExport {
        try await request(actor, communityID: communityID, list: .people(filter), reason: rawReason)
    }

    /// Asks to export one community's list of people, households or organisations (the lists holding personal data).
    @discardableResult
    public func request(
        _ actor: Actor, communityID: Int64, list: RegistryExportList, reason rawReason: String
    ) async throws -> RegistryExport {
        let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(reason.count) else {
            throw DomainError.invalid("export_reason_required", field: "reason")
        }
        return try await db.command(actor, clock: clock) { tx in
            guard let community = try await JurisdictionStore.node(tx.sql, communityID), community.kind.isCommunityLevel
            else { throw DomainError.invalid("export_community_required", field: "community") }
            try RegistryPolicy.require(.view, of: actor, at: community.path)
            let role = try RegistryPolicy.require(.export, of: actor, at: community.path)
            let list = list.scoped(to: communityID)
            let filter = list.filterJSON
            let id = try await tx.sql.raw(
                """
                INSERT INTO registry_exports (community_id, requested_by, reason, kind, filter, status, created_at)
                VALUES (\(bind: communityID), \(bind: actor.storedUserID ?? 0), \(bind: reason), \(bind: list.kind.rawValue),
                  \(bind: filter), 'pending', \(bind: tx.now.epochMillis)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await tx.audit(
                AuditRecord(
                    action: "registry.export.request", objectType: "registry_export", objectID: "\(id)",
                    communityID: communityID, nodeID: communityID,
                    after: AuditJSON.encode(["reason": reason, "kind": list.kind.rawValue, "filter": filter])),
                role: role)
            return try await Self.load(tx.sql, id, for: actor, now: tx.now)!
        }
    }

    /// Approves or refuses: someone other than the one who asked, holding the export right in the community.
    @discardableResult
    public func decide(_ actor: Actor, _ id: Int64, approve: Bool) async throws -> RegistryExport {
        try await db.command(actor, clock: clock) { tx in
            guard let export = try await Self.load(tx.sql, id, for: actor, now: tx.now) else {
                throw DomainError.notFound
            }
            let path = try await Self.path(tx.sql, export.communityID)
            try RegistryPolicy.require(.view, of: actor, at: path)
            let role = try RegistryPolicy.require(.export, of: actor, at: path)
            guard export.requestedBy != actor.storedUserID else {
                throw DomainError(.forbidden, "export_second_person")
            }
            guard export.status == .pending else { throw DomainError(.conflict, "export_decided") }
            try await tx.sql.raw(
                """
                UPDATE registry_exports SET status = \(bind: approve ? "approved" : "refused"),
                  decided_by = \(bind: actor.storedUserID ?? 0), decided_at = \(bind: tx.now.epochMillis)
                WHERE id = \(bind: id) AND status = 'pending'
                """
            ).run()
            try await tx.audit(
                AuditRecord(
                    action: approve ? "registry.export.approve" : "registry.export.refuse",
                    objectType: "registry_export", objectID: "\(id)", communityID: export.communityID,
                    nodeID: export.communityID),
                role: role)
            return try await Self.load(tx.sql, id, for: actor, now: tx.now)!
        }
    }

    /// The exports of the reader's communities, newest first.
    public func list(for actor: Actor) async throws -> [RegistryExport] {
        let paths = RegistryPolicy.paths(.export, of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let now = clock.now()
        return try await db.read { sql in
            let communities = try await RegistryStore.communities(sql, inside: paths)
            guard !communities.isEmpty else { return [] }
            let ids = try await sql.raw(
                SQLQueryString("SELECT id FROM registry_exports WHERE ")
                    + RegistryStore.inList("community_id", communities) + " ORDER BY id DESC LIMIT 100"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            var out: [RegistryExport] = []
            for id in ids { if let e = try await Self.load(sql, id, for: actor, now: now) { out.append(e) } }
            return out
        }
    }

    /// The file, once, for the one who asked: a first line naming exporter, approver and time, then the rows as
    /// the list shows them (masked), as CSV text or an Excel workbook.
    public func download(_ actor: Actor, _ id: Int64) async throws -> RegistryExportFile {
        guard let export = try await db.read({ sql in try await Self.load(sql, id, for: actor, now: clock.now()) }),
            export.mayDownload
        else { throw DomainError.notFound }
        let table = try await RegistryExportTables.table(export.list, for: actor, db: db, clock: clock)
        let count = table.rows.count
        try await db.command(actor, clock: clock) { tx in
            guard
                try await tx.sql.raw(
                    """
                    UPDATE registry_exports SET status = 'downloaded', downloaded_at = \(bind: tx.now.epochMillis),
                      row_count = \(bind: count) WHERE id = \(bind: id) AND status = 'approved' RETURNING id
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "export_decided") }
            try await tx.audit(
                AuditRecord(
                    action: "registry.export.download", objectType: "registry_export", objectID: "\(id)",
                    communityID: export.communityID, nodeID: export.communityID,
                    after: AuditJSON.encode(["rows": "\(count)"])),
                role: try RegistryPolicy.require(
                    .export, of: actor, at: try await Self.path(tx.sql, export.communityID)))
        }
        let stamp = ISO8601DateFormatter().string(from: clock.now())
        var lines = [
            [
                "导出人 exporter: \(export.requester)", "审批人 approver: \(export.decider ?? "")", "时间 time: \(stamp)",
                "行数 rows: \(count)", "用途 reason: \(export.reason)",
            ],
            table.header,
        ]
        lines += table.rows
        return RegistryExportFile(cells: lines, rows: count)
    }

    static func csvLine(_ cells: [String]) -> String {
        cells.map { cell in
            // A cell starting with = + - @ is read as a formula by spreadsheets: quote it as text.
            let safe = cell.first.map { "=+-@".contains($0) } == true ? "'" + cell : cell
            // By scalar: "\r\n" is one Character, so a lone "\n" would not match it.
            return safe.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) })
                ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
        }.joined(separator: ",")
    }

    static func path(_ sql: any SQLDatabase, _ communityID: Int64) async throws -> String {
        guard let node = try await JurisdictionStore.node(sql, communityID) else { throw DomainError.notFound }
        return node.path
    }

    static func load(_ sql: any SQLDatabase, _ id: Int64, for actor: Actor, now: Date) async throws -> RegistryExport? {
        guard
            let row = try await sql.raw(
                """
                SELECT e.*, c.name AS community_name, c.path AS community_path, r.display_name AS requester_name,
                  d.display_name AS decider_name
                FROM registry_exports e JOIN nodes c ON c.id = e.community_id JOIN users r ON r.id = e.requested_by
                LEFT JOIN users d ON d.id = e.decided_by WHERE e.id = \(bind: id)
                """
            ).first()
        else { return nil }
        let path = try row.decode(column: "community_path", as: String.self)
        guard RegistryPolicy.capabilities(of: actor, at: path).contains(.export) else { return nil }
        let kind = RegistryExportKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .people
        let json = Data(try row.decode(column: "filter", as: String.self).utf8)
        let filter =
            kind == .people
            ? (try? JSONDecoder().decode(PersonFilter.self, from: json)) ?? PersonFilter() : PersonFilter()
        let places =
            kind == .households ? (try? JSONDecoder().decode(PlaceFilter.self, from: json)) ?? PlaceFilter() : nil
        let organisations =
            kind == .organisations
            ? (try? JSONDecoder().decode(OrganisationFilter.self, from: json)) ?? OrganisationFilter() : nil
        let status = RegistryExport.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .refused
        let requestedBy = try row.decode(column: "requested_by", as: Int64.self)
        let decidedAt = try row.decode(column: "decided_at", as: Int64?.self).map(Date.init(epochMillis:))
        return RegistryExport(
            id: id, communityID: try row.decode(column: "community_id", as: Int64.self),
            community: try row.decode(column: "community_name", as: String.self), requestedBy: requestedBy,
            requester: try row.decode(column: "requester_name", as: String.self),
            reason: try row.decode(column: "reason", as: String.self), kind: kind, filter: filter, places: places,
            organisations: organisations, status: status,
            decidedBy: try row.decode(column: "decided_by", as: Int64?.self),
            decider: try row.decode(column: "decider_name", as: String?.self), decidedAt: decidedAt,
            rowCount: try row.decode(column: "row_count", as: Int?.self),
            createdAt: Date(epochMillis: try row.decode(column: "created_at", as: Int64.self)),
            mayDecide: status == .pending && requestedBy != actor.storedUserID,
            mayDownload: status == .approved && requestedBy == actor.storedUserID
                && (decidedAt.map { now.timeIntervalSince($0) <= Self.downloadWindow } ?? false))
    }
}

/// A downloaded export: its lines of cells (the stamp line, the header, the rows) and the number of people in it.
public struct RegistryExportFile: Sendable {
    public var cells: [[String]]
    public var rows: Int

    /// CSV text (CRLF lines), with cells a spreadsheet would take for a formula quoted as text.
    public var csv: String { cells.map(RegistryExports.csvLine).joined(separator: "\r\n") + "\r\n" }

    /// An Excel workbook; every cell is text, so nothing needs quoting.
    public func workbook() throws -> Data { try XLSXWriter.workbook(cells, sheetName: "registry") }
}
