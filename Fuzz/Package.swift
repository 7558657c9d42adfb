// swift-tools-version:6.1
// libFuzzer target for `RequestParser` (module `HTTPServer` of the root package). Not part of the
// root package, so `swift build` / `swift test` at the root never compile it; `Fuzz/run.sh` (and
// `make fuzz`) builds it with `-sanitize=fuzzer,address -parse-as-library`. See docs/FUZZING.md.
import PackageDescription

let package = Package(
    name: "boerse-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "boerse", path: ".."),
        // Same pin as the root package; needed to read `HTTPRequest` / `HTTPFields` of parsed requests.
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzRequestParser",
            dependencies: [
                .product(name: "HTTPServer", package: "boerse"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
