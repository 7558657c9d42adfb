import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Registration of an organisation with the person who manages it.
@Suite struct OrganisationRegistrationTests {
    static func register(
        _ app: TestApp, _ fields: [(String, String)] = AccountJourney.organisationFields(),
        logo: (name: String, type: String, bytes: [UInt8])? = nil
    ) -> TestResponse {
        let files = logo.map { [(field: "logo", name: $0.name, type: $0.type, bytes: $0.bytes)] } ?? []
        return TestBrowser(app).submit("/registrieren/organisation", fields, files: files)
    }

    @Test func form_offersLegalFormsMunicipalitiesAndVolunteeringTopics() throws {
        let app = try TestApp.make(seeded: false)
        let page = TestBrowser(app).get("/registrieren/organisation")
        #expect(page.status == 200)
        #expect(page.body.contains("enctype=\"multipart/form-data\""))
        #expect(page.body.contains(">Verein</option>"))
        #expect(page.body.contains("value=\"lemgo\""))
        #expect(page.body.contains("value=\"soziales\""))
        #expect(!page.body.contains("value=\"moebel\""), "donation categories are not organisation topics")
        #expect(page.body.contains("type=\"file\""))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func registration_writesAccountPendingOrganisationTopicsAdminMembershipAndLink() throws {
        let app = try TestApp.make(seeded: false)
        let response = Self.register(app)
        #expect(response.status == 200)
        #expect(response.body.contains("prüft die Kreisverwaltung"))
        let account = try #require(try app.application.users.account(email: "vorstand@tafel.example"))
        #expect(!account.isConfirmed)
        let row = try AccountJourney.row(
            app, "SELECT * FROM organisations WHERE created_by_user_id = ?", [account.id])
        #expect(row["name"] == "Tafel Lemgo e. V.")
        #expect(row["state"] == "pending")
        #expect(row["legal_form"] == "association")
        #expect(row["postal_code"] == "32657")
        #expect(row["city"] == "Lemgo")
        #expect(row["contact_name"] == "Petra Vorstand")
        #expect(row["phone"] == "05261 12345")
        #expect(row["website"] == "https://tafel.example")
        #expect(row["email"] == "", "the person's address is not published as the organisation's")
        #expect(row["logo_image"] == nil)
        let organisationID = try #require(row["id"].flatMap { Int64($0) })
        #expect(
            try AccountJourney.count(
                app, "SELECT COUNT(*) FROM organisation_topics WHERE organisation_id = ?", [organisationID])
                == 2)
        #expect(
            try AccountJourney.count(
                app,
                "SELECT COUNT(*) FROM organisation_members WHERE organisation_id = ? AND user_id = ? AND role = 'admin'",
                [organisationID, account.id]) == 1)
        #expect(
            try OutboxReader.messages(to: "vorstand@tafel.example", purpose: "confirm_account", in: app.database).count
                == 1)
    }

    @Test func wrongFields_areNamedAndNothingIsStored() throws {
        let app = try TestApp.make(seeded: false)
        let fields = AccountJourney.organisationFields(overrides: [
            "organisation_name": "", "legal_form": "gmbh", "municipality": "paris", "postal_code": "3265",
            "homepage": "javascript:alert(1)", "topics": "", "phone": "ruf mich an", "description": "",
        ])
        let response = Self.register(app, fields)
        #expect(response.status == 422)
        for message in [
            "Bitte geben Sie den Namen der Organisation an.", "Bitte wählen Sie die Rechtsform.",
            "Bitte wählen Sie die Stadt oder Gemeinde.", "Postleitzahl mit fünf Ziffern",
            "beginnend mit https:// oder http://", "mindestens ein Themenfeld", "Telefonnummer mit Ziffern",
            "beschreiben Sie Ihre Organisation",
        ] {
            #expect(response.body.contains(message), "\(message)")
        }
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
    }

    @Test func tooLongDescription_isRefused() throws {
        let app = try TestApp.make(seeded: false)
        let fields = AccountJourney.organisationFields(description: String(repeating: "a", count: 5001))
        let response = Self.register(app, fields)
        #expect(response.status == 422)
        #expect(response.body.contains("höchstens 5000 Zeichen"))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations") == 0)
    }

    @Test func websiteWithoutScheme_getsHTTPS() throws {
        let app = try TestApp.make(seeded: false)
        #expect(
            Self.register(app, AccountJourney.organisationFields(overrides: ["homepage": "www.tafel.example"])).status
                == 200)
        let website = try app.database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT website FROM organisations")
        }
        #expect(website == "https://www.tafel.example")
    }

    @Test func pngLogo_isStoredAndLinkedToTheOrganisation() throws {
        let app = try TestApp.make(seeded: false)
        let response = Self.register(app, logo: ("logo.png", "image/png", AccountJourney.png))
        #expect(response.status == 200)
        let name = try #require(
            try app.database.pool.read { db in try String.fetchOne(db, sql: "SELECT logo_image FROM organisations") })
        #expect(name.hasSuffix(".png"))
        #expect(
            try AccountJourney.count(
                app, "SELECT COUNT(*) FROM images WHERE name = ? AND content_type = 'image/png'", [name]) == 1)
        let image = app.get("/bilder/\(name)")
        #expect(image.status == 200)
        #expect(image.bytes == AccountJourney.png)
    }

    @Test func gifLogo_getsAMessageNextToTheFieldAndNothingIsStored() throws {
        let app = try AccountJourney.appWithOwnUploads()
        let response = Self.register(app, logo: ("logo.gif", "image/gif", AccountJourney.gif))
        #expect(response.status == 422)
        #expect(response.body.contains("id=\"f-logo-error\""))
        #expect(response.body.contains("JPEG, PNG oder WebP"))
        #expect(response.body.contains("value=\"Tafel Lemgo e. V.\""), "entered values are kept")
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM images") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: app.configuration.uploadsDirectory)) ?? []
        #expect(files.isEmpty)
    }

    @Test func validLogoButOtherErrors_storesNoImage() throws {
        let app = try TestApp.make(seeded: false)
        let fields = AccountJourney.organisationFields(overrides: ["consent": ""])
        #expect(Self.register(app, fields, logo: ("logo.png", "image/png", AccountJourney.png)).status == 422)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM images") == 0)
    }

    @Test func takenAddress_createsNoOrganisationAndLooksLikeSuccess() throws {
        let app = try TestApp.make(seeded: false)
        try app.application.addAccount(
            email: "vorstand@tafel.example", name: "Petra", role: .resident, password: AccountJourney.password)
        let response = Self.register(app, logo: ("logo.png", "image/png", AccountJourney.png))
        #expect(response.status == 200)
        #expect(response.body.contains("Bitte schauen Sie in Ihr Postfach"))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM images") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
    }

    @Test(arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"])
    func markupInOrganisationFields_comesOutEscapedWhenTheFormIsShownAgain(_ text: String) throws {
        let app = try TestApp.make(seeded: false)
        let fields = AccountJourney.organisationFields(
            name: text, description: text, overrides: ["contact_name": text, "consent": ""])
        let response = Self.register(app, fields)
        #expect(response.status == 422)
        #expect(!response.body.contains(text))
        #expect(response.count(HTMLText.escape(text)) >= 3)
    }

    @Test func sqlMetaCharactersInOrganisationName_areStoredVerbatim() throws {
        let app = try TestApp.make(seeded: false)
        let name = "O'Brien; DROP TABLE organisations;--"
        #expect(Self.register(app, AccountJourney.organisationFields(name: name)).status == 200)
        let stored = try app.database.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM organisations") }
        #expect(stored == name)
    }
}
