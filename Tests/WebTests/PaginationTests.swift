import Domain
import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

@Suite("Pagination")
struct PaginationTests {
    let app: TestApp

    /// 45 listings: pages of 20, 20 and 5.
    init() throws {
        app = try TestApp.make(seeded: false)
        for number in 1...45 {
            try Fixtures.listing(
                app.database, kind: .volunteerNeed, title: "Aufgabe \(number)",
                publishedAt: TestClock.now.addingTimeInterval(TimeInterval(-number * 60)))
        }
    }

    @Test("pages hold 20, 20 and 5 entries, newest first")
    func pageSizes() {
        #expect(app.get("/ehrenamt").count("class=\"card card--") == 20)
        #expect(app.get("/ehrenamt?seite=2").count("class=\"card card--") == 20)
        let last = app.get("/ehrenamt?seite=3")
        #expect(last.count("class=\"card card--") == 5)
        #expect(last.body.contains("Aufgabe 45"))
        #expect(app.get("/ehrenamt").body.contains(">Aufgabe 1<"))
        #expect(last.body.contains("Seite 3 von 3"))
    }

    @Test("previous and next links keep the filters")
    func linksKeepFilters() {
        let body = app.get("/ehrenamt?gemeinde=detmold&seite=2").body
        #expect(body.contains("href=\"/ehrenamt?gemeinde=detmold&amp;seite=3\" rel=\"next\""))
        #expect(body.contains("href=\"/ehrenamt?gemeinde=detmold\" rel=\"prev\""))
    }

    @Test(
        "pages out of range or malformed are 404, never 500",
        arguments: ["0", "-1", "4", "999999", "abc", "1.5", "", "99999999999999999999"])
    func outOfRange(page: String) {
        let response = app.get("/ehrenamt?seite=\(page)")
        #expect(response.status == (page.isEmpty ? 200 : 404), "seite=\(page)")
        if response.status == 404 {
            #expect(response.body.contains("Seite nicht gefunden"))
        }
    }

    @Test("an empty list has exactly one page")
    func emptyListHasOnePage() throws {
        let empty = try TestApp.make(seeded: false)
        #expect(empty.get("/ehrenamt?seite=1").status == 200)
        #expect(empty.get("/ehrenamt?seite=2").status == 404)
    }
}
