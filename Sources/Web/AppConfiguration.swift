import Foundation

/// How the web application is set up: where its files are, which database and region it uses.
public struct AppConfiguration: Sendable {
    /// Folder holding Templates, Public, Migrations, Regions, Localization and Config.
    public var root: String
    /// Path of the SQLite database file.
    public var databasePath: String
    /// Region name: `Regions/<region>.csv` and `Config/<region>.json`.
    public var region: String
    /// The county's time zone; every date on a page is shown in it.
    public var timeZone: TimeZone
    /// The current time; tests fix it.
    public var clock: @Sendable () -> Date

    public init(
        root: String, databasePath: String, region: String = "lippe",
        timeZone: TimeZone = TimeZone(identifier: "Europe/Berlin")!, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.root = root
        self.databasePath = databasePath
        self.region = region
        self.timeZone = timeZone
        self.clock = clock
    }

    var templatesDirectory: String { root + "/Templates" }
    var publicDirectory: String { root + "/Public" }
    var migrationsDirectory: String { root + "/Migrations" }
    var regionFile: String { root + "/Regions/\(region).csv" }
    var siteSettingsFile: String { root + "/Config/\(region).json" }
    var localizationFile: String { root + "/Localization/de.json" }
}
