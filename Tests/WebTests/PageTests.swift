import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@Suite("Pages with demo data")
struct PageTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make()
    }

    static let pages: [(path: String, heading: String)] = [
        ("/", "Gemeinsam mehr bewegen im Kreis Lippe"),
        ("/ehrenamt", "Ehrenamt finden"),
        ("/mithelfen", "Hilfe angeboten"),
        ("/spenden", "Sachspenden"),
        ("/spenden?art=angebote", "Sachspenden"),
        ("/spenden?art=gesuche", "Sachspenden"),
        ("/veranstaltungen", "Veranstaltungen"),
        ("/veranstaltungen?zeitraum=vergangen", "Vergangene Veranstaltungen"),
        ("/organisationen", "Organisationen"),
        ("/gemeinden", "Orte"),
        ("/gemeinden/detmold", "Detmold"),
        ("/gemeinden/horn-bad-meinberg", "Horn-Bad Meinberg"),
        ("/impressum", "Impressum"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ]

    @Test("each page answers 200 with its heading, in German, in the layout", arguments: 0..<pages.count)
    func pageRenders(index: Int) {
        let (path, heading) = Self.pages[index]
        let response = app.get(path)
        #expect(response.status == 200, "\(path)")
        #expect(response.headerFields[.contentType] == "text/html; charset=utf-8")
        #expect(response.body.contains("<html lang=\"de\" dir=\"ltr\">"))
        #expect(response.body.contains(">\(heading)</h1>"), "\(path) lacks heading \(heading)")
        #expect(response.count("<h1") == 1, "\(path) must have exactly one h1")
        for landmark in ["<header", "<nav", "<main id=\"inhalt\"", "<footer"] {
            #expect(response.body.contains(landmark), "\(path) lacks \(landmark)")
        }
        #expect(response.body.contains("href=\"#inhalt\""), "skip link")
        #expect(response.body.contains("<title>") && !response.body.contains("<title></title>"))
        #expect(!response.body.contains("{{"), "unrendered template tag on \(path)")
        #expect(response.unresolvedLocalizationKeys.isEmpty, "\(path): \(response.unresolvedLocalizationKeys)")
        #expect(!response.body.contains("<script"), "no page needs JavaScript")
        let levels = Self.headingLevels(response.body)
        #expect(levels.first == 1, "\(path) starts with h\(levels.first ?? 0)")
        for (previous, next) in zip(levels, levels.dropFirst()) {
            #expect(next <= previous + 1, "\(path): h\(previous) is followed by h\(next)")
        }
    }

    @Test("the start page shows live counts, newest listings, events and ways in by place and topic")
    func homeContent() throws {
        let response = app.get("/")
        let publishedNeeds = try app.database.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM listings l LEFT JOIN organisations o ON o.id = l.organisation_id
                    WHERE l.kind = 'volunteer_need' AND l.state = 'published'
                      AND (l.expires_at IS NULL OR l.expires_at > ?) AND (o.id IS NULL OR o.state = 'approved')
                    """,
                arguments: [Int64(TestClock.now.timeIntervalSince1970)]) ?? 0
        }
        #expect(publishedNeeds > 0)
        #expect(response.body.contains("<span class=\"stats__count\">\(publishedNeeds)</span>"))
        #expect(response.body.contains("href=\"/gemeinden/lemgo\""))
        #expect(response.body.contains("href=\"/ehrenamt?thema=sport\""))
        #expect(response.count("class=\"event\"") == 4)
        #expect(response.count("class=\"card card--") >= 8)
        #expect(response.body.contains("Ich möchte helfen"))
    }

    @Test("the liveness check answers a fixed ok, never cached, in one place only")
    func healthCheck() {
        let health = app.get("/healthz")
        #expect(health.status == 200)
        #expect(health.body == "ok")
        #expect(health.headerFields[.contentType] == "text/plain; charset=utf-8")
        #expect(health.headerFields[.cacheControl] == "no-store")
        #expect(app.get("/en/healthz").status == 404)
        #expect(app.request(.post, "/healthz").status == 404)
    }

    @Test("list pages show the result count and 20 cards per page")
    func listShowsCountAndPageSize() {
        let response = app.get("/ehrenamt")
        #expect(response.body.contains("Einträge gefunden"))
        #expect(response.count("class=\"card card--volunteer-need\"") == 20)
        #expect(response.body.contains("Seite 1 von"))
    }

    @Test("the donation tabs switch between offers and needs")
    func donationTabs() {
        let offers = app.get("/spenden?art=angebote")
        let needs = app.get("/spenden?art=gesuche")
        #expect(offers.count("card--donation-offer") > 0)
        #expect(offers.count("card--donation-need") == 0)
        #expect(needs.count("card--donation-need") > 0)
        #expect(needs.count("card--donation-offer") == 0)
        #expect(app.get("/spenden?art=irgendwas").status == 404)
        let filtered = app.get("/spenden?gemeinde=lemgo").body
        #expect(filtered.contains("href=\"/spenden?art=gesuche&amp;gemeinde=lemgo\""), "tabs keep the filters")
    }

    @Test("upcoming events come first and in order; past ones only when asked for")
    func eventsOrder() {
        let upcoming = app.get("/veranstaltungen")
        let past = app.get("/veranstaltungen?zeitraum=vergangen")
        let upcomingTimes = Self.datetimes(upcoming.body)
        let pastTimes = Self.datetimes(past.body)
        #expect(!upcomingTimes.isEmpty && !pastTimes.isEmpty)
        #expect(upcomingTimes == upcomingTimes.sorted())
        #expect(pastTimes == pastTimes.sorted(by: >))
        #expect(Set(upcomingTimes).isDisjoint(with: Set(pastTimes)))
        #expect(app.get("/veranstaltungen?zeitraum=morgen").status == 404)
    }

    @Test("each kind of detail page shows its listing with contact and facts")
    func detailPages() throws {
        for (kind, section) in [
            (ListingKind.volunteerNeed, "ehrenamt"), (.volunteerOffer, "mithelfen"), (.donationNeed, "spenden"),
            (.donationOffer, "spenden"),
        ] {
            let (id, title) = try firstPublished(kind)
            let response = app.get("/\(section)/\(id)")
            #expect(response.status == 200, "\(kind)")
            #expect(response.body.contains(HTMLText.escape(title)), "\(kind) title")
            #expect(response.body.contains("Auf einen Blick"))
            #expect(response.body.contains("Kontakt"))
        }
    }

    @Test("a listing is only found under its own section")
    func detailUnderWrongSection() throws {
        let (id, _) = try firstPublished(.donationOffer)
        #expect(app.get("/ehrenamt/\(id)").status == 404)
        #expect(app.get("/spenden/\(id)").status == 200)
    }

    @Test("an organisation page lists its current listings and events")
    func organisationPage() throws {
        let organisationID = try app.database.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT o.id FROM organisations o JOIN listings l ON l.organisation_id = o.id
                    WHERE o.state = 'approved' AND l.state = 'published' AND l.expires_at > ?
                    GROUP BY o.id ORDER BY COUNT(*) DESC LIMIT 1
                    """,
                arguments: [Int64(TestClock.now.timeIntervalSince1970)])
        }
        let id = try #require(organisationID)
        let response = app.get("/organisationen/\(id)")
        #expect(response.status == 200)
        #expect(response.body.contains("Aktuelle Einträge"))
        #expect(response.count("class=\"card card--") >= 1)
    }

    @Test("event detail shows when and where")
    func eventDetail() throws {
        let id = try #require(
            try app.database.read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT id FROM events WHERE state = 'published' AND starts_at > ? ORDER BY starts_at",
                    arguments: [Int64(TestClock.now.timeIntervalSince1970)])
            })
        let response = app.get("/veranstaltungen/\(id)")
        #expect(response.status == 200)
        #expect(response.body.contains("Uhr"))
        #expect(response.body.contains("<dt>Wann</dt>"))
    }

    @Test("a municipality page shows only that place's listings and its neighbours")
    func municipalityPage() {
        let response = app.get("/gemeinden/lemgo")
        #expect(response.status == 200)
        #expect(response.body.contains("Orte in der Nähe"))
        #expect(response.body.contains("href=\"/ehrenamt?gemeinde=lemgo\""))
        // Cards show their municipality; on Lemgo's page every card is in Lemgo.
        let places = Self.cardMunicipalities(response.body)
        #expect(!places.isEmpty)
        #expect(places.allSatisfy { $0 == "Lemgo" })
    }

    @Test("the legal pages mark the facts the county still has to fill in")
    func legalPagesMarkMissingFacts() {
        let response = app.get("/impressum")
        #expect(response.body.contains("class=\"missing\""))
        #expect(response.body.contains("vom Kreis in der Konfiguration einzutragen"))
        #expect(app.get("/barrierefreiheit").body.contains("Durchsetzungsstelle"))
    }

    @Test("every response carries the security headers")
    func securityHeaders() {
        for path in ["/", "/ehrenamt", "/gibt-es-nicht"] {
            let response = app.get(path)
            let csp = response.headerFields[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("default-src 'self'"))
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(response.headerFields[.xContentTypeOptions] == "nosniff")
        }
    }

    private func firstPublished(_ kind: ListingKind) throws -> (Int64, String) {
        let row = try app.database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT l.id, l.title FROM listings l LEFT JOIN organisations o ON o.id = l.organisation_id
                    WHERE l.kind = ? AND l.state = 'published' AND (l.expires_at IS NULL OR l.expires_at > ?)
                      AND (o.id IS NULL OR o.state = 'approved') ORDER BY l.id LIMIT 1
                    """,
                arguments: [kind.rawValue, Int64(TestClock.now.timeIntervalSince1970)]
            ).map { (id: $0["id"] as Int64, title: $0["title"] as String) }
        }
        let found = try #require(row)
        return (found.id, found.title)
    }

    /// The levels of all headings in document order (`<h2 …>` → 2).
    static func headingLevels(_ body: String) -> [Int] {
        body.components(separatedBy: "<h").dropFirst().compactMap { part in
            guard let digit = part.first?.wholeNumberValue, (1...6).contains(digit) else { return nil }
            return digit
        }
    }

    static func datetimes(_ body: String) -> [String] {
        body.components(separatedBy: "<time datetime=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
            .map(String.init)
    }

    /// The municipality names printed in the cards' fact lists.
    static func cardMunicipalities(_ body: String) -> [String] {
        body.components(separatedBy: "<span class=\"visually-hidden\">Ort: </span>").dropFirst().compactMap {
            $0.split(separator: "<").first.map(String.init)
        }
    }
}

/// The escaping the templates apply, for comparing stored text with page text.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

@Suite("Another county")
struct RegionTests {
    @Test("with the Höxter region the site is Höxter's: its name, its 10 places, no Lippe")
    func hoexterRegion() throws {
        let app = try TestApp.make(region: "hoexter")
        let home = app.get("/")
        #expect(home.status == 200)
        #expect(home.body.contains("Gemeinsam mehr bewegen im Kreis Höxter"))
        #expect(!home.body.contains("Lippe"))
        let places = app.get("/gemeinden")
        #expect(places.count("href=\"/gemeinden/") == 10)
        #expect(places.body.contains("Bad Driburg"))
        #expect(app.get("/gemeinden/detmold").status == 404)
    }
}
