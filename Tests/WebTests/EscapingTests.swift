import Domain
import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

/// A listing, an event and an organisation whose texts are markup must appear as text on every page.
@Suite("Escaping")
struct EscapingTests {
    static let hostile = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    let app: TestApp
    let organisationID: Int64
    let ids: [ListingKind: Int64]
    let eventID: Int64

    init() throws {
        app = try TestApp.make(seeded: false)
        organisationID = try Fixtures.organisation(app.database, name: Self.hostile, municipalitySlug: "lemgo")
        var ids: [ListingKind: Int64] = [:]
        for kind in ListingKind.allCases {
            ids[kind] = try Fixtures.listing(
                app.database, kind: kind, title: Self.hostile, municipalitySlug: "lemgo",
                organisationID: kind == .volunteerNeed ? organisationID : nil)
        }
        self.ids = ids
        eventID = try Fixtures.event(
            app.database, title: Self.hostile, startsAt: TestClock.now.addingTimeInterval(3600),
            municipalitySlug: "lemgo",
            organisationID: organisationID)
    }

    @Test("every page that shows the hostile title shows it escaped")
    func hostileTitleEscapedEverywhere() throws {
        let paths = [
            "/", "/ehrenamt", "/mithelfen", "/spenden", "/spenden?art=angebote", "/spenden?art=gesuche",
            "/veranstaltungen", "/organisationen", "/gemeinden/lemgo", "/ehrenamt?gemeinde=lemgo",
            "/ehrenamt/\(try #require(ids[.volunteerNeed]))", "/mithelfen/\(try #require(ids[.volunteerOffer]))",
            "/spenden/\(try #require(ids[.donationNeed]))", "/spenden/\(try #require(ids[.donationOffer]))",
            "/veranstaltungen/\(eventID)", "/organisationen/\(organisationID)",
        ]
        for path in paths {
            let response = app.get(path)
            #expect(response.status == 200, "\(path)")
            #expect(response.body.contains(Self.escaped), "\(path) should show the title as text")
            #expect(!response.body.contains(Self.hostile), "\(path) contains raw markup")
            #expect(!response.body.contains("<script"), "\(path)")
        }
    }

    @Test("hostile query values are never reflected as markup")
    func hostileQueryNotReflected() {
        let response = app.get("/ehrenamt?gemeinde=%3Cscript%3E&thema=%22%3E%3Cimg")
        #expect(response.status == 200)
        #expect(!response.body.contains("<script>"))
        #expect(!response.body.contains("\"><img"))
    }
}
