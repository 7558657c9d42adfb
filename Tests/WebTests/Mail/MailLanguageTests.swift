import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Which language each mail is written in: the page's language for the person making the request, the
/// stored account language for anyone else, German for the county and for addresses without an account.
@Suite struct MailLanguageTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
    }

    var base: String { app.configuration.publicBaseURL }

    func strings(_ language: Language) -> Localization { app.application.pack(language).strings }

    /// The subject of `template` in `language` with `values` and the site's name in that language filled in.
    func subject(_ template: MailTemplate, _ language: Language, _ values: [String: String] = [:]) -> String {
        let siteName = strings(language).format("site.name", app.application.site.placeholders)
        return Mailer.fill(strings(language)[template.subjectKey], values.merging(["site": siteName]) { $1 })
    }

    func mail(to email: String, _ template: MailTemplate) throws -> OutboxMessage {
        try #require(try OutboxReader.latest(to: email, purpose: template.name, in: app.database))
    }

    func storedLanguage(_ email: String) throws -> String? {
        try app.application.users.account(email: email)?.language
    }

    /// A browser logged in on the login page of `language`.
    func loggedIn(_ email: String, on language: Language) -> TestBrowser {
        let browser = TestBrowser(app)
        let response = browser.submit(
            SiteRoute.account(.login).path(in: language), [("email", email), ("password", People.password)])
        #expect(response.status == 303, "login of \(email)")
        return browser
    }

    /// A published donation offer posted by the account `userID`.
    func residentListing(by userID: Int64, title: String) throws -> Int64 {
        let id = try Fixtures.listing(app.database, kind: .donationOffer, title: title)
        try app.database.write { db in
            try db.execute(sql: "UPDATE listings SET created_by_user_id = ? WHERE id = ?", arguments: [userID, id])
        }
        return id
    }

    @Test func registeringOnTheEnglishPage_mailsAnEnglishConfirmationWithAnEnglishLink() throws {
        let browser = TestBrowser(app)
        let response = browser.submit(
            "/en/registrieren/person",
            [
                ("name", "Erika"), ("email", "erika@example.org"), ("password", AccountJourney.password),
                ("consent", "1"),
            ])
        #expect(response.status == 200)
        #expect(try storedLanguage("erika@example.org") == "en")

        let mail = try mail(to: "erika@example.org", .confirmAccount)
        #expect(mail.subject == subject(.confirmAccount, .en))
        #expect(mail.textBody.hasPrefix(strings(.en).format("mail.confirm_account.greeting", ["name": "Erika"])))
        let link = try #require(OutboxReader.links(in: mail).first)
        #expect(link.hasPrefix(base + "/en/konto/bestaetigen/"))
        #expect(ParsedMail(mail.message).decodedPart("html")?.contains("<html lang=\"en\" dir=\"ltr\">") == true)
        #expect(browser.get(String(link.dropFirst(base.count))).status == 200)
    }

    @Test func registeringAnOrganisationOnTheUkrainianPage_storesUkrainian() throws {
        let response = TestBrowser(app).submit(
            "/uk/registrieren/organisation", AccountJourney.organisationFields(), files: [])
        #expect(response.status == 200)
        #expect(try storedLanguage("vorstand@tafel.example") == "uk")
        let mail = try mail(to: "vorstand@tafel.example", .confirmAccount)
        #expect(mail.subject == subject(.confirmAccount, .uk))
        #expect(OutboxReader.links(in: mail).first?.hasPrefix(base + "/uk/konto/bestaetigen/") == true)
    }

    @Test func contactFromTheArabicPage_reachesTheGermanPosterInGerman_andTheReceiptIsArabic() throws {
        let posterID = try People.account(app, "erika@example.org", name: "Erika Muster")
        let listingID = try residentListing(by: posterID, title: "Kinderbett")
        let response = TestBrowser(app).submit("/ar/spenden/\(listingID)/kontakt", ContactTests.validFields)
        #expect(response.status == 303)
        #expect(response.location == "/ar/spenden/\(listingID)?hinweis=contact.sent")

        let toPoster = try mail(to: "erika@example.org", .contactMessage)
        #expect(toPoster.subject == subject(.contactMessage, .de, ["listingTitle": "Kinderbett"]))
        #expect(OutboxReader.links(in: toPoster).contains(base + "/spenden/\(listingID)"))
        #expect(!OutboxReader.links(in: toPoster).contains { $0.contains("/ar/") })
        #expect(ParsedMail(toPoster.message).decodedPart("html")?.contains("<html lang=\"de\" dir=\"ltr\">") == true)

        let receipt = try mail(to: "max@example.net", .contactReceipt)
        #expect(receipt.subject == subject(.contactReceipt, .ar, ["listingTitle": "Kinderbett"]))
        #expect(OutboxReader.links(in: receipt).contains(base + "/ar/spenden/\(listingID)"))
        #expect(ParsedMail(receipt.message).decodedPart("html")?.contains("<html lang=\"ar\" dir=\"rtl\">") == true)
    }

    @Test func contactCopy_isInTheSendersPageLanguage_andEachAdminGetsTheirOwn() throws {
        let organisationID = try Fixtures.organisation(app.database, name: "Tafel Detmold")
        try app.database.write { db in
            try db.execute(sql: "UPDATE organisations SET email = '' WHERE id = ?", arguments: [organisationID])
        }
        let listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Fahrerin", organisationID: organisationID)
        let ukrainianAdmin = try People.account(app, "olena@tafel.example", name: "Olena")
        let germanAdmin = try People.account(app, "petra@tafel.example", name: "Petra")
        for admin in [ukrainianAdmin, germanAdmin] {
            try People.join(app, userID: admin, organisationID: organisationID, role: .admin)
        }
        _ = loggedIn("olena@tafel.example", on: .uk)
        try People.account(app, "max@example.net", name: "Max")
        let sender = loggedIn("max@example.net", on: .tr)

        let contact = "/tr/ehrenamt/\(listingID)/kontakt"
        let response = sender.submit(contact, action: contact, ContactTests.validFields)
        #expect(response.location == "/tr/ehrenamt/\(listingID)?hinweis=contact.sent")
        let values = ["listingTitle": "Fahrerin"]
        let toOlena = try mail(to: "olena@tafel.example", .contactMessage)
        #expect(toOlena.subject == subject(.contactMessage, .uk, values))
        #expect(OutboxReader.links(in: toOlena).contains(base + "/uk/ehrenamt/\(listingID)"))
        let toPetra = try mail(to: "petra@tafel.example", .contactMessage)
        #expect(toPetra.subject == subject(.contactMessage, .de, values))
        #expect(OutboxReader.links(in: toPetra).contains(base + "/ehrenamt/\(listingID)"))
        let copy = try mail(to: "max@example.net", .contactCopy)
        #expect(copy.subject == subject(.contactCopy, .tr, values))
        #expect(OutboxReader.links(in: copy).contains(base + "/tr/ehrenamt/\(listingID)"))
    }

    @Test func loggingInOnTheTurkishPage_makesLaterMailTurkish_untilTheNextLoginInGerman() throws {
        let userID = try People.account(app, "erika@example.org", name: "Erika")
        #expect(try storedLanguage("erika@example.org") == "de", "accounts made on the command line are German")
        _ = loggedIn("erika@example.org", on: .tr)
        let account = try #require(try app.application.users.account(id: userID))
        #expect(account.language == "tr")

        // What a staff decision on a listing sends (no page sends it yet): the account's language decides.
        let mailer = app.application.mailer
        let language = mailer.language(stored: account.language)
        try mailer.send(
            .listingPublished, to: Mailbox(name: account.displayName, address: account.email), language: language,
            values: [
                "name": account.displayName, "listingTitle": "Kinderbett",
                "link": mailer.absoluteURL(.listing(.donations, id: 7), in: language),
            ], now: app.clock.now)
        let published = try mail(to: "erika@example.org", .listingPublished)
        #expect(published.subject == subject(.listingPublished, .tr, ["listingTitle": "Kinderbett"]))
        #expect(published.textBody.hasPrefix(strings(.tr).format("mail.listing_published.greeting", ["name": "Erika"])))
        #expect(OutboxReader.links(in: published).first == base + "/tr/spenden/7")

        _ = loggedIn("erika@example.org", on: .de)
        #expect(try storedLanguage("erika@example.org") == "de")
    }

    @Test func staffDecision_reachesTheAdminInTheirLanguage_whateverTheStaffPageLanguage() throws {
        let organisationID = try Fixtures.organisation(app.database, name: "Sportverein Lemgo", state: .pending)
        let adminID = try People.account(app, "vorstand@sv-lemgo.example", name: "Vorstand SV")
        try People.join(app, userID: adminID, organisationID: organisationID, role: .admin)
        try People.setRegisteredBy(app, organisationID: organisationID, userID: adminID)
        _ = loggedIn("vorstand@sv-lemgo.example", on: .en)
        try People.account(app, "kreis@example.org", name: "Kreisverwaltung", role: .staff)
        let staff = loggedIn("kreis@example.org", on: .de)

        let detail = "/verwaltung/organisationen/\(organisationID)"
        #expect(staff.submit(detail, [("decision", "approve")]).status == 303)
        let mail = try mail(to: "vorstand@sv-lemgo.example", .organisationApproved)
        #expect(mail.subject == subject(.organisationApproved, .en, ["organisationName": "Sportverein Lemgo"]))
        #expect(OutboxReader.links(in: mail).contains(base + "/en/mein-bereich/organisationen/\(organisationID)"))
    }

    @Test func addingAMember_mailsThemInTheirLanguage_andAnInvitationInTheAdminsPageLanguage() throws {
        let organisationID = try Fixtures.organisation(app.database, name: "Heimatverein Horn")
        let adminID = try People.account(app, "anna@horn.example", name: "Anna")
        try People.join(app, userID: adminID, organisationID: organisationID, role: .admin)
        try People.account(app, "taras@example.org", name: "Taras")
        _ = loggedIn("taras@example.org", on: .uk)
        let admin = loggedIn("anna@horn.example", on: .en)
        let members = SiteRoute.my(.members(organisationID: organisationID)).path(in: .en)

        #expect(admin.submit(members, action: members, [("email", "taras@example.org")]).status == 303)
        let added = try mail(to: "taras@example.org", .membershipAdded)
        #expect(added.subject == subject(.membershipAdded, .uk, ["organisationName": "Heimatverein Horn"]))
        #expect(OutboxReader.links(in: added).contains(base + "/uk/mein-bereich/organisationen/\(organisationID)"))

        #expect(admin.submit(members, action: members, [("email", "neu@example.org")]).status == 303)
        let invitation = try mail(to: "neu@example.org", .invitation)
        #expect(invitation.subject == subject(.invitation, .en, ["organisationName": "Heimatverein Horn"]))
        #expect(OutboxReader.links(in: invitation).first?.hasPrefix(base + "/en/einladung/") == true)
    }

    @Test func passwordResetFromTheUkrainianPage_isUkrainian() throws {
        try People.account(app, "erika@example.org", name: "Erika")
        let response = TestBrowser(app).submit("/uk/passwort-vergessen", [("email", "erika@example.org")])
        #expect(response.status == 200 || response.status == 303)
        let mail = try mail(to: "erika@example.org", .resetPassword)
        #expect(mail.subject == subject(.resetPassword, .uk))
        #expect(mail.textBody.contains(strings(.uk)["account.forgot.validity"]))
        #expect(OutboxReader.links(in: mail).first?.hasPrefix(base + "/uk/passwort-neu/") == true)
    }

    @Test func accessibilityFeedbackFromTheArabicPage_reachesTheCountyInGerman() throws {
        let county = try CountySettingsRoot.app(
            accessibility: ["feedbackEmail": AccessibilityFeedbackTests.feedbackAddress], contact: [:])
        let response = TestBrowser(county).submit(
            "/ar" + AccessibilityFeedbackTests.path, AccessibilityFeedbackTests.validFields)
        #expect(response.status == 303)
        let mail = try #require(
            try OutboxReader.latest(
                to: AccessibilityFeedbackTests.feedbackAddress, purpose: "accessibility_feedback", in: county.database))
        let german = county.application.pack(.de).strings
        let siteName = german.format("site.name", county.application.site.placeholders)
        #expect(mail.subject == Mailer.fill(german["mail.accessibility_feedback.subject"], ["site": siteName]))
        #expect(mail.textBody.contains(Language.ar.nativeName), "the county learns which language the page was in")
        #expect(ParsedMail(mail.message).decodedPart("html")?.contains("<html lang=\"de\" dir=\"ltr\">") == true)
    }
}
