import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Web

/// `boerse serve`: migrate if needed, then answer HTTP until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the exchange over HTTP (the default command).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (IPv4 or IPv6 literal, or localhost). [env: BOERSE_HOST]")
    var host: String = Environment.value("BOERSE_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port to listen on. [env: BOERSE_PORT]")
    var port: Int = Environment.value("BOERSE_PORT").flatMap(Int.init) ?? 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        let logger = Logging.make("boerse", level: common.logLevel)
        let application = try buildApplication(
            AppConfiguration(root: common.root, databasePath: common.databasePath, region: common.region),
            logger: logger)
        let server = Server(
            configuration: Configuration(host: host, port: port),
            logger: Logging.make("boerse.http", level: common.logLevel),
            handler: { request in application.respond(to: request) })
        try server.start()
        logger.info("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)")
        server.runUntilTerminated()
        logger.info("stopped")
    }
}

enum Logging {
    static func make(_ label: String, level: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}
