import Foundation
import HTTPServer
import Logging

/// A log handler that records messages, for access-log tests.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    // `lock` guards `records`; swift-log calls handlers from any thread.
    private let lock = NSLock()
    private var records: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.lock()
        records.append((event.level, event.message.description, event.metadata ?? [:]))
        lock.unlock()
    }

    var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] {
        lock.lock()
        defer { lock.unlock() }
        return records
    }
}

/// A logger that drops everything.
let silentLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// The configuration tests use: loopback, kernel-chosen port, two workers.
func testConfiguration(_ change: (inout Configuration) -> Void = { _ in }) -> Configuration {
    var configuration = Configuration(host: "127.0.0.1", port: 0, workerCount: 2, shutdownGracePeriod: 5)
    change(&configuration)
    return configuration
}

/// Starts a server on 127.0.0.1 port 0, runs `body` and always shuts the server down.
func withServer(
    _ configuration: Configuration = testConfiguration(),
    logger: Logger = silentLogger,
    quickHandler: QuickHandler? = nil,
    handler: @escaping Handler = { _ in .text("hello") },
    _ body: (Server) throws -> Void
) throws {
    let server = Server(configuration: configuration, logger: logger, quickHandler: quickHandler, handler: handler)
    try server.start()
    defer { server.shutdown() }
    try body(server)
}
