import Configuration
import Foundation
import GongzhiStore
import SystemPackage

/// Settings are read through swift-configuration: command-line flags first, then the environment (`GONGZHI_*`),
/// then a `.env` file in the working directory, then the defaults below. Keys are scoped under `gongzhi`, so the key
/// `database.url` is the variable `GONGZHI_DATABASE_URL`.
enum Settings {
    static let defaults: [String: String] = [
        "database.url": "sqlite://./data/gongzhi.sqlite",
        "host": "127.0.0.1",
        "port": "8080",
        "log.level": "info",
        "session.idle.minutes": "30",
        "insecure.cookies": "0",
        "require.staff.2fa": "0",
        "trusted.proxies": "",
        "public.url": "",
        "open311.snap.meters": "500",
        "metrics.token": "",
        "crypto.suite": "sm",
        "crypto.keys": "",
        "crypto.keys.file": "",
        "map.tiles.url": "",
        "map.tiles.attribution": "",
        "map.tiles.gcj02": "0",
    ]

    /// The crypto suite that seals new personal data, or a clear stop.
    static func cryptoSuite(_ config: ConfigReader) -> CryptoSuiteName {
        let raw = config.text("crypto.suite")
        guard let suite = CryptoSuiteName(rawValue: raw) else {
            fail("GONGZHI_CRYPTO_SUITE must be sm (SM3/SM4) or intl (SHA-256/AES-GCM), got '\(raw)'")
        }
        return suite
    }

    /// Settings never printed (swift-configuration redacts them in its own output).
    static let secretKeys: Set<String> = ["secret", "metrics.token", "crypto.keys"]

    /// The data keys that seal personal data beyond the server secret's version 0: `GONGZHI_CRYPTO_KEYS`
    /// (`1:<hex>,2:<hex>`) and the lines of the file `GONGZHI_CRYPTO_KEYS_FILE`, the highest version sealing new
    /// values. Kept outside the database like the secret.
    static func dataKeys(_ config: ConfigReader) -> [DataKey] {
        var text = config.text("crypto.keys")
        let file = config.text("crypto.keys.file")
        if !file.isEmpty {
            guard let content = try? String(contentsOfFile: file, encoding: .utf8) else {
                fail("GONGZHI_CRYPTO_KEYS_FILE: cannot read \(file)")
            }
            text += "\n" + content
        }
        do { return try DataKey.parse(text) } catch { fail("GONGZHI_CRYPTO_KEYS: \(error)") }
    }

    /// A reader with the given flags (only those the user set) on top.
    static func reader(flags: [String: String?]) async throws -> ConfigReader {
        func values(_ pairs: [String: String]) -> [AbsoluteConfigKey: ConfigValue] {
            Dictionary(
                uniqueKeysWithValues: pairs.map {
                    (
                        AbsoluteConfigKey(["gongzhi"] + $0.key.split(separator: ".").map(String.init)),
                        ConfigValue(.string($0.value), isSecret: secretKeys.contains($0.key))
                    )
                })
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: values(flags.compactMapValues { $0 })),
            EnvironmentVariablesProvider(
                secretsSpecifier: .specific([
                    "GONGZHI_SECRET", "GONGZHI_PASSWORD", "GONGZHI_METRICS_TOKEN", "GONGZHI_CRYPTO_KEYS",
                ])),
        ]
        if FileManager.default.fileExists(atPath: ".env") {
            providers.append(
                try await EnvironmentVariablesProvider(
                    environmentFilePath: FilePath(".env"),
                    secretsSpecifier: .specific(["GONGZHI_SECRET", "GONGZHI_PASSWORD", "GONGZHI_METRICS_TOKEN"])))
        }
        providers.append(InMemoryProvider(name: "defaults", values: values(defaults)))
        return ConfigReader(providers: providers).scoped(to: "gongzhi")
    }
}

extension ConfigReader {
    /// A setting as text, with its default from `Settings.defaults`.
    func text(_ key: String) -> String {
        string(
            forKey: ConfigKey(key.split(separator: ".").map(String.init)), isSecret: Settings.secretKeys.contains(key))
            ?? ""
    }

    /// A yes/no setting: "1", "true", "yes" or "on".
    func flag(_ key: String) -> Bool { ["1", "true", "yes", "on"].contains(text(key).lowercased()) }
}
