import ArgumentParser
import Foundation
import Logging
import Storage
import Web

/// `boerse seed`: deterministic demo content, or many listings for benchmarks.
struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill the database with demo or benchmark data.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Seed realistic demo organisations, listings and events.")
    var demo = false

    @Option(help: "Generate this many published listings (for benchmarks).")
    var scale: Int?

    @Flag(help: "With --demo: do nothing (and succeed) when the database already holds data.")
    var ifEmpty = false

    func validate() throws {
        guard demo != (scale != nil) else { throw ValidationError("choose exactly one of --demo or --scale N") }
        if let scale, !(1...5_000_000).contains(scale) { throw ValidationError("--scale must be 1…5000000") }
    }

    func run() throws {
        let database = try AppDatabase(path: common.databasePath)
        try Migrator(directory: common.root + "/Migrations").migrate(database)
        try RegionLoader.load(path: common.root + "/Regions/\(common.region).csv", into: database)
        let contentPath = common.root + "/Seeds/demo"
        let start = Date()
        if demo {
            if try database.hasContent(), ifEmpty {
                print("database already holds data: demo seed skipped")
                return
            }
            let summary = try DemoSeeder(contentPath: contentPath, now: Date()).seed(into: database)
            print(
                "seeded \(summary.organisations) organisations, \(summary.listings) listings, \(summary.events) events")
            let application = try buildApplication(
                AppConfiguration(root: common.root, databasePath: common.databasePath, region: common.region),
                logger: Logging.make("boerse", level: common.logLevel))
            let accounts = try DemoAccounts.create(in: application)
            print("demo accounts (password \"\(DemoAccounts.password)\"): " + accounts.joined(separator: "; "))
        } else if let scale {
            let summary = try ScaleSeeder(now: Date()).seed(into: database, listings: scale, contentPath: contentPath)
            print("added \(summary.listings) listings in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        }
    }
}
