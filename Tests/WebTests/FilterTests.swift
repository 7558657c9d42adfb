import Domain
import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

/// Filters on a small, exactly known data set: every expected title is listed, nothing else.
@Suite("List filters")
struct FilterTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
        let db = app.database
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Lemgo Sport", municipalitySlug: "lemgo", topicSlugs: ["sport"])
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Lemgo Kultur", municipalitySlug: "lemgo", topicSlugs: ["kultur"])
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Detmold Sport", municipalitySlug: "detmold", topicSlugs: ["sport"])
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Lage Sport und Kultur", municipalitySlug: "lage",
            topicSlugs: ["sport", "kultur"])
        try Fixtures.listing(
            db, kind: .volunteerOffer, title: "Lemgo Angebot", municipalitySlug: "lemgo", topicSlugs: ["sport"])
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Lemgo Sport abgelaufen", municipalitySlug: "lemgo", topicSlugs: ["sport"],
            expiresAt: TestClock.now.addingTimeInterval(-60))
        try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Lemgo Sport ungeprüft", municipalitySlug: "lemgo", topicSlugs: ["sport"],
            state: .pending)
    }

    func titles(_ path: String) -> Set<String> {
        let body = app.get(path).body
        return Set(
            body.components(separatedBy: "<h3 class=\"card__title\"><a href=\"").dropFirst().compactMap { part in
                part.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init)
            })
    }

    @Test("without filters: every public listing of the section, nothing expired, pending or of another kind")
    func unfiltered() {
        #expect(titles("/ehrenamt") == ["Lemgo Sport", "Lemgo Kultur", "Detmold Sport", "Lage Sport und Kultur"])
        #expect(app.get("/ehrenamt").body.contains("4 Einträge gefunden"))
    }

    @Test("municipality filter returns only that municipality")
    func listFilter_returnsOnlyThatMunicipality() {
        #expect(titles("/ehrenamt?gemeinde=lemgo") == ["Lemgo Sport", "Lemgo Kultur"])
    }

    @Test("topic filter returns only that topic")
    func listFilter_returnsOnlyThatTopic() {
        #expect(titles("/ehrenamt?thema=kultur") == ["Lemgo Kultur", "Lage Sport und Kultur"])
    }

    @Test("municipality and topic combine with AND")
    func listFilter_combinesMunicipalityAndTopic() {
        #expect(titles("/ehrenamt?gemeinde=lemgo&thema=sport") == ["Lemgo Sport"])
        #expect(app.get("/ehrenamt?gemeinde=lemgo&thema=sport").body.contains("1 Eintrag gefunden"))
    }

    @Test("repeated values of one filter combine with OR")
    func listFilter_repeatedValuesAreAlternatives() {
        #expect(
            titles("/ehrenamt?gemeinde=lemgo&gemeinde=detmold") == ["Lemgo Sport", "Lemgo Kultur", "Detmold Sport"])
        #expect(
            titles("/ehrenamt?gemeinde=lemgo&gemeinde=lage&thema=kultur") == ["Lemgo Kultur", "Lage Sport und Kultur"])
    }

    @Test("active filters are shown as checked boxes and as links that remove one value")
    func activeFiltersAreShown() {
        let body = app.get("/ehrenamt?gemeinde=lemgo&thema=sport").body
        #expect(body.contains("id=\"gemeinde-lemgo\" name=\"gemeinde\" value=\"lemgo\" checked"))
        #expect(body.contains("id=\"thema-sport\" name=\"thema\" value=\"sport\" checked"))
        #expect(body.contains("href=\"/ehrenamt?thema=sport\""), "removing Lemgo keeps the topic")
        #expect(body.contains("href=\"/ehrenamt?gemeinde=lemgo\""), "removing the topic keeps Lemgo")
    }

    @Test("unknown filter values are ignored, not an error")
    func unknownValuesIgnored() {
        let response = app.get("/ehrenamt?gemeinde=atlantis&thema=moebel")
        #expect(response.status == 200)
        #expect(titles("/ehrenamt?gemeinde=atlantis") == titles("/ehrenamt"))
    }

    @Test("an empty result explains itself and offers to remove the filters")
    func emptyStateHelps() {
        let body = app.get("/ehrenamt?gemeinde=luegde").body
        #expect(body.contains("Keine passenden Einträge"))
        #expect(body.contains("Wählen Sie weniger Filter"))
        #expect(body.contains("Alle Filter entfernen"))
    }

    @Test("an empty exchange says so on every list")
    func emptyExchange() throws {
        let empty = try TestApp.make(seeded: false)
        for path in ["/ehrenamt", "/mithelfen", "/spenden", "/veranstaltungen", "/organisationen"] {
            let response = empty.get(path)
            #expect(response.status == 200)
            #expect(response.body.contains("class=\"empty-state\""), "\(path)")
        }
        #expect(empty.get("/").status == 200)
    }

    @Test("events and organisations filter by municipality too")
    func eventsAndOrganisationsFilter() throws {
        let db = app.database
        try Fixtures.event(
            db, title: "Infoabend Lemgo", startsAt: TestClock.now.addingTimeInterval(86_400), municipalitySlug: "lemgo")
        try Fixtures.event(
            db, title: "Infoabend Lage", startsAt: TestClock.now.addingTimeInterval(86_400), municipalitySlug: "lage")
        try Fixtures.organisation(db, name: "Verein Lemgo", municipalitySlug: "lemgo")
        try Fixtures.organisation(db, name: "Verein Lage", municipalitySlug: "lage")
        try Fixtures.organisation(db, name: "Verein Lemgo ungeprüft", municipalitySlug: "lemgo", state: .pending)
        let events = app.get("/veranstaltungen?gemeinde=lemgo").body
        #expect(events.contains("Infoabend Lemgo") && !events.contains("Infoabend Lage"))
        let organisations = app.get("/organisationen?gemeinde=lemgo").body
        #expect(organisations.contains("Verein Lemgo") && !organisations.contains("Verein Lage"))
        #expect(!organisations.contains("ungeprüft"))
    }
}
