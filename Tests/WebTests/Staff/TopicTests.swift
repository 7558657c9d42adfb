import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Admins manage the taxonomy: topics are added, renamed, re-ordered and made inactive, never deleted;
/// slugs never change; forms and filters offer active topics only, items keep what they have.
@Suite struct TopicTests {
    let app: TestApp
    let admin: TestBrowser
    let resident: TestBrowser

    init() throws {
        app = try TestApp.make(seeded: false)
        try People.account(app, "landrat@kreis.example", name: "Lena Landrat", role: .admin)
        try People.account(app, "erika@example.org", name: "Erika")
        admin = People.browser(app, as: "landrat@kreis.example")
        resident = People.browser(app, as: "erika@example.org")
    }

    func topic(slug: String) throws -> TaxonomyEntry? {
        try TaxonomyStore(database: app.database).entries().first { $0.topic.slug == slug }
    }

    func add(_ name: String, kind: TopicKind = .volunteering) -> TestResponse {
        admin.submit("/verwaltung/themen", action: "/verwaltung/themen", [("name", name), ("kind", kind.rawValue)])
    }

    func edit(_ id: Int64, _ fields: [(String, String)]) -> TestResponse {
        admin.submit("/verwaltung/themen/\(id)", action: "/verwaltung/themen/\(id)", fields)
    }

    @Test func list_showsBothTaxonomies_withSlugOrderStateAndUse() throws {
        try Fixtures.listing(app.database, kind: .volunteerNeed, title: "Trainer gesucht", topicSlugs: ["sport"])
        try Fixtures.listing(app.database, kind: .volunteerOffer, title: "Ich helfe", topicSlugs: ["sport"])
        let page = admin.get("/verwaltung/themen")
        #expect(page.status == 200)
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
        #expect(page.body.contains("Themenfelder (Ehrenamt)"))
        #expect(page.body.contains("Spendenkategorien"))
        let sportID = try #require(try topic(slug: "sport")).topic.id
        #expect(page.links.contains("/verwaltung/themen/\(sportID)"))
        #expect(
            page.body.contains(
                "Sport &amp; Bewegung</a></th>\n            <td class=\"data-table__wrap\"><code>sport</code></td>\n"
                    + "            <td>10</td>\n            <td>aktiv</td>\n            <td>2</td>"))
        #expect(page.body.contains("<code>moebel</code>"))
        let edit = admin.get("/verwaltung/themen/\(sportID)")
        #expect(edit.status == 200)
        #expect(edit.unresolvedLocalizationKeys.isEmpty, "\(edit.unresolvedLocalizationKeys)")
        #expect(edit.body.contains("value=\"Sport &amp; Bewegung\""))
        #expect(edit.body.contains("value=\"10\""))
        #expect(admin.get("/verwaltung/themen/99999").status == 404)
    }

    @Test func anAddedTopic_isOfferedInFiltersAndPostingForms_atTheEndOfItsList() throws {
        let response = add("Digitale Hilfe")
        #expect(response.status == 303)
        #expect(response.location == "/verwaltung/themen?hinweis=staff.topics.added")
        #expect(admin.follow(response).body.contains("Das Thema wurde angelegt"))
        let entry = try #require(try topic(slug: "digitale-hilfe"))
        #expect(entry.topic.kind == .volunteering)
        #expect(entry.topic.isActive)
        #expect(entry.sortOrder == 150, "after Kirche & Glaube (140)")

        let filter = app.get("/ehrenamt")
        #expect(filter.body.contains("name=\"thema\" value=\"digitale-hilfe\""))
        #expect(filter.body.contains(">Digitale Hilfe</label>"))
        #expect(resident.get("/mein-bereich/neu/mithelfen").body.contains("name=\"topics\" value=\"digitale-hilfe\""))
        #expect(!app.get("/spenden").body.contains("value=\"digitale-hilfe\""), "only in its own taxonomy")

        #expect(add("Werkzeug", kind: .donation).status == 303)
        let category = try #require(try topic(slug: "werkzeug"))
        #expect(category.sortOrder == 280)
        #expect(app.get("/spenden").body.contains("name=\"thema\" value=\"werkzeug\""))
        #expect(
            resident.get("/mein-bereich/neu/spende-angeboten").body.contains("name=\"category\" value=\"werkzeug\""))

        // A volunteer offer can be posted with the new topic.
        let posted = resident.submit(
            "/mein-bereich/neu/mithelfen", action: "/mein-bereich/neu/mithelfen",
            PostingWorld.setting(PostingWorld.volunteerOffer(), "topics", "digitale-hilfe"))
        #expect(posted.status == 303)
        #expect(try TaxonomyStore(database: app.database).entry(id: entry.topic.id)?.listingCount == 1)
    }

    @Test func renaming_changesTheLabelEverywhere_butNotTheSlug() throws {
        let listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Besuchsdienst", topicSlugs: ["soziales"])
        let id = try #require(try topic(slug: "soziales")).topic.id
        let response = edit(id, [("action", "save"), ("name", "Soziales Miteinander"), ("sort_order", "5")])
        #expect(response.status == 303)
        #expect(response.location == "/verwaltung/themen?hinweis=staff.topics.saved")
        let entry = try #require(try topic(slug: "soziales"))
        #expect(entry.topic.name == "Soziales Miteinander")
        #expect(entry.sortOrder == 5)

        let filtered = app.get("/ehrenamt?thema=soziales")
        #expect(filtered.body.contains("Besuchsdienst"), "the shared URL still works")
        #expect(filtered.body.contains(">Soziales Miteinander</label>"))
        #expect(!filtered.body.contains(">Soziales</label>"))
        let firstTopic = try #require(filtered.body.range(of: "id=\"thema-"))
        #expect(filtered.body[firstTopic.upperBound...].hasPrefix("soziales\""), "now first in the filter")
        #expect(app.get("/ehrenamt/\(listingID)").body.contains(">Soziales Miteinander</a>"))
        #expect(app.get("/").body.contains("Soziales Miteinander"))
        #expect(resident.get("/mein-bereich/neu/mithelfen").body.contains(">Soziales Miteinander</label>"))
        // Translations belong to the slug: the English page keeps its own name, reloaded with the rest.
        let english = app.get("/en/ehrenamt?thema=soziales")
        #expect(english.body.contains(">Social services</label>"))
        let firstEnglish = try #require(english.body.range(of: "id=\"thema-"))
        #expect(english.body[firstEnglish.upperBound...].hasPrefix("soziales\""), "in the order the admin set")
    }

    @Test func anAddedTopic_keepsItsGermanName_inOtherLanguages() throws {
        #expect(add("Digitale Hilfe").status == 303)
        #expect(app.get("/en/ehrenamt").body.contains(">Digitale Hilfe</label>"))
    }

    @Test func anInactiveTopic_leavesFormsAndFilters_butStaysOnItems() throws {
        let listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Gassi gehen im Tierheim", topicSlugs: ["tierschutz"])
        let id = try #require(try topic(slug: "tierschutz")).topic.id
        #expect(app.get("/ehrenamt").body.contains("value=\"tierschutz\""))

        let response = admin.submit("/verwaltung/themen/\(id)", [("action", "deactivate")])
        #expect(response.status == 303)
        #expect(admin.follow(response).body.contains("Das Thema ist jetzt inaktiv"))
        #expect(try topic(slug: "tierschutz")?.topic.isActive == false)
        #expect(admin.get("/verwaltung/themen").body.contains("<span class=\"muted\">inaktiv</span>"))

        let list = app.get("/ehrenamt")
        #expect(!list.body.contains("value=\"tierschutz\""))
        #expect(list.body.contains("Gassi gehen im Tierheim"))
        #expect(!app.get("/").body.contains("thema=tierschutz"))
        #expect(!resident.get("/mein-bereich/neu/mithelfen").body.contains("value=\"tierschutz\""))
        #expect(!app.get("/registrieren/organisation").body.contains("value=\"tierschutz\""))
        #expect(app.get("/ehrenamt/\(listingID)").body.contains(">Tierschutz</a>"))
        // A shared link that filters by it still works, and the filter can be unticked.
        let shared = app.get("/ehrenamt?thema=tierschutz")
        #expect(shared.body.contains("Gassi gehen im Tierheim"))
        #expect(shared.body.contains("value=\"tierschutz\" checked"))

        let again = admin.submit("/verwaltung/themen/\(id)", [("action", "activate")])
        #expect(again.status == 303)
        #expect(app.get("/ehrenamt").body.contains("value=\"tierschutz\""))
    }

    @Test func editingAnItem_keepsAnInactiveTopicItAlreadyHas() throws {
        let posted = resident.submit(
            "/mein-bereich/neu/mithelfen", action: "/mein-bereich/neu/mithelfen", PostingWorld.volunteerOffer())
        #expect(posted.status == 303)
        let listingID = try #require(
            try app.database.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM listings") })
        for slug in ["nachbarschaft", "tierschutz"] {
            let id = try #require(try topic(slug: slug)).topic.id
            #expect(admin.submit("/verwaltung/themen/\(id)", [("action", "deactivate")]).status == 303)
        }

        let form = resident.get("/mein-bereich/eintraege/\(listingID)")
        #expect(form.body.contains("name=\"topics\" value=\"nachbarschaft\" checked"))
        #expect(!form.body.contains("value=\"tierschutz\""), "other inactive topics stay hidden")
    }

    @Test func slugs_spellOutUmlauts_replaceOtherCharacters_andStayUnique() throws {
        #expect(TaxonomyStore.slugBase(for: "Möbel & Küche") == "moebel-kueche")
        #expect(TaxonomyStore.slugBase(for: "Straßenfest, Öffentlichkeit") == "strassenfest-oeffentlichkeit")
        #expect(TaxonomyStore.slugBase(for: "  Kinder / Jugend!! ") == "kinder-jugend")
        #expect(TaxonomyStore.slugBase(for: "Café für Ältere") == "cafe-fuer-aeltere")
        #expect(TaxonomyStore.slugBase(for: "Erste-Hilfe 2.0") == "erste-hilfe-2-0")
        #expect(TaxonomyStore.slugBase(for: "???") == "thema")
        #expect(TaxonomyStore.slugBase(for: String(repeating: "ab ", count: 30)).count <= 60)
        #expect(!TaxonomyStore.slugBase(for: String(repeating: "ab ", count: 30)).hasSuffix("-"))
        #expect(TaxonomyStore.uniqueSlug("sport", taken: ["sport", "sport-2"]) == "sport-3")
        #expect(TaxonomyStore.uniqueSlug("neu", taken: ["sport"]) == "neu")

        // Through the page: the same base in the other taxonomy and with punctuation.
        #expect(add("Sport", kind: .donation).status == 303)
        #expect(add("Sport!", kind: .volunteering).status == 303)
        #expect(add("Möbel & Küche", kind: .donation).status == 303)
        let names = try TaxonomyStore(database: app.database).entries().reduce(into: [String: String]()) {
            $0[$1.topic.slug] = $1.topic.name
        }
        #expect(names["sport"] == "Sport & Bewegung", "existing slugs never change")
        #expect(names["sport-2"] == "Sport")
        #expect(names["sport-3"] == "Sport!")
        #expect(names["moebel-kueche"] == "Möbel & Küche")

        // Renaming keeps the slug.
        let id = try #require(try topic(slug: "sport-2")).topic.id
        #expect(edit(id, [("action", "save"), ("name", "Sportgeräte"), ("sort_order", "300")]).status == 303)
        #expect(try topic(slug: "sport-2")?.topic.name == "Sportgeräte")
    }

    @Test func invalidNamesAndOrders_getMessages_andNothingChanges() throws {
        let before = try TaxonomyStore(database: app.database).entries()
        let empty = add("   ")
        #expect(empty.status == 422)
        #expect(empty.body.contains("Bitte geben Sie einen Namen ein."))
        let long = add(String(repeating: "x", count: 61))
        #expect(long.status == 422)
        #expect(long.body.contains("höchstens 60 Zeichen"))
        let taken = add("sport & bewegung")
        #expect(taken.status == 422)
        #expect(taken.body.contains("gibt es schon ein Thema mit diesem Namen"))
        let noKind = admin.submit(
            "/verwaltung/themen", action: "/verwaltung/themen", [("name", "Neu"), ("kind", "mystery")])
        #expect(noKind.status == 422)
        #expect(noKind.body.contains("Bitte wählen Sie, in welche Liste"))
        #expect(noKind.body.contains("value=\"Neu\""), "the name stays in the field")

        let id = try #require(try topic(slug: "kultur")).topic.id
        for order in ["zehn", "-1", "100000", ""] {
            let response = edit(id, [("action", "save"), ("name", "Kultur"), ("sort_order", order)])
            #expect(response.status == 422, "\(order)")
            #expect(response.body.contains("Bitte geben Sie eine ganze Zahl zwischen 0 und 99999 ein."))
        }
        let duplicate = edit(id, [("action", "save"), ("name", "Soziales"), ("sort_order", "20")])
        #expect(duplicate.status == 422)
        #expect(edit(id, [("action", "delete")]).status == 400)
        #expect(try TaxonomyStore(database: app.database).entries() == before)
    }

    @Test func scriptInATopicName_isEscapedEverywhere() throws {
        #expect(add(People.hostile).status == 303)
        let entry = try #require(
            try TaxonomyStore(database: app.database).entries().first { $0.topic.name == People.hostile })
        #expect(entry.topic.slug == "script-alert-1-script")
        let listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Mit Skript", topicSlugs: [entry.topic.slug])
        let pages = [
            admin.get("/verwaltung/themen"), admin.get("/verwaltung/themen/\(entry.topic.id)"), app.get("/ehrenamt"),
            app.get("/ehrenamt?thema=\(entry.topic.slug)"), app.get("/ehrenamt/\(listingID)"), app.get("/"),
            resident.get("/mein-bereich/neu/mithelfen"),
        ]
        for page in pages {
            #expect(page.status == 200)
            #expect(!page.body.contains(People.hostile))
            #expect(page.body.contains(People.escaped))
        }
    }

    @Test func wrongCSRFToken_is403_andNothingChanges() throws {
        let before = try TaxonomyStore(database: app.database).entries()
        let id = try #require(try topic(slug: "kultur")).topic.id
        #expect(
            admin.post("/verwaltung/themen", [("csrf", "falsch"), ("name", "Neu"), ("kind", "volunteering")]).status
                == 403)
        #expect(admin.post("/verwaltung/themen/\(id)", [("action", "deactivate")]).status == 403)
        #expect(
            admin.post(
                "/verwaltung/themen/\(id)",
                [("csrf", "falsch"), ("action", "save"), ("name", "Anders"), ("sort_order", "1")]
            ).status == 403)
        #expect(try TaxonomyStore(database: app.database).entries() == before)
    }
}
