import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Markup typed into any text field of a posting is shown as text on every page that shows it; quotes
/// and SQL meta-characters are stored and shown exactly as typed.
@Suite struct PostingEscapingTests {
    static let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>"
    static var escaped: String { HTMLEscaper.escape(hostile) }

    let world: PostingWorld
    let organisationID: Int64

    init() throws {
        world = try PostingWorld()
        // Trusted, so what is posted is public at once and the detail page can be checked.
        organisationID = try world.organisation("Vertrauter Verein", trusted: true)
        let memberID = try world.account("mitglied@example.org", name: "Maria Mitglied")
        try world.addMember(memberID, to: organisationID)
    }

    static func expectEscaped(_ response: TestResponse, _ page: String, occurrences: Int = 1) {
        #expect(response.status == 200, "\(page)")
        #expect(!response.body.contains("<script>alert"), "\(page) contains raw script")
        #expect(!response.body.contains("<img src=x"), "\(page) contains a raw img tag")
        #expect(!response.body.contains("\"><img"), "\(page) breaks out of an attribute")
        #expect(response.count(escaped) >= occurrences, "\(page) shows the text \(occurrences) times")
    }

    @Test func everyTextFieldOfAVolunteerNeed_isEscapedEverywhere() throws {
        let browser = try world.browser("mitglied@example.org")
        let textFields = [
            "title", "description", "location", "address", "requirements", "insurance", "expense_allowance",
            "contact_name",
        ]
        var fields = PostingWorld.volunteerNeed(organisationID: organisationID)
        for name in textFields { fields = PostingWorld.setting(fields, name, Self.hostile) }
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(browser.submit(path, action: path, fields).status == 303)
        let id = try world.lastListingID()
        let stored: String? = try world.scalar("SELECT insurance_text FROM listings WHERE id = ?", [id])
        #expect(stored == Self.hostile, "stored as typed")

        Self.expectEscaped(browser.get("/mein-bereich"), "Mein Bereich")
        Self.expectEscaped(browser.get("/mein-bereich/eintraege/\(id)"), "edit form", occurrences: textFields.count)
        // The detail page shows every field (the title twice: heading and document title).
        Self.expectEscaped(world.app.get("/ehrenamt/\(id)"), "detail page", occurrences: textFields.count + 1)
        Self.expectEscaped(world.app.get("/ehrenamt"), "list page")

        // The same on a form sent back with an error.
        let invalid = browser.submit(
            "/mein-bereich/eintraege/\(id)", action: "/mein-bereich/eintraege/\(id)",
            PostingWorld.setting(fields, "municipality", ""))
        #expect(invalid.status == 422)
        #expect(!invalid.body.contains("<script>alert") && !invalid.body.contains("<img src=x"))
        #expect(invalid.count(Self.escaped) >= textFields.count)
    }

    @Test func everyTextFieldOfDonations_isEscapedEverywhere() throws {
        let browser = try world.browser("mitglied@example.org")
        var need = PostingWorld.donationNeed(organisationID: organisationID)
        for name in ["title", "description", "item_1_name", "item_2_name", "dropoff", "location", "contact_name"] {
            need = PostingWorld.setting(need, name, Self.hostile)
        }
        let path = "/mein-bereich/neu/spende-gesucht"
        #expect(browser.submit(path, action: path, need).status == 303)
        let id = try world.lastListingID()
        Self.expectEscaped(browser.get("/mein-bereich/eintraege/\(id)"), "edit form", occurrences: 7)
        Self.expectEscaped(world.app.get("/spenden/\(id)"), "detail page", occurrences: 7)
    }

    @Test func everyTextFieldOfAnEvent_isEscapedEverywhere() throws {
        let browser = try world.browser("mitglied@example.org")
        var fields = PostingWorld.event(organisationID: organisationID)
        let textFields = ["title", "description", "venue", "address", "registration_text", "cost"]
        for name in textFields { fields = PostingWorld.setting(fields, name, Self.hostile) }
        let path = "/mein-bereich/neu/veranstaltung"
        #expect(browser.submit(path, action: path, fields).status == 303)
        let id = try world.lastEventID()
        Self.expectEscaped(browser.get("/mein-bereich"), "Mein Bereich")
        Self.expectEscaped(
            browser.get("/mein-bereich/veranstaltungen/\(id)"), "edit form", occurrences: textFields.count)
        Self.expectEscaped(world.app.get("/veranstaltungen/\(id)"), "detail page", occurrences: textFields.count)
    }

    @Test func quotesAndSQL_areStoredAndShownVerbatim() throws {
        let browser = try world.browser("mitglied@example.org")
        let title = "'; DROP TABLE listings;--"
        let description = "Er sagte: \"Hallo\" und 'Tschüss' – „gut“ \\ 100% ; -- /* */"
        var fields = PostingWorld.setting(PostingWorld.volunteerNeed(organisationID: organisationID), "title", title)
        fields = PostingWorld.setting(fields, "description", description)
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(browser.submit(path, action: path, fields).status == 303)
        let id = try world.lastListingID()
        let stored = try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT title, description FROM listings WHERE id = ?", arguments: [id])
            })
        #expect(stored["title"] == title)
        #expect(stored["description"] == description)
        #expect(try world.count("listings") == 1, "the table is still there")
        let page = world.app.get("/ehrenamt/\(id)")
        #expect(page.body.contains("<h1>&#39;; DROP TABLE listings;--</h1>"))
        #expect(page.body.contains(HTMLEscaper.escape(description)))
        #expect(browser.get("/mein-bereich/eintraege/\(id)").body.contains("value=\"&#39;; DROP TABLE listings;--\""))
    }
}
