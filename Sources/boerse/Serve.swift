import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Web

#if os(Linux)
    import CMalloc
    import Glibc
#else
    import Darwin
#endif

/// `boerse serve`: migrate if needed, then answer HTTP until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the exchange over HTTP (the default command).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (IPv4 or IPv6 literal, or localhost). [env: BOERSE_HOST]")
    var host: String = Environment.value("BOERSE_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port to listen on. [env: BOERSE_PORT]")
    var port: Int = Environment.value("BOERSE_PORT").flatMap(Int.init) ?? 8080

    @OptionGroup var site: SiteOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        Self.limitMallocArenas()
        let logger = Logging.make("boerse", level: common.logLevel)
        let application = try buildApplication(site.configuration(common), logger: logger)
        var http = Configuration(host: host, port: port, uploadPathPrefixes: Application.uploadPathPrefixes)
        Self.fitConnectionCap(&http, logger: logger)
        let server = Server(
            configuration: http,
            logger: Logging.make("boerse.http", level: common.logLevel),
            quickHandler: { request in application.respondQuickly(to: request) },
            handler: { request in application.respond(to: request) })
        try server.start()
        application.startBackgroundJobs()
        defer { application.stopBackgroundJobs() }
        logger.info("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)")
        server.runUntilTerminated()
        logger.info("stopped")
    }

    /// Descriptors the server needs besides its client sockets: listeners, the database, logs, the event
    /// loop, files being served.
    static let descriptorReserve = 256

    /// Raises the soft limit on open descriptors towards the hard one, as far as the connection cap needs
    /// (`maxConnections`, the 503 allowance past it, `descriptorReserve`); where the hard limit is lower,
    /// the cap is lowered to fit, with a warning, so the server refuses with 503 instead of failing accepts.
    static func fitConnectionCap(_ configuration: inout Configuration, logger: Logger) {
        let cap = configuration.maxConnections
        let needed = rlim_t(cap + max(8, cap / 8) + descriptorReserve)
        var limits = rlimit()
        guard getrlimit(descriptorResource, &limits) == 0 else { return }
        if limits.rlim_cur < needed {
            var raised = limits
            raised.rlim_cur = min(needed, limits.rlim_max)
            if setrlimit(descriptorResource, &raised) == 0 { limits = raised }
        }
        guard limits.rlim_cur < needed else { return }
        let usable = max(0, Int(limits.rlim_cur) - descriptorReserve)
        configuration.maxConnections = max(16, usable * 8 / 9)
        logger.warning(
            "Only \(limits.rlim_cur) open descriptors allowed (ulimit -n); connection cap lowered from \(cap) to \(configuration.maxConnections)"
        )
    }

    #if os(Linux)
        private static let descriptorResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let descriptorResource = RLIMIT_NOFILE
    #endif

    /// glibc gives threads that allocate at the same time their own heaps ("arenas", up to eight per
    /// core), and memory freed in one is not reused by another: a thousand connections served by the
    /// accepting, event-loop and Dispatch threads grew resident memory by about 4 MB per wave
    /// (Benchmarks/NOTES.md). One arena per core keeps it flat. `MALLOC_ARENA_MAX` in the environment wins.
    private static func limitMallocArenas() {
        #if os(Linux)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            _ = mallopt(M_ARENA_MAX, Int32(max(1, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }
}

enum Logging {
    static func make(_ label: String, level: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}

/// How the site is reached and how it sends mail; `serve` and the commands that send mail share them.
struct SiteOptions: ParsableArguments {
    @Option(
        help: "Address people reach the site at; links in e-mails use it, https enables HSTS. [env: BOERSE_PUBLIC_URL]")
    var publicURL: String = Environment.value("BOERSE_PUBLIC_URL") ?? "http://localhost:8080"

    @Option(
        help:
            "Comma-separated addresses of reverse proxies whose X-Forwarded-For is trusted. [env: BOERSE_TRUSTED_PROXIES]"
    )
    var trustedProxies: String = Environment.value("BOERSE_TRUSTED_PROXIES") ?? ""

    @Option(help: "Folder for uploaded images (default: uploads/ next to the database). [env: BOERSE_UPLOADS]")
    var uploads: String = Environment.value("BOERSE_UPLOADS") ?? ""

    @Option(help: "Mail transport: outbox (mails stay in the outbox) or sendmail. [env: BOERSE_MAIL_TRANSPORT]")
    var mailTransport: String = Environment.value("BOERSE_MAIL_TRANSPORT") ?? "outbox"

    @Option(help: "sendmail-compatible program for --mail-transport sendmail. [env: BOERSE_SENDMAIL_PATH]")
    var sendmailPath: String = Environment.value("BOERSE_SENDMAIL_PATH") ?? "/usr/sbin/sendmail"

    @Option(help: "Sender address of every e-mail. [env: BOERSE_MAIL_FROM]")
    var mailFrom: String = Environment.value("BOERSE_MAIL_FROM") ?? "ehrenamt@localhost"

    @Option(help: "A session ends after this many hours without a request. [env: BOERSE_SESSION_IDLE_HOURS]")
    var sessionIdleHours: Int = Environment.value("BOERSE_SESSION_IDLE_HOURS").flatMap(Int.init) ?? 48

    @Option(help: "A session ends this many days after login, however active. [env: BOERSE_SESSION_LIFETIME_DAYS]")
    var sessionLifetimeDays: Int = Environment.value("BOERSE_SESSION_LIFETIME_DAYS").flatMap(Int.init) ?? 30

    @Flag(
        help:
            "Render every listing page afresh instead of keeping them for visitors without a session (to measure rendering)."
    )
    var noPageCache = false

    func validate() throws {
        guard (1...24 * 90).contains(sessionIdleHours), (1...365).contains(sessionLifetimeDays),
            sessionIdleHours <= sessionLifetimeDays * 24
        else {
            throw ValidationError("session limits: idle 1…2160 hours, lifetime 1…365 days, idle not above lifetime")
        }
        guard MailSettings.Transport(rawValue: mailTransport) != nil else {
            throw ValidationError("--mail-transport must be outbox or sendmail")
        }
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://"), !publicURL.hasSuffix("/") else {
            throw ValidationError("--public-url must start with http:// or https:// and have no trailing slash")
        }
    }

    func configuration(_ common: CommonOptions) -> AppConfiguration {
        var configuration = AppConfiguration(
            root: common.root, databasePath: common.databasePath, region: common.region, publicBaseURL: publicURL,
            trustedProxies: Set(trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }),
            uploadsDirectory: uploads.isEmpty ? nil : (uploads.hasPrefix("/") ? uploads : common.root + "/" + uploads),
            mail: MailSettings(
                transport: MailSettings.Transport(rawValue: mailTransport) ?? .outbox, sendmailPath: sendmailPath,
                fromAddress: mailFrom),
            sessionIdleTimeout: TimeInterval(sessionIdleHours) * 3600,
            sessionLifetime: TimeInterval(sessionLifetimeDays) * 24 * 3600)
        configuration.keepsListingPages = !noPageCache
        return configuration
    }
}
