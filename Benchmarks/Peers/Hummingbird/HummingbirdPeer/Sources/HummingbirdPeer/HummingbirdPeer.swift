import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `hummingbird-peer`: the Hummingbird 2 benchmark peer (issue 6). Serves `/healthz`, `/ehrenamt`,
/// `/ehrenamt/{id}` and `/suche` from the same database, templates, strings and queries as the main server.
@main
struct HummingbirdPeer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hummingbird-peer", abstract: "The Hummingbird 2 benchmark peer of the exchange.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on.")
    var port = 8081

    @Option(help: "Path of the SQLite database file (made by `boerse migrate` and `boerse seed`).")
    var database: String

    @Option(help: "Project root: Templates/, Localization/, Config/ and Regions/ are read from there.")
    var root: String = FileManager.default.currentDirectoryPath

    @Option(help: "Region: Regions/<region>.csv and Config/<region>.json (as the main server's --region).")
    var region = "lippe"

    @Option(help: "Address people reach the site at (as the main server's --public-url); used in hreflang links.")
    var publicURL = "http://localhost:8080"

    @Option(help: "Log level (warning for benchmarks).")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        var logger = Logger(label: "hummingbird-peer")
        logger.logLevel = logLevel
        let site = try await Site(
            Site.Options(root: root, databasePath: database, region: region, publicBaseURL: publicURL))
        let app = Application(
            router: PeerRoutes.build(site: site),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
        try await app.runService()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
