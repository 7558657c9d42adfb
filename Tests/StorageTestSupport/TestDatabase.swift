import Foundation
import Storage

/// Fresh, migrated databases for tests: one temporary file per call, removed when the process ends.
public enum TestDatabase {
    /// The folder holding Package.swift, Migrations/, Regions/, Templates/ …
    public static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// A new temporary database path (the file does not exist yet).
    public static func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boerse-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("\(UUID().uuidString).sqlite").path
    }

    /// A database with every migration applied and the given region's municipalities loaded.
    public static func makeMigrated(region: String = "lippe") throws -> AppDatabase {
        let database = try AppDatabase(path: temporaryPath())
        try Migrator(directory: projectRoot + "/Migrations").migrate(database)
        try RegionLoader.load(path: projectRoot + "/Regions/\(region).csv", into: database)
        return database
    }

    /// A migrated database filled with the deterministic demo data, seeded as of `now`.
    public static func makeSeeded(now: Date = TestClock.now, region: String = "lippe") throws -> AppDatabase {
        let database = try makeMigrated(region: region)
        _ = try DemoSeeder(contentPath: projectRoot + "/Seeds/demo", now: now).seed(into: database)
        return database
    }
}

/// The fixed clock tests use: 2026-11-25 10:00 in Europe/Berlin.
public enum TestClock {
    public static let now = Date(timeIntervalSince1970: 1_795_597_200)
}
