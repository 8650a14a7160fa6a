import CSV
import Foundation
import GongzhiDomain
import SQLKit

/// A problem of an import file: the line (1 is the header), the column's field and the reason with its values.
public struct ImportProblem: Sendable, Equatable, Encodable {
    public var line: Int
    public var field: String?
    public var key: String
    public var args: [String]

    init(line: Int, field: String?, key: String, args: [String]) {
        self.line = line
        self.field = field
        self.key = key
        self.args = args
    }

    /// A row's refusal by the writer's checks.
    init(line: Int, _ error: DomainError) {
        self.init(line: line, field: error.field, key: error.key, args: error.args)
    }
}

/// What an import did: every row, or none and why.
public struct ImportReport: Sendable, Encodable {
    public var imported: Int
    public var problems: [ImportProblem]
    public var encoding: String
}

/// Imports registry files all or nothing: every row is checked and written through the registry's writer in one
/// transaction, problems are collected (up to `maxProblems`) with their line and field, and any problem rolls the
/// whole file back. The staff's pages import where they hold `importRows`; the command line anywhere. The import is
/// one audit entry with its counts.
public struct RegistryImport: Sendable {
    let db: Database
    let clock: Clock
    public static let maxProblems = 200
    public init(db: Database, clock: Clock = .system) {
        self.db = db
        self.clock = clock
    }

    struct Rejected: Error { var report: ImportReport }

    public func importPeople(_ actor: Actor, file url: URL) async throws -> ImportReport {
        try await run(actor, url, kind: "people") { tx, file, problems in
            let today = CalendarDate(tx.now)
            var batch = try RegistryPeopleBatch(tx, today: today)
            batch.overlapping = true
            do {
                // Ends with a flush, which waits for every write.
                return try await Self.people(tx, file, actor, today, &batch, &problems)
            } catch {
                // Nothing may still be writing once the command's transaction ends.
                try? await batch.settle()
                throw error
            }
        }
    }

    /// The people file's rows checked and queued in `batch`; returns how many were taken in.
    static func people(
        _ tx: Transaction, _ file: RegistryFile, _ actor: Actor, _ today: CalendarDate,
        _ batch: inout RegistryPeopleBatch, _ problems: inout [ImportProblem]
    ) async throws -> Int {
        var buildings = BuildingLookup()
        var imported = 0
        // One pass over the file. A member whose household is not known yet (its head stands further down) is
        // put off, and only those lines are read again at the end: the file is read once when heads come first.
        var putOff = Set<Int>()
        for pass in 0..<2 {
            guard pass == 0 || !putOff.isEmpty else { break }
            let reader = try file.reader()
            let fields = try RegistryColumns.fields(
                of: reader.headerRow, in: RegistryColumns.people, required: RegistryColumns.peopleRequired)
            var line = 1
            while let row = reader.next() {
                line += 1
                guard pass == 0 || putOff.contains(line) else { continue }
                guard problems.count + batch.problems.count < Self.maxProblems else { break }
                if row.allSatisfy({ $0.isEmpty }) { continue }
                var form = PersonForm()
                var community = ""
                for (i, field) in fields.enumerated() where i < row.count {
                    Self.set(&form, field, row[i], community: &community)
                }
                do {
                    let building = try await buildings.node(
                        tx.sql, form.building ?? "", community: community, actor: actor)
                    form.building = "\(building.id)"
                    let draft = try form.draft(today: today)
                    if pass == 0, let number = draft.householdNumber, draft.relation != .head,
                        !(try await batch.knows(household: number, at: building))
                    {
                        putOff.insert(line)
                        continue
                    }
                    try await batch.add(line: line, draft, building: building)
                    imported += 1
                } catch let error as DomainError {
                    batch.failed = true
                    problems.append(ImportProblem(line: line, error))
                }
            }
            if let error = reader.failure { throw Self.malformed(error, line: line) }
            // Heads are written before the members put off to join them.
            try await batch.flush()
        }
        problems = (problems + batch.problems).sorted { $0.line < $1.line }
        return imported
    }

    public func importHouses(_ actor: Actor, file url: URL) async throws -> ImportReport {
        try await run(actor, url, kind: "houses") { tx, file, problems in
            var buildings = BuildingLookup()
            // Checked row by row as the writer checks a house, written in batches.
            var batch = RegistryHousesBatch(tx)
            var imported = 0
            let reader = try file.reader()
            let fields = try RegistryColumns.fields(
                of: reader.headerRow, in: RegistryColumns.houses, required: RegistryColumns.housesRequired)
            var line = 1
            while let row = reader.next() {
                line += 1
                guard problems.count < Self.maxProblems else { break }
                if row.allSatisfy({ $0.isEmpty }) { continue }
                var form = HouseForm()
                var community = ""
                for (i, field) in fields.enumerated() where i < row.count {
                    let value = row[i]
                    switch field {
                    case "community": community = value
                    case "building": form.building = value
                    case "unit": form.unit = value
                    case "floor": form.floor = value
                    case "room": form.room = value
                    case "use": form.use = value
                    case "area": form.area = value
                    default: break
                    }
                }
                do {
                    let building = try await buildings.node(
                        tx.sql, form.building ?? "", community: community, actor: actor)
                    form.building = "\(building.id)"
                    try await batch.add(try form.draft(), building: building)
                    imported += 1
                } catch let error as DomainError {
                    batch.failed = true
                    problems.append(ImportProblem(line: line, error))
                }
            }
            if let error = reader.failure { throw Self.malformed(error, line: line) }
            try await batch.flush()
            return imported
        }
    }

    func run(
        _ actor: Actor, _ url: URL, kind: String,
        _ body: @escaping @Sendable (Transaction, RegistryFile, inout [ImportProblem]) async throws -> Int
    ) async throws -> ImportReport {
        var role: Role?
        if actor.principal != .commandLine {
            guard
                let path = RegistryPolicy.paths(.importRows, of: actor).first
            else { throw DomainError.forbidden }
            role = try RegistryPolicy.require(.importRows, of: actor, at: path)
        }
        let auditRole = role
        let file: RegistryFile
        do { file = try RegistryFile(url) } catch let error as DomainError {
            return ImportReport(
                imported: 0, problems: [ImportProblem(line: 1, error)],
                encoding: "")
        }
        defer { file.close() }
        do {
            let report = try await db.command(actor, clock: clock, alone: true) { tx in
                var problems: [ImportProblem] = []
                let imported: Int
                try await Self.pageCache(tx, bulk: true)
                do { imported = try await body(tx, file, &problems) } catch let error as DomainError {
                    problems.append(ImportProblem(line: 1, error))
                    imported = 0
                } catch {
                    try? await Self.pageCache(tx, bulk: false)
                    throw error
                }
                try await Self.pageCache(tx, bulk: false)
                let report = ImportReport(imported: imported, problems: problems, encoding: file.encoding.rawValue)
                guard problems.isEmpty else {
                    throw Rejected(report: ImportReport(imported: 0, problems: problems, encoding: report.encoding))
                }
                try await tx.audit(
                    AuditRecord(
                        action: "registry.import", objectType: "registry", objectID: kind,
                        after: AuditJSON.encode(["kind": kind, "rows": "\(imported)", "encoding": report.encoding])),
                    role: auditRole)
                return report
            }
            if report.imported > 0 { await Self.analyse(db) }
            return report
        } catch let rejected as Rejected {
            return rejected.report
        }
    }

    /// PostgreSQL: the planner's statistics of the registry's tables, taken right after an import committed, so
    /// searches plan for the new size at once rather than after autovacuum's next analyse (a sample of each table:
    /// about a second at two million people; reads and writes go on meanwhile). A failure only leaves the old
    /// statistics. SQLite keeps none: the registry's queries fix their plans by their shape (`+p.id`, a walk along
    /// an index in its order), measured at two million people without statistics, and `ANALYZE` there would change
    /// the plans of every module tuned without them.
    static func analyse(_ db: Database) async {
        guard db.backend == .postgres else { return }
        try? await db.read { sql in
            try await sql.raw(
                """
                ANALYZE registry_people, registry_person_terms, registry_person_tags, registry_households,
                  registry_houses, registry_moves
                """
            ).run()
        }
    }

    /// SQLite's page cache for the writer's connection: an import inserts keyed hashes into indexes in random order
    /// (issue 12: two million people are about sixteen million name terms), which the default 2 MB cache turns into
    /// a read of the file for nearly every row. Raised to 1 GB (used only as pages are read) for the import, then
    /// set back to the default.
    static func pageCache(_ tx: Transaction, bulk: Bool) async throws {
        guard tx.backend == .sqlite else { return }
        try await tx.sql.raw(SQLQueryString("PRAGMA cache_size = \(unsafeRaw: bulk ? "-1048576" : "-2000")")).run()
    }

    static func set(_ form: inout PersonForm, _ field: String, _ value: String, community: inout String) {
        switch field {
        case "name": form.name = value
        case "id_type": form.idType = value
        case "id_number": form.idNumber = value
        case "sex": form.sex = value
        case "birth_date": form.birthDate = value
        case "ethnicity": form.ethnicity = value
        case "phone": form.phone = value
        case "community": community = value
        case "building": form.building = value
        case "unit": form.unit = value
        case "room": form.room = value
        case "household": form.household = value
        case "relation": form.relation = value
        case "residence_status": form.residenceStatus = value
        case "tags": form.tags = value
        case "permit_start": form.permitStart = value
        case "permit_end": form.permitEnd = value
        case "moved_in_on": form.movedInOn = value
        default: break
        }
    }

    static func malformed(_ error: any Error, line: Int) -> DomainError {
        if case .unicodeDecoding = error as? CSVError {
            return DomainError.invalid("file_encoding", field: "file")
        }
        return DomainError.invalid("file_malformed", field: "file", args: ["\(line)"])
    }
}

/// The building a row names: by its division code, or by its community's name and its own, found once per file.
/// Outside the command line the importer must hold `importRows` there.
struct BuildingLookup {
    var found: [String: Node] = [:]

    mutating func resolve(
        _ sql: any SQLDatabase, _ raw: String, community: String, actor: Actor
    ) async throws -> String {
        "\(try await node(sql, raw, community: community, actor: actor).id)"
    }

    mutating func node(
        _ sql: any SQLDatabase, _ raw: String, community: String, actor: Actor
    ) async throws -> Node {
        let name = raw.trimmedWhitespace
        let communityName = community.trimmedWhitespace
        guard !name.isEmpty else { throw DomainError.invalid("building_missing", field: "building") }
        let key = communityName + "\u{1F}" + name
        var node = found[key]
        if node == nil {
            let byCode = try await sql.raw(
                "SELECT * FROM nodes WHERE code = \(bind: name) AND kind = 'building' AND closed_at IS NULL"
            ).first().map(JurisdictionStore.decodeNode)
            if let byCode {
                node = byCode
            } else if !communityName.isEmpty {
                let rows = try await sql.raw(
                    """
                    SELECT b.* FROM nodes b JOIN nodes c ON c.id = b.community_id
                    WHERE b.kind = 'building' AND b.name = \(bind: name) AND c.name = \(bind: communityName)
                    AND b.closed_at IS NULL
                    """
                ).all().map(JurisdictionStore.decodeNode)
                guard rows.count <= 1 else {
                    throw DomainError.invalid("building_ambiguous", field: "building", args: [communityName, name])
                }
                node = rows.first
            }
            if let node { found[key] = node }
        }
        guard let node else {
            throw DomainError.invalid("building_not_found", field: "building", args: [communityName, name])
        }
        if actor.principal != .commandLine {
            try RegistryPolicy.require(.importRows, of: actor, at: node.path)
        }
        return node
    }
}
