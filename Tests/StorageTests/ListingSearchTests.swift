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
        try results(text, page: page, pageSize: pageSize).page
    }

    func results(
        _ text: String, page: Int = 1, pageSize: Int = 20, limit: Int = ListingStore.searchResultLimit,
        now: Date = TestClock.now
    ) throws -> SearchResults {
        try store.search(
            try #require(SearchQuery(text)), pageNumber: page, pageSize: pageSize, now: now, limit: limit)
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
        let results = try ListingStore(database: database).search(
            try #require(SearchQuery("vorlesen")), pageNumber: 1, pageSize: 20, now: TestClock.now)
        #expect(results.page.items.map(\.title) == ["Vorlesen im Kindergarten"])
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

    @Test("the queries read the FTS index and look listings up by id, never scanning the listings table")
    func queryPlanUsesIndex() throws {
        let match = try #require(SearchQuery("garten hilfe")).matchExpression
        let now = SQLFragments.seconds(TestClock.now)
        let scores = try plan(ListingStore.searchScoresSQL, [match])
        #expect(scores.count == 1 && scores[0].hasPrefix("SCAN listings_search VIRTUAL TABLE INDEX"), "\(scores)")
        var ids = StatementArguments([Int64](1...100))
        ids += [now]
        let visibility = try plan(ListingStore.searchVisibilitySQL(count: 100), ids)
        #expect(visibility.first?.hasPrefix("SEARCH l USING INTEGER PRIMARY KEY") == true, "\(visibility)")
        #expect(!visibility.contains { $0.hasPrefix("SCAN") }, "\(visibility)")
        var arguments = StatementArguments([Int64](1...20))
        arguments += [now]
        let summaries = try plan(ListingStore.searchSummariesSQL(count: 20), arguments)
        #expect(summaries.first?.hasPrefix("SEARCH l USING INTEGER PRIMARY KEY") == true, "\(summaries)")
        #expect(!summaries.contains { $0.hasPrefix("SCAN") }, "\(summaries)")
    }

    func plan(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
        try database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    // MARK: ranking kept between requests, the limit

    /// The order of every public match as the search had it before rankings were kept and cut: one query
    /// over all matches, the visibility rules written out here on their own.
    func referenceOrder(_ text: String, now: Date = TestClock.now) throws -> [Int64] {
        let match = try #require(SearchQuery(text)).matchExpression
        return try database.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT l.id FROM listings_search CROSS JOIN listings l ON l.id = listings_search.rowid
                    LEFT JOIN organisations o ON o.id = l.organisation_id
                    WHERE listings_search MATCH ? AND l.state = 'published'
                        AND (l.expires_at IS NULL OR l.expires_at > ?) AND l.closed_at IS NULL
                        AND (l.organisation_id IS NULL OR o.state = 'approved')
                    ORDER BY bm25(listings_search, 5.0, 2.0, 1.0), l.published_at DESC, l.id DESC
                    """,
                arguments: [match, SQLFragments.seconds(now)])
        }
    }

    /// Matches for "laterne" with every kind of tie and hidden listings among the best-scored ones.
    func lanterns() throws {
        let suspended = try Fixtures.organisation(database, name: "Ruhender Verein", state: .suspended)
        let approved = try Fixtures.organisation(database, name: "Laternenfreunde")
        let minute: TimeInterval = 60
        for number in 0..<4 {
            // Identical text: equal scores, told apart by date, and the last two not even by that.
            try listing(
                title: "Laterne basteln", summary: "Für den Umzug",
                publishedAt: TestClock.now.addingTimeInterval(-minute * Double(min(number, 2))))
        }
        try listing(title: "Laterne basteln", summary: "Für den Umzug", state: .hidden)
        try listing(title: "Laterne basteln", summary: "Für den Umzug", organisationID: suspended)
        try listing(title: "Laterne basteln", summary: "Für den Umzug", organisationID: approved)
        try listing(
            title: "Laterne basteln", summary: "Für den Umzug", expiresAt: TestClock.now.addingTimeInterval(-1))
        for number in 0..<6 {
            try listing(
                title: "Martinsumzug \(number)", summary: "Mit Laterne und Musik",
                publishedAt: TestClock.now.addingTimeInterval(-minute * Double(number)))
            try listing(
                title: "Herbstfest \(number)", description: "Am Abend ein Laternenlauf für alle Kinder",
                publishedAt: TestClock.now.addingTimeInterval(-minute * Double(number % 2)),
                state: number == 2 ? .pending : .published)
        }
        let closed = try listing(title: "Laterne reparieren")
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET closed_at = 1 WHERE id = ?", arguments: [closed])
        }
    }

    @Test("the order is the one of ranking every match in one query, ties and hidden listings included")
    func orderUnchanged() throws {
        try lanterns()
        let reference = try referenceOrder("laterne")
        #expect(reference.count == 16)
        var shown: [Int64] = []
        for page in 1...5 { shown += try search("laterne", page: page, pageSize: 4).items.map(\.id) }
        #expect(shown == reference)
        #expect(try search("laterne").totalCount == reference.count)
    }

    @Test("looking up the best-scored matches a batch at a time gives the full ranking, whatever the batch size")
    func candidatesGiveTheFullRanking() throws {
        try lanterns()
        let reference = try referenceOrder("laterne")
        let match = try #require(SearchQuery("laterne")).matchExpression
        let now = SQLFragments.seconds(TestClock.now)
        for limit in [0, 1, 2, 3, 5, 8, 15, 16, 100] {
            for batchSize in [nil, 1, 2, 3, 4, 5, 6, 7, 9, 12, 17, 20, 21, 22, 30] {
                let ranked = try database.read { db in
                    try ListingStore.rankedMatches(match, now: now, limit: limit, batchSize: batchSize, db: db)
                }
                #expect(ranked.ids == Array(reference.prefix(limit + 1)), "limit \(limit), batch \(batchSize ?? 0)")
            }
        }
    }

    @Test("identical matches published at the same moment: the highest id first")
    func sameMomentTies() throws {
        let first = try listing(title: "Kastanien sammeln")
        let second = try listing(title: "Kastanien sammeln")
        let third = try listing(title: "Kastanien sammeln")
        #expect(try search("kastanien").items.map(\.id) == [third, second, first])
    }

    @Test("at the limit the count is exact; one more match makes it 'more than' and pages still end at the limit")
    func limitBoundary() throws {
        for number in 1...5 {
            try listing(
                title: "Adventsbasteln \(number)", description: "Kerze",
                publishedAt: TestClock.now.addingTimeInterval(Double(-60 * number)))
        }
        let atLimit = try results("kerze", pageSize: 2, limit: 5)
        #expect(atLimit.page.totalCount == 5)
        #expect(!atLimit.isCapped)
        #expect(atLimit.page.pageCount == 3)
        // The sixth is the best match (its title is the word alone) and the oldest: it leads the capped results,
        // and the worst of the first five drops out.
        let best = try listing(title: "Kerze", publishedAt: TestClock.now.addingTimeInterval(-86_400))
        let over = try results("kerze", pageSize: 2, limit: 5)
        #expect(over.page.totalCount == 5)
        #expect(over.isCapped)
        #expect(over.limit == 5)
        #expect(over.page.pageCount == 3)
        #expect(over.page.items.first?.id == best)
        var shown: [Int64] = []
        for page in 1...3 { shown += try results("kerze", page: page, pageSize: 2, limit: 5).page.items.map(\.id) }
        #expect(shown == Array(try referenceOrder("kerze").prefix(5)))
        #expect(try results("kerze", page: 3, pageSize: 2, limit: 5).page.items.count == 1)
        #expect(try results("kerze", page: 4, pageSize: 2, limit: 5).page.items.isEmpty)
    }

    @Test("the real limit: 1,000 matches are counted exactly, 1,001 are more than 1,000, in 50 pages of 20")
    func defaultLimit() throws {
        #expect(ListingStore.searchResultLimit == 1_000)
        try Fixtures.bulkListings(database, count: 1_000, title: "Massentest")
        let exact = try results("massentest")
        #expect(exact.page.totalCount == 1_000)
        #expect(!exact.isCapped)
        #expect(exact.page.pageCount == 50)
        try Fixtures.bulkListings(database, count: 1, title: "Massentest", from: 1_001)
        let capped = try results("massentest")
        #expect(capped.page.totalCount == 1_000)
        #expect(capped.isCapped)
        #expect(capped.page.pageCount == 50)
        let last = try results("massentest", page: 50)
        #expect(last.page.items.count == 20)
        #expect(try results("massentest", page: 51).page.items.isEmpty)
        // Equal scores, so the newest first: the 1,001st (oldest) is the one left out.
        #expect(last.page.items.last?.title == "Massentest 1000")
    }

    @Test("a kept ranking follows every write that changes what is public")
    func keptRankingFollowsWrites() throws {
        let organisation = try Fixtures.organisation(database, name: "Imkerverein")
        let own = try listing(title: "Honig abfüllen", organisationID: organisation)
        let other = try listing(title: "Honigbrote für das Sommerfest")
        #expect(Set(try search("honig").items.map(\.id)) == [own, other])
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET state = 'hidden' WHERE id = ?", arguments: [other])
        }
        #expect(try search("honig").items.map(\.id) == [own])
        try database.write { db in
            try db.execute(sql: "UPDATE organisations SET state = 'suspended' WHERE id = ?", arguments: [organisation])
        }
        #expect(try search("honig").items.isEmpty)
        let added = try listing(title: "Honigmarkt")
        #expect(try search("honig").items.map(\.id) == [added])
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET title = 'Wachsmarkt' WHERE id = ?", arguments: [added])
        }
        #expect(try search("honig").items.isEmpty)
        #expect(try search("wachs").items.map(\.id) == [added])
    }

    @Test("a kept ranking drops a listing when it expires, without any write")
    func keptRankingExpires() throws {
        let expiring = try listing(title: "Apfelernte", expiresAt: TestClock.now.addingTimeInterval(60))
        let staying = try listing(title: "Apfelkuchen backen", publishedAt: TestClock.now.addingTimeInterval(-60))
        #expect(try results("apfel").page.items.map(\.id) == [expiring, staying])
        #expect(
            try results("apfel", now: TestClock.now.addingTimeInterval(59)).page.items.map(\.id) == [expiring, staying])
        let later = try results("apfel", now: TestClock.now.addingTimeInterval(60))
        #expect(later.page.items.map(\.id) == [staying])
        #expect(later.page.totalCount == 1)
    }

    @Test("rankings are kept per database, checked against its version and expiry, and bounded in number")
    func rankingsKept() throws {
        let rankings = database.searchRankings
        let other = try TestDatabase.makeMigrated()
        var computed = 0
        func rank(_ expression: String, on db: AppDatabase, version: Int64, now: Int64 = 100) -> [Int64] {
            db.searchRankings.ranking(expression, limit: 10, version: version, now: now) {
                computed += 1
                return ([Int64(computed)], 200)
            }
        }
        #expect(rank("\"a\"*", on: database, version: 1) == [1])
        #expect(rank("\"a\"*", on: database, version: 1) == [1], "kept")
        #expect(rank("\"a\"*", on: other, version: 1) == [2], "another database")
        #expect(rank("\"a\"*", on: database, version: 2) == [3], "a write")
        #expect(rank("\"a\"*", on: database, version: 2, now: 199) == [3])
        #expect(rank("\"a\"*", on: database, version: 2, now: 200) == [4], "a kept listing expired")
        #expect(
            rankings.ranking("\"a\"*", limit: 20, version: 2, now: 100) { ([9], nil) } == [9],
            "another limit")
        for number in 0..<(SearchRankings.maximumEntries * 2) {
            _ = rank("\"hostile\(number)\"*", on: database, version: 2)
            #expect(rankings.count <= SearchRankings.maximumEntries)
        }
    }

    @Test("hostile text of any length or kind stays a bounded list of quoted words and searches safely")
    func hostileTextBounded() throws {
        try listing(title: "Flohmarkt für Bücher im Gemeindehaus")
        let texts = [
            String(repeating: "ä", count: 10_000), String(repeating: "wort ", count: 2_000),
            "'; DROP TABLE listings; --", "{title summary}: bücher", "bücher {flohmarkt}", "listings_search: bücher",
            "\"\"*\"\"", "bücher\u{0}flohmarkt", "b*", "*", "NEAR(bücher flohmarkt, 2)", "bücher -flohmarkt", "ÄÖÜßẞ",
        ]
        for text in texts {
            guard let query = SearchQuery(text) else { continue }
            #expect(query.words.count <= SearchQuery.maximumWordCount)
            #expect(query.matchExpression.utf8.count <= 8_000, "\(text.prefix(20))")
            _ = try store.search(query, pageNumber: 1, pageSize: 20, now: TestClock.now)
        }
        #expect(try titles("'; DROP TABLE listings; --").isEmpty)
        #expect(try titles("{title summary}: bücher").isEmpty, "title and summary are words here")
        #expect(try titles("bücher {flohmarkt}") == ["Flohmarkt für Bücher im Gemeindehaus"])
        #expect(try titles("bücher\u{0}flohmarkt") == ["Flohmarkt für Bücher im Gemeindehaus"])
        #expect(try titles("NEAR(bücher flohmarkt, 2)").isEmpty, "NEAR and 2 are words that must all be found")
        #expect(try titles("bücher -flohmarkt") == ["Flohmarkt für Bücher im Gemeindehaus"], "- is no NOT")
        #expect(try database.read { db in try db.tableExists("listings") })
    }
}
