import Domain
import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// `/suche`: the form, results as the list pages' cards, the empty state, pagination, the length limit and
/// escaping, on a small data set whose every match is known.
@Suite("Search page")
struct SearchPageTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
        let db = app.database
        try Fixtures.listing(db, kind: .volunteerNeed, title: "Hundebetreuung im Tierheim")
        try Fixtures.listing(db, kind: .donationOffer, title: "Hundekorb abzugeben")
        try Fixtures.listing(db, kind: .donationNeed, title: "Möbel für junge Familie")
        try Fixtures.listing(db, kind: .volunteerNeed, title: "Hunde ausführen, noch ungeprüft", state: .pending)
        try Fixtures.listing(
            db, kind: .volunteerOffer, title: "Hundesitter, abgelaufen",
            expiresAt: TestClock.now.addingTimeInterval(-60))
    }

    func search(_ text: String, _ extra: String = "", language: String = "") -> TestResponse {
        let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return app.get(language + "/suche?q=" + encoded + extra)
    }

    func titles(_ response: TestResponse) -> [String] {
        response.body.components(separatedBy: "<h3 class=\"card__title\"><a href=\"").dropFirst().compactMap { part in
            part.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init)
        }
    }

    @Test("results are the public listings of any kind containing the words, as cards showing their kind")
    func results() {
        let response = search("Hund")
        #expect(response.status == 200)
        #expect(Set(titles(response)) == ["Hundebetreuung im Tierheim", "Hundekorb abzugeben"])
        #expect(response.body.contains("<p class=\"result-count\" role=\"status\">2 Einträge gefunden</p>"))
        #expect(response.body.contains(">Ergebnisse für „Hund“</h2>"))
        #expect(response.body.contains("<p class=\"card__kind\">Ehrenamt gesucht</p>"))
        #expect(response.body.contains("<p class=\"card__kind\">Sachspende angeboten</p>"))
        #expect(response.body.contains("href=\"/ehrenamt/"))
        #expect(response.body.contains("href=\"/spenden/"))
        #expect(response.body.contains("<title>Suche nach „Hund“ – "))
        #expect(response.unresolvedLocalizationKeys.isEmpty, "\(response.unresolvedLocalizationKeys)")
    }

    @Test("the form: a labelled search field named q keeping the query, a submit button, GET to /suche")
    func form() {
        let response = search("  Möbel  ")
        #expect(response.body.contains("<form class=\"search-form\" method=\"get\" action=\"/suche\" role=\"search\">"))
        #expect(response.body.contains("<label class=\"field__label\" for=\"f-q\">Suchbegriffe</label>"))
        #expect(response.body.contains("type=\"search\" id=\"f-q\" name=\"q\" value=\"Möbel\""))
        #expect(response.body.contains("maxlength=\"200\""))
        #expect(response.body.contains("aria-describedby=\"f-q-hint\""))
        #expect(response.body.contains("<button class=\"button button--primary\" type=\"submit\">Suchen</button>"))
        #expect(titles(response) == ["Möbel für junge Familie"])
        #expect(titles(search("mobel")) == ["Möbel für junge Familie"])
    }

    @Test("without words (nothing typed, or only punctuation) the page shows the form and searches nothing")
    func emptyForm() {
        for path in ["/suche", "/suche?q=", "/suche?q=%22*%22%20-%20%3A"] {
            let response = app.get(path)
            #expect(response.status == 200, "\(path)")
            #expect(response.body.contains("name=\"q\""), "\(path)")
            #expect(!response.body.contains("result-count"), "\(path)")
            #expect(!response.body.contains("card__title"), "\(path)")
            #expect(response.body.contains("<title>Suche – "), "\(path)")
        }
        #expect(app.get("/suche?seite=2").status == 404)
    }

    @Test("nothing found: a count of zero and an empty state with tips and ways to browse")
    func noResults() {
        let response = search("Zitronenfalter")
        #expect(response.status == 200)
        #expect(response.body.contains("role=\"status\">0 Einträge gefunden</p>"))
        #expect(response.body.contains("<h2>Nichts gefunden für „Zitronenfalter“</h2>"))
        #expect(response.body.contains("Prüfen Sie die Schreibweise."))
        #expect(response.body.contains("<a href=\"/ehrenamt\">Ehrenamt finden</a>"))
        #expect(!response.body.contains("meist auf Deutsch"), "the German-content tip is for other languages")
        #expect(!response.body.contains("card__title"))
    }

    @Test("20 results per page, pages linked with the query kept, past the last page 404")
    func pagination() throws {
        for number in 1...23 {
            try Fixtures.listing(
                app.database, kind: .volunteerNeed, title: "Fahrrad-Werkstatt \(number)",
                publishedAt: TestClock.now.addingTimeInterval(Double(-number)))
        }
        let first = search("fahrrad werkstatt")
        #expect(first.body.contains("23 Einträge gefunden"))
        #expect(titles(first).count == 20)
        #expect(first.links.contains("/suche?q=fahrrad%20werkstatt&seite=2"))
        let second = search("fahrrad werkstatt", "&seite=2")
        #expect(second.status == 200)
        #expect(titles(second).count == 3)
        #expect(second.body.contains("<title>Suche nach „fahrrad werkstatt“ – Seite 2 – "))
        #expect(Set(titles(first)).isDisjoint(with: titles(second)))
        #expect(search("fahrrad werkstatt", "&seite=3").status == 404)
        #expect(search("fahrrad werkstatt", "&seite=x").status == 404)
    }

    @Test("the query is escaped wherever the page shows it")
    func escaping() {
        let script = search("<script>alert(1)</script>")
        #expect(script.status == 200)
        #expect(!script.body.contains("<script"))
        #expect(script.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(script.body.contains("Nichts gefunden für „&lt;script&gt;alert(1)&lt;/script&gt;“"))
        let attribute = search("\"><img src=x onerror=alert(1)>")
        #expect(!attribute.body.contains("<img src=x"))
        #expect(attribute.body.contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""))
    }

    @Test("more than 200 characters: a message next to the field and in a summary, status 422, nothing searched")
    func tooLong() {
        let text = "Hund " + String(repeating: "a", count: 196)
        #expect(text.count == 201)
        let response = search(text)
        #expect(response.status == 422)
        #expect(response.body.contains("Bitte geben Sie höchstens 200 Zeichen ein."))
        #expect(response.body.contains("<p class=\"field__error\" id=\"f-q-error\">"))
        #expect(response.body.contains("aria-describedby=\"f-q-hint f-q-error\" aria-invalid=\"true\""))
        #expect(response.body.contains("class=\"error-summary\""))
        #expect(response.body.contains("href=\"#f-q\""))
        #expect(response.body.contains("<title>Fehler: Suche – "))
        #expect(!response.body.contains("result-count"))
        #expect(titles(response).isEmpty)
        let atLimit = search("Hund " + String(repeating: "a", count: 195))
        #expect(atLimit.status == 200)
        #expect(atLimit.body.contains("result-count"))
        // Whitespace around the text does not count.
        #expect(search("  Hund  " + String(repeating: " ", count: 300)).status == 200)
    }

    @Test("in English: the same page under /en with English text, links staying in English")
    func english() {
        let response = search("Hund", language: "/en")
        #expect(response.status == 200)
        #expect(response.body.contains("<html lang=\"en\" dir=\"ltr\">"))
        #expect(response.body.contains(">Search</h1>"))
        #expect(response.body.contains("action=\"/en/suche\""))
        #expect(response.body.contains("role=\"status\">2 listings found</p>"))
        #expect(response.body.contains(">Results for “Hund”</h2>"))
        #expect(response.body.contains("href=\"/en/ehrenamt/"))
        #expect(response.unresolvedLocalizationKeys.isEmpty, "\(response.unresolvedLocalizationKeys)")
        let empty = search("Zitronenfalter", language: "/en")
        #expect(empty.body.contains("Most listings are written in German"))
    }

    @Test("every language renders the page without a missing string", arguments: ["/ar", "/uk", "/tr"])
    func otherLanguages(prefix: String) {
        for response in [search("Hund", language: prefix), search("Zitronenfalter", language: prefix)] {
            #expect(response.status == 200)
            #expect(response.unresolvedLocalizationKeys.isEmpty, "\(prefix): \(response.unresolvedLocalizationKeys)")
            #expect(response.body.contains("action=\"\(prefix)/suche\""))
        }
    }

    @Test("headings in order, one h1, no script")
    func structure() {
        for response in [app.get("/suche"), search("Hund"), search("Zitronenfalter")] {
            #expect(response.count("<h1") == 1)
            #expect(!response.body.contains("<script"))
            let levels = PageTests.headingLevels(response.body)
            #expect(levels.first == 1)
            for (previous, next) in zip(levels, levels.dropFirst()) { #expect(next <= previous + 1, "\(levels)") }
        }
    }

    @Test("the main navigation links to the search in every page's language and marks it current there")
    func navigation() {
        #expect(app.get("/").body.contains("<a class=\"main-nav__link\" href=\"/suche\">Suche</a>"))
        #expect(app.get("/en/ehrenamt").body.contains("<a class=\"main-nav__link\" href=\"/en/suche\">Search</a>"))
        #expect(
            search("Hund").body.contains("<a class=\"main-nav__link\" href=\"/suche\" aria-current=\"page\">Suche</a>"))
    }

    @Test("GET only: sending a form to the search is 405")
    func getOnly() {
        #expect(app.request(.post, "/suche").status == 405)
        #expect(app.request(.head, "/suche?q=Hund").status == 200)
    }

    @Test("1,000 matches: counted exactly, 50 pages, page 51 is 404")
    func exactlyAtTheLimit() throws {
        try Fixtures.bulkListings(app.database, count: 1_000, title: "Laternenumzug")
        let first = search("laternenumzug")
        #expect(first.body.contains("role=\"status\">1000 Einträge gefunden</p>"))
        #expect(first.body.contains("Seite 1 von 50"))
        let last = search("laternenumzug", "&seite=50")
        #expect(last.status == 200)
        #expect(titles(last).count == 20)
        #expect(titles(last).last == "Laternenumzug 1000")
        #expect(!last.body.contains("rel=\"next\""))
        #expect(search("laternenumzug", "&seite=51").status == 404)
    }

    @Test("1,001 matches: 'more than 1000' and still 50 pages of the best 1,000; page 51 is 404")
    func overTheLimit() throws {
        try Fixtures.bulkListings(app.database, count: 1_001, title: "Laternenumzug")
        let first = search("laternenumzug")
        #expect(first.status == 200)
        #expect(first.body.contains("<p class=\"result-count\" role=\"status\">Mehr als 1000 Einträge gefunden</p>"))
        #expect(first.body.contains("Seite 1 von 50"))
        #expect(titles(first).first == "Laternenumzug 1")
        #expect(first.links.contains("/suche?q=laternenumzug&seite=2"))
        let last = search("laternenumzug", "&seite=50")
        #expect(last.status == 200)
        #expect(last.body.contains("Seite 50 von 50"))
        #expect(titles(last).last == "Laternenumzug 1000", "the oldest of equal matches is the one left out")
        #expect(!last.body.contains("rel=\"next\""))
        #expect(search("laternenumzug", "&seite=51").status == 404)
        #expect(search("laternenumzug", "&seite=999").status == 404)
        let english = search("laternenumzug", language: "/en")
        #expect(english.body.contains("role=\"status\">More than 1000 listings found</p>"))
        for prefix in ["/ar", "/uk", "/tr"] {
            let response = search("laternenumzug", language: prefix)
            #expect(response.status == 200)
            #expect(response.unresolvedLocalizationKeys.isEmpty, "\(prefix): \(response.unresolvedLocalizationKeys)")
            #expect(!response.body.contains("result_count_more"), "\(prefix)")
            #expect(response.body.contains("1000"), "\(prefix)")
        }
    }

    @Test("best match first: the word in the title before the summary before the description, ties newest first")
    func rankingOrder() throws {
        let db = app.database
        let hour: TimeInterval = 3600
        let inDescription = try Fixtures.listing(db, kind: .volunteerNeed, title: "Hilfe im Haus")
        let inTitleOld = try Fixtures.listing(
            db, kind: .volunteerOffer, title: "Gartenarbeit", publishedAt: TestClock.now.addingTimeInterval(-2 * hour))
        let inTitleNew = try Fixtures.listing(
            db, kind: .donationNeed, title: "Gartenarbeit", publishedAt: TestClock.now.addingTimeInterval(-hour))
        let inSummary = try Fixtures.listing(db, kind: .volunteerNeed, title: "Nachmittage im Heim")
        try db.write { db in
            for (id, summary, description) in [
                (inDescription, "Wir brauchen Hände", "Auch im Garten gibt es viel zu tun."),
                (inTitleOld, "Werkzeug gesucht", ""), (inTitleNew, "Werkzeug gesucht", ""),
                (inSummary, "Garten pflegen mit den Bewohnern", ""),
            ] {
                try db.execute(
                    sql: "UPDATE listings SET summary = ?, description = ? WHERE id = ?",
                    arguments: [summary, description, id])
            }
        }
        #expect(titles(search("garten")) == ["Gartenarbeit", "Gartenarbeit", "Nachmittage im Heim", "Hilfe im Haus"])
        let body = search("garten").body
        let newer = try #require(body.range(of: "href=\"/spenden/\(inTitleNew)\""))
        let older = try #require(body.range(of: "href=\"/mithelfen/\(inTitleOld)\""))
        #expect(newer.lowerBound < older.lowerBound, "equal matches: the newer first")
    }

    @Test("what a search shows follows writes at once: a hidden listing leaves, a new one appears")
    func followsWrites() throws {
        let before = titles(search("Hund"))
        #expect(Set(before) == ["Hundebetreuung im Tierheim", "Hundekorb abzugeben"])
        // Through the application's own database, as the pages write: its writes reach kept pages at once.
        let database = app.application.database
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET state = 'hidden' WHERE title = 'Hundekorb abzugeben'")
        }
        #expect(titles(search("Hund")) == ["Hundebetreuung im Tierheim"])
        try Fixtures.listing(database, kind: .volunteerOffer, title: "Hundespaziergänge am Wochenende")
        #expect(Set(titles(search("Hund"))) == ["Hundebetreuung im Tierheim", "Hundespaziergänge am Wochenende"])
        #expect(search("Hund").body.contains("2 Einträge gefunden"))
    }

    @Test(
        "hostile queries are words or refused (400, 422), never a server error",
        arguments: [
            "%22%20OR%20%22", "NEAR%28Hund%2C%202%29", "Hund%2A", "%2A", "%27%3B%20DROP%20TABLE%20listings%3B%20--",
            "title%3AHund", "%7Btitle%7D%3A%20Hund", "Hund%00korb", "%E2%80%AE%D8%A7Hund", "%F0%9F%90%B6",
            "Hund%20AND%20NOT%20Korb", "%5EHund", "Hund%22%22%22",
        ])
    func hostileQueries(encoded: String) {
        let response = app.get("/suche?q=" + encoded)
        #expect([200, 400, 422].contains(response.status), "\(encoded): \(response.status)")
        #expect(!response.body.contains("<script"))
        #expect(app.get("/suche?q=Hund").body.contains("2 Einträge gefunden"), "the listings are still there")
    }
}
