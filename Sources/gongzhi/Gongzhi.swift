import ArgumentParser
import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiWeb
import Hummingbird
import Logging

@main
struct Gongzhi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gongzhi",
        abstract: "Gongzhi (共治): community governance — jurisdiction tree, accounts, cases and more.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Selftest.self, KeysCommand.self, UserCommand.self, TokenCommand.self,
            Import.self,
            Export.self,
            Audit.self, BackupCommand.self, Boundaries.self, Citus.self,
        ])
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help:
            "sqlite:///path/file.sqlite or postgres://user@host:port/db (env GONGZHI_DATABASE_URL; default sqlite://./data/gongzhi.sqlite)"
    )
    var url: String?

    /// The URL from the flag, the environment, `.env` or the default (see `Settings`).
    func resolved() async throws -> String {
        try await Settings.reader(flags: ["database.url": url]).text("database.url")
    }

    /// Opens the database, keying its audit chain with the server secret (GONGZHI_SECRET, see `Settings`) when that is
    /// set: commands that write (and so append audit entries) fail with a clear message without it.
    func open() async throws -> Database {
        let db: Database
        do { db = try Database.open(url: try await resolved()) } catch let error as DatabaseURLError {
            fail("GONGZHI_DATABASE_URL: \(error.description)")
        }
        let config = try await Settings.reader(flags: [:])
        let secret = config.text("secret")
        if !secret.isEmpty {
            try db.useServerSecret(secret, suite: Settings.cryptoSuite(config), dataKeys: Settings.dataKeys(config))
        }
        return db
    }
}

/// Exits with one clear line instead of a stack trace.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gongzhi: \(message)\n".utf8))
    exit(1)
}

func describe(_ error: any Error) -> String {
    if let e = error as? DomainError {
        let localizer = try? Localizer.load()
        return localizer.map { $0.message(e, .en) + " / " + $0.message(e, .zh) } ?? e.key
    }
    return String(describing: error)
}

/// A database URL without its password, for messages.
func redacted(_ url: String) -> String {
    guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
    let userinfo = url[scheme.upperBound..<at]
    guard let colon = userinfo.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":***" + String(url[at...])
}
