import Domain
import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

@Suite("Error pages")
struct ErrorPageTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
    }

    @Test(
        "unknown pages and ids are a German 404 in the layout",
        arguments: [
            "/gibt-es-nicht", "/ehrenamt/999999", "/ehrenamt/abc", "/veranstaltungen/424242", "/organisationen/77777",
            "/gemeinden/atlantis", "//", "/ehrenamt/1/bearbeiten", "/static/gibt-es-nicht.css",
        ])
    func notFound(path: String) {
        let response = app.get(path)
        #expect(response.status == 404, "\(path)")
        #expect(response.body.contains("Seite nicht gefunden"))
        #expect(response.body.contains("<main id=\"inhalt\""))
        #expect(response.body.contains("href=\"/\""))
    }

    @Test("listings that are not public are 404: pending, rejected, expired, or of an unapproved organisation")
    func nonPublicListings() throws {
        let db = app.database
        let pending = try Fixtures.listing(db, kind: .volunteerNeed, title: "Wartet", state: .pending)
        let rejected = try Fixtures.listing(db, kind: .volunteerNeed, title: "Abgelehnt", state: .rejected)
        let expired = try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Abgelaufen", expiresAt: TestClock.now.addingTimeInterval(-1))
        let unvetted = try Fixtures.organisation(db, name: "Neu", state: .pending)
        let ofUnvetted = try Fixtures.listing(
            db, kind: .volunteerNeed, title: "Vom neuen Verein", organisationID: unvetted)
        for id in [pending, rejected, expired, ofUnvetted] {
            #expect(app.get("/ehrenamt/\(id)").status == 404)
        }
        #expect(app.get("/organisationen/\(unvetted)").status == 404)
        #expect(!app.get("/ehrenamt").body.contains("Vom neuen Verein"))
    }

    @Test("pages only answer GET and HEAD")
    func methodNotAllowed() {
        let response = app.request(.post, "/ehrenamt")
        #expect(response.status == 405)
        #expect(response.headerFields[.allow] == "GET, HEAD")
        #expect(response.body.contains("nur ansehen"))
        #expect(app.request(.head, "/ehrenamt").status == 200)
    }

    @Test("a malformed query is a 400 page", arguments: ["/ehrenamt?gemeinde=%ZZ", "/ehrenamt?thema=%C3%28", "/?a=%"])
    func badQuery(path: String) {
        let response = app.get(path)
        #expect(response.status == 400)
        #expect(response.body.contains("Diese Anfrage verstehen wir nicht"))
    }

    @Test("a fault inside a page is a 500 page that reveals nothing")
    func serverErrorRevealsNothing() throws {
        // Break the schema under the running application: loading the listing's topics now fails.
        try Fixtures.listing(app.database, kind: .volunteerNeed, title: "Eintrag")
        try app.database.write { db in try db.execute(sql: "DROP TABLE listing_topics") }
        let response = app.get("/ehrenamt")
        #expect(response.status == 500)
        #expect(response.body.contains("Da ist etwas schiefgegangen"))
        #expect(!response.body.contains("listing_topics"))
        #expect(!response.body.lowercased().contains("sqlite"))
    }
}
