import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing

@testable import Storage

/// Full-text search over listings: the index follows every write, and the search shows exactly what the
/// list pages show, best match first.
@Suite("Listing search")
struct ListingSearchTests {
    let database: AppDatabase
    let store: ListingStore

    init() throws {
        database = try TestDatabase.makeMigrated()
        store = ListingStore(database: database)
    }

    /// A published listing with exactly this text.
    @discardableResult
    func listing(
        _ kind: ListingKind = .volunteerNeed, title: String, summary: String = "", description: String = "",
        publishedAt: Date = TestClock.now, state: PublicationState = .published, expiresAt: Date? = nil,
        organisationID: Int64? = nil
    ) throws -> Int64 {
        let id = try Fixtures.listing(
            database, kind: kind, title: title, organisationID: organisationID, state: state,
            publishedAt: publishedAt, expiresAt: expiresAt)
        try database.write { db in
            try db.execute(
                sql: "UPDATE listings SET summary = ?, description = ? WHERE id = ?",
                arguments: [summary, description, id])
        }
        return id
    }

    func search(_ text: String, page: Int = 1, pageSize: Int = 20) throws -> Page<ListingSummary> {
        try store.search(try #require(SearchQuery(text)), pageNumber: page, pageSize: pageSize, now: TestClock.now)
    }

    func titles(_ text: String) throws -> [String] {
        try search(text).items.map(\.title)
    }

    @Test("a word in the title ranks above the same word in the summary, that above the description")
    func titleRanksFirst() throws {
        let hour: TimeInterval = 3600
        // The newest has the word only in its description, the oldest in its title.
        try listing(
            title: "Hilfe beim Lesen", description: "Wir suchen Unterstützung im Garten und im Haus.",
            publishedAt: TestClock.now)
        try listing(
            title: "Nachmittage im Seniorenheim", summary: "Garten pflegen mit den Bewohnern",
            publishedAt: TestClock.now.addingTimeInterval(-hour))
        try listing(
            title: "Gartenhilfe für den Schulgarten", summary: "Beete anlegen",
            publishedAt: TestClock.now.addingTimeInterval(-2 * hour))
        #expect(
            try titles("garten") == [
                "Gartenhilfe für den Schulgarten", "Nachmittage im Seniorenheim", "Hilfe beim Lesen",
            ])
    }

    @Test("equal matches come newest first")
    func newestBreaksTies() throws {
        try listing(title: "Lesepate gesucht", publishedAt: TestClock.now.addingTimeInterval(-7200))
        try listing(title: "Lesepate gesucht", publishedAt: TestClock.now)
        let page = try search("lesepate")
        #expect(page.items.map(\.publishedAt) == [TestClock.now, TestClock.now.addingTimeInterval(-7200)])
    }

    @Test("every word is required, each as a prefix, in all four kinds")
    func allWordsAllKinds() throws {
        try listing(.volunteerNeed, title: "Hundebetreuung im Tierheim")
        try listing(.volunteerOffer, title: "Ich gehe mit Ihrem Hund spazieren")
        try listing(.donationOffer, title: "Hundekorb abzugeben", summary: "Kaum benutzt")
        try listing(.donationNeed, title: "Katzenfutter gesucht")
        #expect(
            Set(try titles("Hund"))
                == ["Hundebetreuung im Tierheim", "Ich gehe mit Ihrem Hund spazieren", "Hundekorb abzugeben"])
        #expect(try titles("hund tierheim") == ["Hundebetreuung im Tierheim"])
        #expect(try titles("hund katze").isEmpty)
        #expect(Set(try search("hund").items.map(\.kind)) == [.volunteerNeed, .volunteerOffer, .donationOffer])
    }

    @Test("only what the list pages show: published, not expired, not closed, organisation approved")
    func onlyPublicListings() throws {
        let approved = try Fixtures.organisation(database, name: "Tafel Lemgo")
        let suspended = try Fixtures.organisation(database, name: "Alter Verein", state: .suspended)
        try listing(title: "Regenschirm sichtbar")
        try listing(title: "Regenschirm vom Verein", organisationID: approved)
        try listing(title: "Regenschirm gesperrter Verein", organisationID: suspended)
        try listing(title: "Regenschirm in Prüfung", state: .pending)
        try listing(title: "Regenschirm versteckt", state: .hidden)
        try listing(title: "Regenschirm Entwurf", state: .draft)
        try listing(title: "Regenschirm abgelaufen", expiresAt: TestClock.now.addingTimeInterval(-1))
        try listing(title: "Regenschirm läuft noch", expiresAt: TestClock.now.addingTimeInterval(3600))
        let closed = try listing(title: "Regenschirm geschlossen")
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET closed_at = ? WHERE id = ?", arguments: [1, closed])
        }
        let page = try search("regenschirm")
        #expect(
            Set(page.items.map(\.title)) == [
                "Regenschirm sichtbar", "Regenschirm vom Verein", "Regenschirm läuft noch",
            ])
        #expect(page.totalCount == 3)
        // The same rules as the list pages, compared directly.
        let listed = try store.page(
            kinds: ListingKind.allCases, filter: ListFilter(), pageNumber: 1, pageSize: 100, now: TestClock.now)
        #expect(Set(page.items.map(\.id)) == Set(listed.items.map(\.id)))
    }

    @Test("20 per page with the total count; pages do not overlap")
    func pagination() throws {
        for number in 1...25 {
            try listing(
                title: "Fahrrad Nummer \(number)", publishedAt: TestClock.now.addingTimeInterval(Double(-number)))
        }
        try listing(title: "Etwas anderes")
        let first = try search("fahrrad")
        let second = try search("fahrrad", page: 2)
        #expect(first.totalCount == 25)
        #expect(first.items.count == 20)
        #expect(second.items.count == 5)
        #expect(second.totalCount == 25)
        #expect(first.pageCount == 2)
        #expect(Set(first.items.map(\.id)).isDisjoint(with: second.items.map(\.id)))
        #expect(first.items.first?.title == "Fahrrad Nummer 1")
        #expect(try search("fahrrad", page: 3).items.isEmpty)
    }

    @Test("umlauts: Möbel finds Möbel, mobel and Moebel; Moebel finds them too; mobel finds Möbel")
    func umlauts() throws {
        try listing(.donationOffer, title: "Möbel für die erste Wohnung")
        try listing(.donationOffer, title: "Gebrauchte mobel")
        try listing(.donationOffer, title: "Moebel abzugeben")
        try listing(.donationOffer, title: "Große Straße", summary: "Umzug")
        let all: Set = ["Möbel für die erste Wohnung", "Gebrauchte mobel", "Moebel abzugeben"]
        #expect(Set(try titles("Möbel")) == all)
        #expect(Set(try titles("MÖBEL")) == all)
        #expect(Set(try titles("Moebel")) == all)
        #expect(Set(try titles("mobel")) == ["Möbel für die erste Wohnung", "Gebrauchte mobel"])
        #expect(try titles("strasse") == ["Große Straße"])
        #expect(try titles("grosse") == ["Große Straße"])
    }

    @Test("Arabic and Cyrillic text is found by its words")
    func otherScripts() throws {
        try listing(.volunteerOffer, title: "Übersetzen", description: "Ich übersetze Arabisch: مساعدة في الترجمة")
        try listing(.volunteerOffer, title: "Переклад з української", summary: "Допомога з документами")
        #expect(try titles("الترجمة") == ["Übersetzen"])
        #expect(try titles("допомога") == ["Переклад з української"])
        #expect(try titles("УКРАЇНСЬКОЇ") == ["Переклад з української"])
    }

    @Test("the index follows inserts, text updates, deletes and deletes cascading from an organisation")
    func indexFollowsWrites() throws {
        let organisation = try Fixtures.organisation(database, name: "Heimatverein")
        let id = try listing(title: "Kuchenbuffet beim Dorffest", organisationID: organisation)
        #expect(try titles("kuchen") == ["Kuchenbuffet beim Dorffest"])
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET title = 'Waffelstand beim Dorffest' WHERE id = ?", arguments: [id])
        }
        #expect(try titles("kuchen").isEmpty)
        #expect(try titles("waffel") == ["Waffelstand beim Dorffest"])
        // A change that does not touch the text keeps it findable.
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET updated_at = updated_at + 1 WHERE id = ?", arguments: [id])
        }
        #expect(try titles("waffel") == ["Waffelstand beim Dorffest"])
        let other = try listing(title: "Waffeleisen gesucht")
        try database.write { db in
            try db.execute(sql: "DELETE FROM listings WHERE id = ?", arguments: [other])
            try db.execute(sql: "DELETE FROM organisations WHERE id = ?", arguments: [organisation])
        }
        #expect(try titles("waffel").isEmpty)
        // The index holds exactly the rows of the table (FTS5's own consistency check).
        try database.write { db in
            try db.execute(sql: "INSERT INTO listings_search (listings_search, rank) VALUES ('integrity-check', 1)")
        }
    }

    @Test("listings stored before the search migration are indexed by it")
    func migrationIndexesExistingRows() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let all = try Migrator(directory: TestDatabase.projectRoot + "/Migrations")
        let search = try #require(all.migrations.first { $0.name == "search" })
        try Migrator(migrations: all.migrations.filter { $0.version < search.version }).migrate(database)
        try RegionLoader.load(path: TestDatabase.projectRoot + "/Regions/lippe.csv", into: database)
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Vorlesen im Kindergarten")
        try all.migrate(database)
        let page = try ListingStore(database: database).search(
            try #require(SearchQuery("vorlesen")), pageNumber: 1, pageSize: 20, now: TestClock.now)
        #expect(page.items.map(\.title) == ["Vorlesen im Kindergarten"])
    }

    @Test("hostile text is only ever words: no FTS5 error, no operator")
    func hostileText() throws {
        try listing(title: "Near the station: help wanted")
        for text in ["NEAR(", "title:near", "\"near", "near*", "-near", "^near", "near OR", "NOT near", "near) OR (x"] {
            _ = try search(text)
        }
        #expect(try titles("NEAR(") == ["Near the station: help wanted"])
        #expect(try titles("title:station") == [], "title is a word here, not a column filter")
    }

    @Test("the query reads the FTS index and looks listings up by id, never scanning the listings table")
    func queryPlanUsesIndex() throws {
        let match = try #require(SearchQuery("garten hilfe")).matchExpression
        let now = SQLFragments.seconds(TestClock.now)
        let queries: [(String, StatementArguments)] = [
            (ListingStore.searchPageSQL, [match, now, 20, 0]),
            ("SELECT COUNT(*) " + ListingStore.searchFrom, [match, now]),
        ]
        for (sql, values) in queries {
            let details = try database.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: values).map { $0["detail"] as String }
            }
            #expect(details.contains { $0.hasPrefix("SCAN listings_search VIRTUAL TABLE INDEX") }, "\(details)")
            #expect(details.contains { $0.hasPrefix("SEARCH l USING INTEGER PRIMARY KEY") }, "\(details)")
            #expect(
                !details.contains { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN listings_search") }, "\(details)")
        }
    }
}
