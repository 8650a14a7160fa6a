import ArgumentParser
import Foundation
import GongzhiDomain
import GongzhiStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create accounts, grant roles, reset passwords, disable and enable accounts (auditors included).",
        subcommands: [Create.self, Grant.self, ResetPassword.self, Disable.self, Enable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Create a staff account with its first role at a node. The password is read from GONGZHI_PASSWORD or standard input."
        )
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name (3–32 letters, digits, _ . -).") var username: String
        @Option(help: "Name shown to others.") var displayName: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Node id or division code where the role is held.") var node: String

        func run() async throws {
            let db = try await database.open()
            try await Migrator().migrate(db)
            do {
                let nodeID = try await resolveNode(db, node)
                let user = try await AccountCommands(db: db).createUser(
                    .commandLine, username: username, displayName: displayName, password: readPassword(),
                    role: try Role.parse(role), nodeID: nodeID)
                print("created user \(user.username) (id \(user.id))")
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant a role at a node to an existing user.")
        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        @Option var role: String
        @Option(help: "Node id or division code.") var node: String
        func run() async throws {
            let db = try await database.open()
            do {
                guard let user = try await AccountStore(db: db).user(username: username) else {
                    fail("no user named \(username)")
                }
                let (role, nodeID) = (try Role.parse(role), try await resolveNode(db, node))
                let record = try await AccountCommands(db: db).perform(
                    .commandLine, user.id, .grant(role, nodeID: nodeID))
                let place = record.grants.last { $0.role == role && $0.nodeID == nodeID }?.nodeName ?? "\(nodeID)"
                print("granted \(role.rawValue) at \(place) to \(username)")
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Set a new password (from GONGZHI_PASSWORD or standard input); the user must change it at next log-in.")
        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        func run() async throws {
            let db = try await database.open()
            do {
                guard let user = try await AccountStore(db: db).user(username: username) else {
                    fail("no user named \(username)")
                }
                try await AccountCommands(db: db).perform(.commandLine, user.id, .resetPassword(readPassword()))
                print("password reset for \(username)")
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: it can no longer log in, and its sessions and API tokens end at once.")
        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        func run() async throws {
            try await onUser(username, database, done: "disabled") { commands, id in
                try await commands.perform(.commandLine, id, .disable)
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a disabled account again (log-in only; ended sessions and tokens stay ended).")
        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        func run() async throws {
            try await onUser(username, database, done: "enabled") { commands, id in
                try await commands.perform(.commandLine, id, .enable)
            }
        }
    }
}

/// Runs one account command on the named user from the command line, saying what was done or failing in one line.
func onUser(
    _ username: String, _ database: DatabaseOptions, done: String,
    _ body: (AccountCommands, Int64) async throws -> Void
) async throws {
    let db = try await database.open()
    do {
        guard let user = try await AccountStore(db: db).user(username: username) else {
            fail("no user named \(username)")
        }
        try await body(AccountCommands(db: db), user.id)
        print("\(done) \(username)")
    } catch { fail(describe(error)) }
    await db.shutdown()
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user and print its secret (shown only this once).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Username of the token's owner.") var user: String
        @Option(help: "Label to recognise the token by (up to 60 characters).") var name: String
        func run() async throws {
            let db = try await database.open()
            do {
                guard let owner = try await AccountStore(db: db).user(username: user) else {
                    fail("no user named \(user)")
                }
                // The server's second-factor rule holds here too, so the command line is no way around it.
                let settings = AccountSettings(
                    requireStaffSecondFactor: try await Settings.reader(flags: [:]).flag("require.staff.2fa"))
                let (token, secret) = try await AccountCommands(db: db, settings: settings).createToken(
                    .commandLine, name: name, owner: owner.id)
                FileHandle.standardError.write(
                    Data(
                        "created token \(token.prefix)… (id \(token.id)) for \(user); the secret is shown only once:\n"
                            .utf8))
                print(secret)
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }
}

func readPassword() -> String {
    if let p = ProcessInfo.processInfo.environment["GONGZHI_PASSWORD"] { return p }
    FileHandle.standardError.write(Data("password: ".utf8))
    return readLine(strippingNewline: true) ?? ""
}

func resolveNode(_ db: Database, _ ref: String) async throws -> Int64 {
    let store = JurisdictionStore(db: db)
    if let node = try await store.node(code: ref) { return node.id }
    if let id = Int64(ref), try await store.node(id) != nil { return id }
    throw DomainError.notFound
}
