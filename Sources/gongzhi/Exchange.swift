import ArgumentParser
import Foundation
import GongzhiDomain
import GongzhiStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Import the jurisdiction tree, governance bodies, or the registry's houses, people, organisations or facilities from CSV (all rows or none).",
        discussion:
            "tree columns: \(TreeRecord.header.joined(separator: ",")); bodies columns: \(BodyRecord.header.joined(separator: ",")); "
            + "houses columns: \(RegistryColumns.houses.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")); "
            + "people columns: \(RegistryColumns.people.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")). "
            + "organisations columns: \(RegistryColumns.organisations.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")); "
            + "facilities columns: \(RegistryColumns.facilities.map { "\($0.headers[0]) \($0.field)" }.joined(separator: ", ")). "
            + "Registry files may be UTF-8 or GB18030/GBK CSV or an Excel workbook, with Chinese or English headers."
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "tree, bodies, houses, people, organisations or facilities") var what: String
    @Argument(help: "CSV file (UTF-8; registry files also GB18030 or an Excel workbook)") var file: String

    func run() async throws {
        let db = try await database.open()
        try await Migrator().migrate(db)
        if ["people", "houses", "organisations", "facilities"].contains(what) {
            guard db.personalDataBox != nil else { fail("importing the registry needs GONGZHI_SECRET") }
            let registry = RegistryImport(db: db)
            let url = URL(fileURLWithPath: file)
            let started = Date()
            let report: ImportReport
            do {
                switch what {
                case "people": report = try await registry.importPeople(.commandLine, file: url)
                case "organisations": report = try await registry.importOrganisations(.commandLine, file: url)
                case "facilities": report = try await registry.importFacilities(.commandLine, file: url)
                default: report = try await registry.importHouses(.commandLine, file: url)
                }
            } catch { fail(describe(error)) }
            await db.shutdown()
            guard report.problems.isEmpty else {
                for problem in report.problems {
                    let error = DomainError.invalid(problem.key, field: problem.field, args: problem.args)
                    print("line \(problem.line)\(problem.field.map { ", \($0)" } ?? ""): \(describe(error))")
                }
                fail("nothing imported: \(report.problems.count) problem(s)")
            }
            print(
                "imported \(report.imported) \(what) (\(report.encoding)) in "
                    + String(format: "%.1f", Date().timeIntervalSince(started)) + " s")
            return
        }
        guard let csv = try? String(contentsOfFile: file, encoding: .utf8) else { fail("cannot read \(file) as UTF-8") }
        do {
            let exchange = TreeExchange(db: db)
            let n: Int
            switch what {
            case "bodies": n = try await exchange.importBodies(.commandLine, csv: csv)
            case "tree": n = try await exchange.importTree(.commandLine, csv: csv)
            default: fail("usage: gongzhi import tree|bodies FILE")
            }
            print("imported \(n) rows")
        } catch { fail(describe(error)) }
        await db.shutdown()
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the open tree or the bodies under a node as CSV to standard output.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "tree or bodies") var what: String
    @Option(help: "Node id or division code of the subtree (default: the first district).") var node: String?

    func run() async throws {
        let db = try await database.open()
        do {
            let rootID: Int64
            if let node {
                rootID = try await resolveNode(db, node)
            } else {
                guard let root = try await JurisdictionStore(db: db).roots().first else { fail("the tree is empty") }
                rootID = root.id
            }
            let exchange = TreeExchange(db: db)
            print(
                what == "bodies"
                    ? try await exchange.exportBodies(.commandLine, rootID: rootID)
                    : try await exchange.exportTree(.commandLine, rootID: rootID), terminator: "")
        } catch { fail(describe(error)) }
        await db.shutdown()
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the audit log.", subcommands: [Verify.self])
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the whole hash chain and its head with the server secret; report the first broken link (exit 1).",
            discussion: "An intact chain is recorded as a checkpoint, from which the /audit page verifies.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The server secret the chain is keyed with (env GONGZHI_SECRET).") var secret: String?
        func run() async throws {
            let secret = try await Settings.reader(flags: ["secret": secret]).text("secret")
            guard !secret.isEmpty else {
                fail(
                    "audit verify needs the server secret the chain is keyed with: set GONGZHI_SECRET or pass --secret")
            }
            let db = try await database.open()
            try db.useServerSecret(secret)
            let report: AuditLog.Report
            do { report = try await AuditLog.verify(db, from: .firstEntry, recordCheckpoint: true, at: Date()) } catch {
                await db.shutdown()
                fail(describe(error))
            }
            await db.shutdown()
            switch report.verification {
            case .intact(let n):
                print(
                    "audit log intact: \(n) entries"
                        + (report.recorded.map { "; checkpoint recorded at entry \($0.seq)" } ?? ""))
            case .broken(let seq, let reason): fail("audit log broken at entry \(seq): \(reason)")
            }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database while the server runs.",
        discussion:
            "SQLite: a complete database file (restore by copying it into place). PostgreSQL: a pg_dump custom-format archive (restore with pg_restore -d NEWDB FILE)."
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Where to write the copy (must not exist).") var file: String
    func run() async throws {
        let db = try await database.open()
        do { try await Backup.run(db, to: file) } catch { fail(String(describing: error)) }
        let verification =
            db.auditKey == nil ? "not verified: GONGZHI_SECRET not set" : "\(try await AuditLog.verify(db))"
        await db.shutdown()
        print("backup written to \(file) (audit chain at backup time: \(verification))")
    }
}

/// Grid boundaries as GeoJSON: `boundaries import FILE` (all features or none, every problem listed) and
/// `boundaries export` (a FeatureCollection to standard output), through the tree's one writer.
struct Boundaries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export grid boundaries as a GeoJSON FeatureCollection (WGS 84).",
        subcommands: [ImportBoundaries.self, ExportBoundaries.self])

    struct ImportBoundaries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Set grid boundaries from a FeatureCollection (all features or none).",
            discussion:
                "Each feature names its grid by properties.code or properties.id; a null geometry clears the boundary.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "GeoJSON file (UTF-8)") var file: String

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                fail("cannot read \(file) as UTF-8")
            }
            let db = try await database.open()
            try await Migrator().migrate(db)
            do {
                let n = try await JurisdictionCommands(db: db).importBoundaries(.commandLine, geoJSON: text)
                print("boundaries of \(n) grids set")
            } catch let error as BoundaryImportError {
                await db.shutdown()
                let lines = error.problems.map { "feature \($0.feature) (\($0.ref)): \(describe($0.error))" }
                fail("nothing imported; \(lines.count) problems:\n" + lines.joined(separator: "\n"))
            } catch {
                await db.shutdown()
                fail(describe(error))
            }
            await db.shutdown()
        }
    }

    struct ExportBoundaries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the boundaries of the open grids under a node to standard output.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Node id or division code of the subtree (default: the first district).") var node: String?

        func run() async throws {
            let db = try await database.open()
            do {
                let rootID: Int64
                if let node {
                    rootID = try await resolveNode(db, node)
                } else {
                    guard let root = try await JurisdictionStore(db: db).roots().first else {
                        fail("the tree is empty")
                    }
                    rootID = root.id
                }
                print(
                    try await JurisdictionCommands(db: db).exportBoundaries(.commandLine, rootID: rootID),
                    terminator: "")
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }
}
