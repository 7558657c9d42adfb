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
    /// The address people reach the site at, without trailing slash (`https://ehrenamt.kreis-lippe.de`);
    /// links in e-mails are built from it, and `https` here means cookies get `Secure` and HSTS is sent.
    public var publicBaseURL: String
    /// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (a reverse proxy in front).
    public var trustedProxies: Set<String>
    /// Where uploaded images are stored; outside `Public/`.
    public var uploadsDirectory: String
    /// How e-mail leaves the system.
    public var mail: MailSettings
    /// A session ends after this long without a request.
    public var sessionIdleTimeout: TimeInterval
    /// A session ends this long after login, however active.
    public var sessionLifetime: TimeInterval
    /// Forms filled faster than this are treated as sent by a bot.
    public var minimumFormFillTime: TimeInterval
    /// Whether listing pages are kept for visitors without a session (`PageCache`); off only to measure
    /// rendering (`make bench`).
    public var keepsListingPages = true

    public init(
        root: String, databasePath: String, region: String = "lippe",
        timeZone: TimeZone = TimeZone(identifier: "Europe/Berlin")!, clock: @escaping @Sendable () -> Date = { Date() },
        publicBaseURL: String = "http://localhost:8080", trustedProxies: Set<String> = [],
        uploadsDirectory: String? = nil, mail: MailSettings = MailSettings(),
        sessionIdleTimeout: TimeInterval = 2 * 24 * 3600, sessionLifetime: TimeInterval = 30 * 24 * 3600,
        minimumFormFillTime: TimeInterval = 3
    ) {
        self.root = root
        self.databasePath = databasePath
        self.region = region
        self.timeZone = timeZone
        self.clock = clock
        self.publicBaseURL = publicBaseURL
        self.trustedProxies = trustedProxies
        self.uploadsDirectory =
            uploadsDirectory ?? (URL(fileURLWithPath: databasePath).deletingLastPathComponent().path + "/uploads")
        self.mail = mail
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
        self.minimumFormFillTime = minimumFormFillTime
    }

    /// Whether people reach the site over HTTPS (cookies get `Secure`, responses HSTS).
    var isServedOverHTTPS: Bool { publicBaseURL.lowercased().hasPrefix("https://") }

    var templatesDirectory: String { root + "/Templates" }
    var publicDirectory: String { root + "/Public" }
    var migrationsDirectory: String { root + "/Migrations" }
    var regionFile: String { root + "/Regions/\(region).csv" }
    var siteSettingsFile: String { root + "/Config/\(region).json" }
    var localizationFile: String { localizationFile(.de) }
    func localizationFile(_ language: Language) -> String { root + "/Localization/\(language.rawValue).json" }
    var commonPasswordsFile: String { root + "/Data/common-passwords.txt" }
}

/// How e-mail is sent: kept in the outbox (development) or piped to a sendmail-compatible program.
public struct MailSettings: Sendable {
    public enum Transport: String, Sendable, CaseIterable {
        /// Messages stay in the outbox; staff read them on the outbox page and with `boerse mail list`.
        case outbox
        /// Each message is piped to `sendmailPath` (msmtp, postfix's sendmail, …).
        case sendmail
    }

    public var transport: Transport
    public var sendmailPath: String
    /// The sender of every message (`From:`), e.g. `Ehrenamtsbörse Kreis Lippe <ehrenamt@kreis-lippe.de>`.
    public var fromAddress: String
    public var fromName: String

    public init(
        transport: Transport = .outbox, sendmailPath: String = "/usr/sbin/sendmail",
        fromAddress: String = "ehrenamt@localhost", fromName: String = ""
    ) {
        self.transport = transport
        self.sendmailPath = sendmailPath
        self.fromAddress = fromAddress
        self.fromName = fromName
    }
}
