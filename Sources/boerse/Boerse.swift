import ArgumentParser
import Foundation

/// `boerse`: serve the exchange, migrate its database, seed demo or benchmark data.
@main
struct Boerse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boerse",
        abstract: "Ehrenamts- und Spendenbörse: the volunteer and donation exchange of a county.",
        discussion: """
            Every option can also be set by an environment variable (BOERSE_HOST, BOERSE_PORT, \
            BOERSE_DATABASE, BOERSE_REGION, BOERSE_ROOT, BOERSE_LOG_LEVEL); a command-line option wins.
            """,
        subcommands: [Serve.self, Migrate.self, Seed.self, Mail.self, User.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every subcommand shares: where the files and the database are, which region.
struct CommonOptions: ParsableArguments {
    @Option(help: "Folder holding Templates, Public, Migrations, Regions, Localization and Config. [env: BOERSE_ROOT]")
    var root: String = Environment.value("BOERSE_ROOT") ?? FileManager.default.currentDirectoryPath

    @Option(help: "Path of the SQLite database file (created if missing). [env: BOERSE_DATABASE]")
    var database: String = Environment.value("BOERSE_DATABASE") ?? "data/boerse.sqlite"

    @Option(help: "Region: loads Regions/<region>.csv and Config/<region>.json (lippe, hoexter). [env: BOERSE_REGION]")
    var region: String = Environment.value("BOERSE_REGION") ?? "lippe"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [env: BOERSE_LOG_LEVEL]")
    var logLevel: String = Environment.value("BOERSE_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x2D }), !region.isEmpty else {
            throw ValidationError("--region must be a lowercase name such as lippe or hoexter")
        }
        guard FileManager.default.fileExists(atPath: root + "/Regions/\(region).csv") else {
            throw ValidationError("no region file \(root)/Regions/\(region).csv (is --root the project folder?)")
        }
    }

    /// The database path, relative paths taken from the root folder.
    var databasePath: String {
        database.hasPrefix("/") ? database : root + "/" + database
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
