// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "gongzhi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gongzhi", targets: ["gongzhi"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "GongzhiDomain",
            swiftSettings: swiftSettings
        ),
        // SM3 and SM4 from the system's OpenSSL 3 (Debian's libssl-dev), behind the store's crypto suites.
        .target(
            name: "CGongzhiCrypto",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .target(
            name: "GongzhiStore",
            dependencies: [
                "GongzhiDomain",
                "CGongzhiCrypto",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo district, written through the stores' bulk helpers only: no SQL here (issue 9).
        .target(
            name: "GongzhiDemo",
            dependencies: ["GongzhiDomain", "GongzhiStore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GongzhiWeb",
            dependencies: [
                "GongzhiDomain",
                "GongzhiStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gongzhi",
            dependencies: [
                "GongzhiDomain",
                "GongzhiStore",
                "GongzhiDemo",
                "GongzhiWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gongzhi-bench",
            dependencies: [
                "GongzhiDomain", "GongzhiStore", "GongzhiDemo", "GongzhiWeb",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/CaseBench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GongzhiTestSupport",
            dependencies: [
                "GongzhiDomain", "GongzhiStore", "GongzhiWeb", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/GongzhiTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GongzhiDomainTests",
            dependencies: ["GongzhiDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GongzhiStoreTests",
            dependencies: [
                "GongzhiStore", "GongzhiTestSupport", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ],

            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GongzhiDemoTests",
            dependencies: ["GongzhiDemo", "GongzhiStore", "GongzhiTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GongzhiWebTests",
            dependencies: [
                "GongzhiWeb", "GongzhiTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
