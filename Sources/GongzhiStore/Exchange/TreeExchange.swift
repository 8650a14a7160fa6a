import Foundation
import GongzhiDomain
import SQLKit

/// Importing and exporting the tree and the bodies as CSV. An import is one transaction: a bad row is
/// reported by its line and nothing is written.
public struct TreeExchange: Sendable {
    let db: Database
    let clock: Clock
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    /// Refs in an import may name nodes already in the database by their code or as "n<id>".
    public func importTree(_ actor: Actor, csv: String) async throws -> Int {
        let now = clock.now()
        return try await db.transaction { sql in
            // Parent refs not defined in the file must exist already.
            var known: [String: Node] = [:]
            let rows = try CSV.parse(csv).dropFirst()
            let fileRefs = Set(rows.compactMap { $0.fields.first?.trimmingCharacters(in: .whitespaces) })
            for row in rows where row.fields.count > 3 {
                let ref = row.fields[3].trimmingCharacters(in: .whitespaces)
                guard !ref.isEmpty, !fileRefs.contains(ref), known[ref] == nil else { continue }
                if let node = try await Self.resolve(sql, ref) { known[ref] = node }
            }
            let records = try TreeRecord.parse(csv, existingRefs: Set(known.keys))
            var estates: [String: Int64] = [:]
            var roles: Set<Role> = []
            for record in records {
                let parent = record.parentRef.flatMap { known[$0] }
                do {
                    if let parent {
                        roles.insert(
                            try JurisdictionPolicy.require(
                                .createChild(record.kind), of: actor, on: parent, in: JurisdictionContext()))
                    } else {
                        roles.insert(try JurisdictionPolicy.requireCreateRoot(actor))
                    }
                    try TreeRules.checkPlacement(record.kind, under: parent)
                    var node = try await uniqueName(sql) {
                        try await TreeWrites.insertNode(
                            sql, kind: record.kind, name: record.name, code: record.code,
                            parent: parent, at: now)
                    }
                    if let estateName = record.estate, let communityID = node.communityID {
                        let key = "\(communityID)/\(estateName)"
                        if estates[key] == nil {
                            let found = try await sql.raw(
                                "SELECT id FROM estates WHERE community_id = \(bind: communityID) AND name = \(bind: estateName)"
                            ).first()
                            if let found {
                                estates[key] = try found.decode(column: "id", as: Int64.self)
                            } else {
                                estates[key] = try await BodyWrites.insertEstate(
                                    sql, communityID: communityID, name: estateName, at: now
                                ).id
                            }
                        }
                        try await sql.raw(
                            "UPDATE nodes SET estate_id = \(bind: estates[key]) WHERE id = \(bind: node.id)"
                        ).run()
                        node.estateID = estates[key]
                    }
                    if let lat = record.latitude, let lng = record.longitude {
                        try await sql.raw(
                            "UPDATE nodes SET latitude = \(bind: lat), longitude = \(bind: lng) WHERE id = \(bind: node.id)"
                        ).run()
                    }
                    try await TreeWrites.history(
                        sql, node, at: now, action: "imported", detail: record.ref, actor: actor)
                    known[record.ref] = node
                } catch let error as DomainError {
                    throw DomainError.invalid("csv_row_rejected", args: ["\(record.line)", error.key])
                }
            }
            // One entry for the whole file, under the highest of the roles its rows needed.
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: Role.highest(roles) ?? actor.ownRole, at: now,
                AuditRecord(
                    action: "tree.import", objectType: "tree", objectID: "-",
                    after: AuditJSON.encode(["rows": "\(records.count)"])))
            return records.count
        }
    }

    public func importBodies(_ actor: Actor, csv: String) async throws -> Int {
        let records = try BodyRecord.parse(csv)
        let now = clock.now()
        return try await db.transaction { sql in
            var bodies: [String: Body] = [:]
            var majors: [String: Int64] = [:]
            var roles: Set<Role> = []
            for record in records {
                do {
                    guard let community = try await Self.resolve(sql, record.communityRef),
                        community.kind.isCommunityLevel
                    else {
                        throw DomainError.invalid("csv_parent_unknown")
                    }
                    roles.insert(
                        try JurisdictionPolicy.require(.createBody, of: actor, on: community, in: JurisdictionContext())
                    )
                    let bodyKey = "\(community.id)/\(record.name)"
                    if bodies[bodyKey] == nil {
                        if let row = try await sql.raw(
                            """
                            SELECT * FROM bodies WHERE community_id = \(bind: community.id) AND name = \(bind: record.name)
                            AND closed_at IS NULL
                            """
                        ).first() {
                            bodies[bodyKey] = try JurisdictionStore.decodeBody(row)
                        } else {
                            bodies[bodyKey] = try await BodyWrites.insertBody(
                                sql, community: community, kind: record.kind, name: record.name, at: now)
                        }
                    }
                    let body = bodies[bodyKey]!
                    guard let major = record.major else { continue }
                    let majorKey = "\(body.id)/\(major)"
                    if majors[majorKey] == nil {
                        majors[majorKey] = try await BodyWrites.insertDuty(
                            sql, body: body, parentID: nil, title: major
                        ).id
                    }
                    if let minor = record.minor {
                        _ = try await BodyWrites.insertDuty(sql, body: body, parentID: majors[majorKey], title: minor)
                    }
                } catch let error as DomainError {
                    throw DomainError.invalid("csv_row_rejected", args: ["\(record.line)", error.key])
                }
            }
            try await AuditLog.append(
                sql, backend: db.backend, actor: actor, role: Role.highest(roles) ?? actor.ownRole, at: now,
                AuditRecord(
                    action: "bodies.import", objectType: "bodies", objectID: "-",
                    after: AuditJSON.encode(["rows": "\(records.count)"])))
            return records.count
        }
    }

    /// The open subtree under `rootID` in import order (parents first).
    public func exportTree(_ actor: Actor, rootID: Int64) async throws -> String {
        try await db.read { sql in
            let root = try await loadNode(sql, rootID)
            try JurisdictionPolicy.require(.export, of: actor, on: root, in: JurisdictionContext())
            let rows = try await sql.raw(
                """
                SELECT n.*, e.name AS estate_name FROM nodes n LEFT JOIN estates e ON e.id = n.estate_id
                WHERE n.path >= \(bind: root.path) AND n.path < \(bind: NodePath.upperBound(root.path)) AND n.closed_at IS NULL
                ORDER BY LENGTH(n.path), n.id
                """
            ).all()
            var refs: [Int64: String] = [:]
            var out = [TreeRecord.fullHeader]
            for row in rows {
                let node = try JurisdictionStore.decodeNode(row)
                let ref = node.code ?? "n\(node.id)"
                refs[node.id] = ref
                let parentRef = node.parentID.map { refs[$0] ?? "n\($0)" } ?? ""
                let point = [
                    try row.decode(column: "latitude", as: Double?.self),
                    try row.decode(column: "longitude", as: Double?.self),
                ]
                out.append(
                    [
                        ref, node.kind.rawValue, node.name, parentRef, node.code ?? "",
                        try row.decode(column: "estate_name", as: String?.self) ?? "",
                    ] + point.map { $0.map { "\($0)" } ?? "" })
            }
            return CSV.format(out)
        }
    }

    public func exportBodies(_ actor: Actor, rootID: Int64) async throws -> String {
        try await db.read { sql in
            let root = try await loadNode(sql, rootID)
            try JurisdictionPolicy.require(.export, of: actor, on: root, in: JurisdictionContext())
            let rows = try await sql.raw(
                """
                SELECT n.id AS community_id, n.code, b.id AS body_id, b.kind, b.name, d.id AS duty_id, d.parent_id, d.title
                FROM bodies b JOIN nodes n ON n.id = b.community_id
                LEFT JOIN duty_items d ON d.body_id = b.id AND d.closed_at IS NULL
                WHERE b.closed_at IS NULL AND n.path >= \(bind: root.path) AND n.path < \(bind: NodePath.upperBound(root.path))
                ORDER BY n.path, b.position, b.id, d.position, d.id
                """
            ).all()
            var out = [BodyRecord.header]
            var majorTitles: [Int64: String] = [:]
            var majorsWithMinors = Set<Int64>()
            var lines: [(Int64?, [String])] = []
            for row in rows {
                let ref =
                    try row.decode(column: "code", as: String?.self)
                    ?? "n\(try row.decode(column: "community_id", as: Int64.self))"
                let base = [
                    ref, try row.decode(column: "kind", as: String.self),
                    try row.decode(column: "name", as: String.self),
                ]
                guard let dutyID = try row.decode(column: "duty_id", as: Int64?.self) else {
                    lines.append((nil, base + ["", ""])); continue
                }
                let title = try row.decode(column: "title", as: String.self)
                if let parent = try row.decode(column: "parent_id", as: Int64?.self) {
                    majorsWithMinors.insert(parent)
                    lines.append((nil, base + [majorTitles[parent] ?? "", title]))
                } else {
                    majorTitles[dutyID] = title
                    lines.append((dutyID, base + [title, ""]))
                }
            }
            // A major item appears on its own line only when it has no minor items.
            for (majorID, line) in lines where majorID.map({ !majorsWithMinors.contains($0) }) ?? true {
                out.append(line)
            }
            return CSV.format(out)
        }
    }

    static func resolve(_ sql: any SQLDatabase, _ ref: String) async throws -> Node? {
        if ref.hasPrefix("n"), let id = Int64(ref.dropFirst()) { return try await JurisdictionStore.node(sql, id) }
        return try await sql.raw("SELECT * FROM nodes WHERE code = \(bind: ref)").first().map(
            JurisdictionStore.decodeNode)
    }
}
