import Foundation
import HTTPServer
import HTTPTypes
import Logging
import Storage
import StorageTestSupport
import Web

/// A clock tests can move forward (rate-limit recovery, link expiry, form fill time).
public final class TestClockControl: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = TestClock.now) { current = start }

    public var now: Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// The web application with its own fresh database, driven without a socket.
public struct TestApp: Sendable {
    public let application: Application
    public let database: AppDatabase
    public let clock: TestClockControl
    public let configuration: AppConfiguration

    /// A migrated database (demo data unless `seeded` is false) and an application on it, at the test clock.
    /// Forms need no minimum fill time unless `configure` sets one; `configure` may change anything else.
    public static func make(
        seeded: Bool = true, region: String = "lippe", configure: (inout AppConfiguration) -> Void = { _ in }
    ) throws -> TestApp {
        let database =
            seeded ? try TestDatabase.makeSeeded(region: region) : try TestDatabase.makeMigrated(region: region)
        let path = database.pool.path
        let clock = TestClockControl()
        var configuration = AppConfiguration(
            root: TestDatabase.projectRoot, databasePath: path, region: region, clock: { clock.now },
            minimumFormFillTime: 0)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return TestApp(
            application: try buildApplication(configuration, logger: logger), database: database, clock: clock,
            configuration: configuration)
    }

    /// Sends a request straight to the application.
    public func request(
        _ method: HTTPRequest.Method, _ target: String, headers: HTTPFields = [:], body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1"
    ) -> TestResponse {
        let head = HTTPRequest(
            method: method, scheme: "http", authority: "localhost:8080", path: target, headerFields: headers)
        let response = application.respond(to: ServerRequest(head: head, body: body, remoteAddress: remoteAddress))
        return TestResponse(
            status: response.status.code, headerFields: response.headerFields,
            body: String(decoding: response.body, as: UTF8.self), bytes: response.body)
    }

    public func get(_ target: String) -> TestResponse {
        request(.get, target)
    }
}

/// A response as tests read it.
public struct TestResponse: Sendable {
    public var status: Int
    public var headerFields: HTTPFields
    public var body: String
    public var bytes: [UInt8] = []

    /// The `Location` of a redirect.
    public var location: String? { headerFields[.location] }

    /// Every `Set-Cookie` value.
    public var setCookies: [String] { headerFields[values: .setCookie] }

    /// Every `href="…"` value in the body, HTML entities for `&` decoded.
    public var links: [String] {
        var result: [String] = []
        var rest = body[...]
        while let start = rest.range(of: "href=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            result.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = rest[end...]
        }
        return result
    }

    /// How often `text` occurs in the body.
    public func count(_ text: String) -> Int {
        body.components(separatedBy: text).count - 1
    }
}

extension TestResponse {
    /// Localization keys printed instead of text (`listings.spenden.tab.all`): a key the code asked
    /// for but the language file lacks. Looks for the file's top-level key names followed by a dot.
    public var unresolvedLocalizationKeys: [String] {
        let text = body
        return LocalizationKeyPattern.expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
            .compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }
}

enum LocalizationKeyPattern {
    static let expression: NSRegularExpression = {
        let path = TestDatabase.projectRoot + "/Localization/de.json"
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let names = object.keys.sorted().map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        // Not inside a URL, an e-mail address or a word: only free-standing key paths.
        return try! NSRegularExpression(pattern: "(?<![\\w@/.:-])(?:\(names))\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*")
    }()
}
