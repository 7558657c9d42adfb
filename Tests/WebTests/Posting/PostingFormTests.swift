import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// What a poster sees when a form has mistakes: messages next to the fields and in a summary, and
/// nothing they typed lost.
@Suite struct PostingFormTests {
    let world: PostingWorld
    let organisationID: Int64

    init() throws {
        world = try PostingWorld()
        organisationID = try world.organisation("Tafel Detmold e. V.")
        let memberID = try world.account("mitglied@example.org", name: "Maria Mitglied")
        try world.addMember(memberID, to: organisationID)
    }

    @Test func edit_keepsValuesOnError_andShowsMessagesNextToFields() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(
            browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: organisationID)).status == 303
        )
        let id = try world.lastListingID()
        let edit = "/mein-bereich/eintraege/\(id)"
        var fields = PostingWorld.setting(PostingWorld.volunteerNeed(organisationID: organisationID), "title", "")
        fields = PostingWorld.setting(fields, "hours_per_week", "99")
        fields = PostingWorld.setting(fields, "requirements", "Neue Anforderungen, noch nicht gespeichert")
        let response = browser.submit(edit, action: edit, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("<title>Fehler: "))
        // The summary links to each field.
        #expect(response.body.contains("class=\"error-summary\""))
        #expect(response.body.contains("Bitte prüfen Sie diese 2 Angaben:"))
        #expect(response.body.contains("<a href=\"#f-title\">Bitte geben Sie einen Titel ein.</a>"))
        #expect(
            response.body.contains(
                "<a href=\"#f-hours_per_week\">Bitte geben Sie die Stunden pro Woche als ganze Zahl von 1 bis 60 an.</a>"
            ))
        // Next to the field, tied to it for screen readers.
        #expect(response.body.contains("id=\"f-title-error\""))
        #expect(
            response.body.contains(
                "id=\"f-title\" name=\"title\" value=\"\" maxlength=\"150\" aria-required=\"true\" aria-describedby=\"f-title-error\" aria-invalid=\"true\""
            ))
        #expect(
            response.body.contains(
                "aria-describedby=\"f-hours_per_week-hint f-hours_per_week-error\" aria-invalid=\"true\""))
        // Everything else stays as typed.
        #expect(response.body.contains("value=\"99\""))
        #expect(response.body.contains(">Neue Anforderungen, noch nicht gespeichert</textarea>"))
        #expect(response.body.contains("value=\"weekly\" checked"))
        // Nothing was saved.
        let stored: String? = try world.scalar("SELECT title FROM listings WHERE id = ?", [id])
        #expect(stored == "Lesepatin für die Grundschule")
    }

    @Test func new_keepsValuesOnError() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        let fields = PostingWorld.setting(
            PostingWorld.volunteerNeed(organisationID: organisationID), "municipality", "atlantis")
        let response = browser.submit(path, action: path, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("Bitte wählen Sie die Stadt oder Gemeinde."))
        #expect(response.body.contains("value=\"Lesepatin für die Grundschule\""))
        #expect(response.body.contains("value=\"kinder-jugend\" checked"))
        #expect(response.body.contains("value=\"en\" checked"))
        #expect(response.body.contains("name=\"police_clearance\" value=\"1\" checked"))
        #expect(try world.count("listings") == 0)
    }

    @Test func itemLines_areKeptOnError() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/spende-gesucht"
        let blank = browser.get(path)
        #expect(blank.count("name=\"item_") == 10, "five empty lines to start with")
        #expect(
            !blank.body.contains("error-summary") && !blank.body.contains("aria-invalid"), "no errors before sending")
        var fields = PostingWorld.donationNeed(organisationID: organisationID)
        fields = PostingWorld.setting(fields, "title", "")
        fields += [("item_4_name", "Handschuhe"), ("item_4_quantity", "")]
        let response = browser.submit(path, action: path, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("value=\"Winterjacke\""))
        #expect(response.body.contains("value=\"12\""))
        #expect(response.body.contains("value=\"Schal\""))
        #expect(response.body.contains("value=\"Handschuhe\""))
        #expect(response.body.contains("Sache 4: Bitte geben Sie an, wie viele gebraucht werden."))
        #expect(response.body.contains("id=\"f-item_4_quantity-error\""))
        #expect(response.body.contains("name=\"item_7_name\""), "room for more lines after the last filled one")
        #expect(try world.count("listings") == 0 && world.count("listing_items") == 0)
    }

    @Test func pastOneOffDate_isRefusedInGerman() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        var fields = PostingWorld.setting(
            PostingWorld.volunteerNeed(organisationID: organisationID), "commitment", "once")
        fields = PostingWorld.setting(fields, "one_off_date", "24.11.2026")
        let response = browser.submit(path, action: path, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("Das Datum liegt in der Vergangenheit."))
        let tomorrow = browser.submit(path, action: path, PostingWorld.setting(fields, "one_off_date", "26.11.2026"))
        #expect(tomorrow.status == 303)
        let oneOff: Int64? = try world.scalar("SELECT one_off_at FROM listings")
        // 26 November 2026, 00:00 in Berlin.
        #expect(oneOff == 1_795_647_600)
    }

    @Test func eventForm_checksTimesAndKeepsValues() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/veranstaltung"
        var fields = PostingWorld.setting(PostingWorld.event(organisationID: organisationID), "end_time", "17:00")
        fields = PostingWorld.setting(fields, "registration_text", "")
        let response = browser.submit(path, action: path, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("Das Ende muss nach dem Beginn liegen."))
        #expect(response.body.contains("Bitte schreiben Sie, wie man sich anmeldet."))
        #expect(response.body.contains("value=\"03.12.2026\""))
        #expect(response.body.contains("value=\"info_evening\" checked"))
        #expect(try world.count("events") == 0)
    }

    @Test func legacyDemoValues_stayChoosableWhenEditing() throws {
        let id = try Fixtures.listing(
            world.app.database, kind: .volunteerNeed, title: "Alter Eintrag", organisationID: organisationID)
        try world.app.database.write { db in
            try db.execute(
                sql: "UPDATE listings SET time_commitment = 'monthly', german_level = 'fluent' WHERE id = ?",
                arguments: [id])
        }
        let browser = try world.browser("mitglied@example.org")
        let form = browser.get("/mein-bereich/eintraege/\(id)")
        #expect(form.body.contains("value=\"monthly\" checked"))
        #expect(form.body.contains("value=\"fluent\" checked"))
        #expect(!browser.get("/mein-bereich/neu/ehrenamt").body.contains("value=\"monthly\""))
    }
}
