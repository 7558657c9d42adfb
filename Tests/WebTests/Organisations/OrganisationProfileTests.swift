import Domain
import Foundation
import GRDB
import HTTPTypes
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The organisation's profile in "Mein Bereich": admins edit it and upload a logo, members read it.
@Suite struct OrganisationProfileTests {
    let app: TestApp
    let organisationID: Int64
    let admin: TestBrowser

    init() throws {
        app = try TestApp.make(seeded: false)
        organisationID = try Fixtures.organisation(app.database, name: "Naturschutzbund Bad Salzuflen")
        let adminID = try People.account(app, "anna@nabu.example", name: "Anna Admin")
        try People.join(app, userID: adminID, organisationID: organisationID, role: .admin)
        admin = People.browser(app, as: "anna@nabu.example")
    }

    var path: String { "/mein-bereich/organisationen/\(organisationID)" }

    static let fields = [
        ("name", "NABU Bad Salzuflen e. V."), ("legal_form", "association"), ("municipality", "bad-salzuflen"),
        ("street", "Parkstraße 1"), ("postal_code", "32105"), ("city", "Bad Salzuflen"),
        ("contact_name", "Anna Admin"), ("email", "info@nabu.example"), ("phone", "05222 12345"),
        ("homepage", "www.nabu.example"), ("description", "Wir schützen Hecken und Streuobstwiesen."),
        ("topics", "umwelt"), ("topics", "tierschutz"),
    ]

    func replacing(_ name: String, with value: String) -> [(String, String)] {
        Self.fields.map { $0.0 == name ? (name, value) : $0 }
    }

    /// One text column of the organisation (`column` is a literal of the test, never input).
    func stored(_ column: String) throws -> String? {
        try app.database.read { db in
            try String.fetchOne(
                db, sql: "SELECT \(column) FROM organisations WHERE id = ?", arguments: [organisationID])
        }
    }

    @Test func admin_savesTheProfile_andTheApprovalStays() throws {
        let form = admin.get(path)
        #expect(form.status == 200)
        #expect(form.body.contains("enctype=\"multipart/form-data\""))
        #expect(form.body.contains("value=\"Naturschutzbund Bad Salzuflen\""))
        #expect(form.unresolvedLocalizationKeys.isEmpty, "\(form.unresolvedLocalizationKeys)")
        let response = admin.submit(path, Self.fields, files: [])
        #expect(response.status == 303)
        #expect(response.location == path + "?hinweis=my.organisation.saved")
        #expect(admin.follow(response).body.contains("Das Profil wurde gespeichert."))
        #expect(try stored("name") == "NABU Bad Salzuflen e. V.")
        #expect(try stored("website") == "https://www.nabu.example")
        #expect(try stored("email") == "info@nabu.example")
        #expect(try stored("city") == "Bad Salzuflen")
        #expect(try stored("state") == "approved")
        let topics = try app.database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT t.slug FROM organisation_topics x JOIN topics t ON t.id = x.topic_id
                    WHERE x.organisation_id = ? ORDER BY t.slug
                    """,
                arguments: [organisationID])
        }
        #expect(topics == ["tierschutz", "umwelt"])
        #expect(app.get("/organisationen/\(organisationID)").body.contains("NABU Bad Salzuflen e. V."))
    }

    @Test func pendingOrganisation_staysPendingWhenEdited() throws {
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET state = 'pending', approved_at = NULL WHERE id = ?",
                arguments: [organisationID])
        }
        #expect(admin.get(path).body.contains("prüft Ihre Organisation noch"))
        #expect(admin.submit(path, Self.fields, files: []).status == 303)
        #expect(try stored("state") == "pending")
    }

    @Test(arguments: [
        ("name", "", "Bitte geben Sie den Namen"),
        ("name", String(repeating: "n", count: 151), "höchstens 150 Zeichen"),
        ("postal_code", "3210", "5 Ziffern"),
        ("email", "info@", "gültige E-Mail-Adresse"),
        ("homepage", "javascript:alert(1)", "http:// oder https://"),
        ("phone", "call me", "nur mit Ziffern"),
        ("municipality", "atlantis", "Bitte wählen Sie eine Gemeinde"),
        ("legal_form", "gmbh", "Bitte wählen Sie die Rechtsform"),
        ("topics", "moebel", "mindestens ein Themenfeld"),
        ("description", String(repeating: "d", count: 5001), "höchstens 5000 Zeichen"),
    ])
    func invalidField_isNamedAndNothingIsSaved(_ field: String, _ value: String, _ message: String) throws {
        var fields = replacing(field, with: value)
        if field == "topics" { fields = fields.filter { $0.0 != "topics" } + [("topics", value)] }
        let response = admin.submit(path, fields, files: [])
        #expect(response.status == 422)
        #expect(response.body.contains(message))
        #expect(response.body.contains("id=\"f-\(field)-error\""))
        #expect(try stored("name") == "Naturschutzbund Bad Salzuflen")
    }

    @Test func pngLogo_isStoredAndServedAsPNGWithNosniff() throws {
        let response = admin.submit(
            path, Self.fields, files: [(field: "logo", name: "logo.png", type: "image/png", bytes: People.png)])
        #expect(response.status == 303)
        let name = try #require(try stored("logo_image"))
        #expect(name.hasSuffix(".png"))
        let page = admin.get(path)
        #expect(page.body.contains("src=\"/bilder/\(name)\""))
        let image = app.get("/bilder/\(name)")
        #expect(image.status == 200)
        #expect(image.headerFields[.contentType] == "image/png")
        #expect(image.headerFields[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        #expect(image.bytes == People.png)
    }

    @Test func textFileNamedLikeAnImage_isRefusedWithAMessage() throws {
        let response = admin.submit(
            path, Self.fields,
            files: [(field: "logo", name: "logo.png", type: "image/png", bytes: Array("<html>nope</html>".utf8))])
        #expect(response.status == 422)
        #expect(response.body.contains("nicht als Bild verwenden"))
        #expect(response.body.contains("id=\"f-logo-error\""))
        #expect(try stored("logo_image") == nil)
        #expect(try stored("name") == "Naturschutzbund Bad Salzuflen")
        let images = try app.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images") }
        #expect(images == 0)
    }

    @Test func logoOver2MB_isRefusedWithAMessage() throws {
        let big = People.png + [UInt8](repeating: 0, count: 2 * 1024 * 1024)
        let response = admin.submit(
            path, Self.fields, files: [(field: "logo", name: "gross.png", type: "image/png", bytes: big)])
        #expect(response.status == 422)
        #expect(response.body.contains("Das Bild ist zu groß"))
        #expect(response.body.contains("id=\"f-logo-error\""))
        #expect(try stored("logo_image") == nil)
    }

    @Test func unknownImageName_is404() {
        #expect(app.get("/bilder/" + String(repeating: "0", count: 32) + ".png").status == 404)
        #expect(app.get("/bilder/../../etc/passwd").status == 404)
    }

    @Test func member_seesTheProfileReadOnly_andCannotSave() throws {
        let memberID = try People.account(app, "moritz@nabu.example", name: "Moritz")
        try People.join(app, userID: memberID, organisationID: organisationID, role: .member)
        let member = People.browser(app, as: "moritz@nabu.example")
        let page = member.get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("Naturschutzbund Bad Salzuflen"))
        #expect(!page.body.contains("enctype=\"multipart/form-data\""))
        let post = member.post(path, [("csrf", People.csrf(member))] + Self.fields)
        #expect(post.status == 403)
        #expect(try stored("name") == "Naturschutzbund Bad Salzuflen")
    }

    @Test func markupInOrganisationFields_isEscapedOnTheProfile() throws {
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET name = ?, description = ?, contact_name = ? WHERE id = ?",
                arguments: [People.hostile, People.hostile, "\"><img src=x onerror=alert(1)>", organisationID])
        }
        let memberID = try People.account(app, "moritz@nabu.example", name: "Moritz")
        try People.join(app, userID: memberID, organisationID: organisationID, role: .member)
        for browser in [admin, People.browser(app, as: "moritz@nabu.example")] {
            let page = browser.get(path)
            #expect(page.status == 200)
            #expect(page.body.contains(People.escaped))
            #expect(!page.body.contains("<script>"))
            #expect(!page.body.contains("<img src=x"))
        }
        // What an admin types comes back escaped too.
        let response = admin.submit(path, replacing("name", with: "\"><img src=x onerror=alert(1)>"), files: [])
        #expect(response.status == 303)
        #expect(!admin.follow(response).body.contains("<img src=x"))
    }
}
