import HTTPTypes
import Testing
import WebTestSupport

/// The language is in the URL: prefixed pages, links that keep it, the switcher, hreflang, and the
/// Accept-Language choice on arrival.
@Suite struct LanguageRoutingTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: true)
    }

    @Test func englishPage_isEnglishAndItsLinksStayEnglish() {
        let page = app.get("/en/ehrenamt")
        #expect(page.status == 200)
        #expect(page.body.contains("<html lang=\"en\" dir=\"ltr\">"))
        let internalLinks = page.links.filter {
            $0.hasPrefix("/") && !$0.hasPrefix("/static/") && !$0.hasPrefix("/bilder/")
        }
        let german = internalLinks.filter { !$0.hasPrefix("/en/") && $0 != "/en" }
        // The switcher's links to the other languages are the only ones leaving English.
        let switcher = Set(["/ehrenamt", "/ar/ehrenamt", "/uk/ehrenamt", "/tr/ehrenamt"])
        #expect(german.allSatisfy { switcher.contains($0) }, "\(german.filter { !switcher.contains($0) })")
    }

    @Test func everyPage_offersTheOtherLanguagesAndHreflangAlternates() {
        let page = app.get("/veranstaltungen?zeitraum=vergangen")
        #expect(
            page.body.contains("hreflang=\"en\" href=\"http://localhost:8080/en/veranstaltungen?zeitraum=vergangen\""))
        #expect(
            page.body.contains(
                "hreflang=\"x-default\" href=\"http://localhost:8080/veranstaltungen?zeitraum=vergangen\""))
        #expect(page.body.contains("lang=\"en\" hreflang=\"en\""))
        #expect(page.body.contains(">English</a>"))
    }

    @Test func firstArrival_followsAcceptLanguage_butNeverOverridesAChoice() {
        var headers = HTTPFields()
        headers[.acceptLanguage] = "en-GB,en;q=0.9,de;q=0.5"
        let arrival = app.request(.get, "/", headers: headers)
        #expect(arrival.status == 302)
        #expect(arrival.location == "/en/")
        #expect(arrival.headerFields[.vary] == "Accept-Language")
        headers[.referer] = "http://localhost:8080/en/ehrenamt"
        #expect(app.request(.get, "/", headers: headers).status == 200, "switching to German from our own page")
        headers[.referer] = nil
        #expect(app.request(.get, "/ehrenamt", headers: headers).status == 200, "only the start page redirects")
        headers[.acceptLanguage] = "de-DE,en;q=0.8"
        #expect(app.request(.get, "/", headers: headers).status == 200)
    }

    @Test func topicNames_areShownInThePagesLanguage() throws {
        let english = app.get("/en/ehrenamt")
        #expect(english.body.contains("Sport &amp; exercise"), "filter and cards")
        #expect(!english.body.contains("Sport &amp; Bewegung"))
        #expect(app.get("/ar/spenden").body.contains("ملابس"), "donation categories")
        #expect(app.get("/ehrenamt").body.contains("Sport &amp; Bewegung"), "German keeps the stored name")
        let listing = try #require(
            app.get("/en/ehrenamt?thema=sport").links.first { $0.hasPrefix("/en/ehrenamt/") })
        #expect(app.get(listing).body.contains("Sport &amp; exercise"), "the detail page's topic links")
    }

    @Test func printedPages_carryTheirOwnAddressInTheirLanguage() {
        #expect(
            app.get("/en/ehrenamt?seite=2").body.contains(
                "<p class=\"site-footer__address\">This page online: http://localhost:8080/en/ehrenamt?seite=2</p>"))
        #expect(app.get("/spenden").body.contains("Diese Seite im Internet: http://localhost:8080/spenden</p>"))
    }

    @Test func unknownPrefix_is404_andFilesHaveOneAddress() {
        #expect(app.get("/fr/ehrenamt").status == 404)
        #expect(app.get("/en/static/css/site.css").status == 404)
        #expect(app.get("/static/css/site.css").status == 200)
    }

    @Test func loginRedirect_keepsTheLanguage() {
        let response = app.get("/en/mein-bereich")
        #expect(response.status == 303)
        #expect(response.location == "/en/anmelden?weiter=%2Fen%2Fmein-bereich")
    }
}

@Suite struct UserContentLanguageTests {
    @Test func germanUserContent_isMarkedOnPagesInOtherLanguages() throws {
        let app = try TestApp.make(seeded: true)
        let english = app.get("/en/ehrenamt")
        #expect(english.body.contains("<h3 class=\"card__title\" lang=\"de\" dir=\"ltr\">"))
        let german = app.get("/ehrenamt")
        #expect(!german.body.contains("card__title\" lang="), "German pages need no marking")
        let detailLink = try #require(english.links.first { $0.hasPrefix("/en/ehrenamt/") })
        #expect(app.get(detailLink).body.contains("<h1 lang=\"de\" dir=\"ltr\">"))
    }
}
