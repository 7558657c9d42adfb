import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Organisation members and residents post listings and events; what they post waits for moderation.
@Suite struct PostingJourneyTests {
    let world: PostingWorld
    let organisationID: Int64
    let memberID: Int64
    let residentID: Int64

    init() throws {
        world = try PostingWorld()
        organisationID = try world.organisation("Tafel Detmold e. V.")
        memberID = try world.account("mitglied@example.org", name: "Maria Mitglied")
        try world.addMember(memberID, to: organisationID)
        residentID = try world.account("erika@example.org", name: "Erika Muster")
    }

    @Test func member_postsEachOrganisationKind_andItWaitsForModeration() throws {
        let browser = try world.browser("mitglied@example.org")
        let forms: [(PostingKind, [(String, String)])] = [
            (.volunteerNeed, PostingWorld.volunteerNeed(organisationID: organisationID)),
            (.donationNeed, PostingWorld.donationNeed(organisationID: organisationID)),
            (.donationOffer, PostingWorld.donationOffer(owner: String(organisationID))),
        ]
        for (kind, fields) in forms {
            let path = "/mein-bereich/neu/\(kind.rawValue)"
            #expect(browser.get(path).status == 200, "\(kind)")
            let response = browser.submit(path, action: path, fields)
            #expect(response.status == 303, "\(kind): \(response.body.prefix(300))")
            #expect(response.location == "/mein-bereich?hinweis=my.created_pending")
            let id = try world.lastListingID()
            let row = try #require(
                try world.app.database.pool.read { db in
                    try Row.fetchOne(
                        db,
                        sql:
                            "SELECT kind, state, organisation_id, created_by_user_id, title FROM listings WHERE id = ?",
                        arguments: [id])
                })
            #expect(row["kind"] == kind.listingKind?.rawValue)
            #expect(row["state"] == "pending")
            #expect(row["organisation_id"] == organisationID)
            #expect(row["created_by_user_id"] == memberID)
        }
        let eventPath = "/mein-bereich/neu/veranstaltung"
        let event = browser.submit(eventPath, action: eventPath, PostingWorld.event(organisationID: organisationID))
        #expect(event.status == 303, "\(event.body.prefix(300))")
        let eventID = try world.lastEventID()
        let state: String? = try world.scalar("SELECT state FROM events WHERE id = ?", [eventID])
        #expect(state == "pending")
        let organiser: String? = try world.scalar("SELECT organiser_name FROM events WHERE id = ?", [eventID])
        #expect(organiser == "Tafel Detmold e. V.")

        let overview = browser.follow(event)
        #expect(overview.body.contains("Vielen Dank! Ihr Eintrag ist gespeichert."))
        for title in ["Lesepatin für die Grundschule", "Winterjacken für die Kleiderkammer", "Kinderbett aus Holz"] {
            #expect(overview.body.contains(title))
        }
        #expect(overview.body.contains("Infoabend Ehrenamt"))
        #expect(overview.count("Wartet auf Prüfung") == 4)
        #expect(overview.body.contains("für Tafel Detmold e. V."))
    }

    @Test func everyStoredValue_ofAVolunteerNeed_isKept() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(
            browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: organisationID)).status == 303
        )
        let id = try world.lastListingID()
        let row = try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM listings WHERE id = ?", arguments: [id])
            })
        func text(_ column: String) -> String? { row[column] }
        func number(_ column: String) -> Int64? { row[column] }
        #expect(text("time_commitment") == "weekly" && number("hours_per_week") == 2)
        #expect(number("minimum_age") == 16 && number("police_clearance") == 1 && number("barrier_free") == 1)
        #expect(text("german_level") == "good" && text("contact_languages") == "de,en")
        #expect(number("show_phone") == 1 && text("contact_phone") == "05231 62-0")
        #expect(text("address_text") == "Schulstraße 4, 32760 Detmold" && text("location_text") == "Heiligenkirchen")
        #expect(text("insurance_text") == "Haftpflicht und Unfall über den Verein")
        #expect(text("summary") == "Wir suchen jemanden, der einmal pro Woche mit Kindern liest.")
        #expect(text("contact_email") == "", "no address of the poster is copied into the listing")
        // 1 December 2026, 00:00 in Berlin.
        #expect(number("starts_at") == 1_796_079_600)
        let topics: Int? = try world.scalar("SELECT COUNT(*) FROM listing_topics WHERE listing_id = ?", [id])
        #expect(topics == 2)

        let edit = browser.get("/mein-bereich/eintraege/\(id)")
        #expect(edit.status == 200)
        for expected in [
            "value=\"Lesepatin für die Grundschule\"", "value=\"01.12.2026\"", "value=\"30.06.2027\"",
            "value=\"16\"", "value=\"05231 62-0\"", "<option value=\"detmold\" selected>",
        ] {
            #expect(edit.body.contains(expected), "\(expected)")
        }
    }

    @Test func resident_postsEachResidentKind_forThemselves() throws {
        let browser = try world.browser("erika@example.org")
        let forms: [(PostingKind, [(String, String)])] = [
            (.volunteerOffer, PostingWorld.volunteerOffer()),
            (.donationOffer, PostingWorld.donationOffer(owner: "privat").filter { $0.0 != "organisation" }),
        ]
        for (kind, fields) in forms {
            let path = "/mein-bereich/neu/\(kind.rawValue)"
            let page = browser.get(path)
            #expect(page.status == 200)
            #expect(!page.body.contains("name=\"organisation\""), "a resident without organisation is not asked")
            let response = browser.submit(path, action: path, fields)
            #expect(response.status == 303, "\(kind): \(response.body.prefix(300))")
            let id = try world.lastListingID()
            let organisation: Int64? = try world.scalar("SELECT organisation_id FROM listings WHERE id = ?", [id])
            let poster: String? = try world.scalar("SELECT poster_name FROM listings WHERE id = ?", [id])
            let state: String? = try world.scalar("SELECT state FROM listings WHERE id = ?", [id])
            #expect(organisation == nil && poster == "Erika Muster" && state == "pending")
        }
    }

    @Test func member_mayOfferADonationPrivately() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/spende-angeboten"
        #expect(browser.get(path).body.contains("Für mich selbst (privat)"))
        #expect(browser.submit(path, action: path, PostingWorld.donationOffer(owner: "privat")).status == 303)
        let organisation: Int64? = try world.scalar("SELECT organisation_id FROM listings")
        #expect(organisation == nil)
    }

    @Test func resident_cannotPostAnOrganisationKind() throws {
        let browser = try world.browser("erika@example.org")
        let token = try world.token(browser)
        for kind in ["ehrenamt", "spende-gesucht", "veranstaltung"] {
            #expect(browser.get("/mein-bereich/neu/\(kind)").status == 403, "\(kind)")
        }
        let forged = browser.post(
            "/mein-bereich/neu/ehrenamt",
            [("csrf", token)] + PostingWorld.volunteerNeed(organisationID: organisationID))
        #expect(forged.status == 403)
        let event = browser.post(
            "/mein-bereich/neu/veranstaltung", [("csrf", token)] + PostingWorld.event(organisationID: organisationID))
        #expect(event.status == 403)
        #expect(try world.count("listings") == 0 && world.count("events") == 0)
        let overview = browser.get("/mein-bereich")
        #expect(!overview.links.contains("/mein-bereich/neu/ehrenamt"))
    }

    @Test func member_cannotPostForAnotherOrganisation() throws {
        let other = try world.organisation("Fremder Verein")
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        let response = browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: other))
        #expect(response.status == 403)
        let eventPath = "/mein-bereich/neu/veranstaltung"
        #expect(browser.submit(eventPath, action: eventPath, PostingWorld.event(organisationID: other)).status == 403)
        #expect(try world.count("listings") == 0 && world.count("events") == 0)
    }

    @Test func member_ofARejectedOrganisation_cannotPostForIt() throws {
        let rejected = try world.organisation("Abgelehnter Verein", state: .rejected)
        let userID = try world.account("abgelehnt@example.org")
        try world.addMember(userID, to: rejected)
        let browser = try world.browser("abgelehnt@example.org")
        #expect(browser.get("/mein-bereich/neu/ehrenamt").status == 403)
    }

    @Test func anonymousVisitor_isSentToLogin() {
        let response = world.app.get("/mein-bereich/neu/ehrenamt")
        #expect(response.status == 303)
        #expect(response.location?.hasPrefix("/anmelden?weiter=") == true)
    }

    @Test func posting_isNotPublicUntilPublished() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(
            browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: organisationID)).status == 303
        )
        let id = try world.lastListingID()
        let visitor = TestBrowser(world.app)
        #expect(!visitor.get("/ehrenamt").body.contains("Lesepatin für die Grundschule"))
        #expect(visitor.get("/ehrenamt/\(id)").status == 404)
        #expect(!browser.get("/mein-bereich").links.contains("/ehrenamt/\(id)"), "no public link yet")

        try world.publishListing(id)
        #expect(visitor.get("/ehrenamt").body.contains("Lesepatin für die Grundschule"))
        #expect(visitor.get("/ehrenamt/\(id)").status == 200)
        let overview = browser.get("/mein-bereich")
        #expect(overview.links.contains("/ehrenamt/\(id)"))
        #expect(overview.body.contains("Veröffentlicht"))
    }

    @Test func event_isNotPublicUntilPublished() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/veranstaltung"
        #expect(browser.submit(path, action: path, PostingWorld.event(organisationID: organisationID)).status == 303)
        let id = try world.lastEventID()
        #expect(world.app.get("/veranstaltungen/\(id)").status == 404)
        #expect(!world.app.get("/veranstaltungen").body.contains("Infoabend Ehrenamt"))
        try world.publishEvent(id)
        #expect(world.app.get("/veranstaltungen/\(id)").status == 200)
        #expect(world.app.get("/veranstaltungen").body.contains("Infoabend Ehrenamt"))
    }

    @Test func trustedOrganisation_publishesDirectly() throws {
        let trusted = try world.organisation("Vertrauter Verein", trusted: true)
        try world.addMember(memberID, to: trusted)
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        let response = browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: trusted))
        #expect(response.location == "/mein-bereich?hinweis=my.created_published")
        let id = try world.lastListingID()
        let row = try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT state, published_at, expires_at FROM listings WHERE id = ?", arguments: [id])
            })
        let now = Int64(TestClock.now.timeIntervalSince1970)
        #expect(row["state"] == "published" && row["published_at"] == now)
        // Six months (183 days, to 27 May 2027 10:00 in Berlin) are up before the end date of 30 June 2027.
        #expect(row["expires_at"] == 1_811_404_800)
        #expect(world.app.get("/ehrenamt/\(id)").status == 200)

        let eventPath = "/mein-bereich/neu/veranstaltung"
        #expect(browser.submit(eventPath, action: eventPath, PostingWorld.event(organisationID: trusted)).status == 303)
        #expect(world.app.get("/veranstaltungen/\(try world.lastEventID())").status == 200)
    }

    @Test func trustedButPendingOrganisation_waitsLikeEveryoneElse() throws {
        let pending = try world.organisation("Neuer Verein", state: .pending, trusted: true)
        try world.addMember(memberID, to: pending)
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/spende-gesucht"
        #expect(browser.submit(path, action: path, PostingWorld.donationNeed(organisationID: pending)).status == 303)
        let state: String? = try world.scalar("SELECT state FROM listings")
        #expect(state == "pending")
    }

    @Test func editingAPublishedListing_ofAnUntrustedPoster_returnsItToModeration() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(
            browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: organisationID)).status == 303
        )
        let id = try world.lastListingID()
        try world.publishListing(id)
        let edit = "/mein-bereich/eintraege/\(id)"
        let form = browser.get(edit)
        #expect(form.body.contains("prüft die Kreisverwaltung ihn noch einmal"), "said before saving")
        let fields = PostingWorld.setting(
            PostingWorld.volunteerNeed(organisationID: organisationID), "title", "Lesepate gesucht")
        let saved = browser.submit(edit, action: edit, fields)
        #expect(saved.location == "/mein-bereich?hinweis=my.saved_pending")
        let row = try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT state, title FROM listings WHERE id = ?", arguments: [id])
            })
        #expect(row["state"] == "pending" && row["title"] == "Lesepate gesucht")
        #expect(world.app.get("/ehrenamt/\(id)").status == 404)
    }

    @Test func editingAPublishedListing_ofATrustedOrganisation_staysPublic() throws {
        let trusted = try world.organisation("Vertrauter Verein", trusted: true)
        try world.addMember(memberID, to: trusted)
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        #expect(browser.submit(path, action: path, PostingWorld.volunteerNeed(organisationID: trusted)).status == 303)
        let id = try world.lastListingID()
        let edit = "/mein-bereich/eintraege/\(id)"
        #expect(!browser.get(edit).body.contains("prüft die Kreisverwaltung ihn noch einmal"))
        let saved = browser.submit(
            edit, action: edit,
            PostingWorld.setting(PostingWorld.volunteerNeed(organisationID: trusted), "title", "Neuer Titel"))
        #expect(saved.location == "/mein-bereich?hinweis=my.saved_published")
        #expect(world.app.get("/ehrenamt/\(id)").body.contains("Neuer Titel"))
    }

    @Test func rejectedListing_showsItsReason_andGoesBackToModerationWhenEdited() throws {
        let browser = try world.browser("erika@example.org")
        let path = "/mein-bereich/neu/mithelfen"
        #expect(browser.submit(path, action: path, PostingWorld.volunteerOffer()).status == 303)
        let id = try world.lastListingID()
        try world.app.database.write { db in
            try db.execute(
                sql:
                    "UPDATE listings SET state = 'rejected', rejection_reason = 'Bitte ohne Telefonnummer im Text.' WHERE id = ?",
                arguments: [id])
        }
        #expect(browser.get("/mein-bereich").body.contains("Abgelehnt. Begründung: Bitte ohne Telefonnummer im Text."))
        let edit = "/mein-bereich/eintraege/\(id)"
        #expect(browser.submit(edit, action: edit, PostingWorld.volunteerOffer()).status == 303)
        let state: String? = try world.scalar("SELECT state FROM listings WHERE id = ?", [id])
        #expect(state == "pending")
    }

    @Test func detailPage_showsTheNewFields_butNeverThePostersAddress() throws {
        let browser = try world.browser("mitglied@example.org")
        let need = "/mein-bereich/neu/ehrenamt"
        #expect(
            browser.submit(need, action: need, PostingWorld.volunteerNeed(organisationID: organisationID)).status == 303
        )
        let needID = try world.lastListingID()
        let donation = "/mein-bereich/neu/spende-gesucht"
        #expect(
            browser.submit(donation, action: donation, PostingWorld.donationNeed(organisationID: organisationID)).status
                == 303)
        let donationID = try world.lastListingID()
        let offer = "/mein-bereich/neu/spende-angeboten"
        let offerFields = PostingWorld.setting(
            PostingWorld.donationOffer(owner: String(organisationID)), "contact_phone", "0170 1234567")
        #expect(browser.submit(offer, action: offer, offerFields).status == 303)
        let offerID = try world.lastListingID()
        for id in [needID, donationID, offerID] { try world.publishListing(id) }

        let page = world.app.get("/ehrenamt/\(needID)")
        for expected in [
            "Schulstraße 4, 32760 Detmold", "Etwa 2 Stunden pro Woche", "ab 16 Jahren",
            "Ein erweitertes Führungszeugnis wird benötigt", "Gute Deutschkenntnisse",
            "Der Ort ist barrierefrei zugänglich", "Haftpflicht und Unfall über den Verein",
            "Fahrtkosten werden erstattet", "1. Dezember 2026 bis 30. Juni 2027", "Frau Lehmann",
            "href=\"tel:05231620\"", "href=\"/ehrenamt/\(needID)/kontakt\"", "Ich möchte helfen", "Deutsch, Englisch",
        ] {
            #expect(page.body.contains(expected), "\(expected)")
        }
        #expect(!page.body.contains("mitglied@example.org") && !page.body.contains("mailto:"))

        let donationPage = world.app.get("/spenden/\(donationID)")
        #expect(donationPage.body.contains("<td>Winterjacke</td><td>12</td>"))
        #expect(donationPage.body.contains("<td>Schal</td><td>30</td>"))
        #expect(donationPage.body.contains("Kleiderkammer, Bahnhofstraße 2, dienstags 10–12 Uhr"))
        #expect(donationPage.body.contains("Ich habe Interesse"))

        let offerPage = world.app.get("/spenden/\(offerID)")
        #expect(offerPage.body.contains("Gut erhalten") && offerPage.body.contains("Abholung"))
        #expect(!offerPage.body.contains("0170 1234567"), "the phone is shown only when the poster chose so")
    }

    @Test func eventDetail_showsRegistrationAndCosts() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/veranstaltung"
        #expect(browser.submit(path, action: path, PostingWorld.event(organisationID: organisationID)).status == 303)
        let id = try world.lastEventID()
        try world.publishEvent(id)
        let page = world.app.get("/veranstaltungen/\(id)")
        for expected in [
            "Bitte vorher anmelden", "Bis 1. Dezember per Telefon", "kostenlos", "Bürgerhaus", "Markt 1, 32756 Detmold",
            "Donnerstag, 3. Dezember 2026, 18:00 Uhr – 20:00 Uhr", "Tafel Detmold e. V.",
        ] {
            #expect(page.body.contains(expected), "\(expected)")
        }
    }

    @Test func picture_isStoredAndShown() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/spende-gesucht"
        let response = browser.submit(
            path, action: path, PostingWorld.donationNeed(organisationID: organisationID),
            files: [(field: "image", name: "jacken.png", type: "image/png", bytes: PostingWorld.png)])
        #expect(response.status == 303, "\(response.body.prefix(300))")
        let id = try world.lastListingID()
        let name: String = try #require(try world.scalar("SELECT image_name FROM listings WHERE id = ?", [id]))
        #expect(name.hasSuffix(".png") && !name.contains("jacken"))
        let owner: Int64? = try world.scalar("SELECT owner_user_id FROM images WHERE name = ?", [name])
        #expect(owner == memberID)
        try world.publishListing(id)
        let page = world.app.get("/spenden/\(id)")
        #expect(
            page.body.contains("src=\"/bilder/\(name)\" alt=\"Foto zum Eintrag „Winterjacken für die Kleiderkammer“\""))
        let image = world.app.get("/bilder/\(name)")
        #expect(image.status == 200 && image.bytes == PostingWorld.png)

        // Removing it on the edit form takes it off the page.
        let edit = "/mein-bereich/eintraege/\(id)"
        #expect(browser.get(edit).body.contains("src=\"/bilder/\(name)\""))
        let fields = PostingWorld.donationNeed(organisationID: organisationID) + [("remove_image", "1")]
        #expect(browser.submit(edit, action: edit, fields).status == 303)
        let after: String? = try world.scalar("SELECT image_name FROM listings WHERE id = ?", [id])
        #expect(after == nil)
    }

    @Test func somethingThatIsNotAPicture_isRefusedWithAMessage() throws {
        let browser = try world.browser("mitglied@example.org")
        let path = "/mein-bereich/neu/spende-gesucht"
        let response = browser.submit(
            path, action: path, PostingWorld.donationNeed(organisationID: organisationID),
            files: [(field: "image", name: "bild.png", type: "image/png", bytes: Array("<svg></svg>".utf8))])
        #expect(response.status == 422)
        #expect(response.body.contains("Diese Datei können wir nicht als Bild verwenden"))
        #expect(try world.count("listings") == 0 && world.count("images") == 0)
    }
}
