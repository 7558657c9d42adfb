import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The contact form of listings: who gets the message, what is refused, rate limits and escaping.
@Suite struct ContactTests {
    static let organisationAddress = "kontakt@verein.example"
    let app: TestApp
    let organisationID: Int64
    let listingID: Int64

    init() throws {
        app = try TestApp.make(seeded: false)
        organisationID = try Fixtures.organisation(app.database, name: "Tafel Detmold")
        listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Fahrerin für die Tafel", organisationID: organisationID)
    }

    var path: String { "/ehrenamt/\(listingID)/kontakt" }

    static let validFields = [
        ("name", "Max Beispiel"), ("email", "max@example.net"), ("message", "Ich hätte dienstags Zeit."),
        ("consent", "1"),
    ]

    func replacing(_ name: String, with value: String?) -> [(String, String)] {
        Self.validFields.compactMap { field in
            guard field.0 == name else { return field }
            return value.map { (name, $0) }
        }
    }

    func outbox() throws -> [OutboxMessage] { try OutboxReader.all(in: app.database) }

    @Test func message_goesToThePosterWithReplyToTheSender_andACopyToTheSender() throws {
        let browser = TestBrowser(app)
        let form = browser.get(path)
        #expect(form.status == 200)
        #expect(form.body.contains("Ich möchte helfen"))
        #expect(!form.body.contains("error-summary"), "no empty error box on a fresh form")
        let response = browser.submit(path, Self.validFields)
        #expect(response.status == 303)
        #expect(response.location == "/ehrenamt/\(listingID)?hinweis=contact.sent")

        let toPoster = try OutboxReader.messages(to: Self.organisationAddress, in: app.database)
        #expect(toPoster.count == 1)
        let message = try #require(toPoster.first)
        #expect(message.purpose == "contact_message")
        #expect(message.textBody.contains("Ich hätte dienstags Zeit."))
        #expect(message.textBody.contains("Fahrerin für die Tafel"))
        let replyTo = try #require(OutboxReader.header("Reply-To", in: message))
        #expect(replyTo.contains("<max@example.net>"))
        // An anonymous sender's address is unverified: the receipt repeats neither their words nor their name.
        let receipts = try OutboxReader.messages(to: "max@example.net", in: app.database)
        #expect(receipts.map(\.purpose) == ["contact_receipt"])
        #expect(receipts.first?.textBody.contains("Ich hätte dienstags Zeit.") == false)
        #expect(receipts.first?.textBody.contains("Fahrerin für die Tafel") == true)
        #expect(try outbox().count == 2)
        #expect(!(receipts.first?.textBody.contains(Self.organisationAddress) ?? true), "the receipt hides the poster")
        #expect(browser.follow(response).body.contains("Ihre Nachricht wurde gesendet"))
    }

    @Test func loggedInSender_getsACopyWithTheirOwnWords() throws {
        _ = try app.application.addAccount(
            email: "max@example.net", name: "Max", role: .resident, password: "Lange Leitung am Bahnhof 7")
        let browser = TestBrowser(app)
        browser.submit("/anmelden", [("email", "max@example.net"), ("password", "Lange Leitung am Bahnhof 7")])
        #expect(browser.submit(path, Self.validFields).status == 303)
        let copies = try OutboxReader.messages(to: "max@example.net", in: app.database)
        #expect(copies.map(\.purpose) == ["contact_copy"])
        #expect(copies.first?.textBody.contains("Ich hätte dienstags Zeit.") == true)
    }

    @Test func organisationWithoutAddress_getsTheMessageThroughItsAdmins() throws {
        try app.database.write { db in
            try db.execute(sql: "UPDATE organisations SET email = '' WHERE id = ?", arguments: [organisationID])
        }
        let admin = try People.account(app, "vorstand@tafel.example", name: "Vorstand")
        let member = try People.account(app, "helfer@tafel.example", name: "Helfer")
        try People.join(app, userID: admin, organisationID: organisationID, role: .admin)
        try People.join(app, userID: member, organisationID: organisationID, role: .member)
        #expect(TestBrowser(app).submit(path, Self.validFields).status == 303)
        #expect(
            try OutboxReader.messages(to: "vorstand@tafel.example", purpose: "contact_message", in: app.database).count
                == 1)
        #expect(try OutboxReader.messages(to: "helfer@tafel.example", in: app.database).isEmpty)
    }

    @Test func residentListing_goesToTheCreatingAccount() throws {
        let userID = try People.account(app, "erika@example.org", name: "Erika Muster")
        let offerID = try Fixtures.listing(app.database, kind: .donationOffer, title: "Kinderbett")
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE listings SET created_by_user_id = ? WHERE id = ?", arguments: [userID, offerID])
        }
        let page = "/spenden/\(offerID)/kontakt"
        let form = TestBrowser(app).get(page)
        #expect(form.status == 200)
        #expect(form.body.contains("Ich habe Interesse"))
        #expect(TestBrowser(app).submit(page, Self.validFields).status == 303)
        #expect(
            try OutboxReader.messages(to: "erika@example.org", purpose: "contact_message", in: app.database).count == 1)
        #expect(try OutboxReader.messages(to: "kontakt@example.org", in: app.database).isEmpty)
    }

    @Test func posterAddress_isNeverOnAPage() throws {
        let residentID = try Fixtures.listing(app.database, kind: .donationOffer, title: "Kinderbett")
        let browser = TestBrowser(app)
        var pages = [
            browser.get(path), browser.submit(path, replacing("consent", with: nil)),
            browser.get("/spenden/\(residentID)/kontakt"),
        ]
        pages.append(browser.follow(browser.submit(path, Self.validFields)))
        pages.append(browser.get("/spenden/\(residentID)"))
        for page in pages {
            #expect(page.status == 200 || page.status == 422)
            #expect(!page.body.contains(Self.organisationAddress))
            // The resident listing's stored contact address.
            #expect(!page.body.contains("kontakt@example.org"))
        }
    }

    @Test func prefillsNameAndAddress_forLoggedInPeople() throws {
        try People.account(app, "erika@example.org", name: "Erika Muster")
        let page = People.browser(app, as: "erika@example.org").get(path)
        #expect(page.body.contains("value=\"Erika Muster\""))
        #expect(page.body.contains("value=\"erika@example.org\""))
    }

    @Test func listingThatIsNotPublic_has404() throws {
        let pending = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Noch nicht frei", state: .pending)
        let closed = try Fixtures.listing(app.database, kind: .volunteerNeed, title: "Schon besetzt")
        let expired = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Vorbei", expiresAt: TestClock.now.addingTimeInterval(-60))
        let pendingOrganisation = try Fixtures.organisation(app.database, name: "Neu", state: .pending)
        let ofPendingOrganisation = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Von neuer Organisation", organisationID: pendingOrganisation)
        try app.database.write { db in
            try db.execute(sql: "UPDATE listings SET closed_at = ? WHERE id = ?", arguments: [1, closed])
        }
        let browser = TestBrowser(app)
        let token = try #require(FormScan.form(in: browser.get(path).body, action: path)).hidden
        for id in [pending, closed, expired, ofPendingOrganisation] {
            #expect(browser.get("/ehrenamt/\(id)/kontakt").status == 404, "GET \(id)")
            #expect(browser.post("/ehrenamt/\(id)/kontakt", token + Self.validFields).status == 404, "POST \(id)")
        }
        #expect(browser.get("/spenden/\(listingID)/kontakt").status == 404, "wrong section")
        #expect(browser.get("/ehrenamt/999999/kontakt").status == 404)
        #expect(try outbox().isEmpty)
    }

    @Test(
        arguments: [
            ("consent", nil, "Bitte stimmen Sie der Verarbeitung zu"),
            ("email", "max@example", "gültige E-Mail-Adresse"),
            ("email", "max@example.net\nBcc: alle@example.net", "gültige E-Mail-Adresse"),
            ("message", String(repeating: "x", count: 3001), "Die Nachricht ist 3001 Zeichen lang"),
            ("message", "", "Bitte schreiben Sie eine Nachricht"),
            ("name", "", "Bitte geben Sie Ihren Namen an"),
        ] as [(String, String?, String)])
    func invalidField_isNamedNextToItAndNothingIsSent(_ field: String, _ value: String?, _ text: String) throws {
        let response = TestBrowser(app).submit(path, replacing(field, with: value))
        #expect(response.status == 422)
        #expect(response.body.contains(text))
        #expect(response.body.contains("id=\"f-\(field)-error\""), "the message stands next to the field")
        #expect(response.body.contains("href=\"#f-\(field)\""), "the summary links to the field")
        #expect(try outbox().isEmpty)
    }

    @Test func messageOfExactly3000Characters_isSent() throws {
        let response = TestBrowser(app).submit(path, replacing("message", with: String(repeating: "ä", count: 3000)))
        #expect(response.status == 303)
    }

    @Test(arguments: ["Max\r\nBcc: alle@example.net", "Max\nBcc: alle@example.net", "Max\rX", "Max\t Beispiel"])
    func nameWithLineBreak_isRefusedAndNeverReachesAMail(_ name: String) throws {
        let response = TestBrowser(app).submit(path, replacing("name", with: name))
        #expect(response.status == 422)
        #expect(response.body.contains("keine Zeilenumbrüche"))
        #expect(try outbox().isEmpty)
    }

    @Test func markupInNameAndMessage_isEscapedInTheMailAndOnPages() throws {
        var fields = replacing("name", with: People.hostile)
        fields = fields.map { $0.0 == "message" ? ("message", "Hallo " + People.hostile) : $0 }
        let browser = TestBrowser(app)
        let refused = browser.submit(path, fields.filter { $0.0 != "consent" })
        #expect(refused.status == 422)
        #expect(refused.body.contains(People.escaped))
        #expect(!refused.body.contains("<script>"))
        #expect(browser.submit(path, fields).status == 303)
        for message in try outbox() {
            let html = try #require(ParsedMail(message.message).decodedPart("html"))
            #expect(!html.contains("<script>"), "\(message.purpose)")
            // The forward carries the sender's words (escaped in HTML); the receipt repeats none of them.
            if message.purpose == "contact_message" {
                #expect(html.contains(People.escaped))
                #expect(message.textBody.contains(People.hostile), "plain text shows it as typed")
            } else {
                #expect(!message.textBody.contains(People.hostile))
            }
        }
    }

    @Test func rateLimit_blocksAfterTenMessagesAndRecovers() throws {
        let browser = TestBrowser(app)
        for _ in 1...10 { #expect(browser.submit(path, Self.validFields).status == 303) }
        let blocked = browser.submit(path, Self.validFields)
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] == "300")
        #expect(try outbox().count == 20)
        let elsewhere = TestBrowser(app)
        elsewhere.remoteAddress = "192.0.2.44"
        #expect(elsewhere.submit(path, Self.validFields).status == 303, "other clients are not blocked")
        app.clock.advance(by: 301)
        #expect(browser.submit(path, Self.validFields).status == 303)
    }

    @Test func refusedForms_doNotCountTowardsTheLimit() throws {
        let browser = TestBrowser(app)
        for _ in 1...12 { #expect(browser.submit(path, replacing("consent", with: nil)).status == 422) }
        #expect(browser.submit(path, Self.validFields).status == 303)
    }

    @Test func botCheck_refusesAFilledHoneypot() throws {
        let response = TestBrowser(app).submit(path, Self.validFields + [("website", "http://spam.example")])
        #expect(response.status == 422)
        #expect(try outbox().isEmpty)
    }
}
