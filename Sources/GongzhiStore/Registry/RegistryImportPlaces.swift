import CSV
import Foundation
import GongzhiDomain
import SQLKit

extension RegistryImport {
    /// Organisations from a file (`RegistryColumns.organisations`), all or nothing: each row is checked by
    /// `OrganisationForm` and written by the organisation writer (credit codes once, contacts sealed), placed in the
    /// grid named or else its community, where the importer must hold `importRows`.
    public func importOrganisations(_ actor: Actor, file url: URL) async throws -> ImportReport {
        try await run(actor, url, kind: "organisations") { tx, file, problems in
            var places = PlaceLookup()
            var imported = 0
            var codes: [String: Int] = [:]
            try await Self.eachRow(
                file, RegistryColumns.organisations, required: RegistryColumns.organisationsRequired,
                problems: &problems
            ) { line, value in
                var form = OrganisationForm()
                form.kind = value("kind")
                form.name = value("name")
                form.creditCode = value("credit_code")
                form.registration = value("registration")
                form.registrationNumber = value("registration_number")
                form.address = value("address")
                form.contactName1 = value("contact_name_1")
                form.contactPhone1 = value("contact_phone_1")
                form.contactName2 = value("contact_name_2")
                form.contactPhone2 = value("contact_phone_2")
                form.contactName3 = value("contact_name_3")
                form.contactPhone3 = value("contact_phone_3")
                let node = try await places.node(
                    tx.sql, community: value("community"), grid: value("grid"), actor: actor)
                form.node = "\(node.id)"
                let draft = try form.draft()
                // The same code twice in one file is named with both lines (the writer would only see the second).
                if let code = draft.creditCode {
                    if let first = codes[code] {
                        throw DomainError(
                            .conflict, "import_credit_code_repeated", field: "credit_code", args: ["\(first)"])
                    }
                    codes[code] = line
                }
                _ = try await RegistryCommands.apply(
                    tx, organisation: nil, .create(draft), expectedVersion: nil, checked: false)
                imported += 1
            }
            return imported
        }
    }

    /// Public facilities from a file (`RegistryColumns.facilities`), all or nothing: each row is checked by
    /// `FacilityForm` and written by the facility writer, which places it in the grid whose boundary holds its point;
    /// the importer must hold `importRows` where it lands.
    public func importFacilities(_ actor: Actor, file url: URL) async throws -> ImportReport {
        try await run(actor, url, kind: "facilities") { tx, file, problems in
            var places = PlaceLookup()
            var imported = 0
            try await Self.eachRow(
                file, RegistryColumns.facilities, required: RegistryColumns.facilitiesRequired, problems: &problems
            ) { _, value in
                var form = FacilityForm()
                form.code = value("code")
                form.classCode = value("class_code")
                form.lat = value("lat")
                form.lng = value("lng")
                form.state = value("state")
                form.note = value("note")
                let node = try await places.node(
                    tx.sql, community: value("community"), grid: value("grid"), actor: actor)
                form.node = "\(node.id)"
                let outcome = try await RegistryCommands.apply(
                    tx, facility: nil, .create(try form.draft()), expectedVersion: nil, checked: false)
                if outcome.nodeID != node.id {
                    try await places.requireImport(tx.sql, outcome.nodeID, actor: actor)
                }
                imported += 1
            }
            return imported
        }
    }

    /// The file's rows after its header, each non-empty one handed to `body` with its line and its values by field
    /// (`""` for a column the file lacks). A row `body` refuses with a `DomainError` goes to the report with its line;
    /// reading stops once the report is full; a malformed file ends the import.
    static func eachRow(
        _ file: RegistryFile, _ columns: [(field: String, headers: [String])], required: Set<String>,
        problems: inout [ImportProblem], _ body: (Int, (String) -> String) async throws -> Void
    ) async throws {
        let reader = try file.reader()
        let fields = try RegistryColumns.fields(of: reader.headerRow, in: columns, required: required)
        var line = 1
        while let row = reader.next() {
            line += 1
            guard problems.count < maxProblems else { break }
            if row.allSatisfy({ $0.isEmpty }) { continue }
            var values: [String: String] = [:]
            for (i, field) in fields.enumerated() where i < row.count { values[field] = row[i] }
            do {
                try await body(line) { values[$0] ?? "" }
            } catch let error as DomainError {
                problems.append(ImportProblem(line: line, error))
            }
        }
        if let error = reader.failure { throw malformed(error, line: line) }
    }
}

/// The community a row names (by its division code or its name), and the grid in it named by the row if any, found
/// once per file. Outside the command line the importer must hold `importRows` there.
struct PlaceLookup {
    var found: [String: Node] = [:]

    mutating func node(
        _ sql: any SQLDatabase, community raw: String, grid rawGrid: String, actor: Actor
    ) async throws
        -> Node
    {
        let name = raw.trimmedWhitespace
        let gridName = rawGrid.trimmedWhitespace
        guard !name.isEmpty else { throw DomainError.invalid("import_community_missing", field: "community") }
        let key = name + "\u{1F}" + gridName
        if let node = found[key] {
            try requireImport(node, actor: actor)
            return node
        }
        let communities = try await sql.raw(
            """
            SELECT * FROM nodes WHERE kind IN ('community', 'village') AND closed_at IS NULL
            AND (code = \(bind: name) OR name = \(bind: name))
            """
        ).all().map(JurisdictionStore.decodeNode)
        guard communities.count <= 1 else {
            throw DomainError.invalid("import_community_ambiguous", field: "community", args: [name])
        }
        guard let community = communities.first else {
            throw DomainError.invalid("import_community_not_found", field: "community", args: [name])
        }
        var node = community
        if !gridName.isEmpty {
            guard
                let grid = try await sql.raw(
                    """
                    SELECT * FROM nodes WHERE kind = 'grid' AND closed_at IS NULL AND community_id = \(bind: community.id)
                    AND name = \(bind: gridName)
                    """
                ).first().map(JurisdictionStore.decodeNode)
            else { throw DomainError.invalid("import_grid_not_found", field: "grid", args: [name, gridName]) }
            node = grid
        }
        found[key] = node
        try requireImport(node, actor: actor)
        return node
    }

    func requireImport(_ node: Node, actor: Actor) throws {
        guard actor.principal != .commandLine else { return }
        try RegistryPolicy.require(.importRows, of: actor, at: node.path)
    }

    func requireImport(_ sql: any SQLDatabase, _ id: Int64, actor: Actor) async throws {
        guard actor.principal != .commandLine else { return }
        guard let node = try await JurisdictionStore.node(sql, id) else { throw DomainError.notFound }
        try requireImport(node, actor: actor)
    }
}
