import ArgumentParser
import Foundation
import GongzhiStore

/// `gongzhi keys`: the data keys that seal personal data. `generate` prints a new key line to add to
/// `GONGZHI_CRYPTO_KEYS` (or the key file); with it configured, `rotate` re-seals every value under it in batches
/// while the server runs, and `status` counts what is still sealed under an older key. Remove an old key only when
/// `status` says nothing is left under it.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Generate data keys and re-seal personal data under the newest one.",
        subcommands: [Generate.self, Rotate.self, Status.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new random data key line: <version>:<hex>.")
        @Option(help: "The key's version (1 or more, higher than any in use).") var version: Int = 1
        func run() async throws {
            guard version >= 1 else { fail("--version must be 1 or more") }
            var bytes = [UInt8](repeating: 0, count: 32)
            var rng = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
            print("\(version):" + bytes.map { String(format: "%02x", $0) }.joined())
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal all personal data under the newest configured key, in batches.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Rows per transaction.") var batch: Int = 500
        func run() async throws {
            let db = try await database.open()
            guard let box = db.personalDataBox else { fail("keys rotate needs GONGZHI_SECRET") }
            let started = Date()
            do {
                let total = try await KeyRotation(db: db).rotate(batch: max(1, batch)) { done in
                    print("re-sealed \(done) rows…")
                }
                print(
                    "re-sealed \(total) rows under \(box.currentPrefix) in "
                        + String(format: "%.1f", Date().timeIntervalSince(started)) + " s")
            } catch { fail(describe(error)) }
            await db.shutdown()
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count rows still sealed under an older key.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let db = try await database.open()
            guard let box = db.personalDataBox else { fail("keys status needs GONGZHI_SECRET") }
            let left = try await KeyRotation(db: db).remaining()
            print("current key: \(box.currentPrefix); rows under an older key: \(left)")
            await db.shutdown()
        }
    }
}
