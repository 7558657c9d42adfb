import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// An empty exchange with people and organisations for the posting journeys.
struct PostingWorld {
    static let password = "Wanderweg am Hermannsdenkmal"
    /// A complete 1×1 PNG would do; the signature and a few bytes are what the check reads.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x42, count: 64)

    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
    }

    @discardableResult
    func account(_ email: String, name: String = "Erika Muster") throws -> Int64 {
        try app.application.addAccount(email: email, name: name, role: .resident, password: Self.password)
    }

    @discardableResult
    func organisation(
        _ name: String, state: OrganisationState = .approved, trusted: Bool = false
    ) throws -> Int64 {
        let id = try Fixtures.organisation(app.database, name: name, state: state)
        if trusted {
            try app.database.write { db in
                try db.execute(sql: "UPDATE organisations SET trusted = 1 WHERE id = ?", arguments: [id])
            }
        }
        return id
    }

    func addMember(_ userID: Int64, to organisationID: Int64, role: String = "member") throws {
        try app.database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO organisation_members (organisation_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
                arguments: [organisationID, userID, role, Int64(TestClock.now.timeIntervalSince1970)])
        }
    }

    /// A browser logged in as `email`.
    func browser(_ email: String) throws -> TestBrowser {
        let browser = TestBrowser(app)
        let login = browser.submit("/anmelden", [("email", email), ("password", Self.password)])
        try #require(login.status == 303, "login of \(email)")
        return browser
    }

    /// The session's CSRF token, from the logout button every page of a logged-in person carries.
    func token(_ browser: TestBrowser) throws -> String {
        let page = browser.get("/")
        return try #require(FormScan.form(in: page.body, action: "/abmelden")?.hidden.first { $0.0 == "csrf" }?.1)
    }

    func scalar<T: DatabaseValueConvertible & Sendable>(_ sql: String, _ arguments: StatementArguments = [])
        throws -> T?
    {
        try app.database.read { db in try T.fetchOne(db, sql: sql, arguments: arguments) }
    }

    func count(_ table: String) throws -> Int {
        try scalar("SELECT COUNT(*) FROM \(table)") ?? 0
    }

    /// The newest listing's id.
    func lastListingID() throws -> Int64 {
        try #require(try scalar("SELECT MAX(id) FROM listings") as Int64?)
    }

    func lastEventID() throws -> Int64 {
        try #require(try scalar("SELECT MAX(id) FROM events") as Int64?)
    }

    /// Publishes a listing the way staff will (the moderation pages are another issue's).
    /// A staff decision (made in the server process once listing moderation has pages): written through
    /// the application's own database, whose writes kept listing pages see at once (`PageCache`).
    func publishListing(_ id: Int64) throws {
        let now = Int64(app.clock.now.timeIntervalSince1970)
        try app.application.database.write { db in
            try db.execute(
                sql: "UPDATE listings SET state = 'published', published_at = ?, expires_at = ? WHERE id = ?",
                arguments: [now, now + 90 * 86_400, id])
        }
    }

    func publishEvent(_ id: Int64) throws {
        let now = Int64(app.clock.now.timeIntervalSince1970)
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE events SET state = 'published', published_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// `form` with `name` set to `value` (replacing every value sent under it).
    static func setting(_ form: [(String, String)], _ name: String, _ value: String) -> [(String, String)] {
        form.filter { $0.0 != name } + [(name, value)]
    }

    // MARK: Forms that pass every rule

    static func volunteerNeed(organisationID: Int64, title: String = "Lesepatin für die Grundschule") -> [(
        String, String
    )] {
        [
            ("organisation", String(organisationID)), ("title", title),
            ("description", "Wir suchen jemanden, der einmal pro Woche mit Kindern liest."),
            ("municipality", "detmold"), ("location", "Heiligenkirchen"), ("address", "Schulstraße 4, 32760 Detmold"),
            ("topics", "kinder-jugend"), ("topics", "bildung"), ("commitment", "weekly"), ("hours_per_week", "2"),
            ("start_date", "01.12.2026"), ("end_date", "30.06.2027"), ("minimum_age", "16"),
            ("police_clearance", "1"), ("german_level", "good"), ("barrier_free", "1"),
            ("requirements", "Freude am Vorlesen"), ("insurance", "Haftpflicht und Unfall über den Verein"),
            ("expense_allowance", "Fahrtkosten werden erstattet"), ("contact_name", "Frau Lehmann"),
            ("languages", "de"), ("languages", "en"), ("show_phone", "1"), ("contact_phone", "05231 62-0"),
        ]
    }

    static func volunteerOffer(title: String = "Ich helfe beim Umzug") -> [(String, String)] {
        [
            ("title", title), ("description", "Samstags habe ich Zeit und ein Auto."), ("municipality", "lemgo"),
            ("topics", "nachbarschaft"), ("commitment", "flexible"), ("languages", "de"), ("languages", "tr"),
        ]
    }

    static func donationNeed(organisationID: Int64, title: String = "Winterjacken für die Kleiderkammer")
        -> [(String, String)]
    {
        [
            ("organisation", String(organisationID)), ("title", title), ("description", "Für Kinder und Erwachsene."),
            ("municipality", "detmold"), ("category", "kleidung"), ("item_1_name", "Winterjacke"),
            ("item_1_quantity", "12"), ("item_2_name", "Schal"), ("item_2_quantity", "30"),
            ("dropoff", "Kleiderkammer, Bahnhofstraße 2, dienstags 10–12 Uhr"), ("languages", "de"),
        ]
    }

    static func donationOffer(owner: String, title: String = "Kinderbett aus Holz") -> [(String, String)] {
        [
            ("organisation", owner), ("title", title), ("description", "Gut erhalten, mit Matratze."),
            ("municipality", "blomberg"), ("category", "moebel"), ("condition", "good"), ("delivery", "pickup"),
            ("languages", "de"),
        ]
    }

    static func event(organisationID: Int64, title: String = "Infoabend Ehrenamt") -> [(String, String)] {
        [
            ("organisation", String(organisationID)), ("title", title),
            ("description", "Wir stellen vor, wie man mitmachen kann."), ("event_type", "info_evening"),
            ("date", "03.12.2026"), ("start_time", "18:00"), ("end_time", "20:00"), ("municipality", "detmold"),
            ("venue", "Bürgerhaus"), ("address", "Markt 1, 32756 Detmold"), ("registration_required", "1"),
            ("registration_text", "Bis 1. Dezember per Telefon"), ("cost", "kostenlos"), ("topics", "bildung"),
        ]
    }
}
