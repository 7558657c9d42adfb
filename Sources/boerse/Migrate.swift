import ArgumentParser
import Storage

/// `boerse migrate`: apply pending migrations and load the region's municipalities.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations and load the region file.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let database = try AppDatabase(path: common.databasePath)
        let applied = try Migrator(directory: common.root + "/Migrations").migrate(database)
        let region = try RegionLoader.load(path: common.root + "/Regions/\(common.region).csv", into: database)
        print(
            applied.isEmpty
                ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        print("region \(common.region): \(region.count) municipalities")
    }
}
