// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "boerse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "boerse", targets: ["boerse"]),
        // For the separate fuzzing and benchmark packages, which build against the server alone.
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        // For the Hummingbird benchmark peer (Benchmarks/Peers/Hummingbird): the same queries as ours.
        .library(name: "BoerseStorage", targets: ["Storage", "Domain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Argon2id password hashing, the CSPRNG and SHA-256 for session and e-mail tokens.
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", providers: [.apt(["libsodium-dev"])]),
        // epoll and eventfd: the HTTP server watches its connections with its own event loop on Linux.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        // mallopt: `boerse serve` bounds glibc's per-thread heaps.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "Domain", swiftSettings: strictSwift),
        .target(name: "Matching", dependencies: ["Domain"], swiftSettings: strictSwift),
        .target(
            name: "HTTPServer",
            dependencies: [
                "CZlib",
                .target(name: "CEpoll", condition: .when(platforms: [.linux])),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Domain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "Web",
            dependencies: [
                "Domain", "Matching", "Storage", "HTTPServer", "CSodium",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "boerse",
            dependencies: [
                "Web", "Storage", "HTTPServer",
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "StorageTestSupport",
            dependencies: ["Storage", "Domain", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/StorageTestSupport",
            swiftSettings: strictSwift
        ),
        .target(
            name: "WebTestSupport",
            dependencies: [
                "Web", "HTTPServer", "StorageTestSupport", .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/WebTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: strictSwift),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "Domain"], swiftSettings: strictSwift),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "StorageTestSupport", "Domain", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "WebTestSupport", "StorageTestSupport", "HTTPServer", "Domain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The equivalence tests render with the library our renderer replaced.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
