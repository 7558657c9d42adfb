import Foundation
import GRDB
import HTTPTypes
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import HTTPServer
@testable import Web

/// Listing pages are kept for visitors without a session; whatever changes what such a page shows must
/// show at once, and nothing personal may ever be kept.
@Suite struct PageCacheTests {
    let app: TestApp
    var cache: PageCache { app.application.pageCache }
    /// The application's own database: its writes are the ones a kept page sees at once.
    var database: AppDatabase { app.application.database }

    init() throws {
        app = try TestApp.make(seeded: true)
    }

    func firstListing() throws -> (id: Int64, title: String) {
        try app.database.pool.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, title FROM listings WHERE kind = 'volunteer_need' AND state = 'published'
                        ORDER BY published_at DESC, id DESC LIMIT 1
                        """))
            return (row["id"], row["title"])
        }
    }

    @Test func aSecondAnonymousVisit_isServedFromTheCache_withTheSameBytes() throws {
        let first = app.get("/ehrenamt")
        #expect(first.status == 200)
        #expect(cache.statistics == PageCache.Statistics(hits: 0, stores: 1))
        let second = app.get("/ehrenamt")
        #expect(cache.statistics.hits == 1)
        #expect(second.bytes == first.bytes)
        #expect(second.headerFields[.cacheControl] == "no-cache")
        #expect(second.headerFields[.contentSecurityPolicy] != nil, "security headers are added per response")
        // Another language, another query: other pages.
        #expect(app.get("/en/ehrenamt").bytes != first.bytes)
        #expect(app.get("/ehrenamt?seite=2").bytes != first.bytes)
        #expect(cache.statistics.hits == 1)
    }

    @Test func aChangedListing_showsAtOnce() throws {
        let (id, title) = try firstListing()
        #expect(app.get("/ehrenamt").body.contains(title))
        #expect(app.get("/ehrenamt/\(id)").body.contains(title))
        try database.pool.write { db in
            try db.execute(sql: "UPDATE listings SET title = 'Neu: Lesepaten gesucht' WHERE id = ?", arguments: [id])
        }
        #expect(app.get("/ehrenamt").body.contains("Neu: Lesepaten gesucht"))
        #expect(app.get("/ehrenamt/\(id)").body.contains("Neu: Lesepaten gesucht"))
        try database.pool.write { db in
            try db.execute(sql: "UPDATE listings SET closed_at = 1 WHERE id = ?", arguments: [id])
        }
        #expect(app.get("/ehrenamt/\(id)").status == 404)
    }

    @Test func aRenamedOrganisation_showsAtOnceOnItsListingsPages() throws {
        let (id, organisationID) = try app.database.pool.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT l.id, l.organisation_id FROM listings l WHERE l.kind = 'volunteer_need'
                        AND l.state = 'published' AND l.organisation_id IS NOT NULL LIMIT 1
                        """))
            return (row[0] as Int64, row[1] as Int64)
        }
        _ = app.get("/ehrenamt/\(id)")
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE organisations SET name = 'Umbenannter Verein e. V.' WHERE id = ?",
                arguments: [organisationID])
        }
        #expect(app.get("/ehrenamt/\(id)").body.contains("Umbenannter Verein e. V."))
    }

    @Test func aRenamedTopic_showsAfterTheCatalogIsReloaded() throws {
        let before = app.get("/ehrenamt")
        let topic = try app.database.pool.read { db in
            try #require(try String.fetchOne(db, sql: "SELECT slug FROM topics WHERE kind = 'volunteering' LIMIT 1"))
        }
        try database.pool.write { db in
            try db.execute(sql: "UPDATE topics SET name = 'Ganz neues Thema' WHERE slug = ?", arguments: [topic])
        }
        try app.application.reloadCatalog()
        let after = app.get("/ehrenamt")
        #expect(!before.body.contains("Ganz neues Thema"))
        #expect(after.body.contains("Ganz neues Thema"))
    }

    @Test func aWriteByAnotherProcess_showsWithinTheMaximumAge() throws {
        let (id, _) = try firstListing()
        _ = app.get("/ehrenamt/\(id)")
        // `app.database` is a second connection pool on the same file, like the command line.
        try app.database.pool.write { db in
            try db.execute(sql: "UPDATE listings SET title = 'Von außen geändert' WHERE id = ?", arguments: [id])
        }
        app.clock.advance(by: PageCache.maximumAge)
        #expect(app.get("/ehrenamt/\(id)").body.contains("Von außen geändert"))
    }

    @Test func aKeptPage_isRenderedAgainAfterItsMaximumAge() throws {
        _ = app.get("/ehrenamt")
        _ = app.get("/ehrenamt")
        #expect(cache.statistics == PageCache.Statistics(hits: 1, stores: 1))
        app.clock.advance(by: PageCache.maximumAge)
        _ = app.get("/ehrenamt")
        #expect(cache.statistics == PageCache.Statistics(hits: 1, stores: 2))
    }

    @Test func aLoggedInVisitor_neverGetsNorLeavesAKeptPage() throws {
        let id = try app.application.addAccount(
            email: "erika@example.org", name: "Erika Muster", role: .resident, password: SessionTests.password)
        #expect(id > 0)
        let anonymous = app.get("/ehrenamt")
        let browser = TestBrowser(app)
        SessionTests.logIn(browser)
        #expect(browser.cookie("__Host-session") != nil)
        let personal = browser.get("/ehrenamt")
        #expect(personal.body.contains("name=\"csrf\""), "the logout form carries the person's token")
        #expect(personal.headerFields[.cacheControl] == "private, no-store")
        #expect(personal.bytes != anonymous.bytes)
        #expect(cache.statistics == PageCache.Statistics(hits: 0, stores: 1))
        #expect(!app.get("/ehrenamt").body.contains("name=\"csrf\""))
    }

    @Test func keptPages_stayWithinTheirMemoryBound() {
        // Any query string makes another page, and a visitor can ask for as many as they like.
        let page = ServerResponse(status: .ok, body: Array(repeating: 0x61, count: 100 * 1024))
        let validity = PageCache.Validity(listingWrites: 0, catalogGeneration: 0)
        var largest = 0
        for index in 0..<400 {
            let key = PageCache.Key(target: "/ehrenamt?x=\(index)", https: false)
            _ = cache.store(page, for: key, validity: validity, now: TestClock.now)
            largest = max(largest, cache.keptBytes)
        }
        #expect(cache.statistics.stores == 400)
        #expect(largest <= PageCache.maximumTotalBytes)
        #expect(largest > PageCache.maximumTotalBytes / 2)
        // Storing a page again replaces it instead of counting it twice.
        let again = PageCache.Key(target: "/ehrenamt?x=399", https: false)
        let before = cache.keptBytes
        _ = cache.store(page, for: again, validity: validity, now: TestClock.now)
        #expect(cache.keptBytes == before)
    }

    func serverRequest(_ target: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:])
        -> ServerRequest
    {
        ServerRequest(
            head: HTTPRequest(
                method: method, scheme: "http", authority: "localhost:8080", path: target, headerFields: headers))
    }

    @Test func aKeptPage_isAnsweredOnTheConnectionsThread_plainOrGzip_withFinalHeaders() throws {
        let application = app.application
        #expect(application.respondQuickly(to: serverRequest("/ehrenamt")) == nil, "nothing kept yet: a worker renders")
        let rendered = app.get("/ehrenamt")
        let quick = try #require(application.respondQuickly(to: serverRequest("/ehrenamt")))
        #expect(quick.body == rendered.bytes)
        #expect(quick.hasSerializedHead)
        #expect(quick.headerFields[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
        #expect(quick.headerFields[.contentLength] == String(rendered.bytes.count))
        #expect(quick.headerFields[.vary] == "Accept-Encoding")
        #expect(quick.headerFields[.contentEncoding] == nil)

        // Compressed once when kept: the same bytes zlib gives at the server's level.
        let gzipped = try #require(
            application.respondQuickly(to: serverRequest("/ehrenamt", headers: [.acceptEncoding: "gzip, br"])))
        #expect(gzipped.headerFields[.contentEncoding] == "gzip")
        #expect(gzipped.body == Gzip.compress(rendered.bytes, level: Configuration().gzipLevel))
        #expect(gzipped.body.count < rendered.bytes.count / 2)
        let refused = try #require(
            application.respondQuickly(to: serverRequest("/ehrenamt", headers: [.acceptEncoding: "gzip;q=0"])))
        #expect(refused.headerFields[.contentEncoding] == nil)

        // A cookie may mean a session, HEAD is never kept: both go to a worker.
        #expect(application.respondQuickly(to: serverRequest("/ehrenamt", headers: [.cookie: "a=b"])) == nil)
        #expect(application.respondQuickly(to: serverRequest("/ehrenamt", method: .head)) == nil)
        #expect(application.respondQuickly(to: serverRequest("/ehrenamt?seite=2")) == nil)
    }

    @Test func aQuickAnswer_stopsAtOnce_whenAListingChanges() throws {
        let (id, _) = try firstListing()
        _ = app.get("/ehrenamt")
        #expect(app.application.respondQuickly(to: serverRequest("/ehrenamt")) != nil)
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE listings SET title = 'Neu: Vorlesen im Seniorenheim' WHERE id = ?", arguments: [id])
        }
        #expect(app.application.respondQuickly(to: serverRequest("/ehrenamt")) == nil)
        #expect(app.get("/ehrenamt").body.contains("Neu: Vorlesen im Seniorenheim"))
        let fresh = try #require(app.application.respondQuickly(to: serverRequest("/ehrenamt")))
        #expect(String(decoding: fresh.body, as: UTF8.self).contains("Neu: Vorlesen im Seniorenheim"))
    }

    @Test func onlyListingPages_areKept() {
        for target in [
            "/", "/veranstaltungen", "/organisationen", "/ehrenamt/999999",
            "/suche?q=" + String(repeating: "x", count: 300),
        ] {
            _ = app.get(target)
            _ = app.get(target)
        }
        #expect(cache.statistics == PageCache.Statistics(hits: 0, stores: 0))
    }

    @Test func aSearch_isKept_andFollowsWrites() throws {
        let (id, _) = try firstListing()
        let first = app.get("/suche?q=garten")
        #expect(app.get("/suche?q=garten").bytes == first.bytes)
        #expect(cache.statistics == PageCache.Statistics(hits: 1, stores: 1))
        try database.pool.write { db in
            try db.execute(sql: "UPDATE listings SET title = 'Gartenfreunde gesucht' WHERE id = ?", arguments: [id])
        }
        #expect(app.get("/suche?q=garten").body.contains("Gartenfreunde gesucht"))
    }
}
