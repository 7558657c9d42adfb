import Foundation
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// "Barriere melden": the feedback form of the accessibility statement. Where the message goes, what is refused,
/// the rate limit, escaping, and the page when the county has configured no address.
@Suite struct AccessibilityFeedbackTests {
    static let feedbackAddress = "barrierefreiheit@kreis-lippe.example"
    static let contactAddress = "info@kreis-lippe.example"
    static let path = "/barrierefreiheit/rueckmeldung"

    let app: TestApp

    init() throws {
        app = try CountySettingsRoot.app(
            accessibility: ["feedbackEmail": Self.feedbackAddress, "feedbackPhone": "05231 62-0"],
            contact: ["email": Self.contactAddress])
    }

    static let validFields = [
        ("name", "Erika Muster"), ("email", "erika@example.net"), ("page", "/ehrenamt?gemeinde=detmold"),
        ("message", "Der Filter lässt sich mit der Tastatur nicht öffnen."), ("consent", "1"),
    ]

    func replacing(_ name: String, with value: String?) -> [(String, String)] {
        Self.validFields.compactMap { field in
            guard field.0 == name else { return field }
            return value.map { (name, $0) }
        }
    }

    func outbox() throws -> [OutboxMessage] { try OutboxReader.all(in: app.database) }

    @Test func report_goesToTheConfiguredAddress_withReplyToTheSender() throws {
        let browser = TestBrowser(app)
        let form = browser.get(Self.path)
        #expect(form.status == 200)
        #expect(form.body.contains("<h1>Barriere melden</h1>"))
        #expect(form.body.contains("href=\"tel:05231620\""), "the phone is offered as well")
        #expect(!form.body.contains("error-summary"))
        #expect(form.unresolvedLocalizationKeys.isEmpty, "\(form.unresolvedLocalizationKeys)")

        let response = browser.submit(Self.path, Self.validFields)
        #expect(response.status == 303)
        #expect(response.location == "/barrierefreiheit?hinweis=feedback.sent")
        #expect(browser.follow(response).body.contains("Vielen Dank für Ihre Meldung."))

        let messages = try outbox()
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.recipient == Self.feedbackAddress)
        #expect(message.purpose == "accessibility_feedback")
        #expect(message.textBody.contains("Der Filter lässt sich mit der Tastatur nicht öffnen."))
        #expect(message.textBody.contains("/ehrenamt?gemeinde=detmold"))
        #expect(message.textBody.contains("Erika Muster"))
        #expect(message.textBody.contains("Deutsch"), "the language the person used")
        #expect(message.textBody.contains("direkt an erika@example.net"))
        let replyTo = try #require(OutboxReader.header("Reply-To", in: message))
        #expect(replyTo.contains("<erika@example.net>"))
        #expect(OutboxReader.header("To", in: message)?.contains(Self.feedbackAddress) == true)
    }

    @Test func withoutAnAccessibilityAddress_theCountysContactAddressGetsIt() throws {
        let app = try CountySettingsRoot.app(contact: ["email": Self.contactAddress])
        #expect(TestBrowser(app).submit(Self.path, Self.validFields).status == 303)
        #expect(try OutboxReader.all(in: app.database).map(\.recipient) == [Self.contactAddress])
    }

    @Test func anonymousReport_isSentWithoutReplyTo_andSaysNoAnswerIsPossible() throws {
        let response = TestBrowser(app).submit(
            Self.path, [("message", "Die Bilder auf der Startseite haben keinen Alternativtext.")])
        #expect(response.status == 303)
        let message = try #require(try outbox().first)
        #expect(try outbox().count == 1)
        #expect(OutboxReader.header("Reply-To", in: message) == nil)
        #expect(message.textBody.contains("Name: (nicht angegeben)"))
        #expect(message.textBody.contains("Eine Antwort ist daher nicht möglich."))
        #expect(!message.textBody.contains("Antworten Sie einfach"))
    }

    @Test(
        arguments: [
            ("message", "", "Bitte beschreiben Sie, was Ihnen aufgefallen ist."),
            ("message", String(repeating: "x", count: 3001), "Die Nachricht ist 3001 Zeichen lang"),
            ("email", "erika@example", "gültige E-Mail-Adresse"),
            ("email", "erika@example.net\nBcc: alle@example.net", "gültige E-Mail-Adresse"),
            ("consent", nil, "Bitte stimmen Sie zu"),
            ("page", String(repeating: "/seite", count: 84), "höchstens 500 Zeichen"),
            ("name", String(repeating: "n", count: 101), "höchstens 100 Zeichen"),
            ("name", "Erika\r\nBcc: alle@example.net", "keine Zeilenumbrüche"),
        ] as [(String, String?, String)])
    func invalidField_isNamedNextToIt_andNothingIsSent(_ field: String, _ value: String?, _ text: String) throws {
        let response = TestBrowser(app).submit(Self.path, replacing(field, with: value))
        #expect(response.status == 422)
        #expect(response.body.contains(text))
        #expect(response.body.contains("id=\"f-\(field)-error\""), "the message stands next to the field")
        #expect(response.body.contains("href=\"#f-\(field)\""), "the summary links to the field")
        #expect(response.body.contains("<title>Fehler: Barriere melden"))
        #expect(try outbox().isEmpty)
    }

    @Test func refusedForm_keepsWhatWasTyped() throws {
        let response = TestBrowser(app).submit(Self.path, replacing("consent", with: nil))
        #expect(response.status == 422)
        #expect(response.body.contains("value=\"erika@example.net\""))
        #expect(response.body.contains(">Der Filter lässt sich mit der Tastatur nicht öffnen.</textarea>"))
        #expect(response.body.contains("aria-invalid=\"true\""))
    }

    @Test func errorSummary_listsProblemsInTheOrderOfTheFields() throws {
        var fields = replacing("message", with: "")
        fields = fields.map { $0.0 == "email" ? ("email", "erika@") : $0 }
        let body = TestBrowser(app).submit(Self.path, fields).body
        let summary = try #require(body.range(of: "error-summary__list")).upperBound
        let message = try #require(body.range(of: "href=\"#f-message\"", range: summary..<body.endIndex))
        let email = try #require(body.range(of: "href=\"#f-email\"", range: summary..<body.endIndex))
        #expect(message.lowerBound < email.lowerBound)
        let messageField = try #require(body.range(of: "id=\"f-message\""))
        let emailField = try #require(body.range(of: "id=\"f-email\""))
        #expect(messageField.lowerBound < emailField.lowerBound)
    }

    @Test func consentIsNeeded_onlyWithAnAddress() throws {
        let response = TestBrowser(app).submit(
            Self.path, [("name", "Erika"), ("message", "Kontrast der Knöpfe ist zu schwach.")])
        #expect(response.status == 303)
        #expect(try outbox().count == 1)
    }

    @Test func messageOfExactly3000Characters_isSent() throws {
        let response = TestBrowser(app).submit(
            Self.path, replacing("message", with: String(repeating: "ä", count: 3000)))
        #expect(response.status == 303)
    }

    @Test func markup_isEscapedOnThePageAndInTheHTMLMail_andVerbatimInText() throws {
        let hostile = "<script>alert(1)</script>"
        let fields = [
            ("name", hostile), ("email", "erika@example.net"), ("page", hostile), ("message", "Hallo " + hostile),
            ("consent", "1"),
        ]
        let browser = TestBrowser(app)
        let refused = browser.submit(Self.path, fields.filter { $0.0 != "consent" })
        #expect(refused.status == 422)
        #expect(refused.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!refused.body.contains(hostile))
        #expect(browser.submit(Self.path, fields).status == 303)
        let message = try #require(try outbox().first)
        let html = try #require(ParsedMail(message.message).decodedPart("html"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("Hallo &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(message.textBody.contains("Hallo " + hostile), "plain text shows it as typed")
    }

    @Test func rateLimit_blocksAfterTenReports_withItsOwnCounter() throws {
        let browser = TestBrowser(app)
        for _ in 1...10 { #expect(browser.submit(Self.path, Self.validFields).status == 303) }
        let blocked = browser.submit(Self.path, Self.validFields)
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] != nil)
        #expect(try outbox().count == 10)
        let elsewhere = TestBrowser(app)
        elsewhere.remoteAddress = "192.0.2.44"
        #expect(elsewhere.submit(Self.path, Self.validFields).status == 303, "other clients are not blocked")
        // The contact form's counter for the same client is untouched ("feedback:" keys are separate).
        #expect(app.application.rateLimits.contactPerClient.retryAfter("contact:127.0.0.1", now: app.clock.now) == nil)
        #expect(
            app.application.rateLimits.contactPerClient.retryAfter("feedback:127.0.0.1", now: app.clock.now) != nil)
    }

    @Test func refusedForms_doNotCountTowardsTheLimit() throws {
        let browser = TestBrowser(app)
        for _ in 1...12 { #expect(browser.submit(Self.path, replacing("message", with: "")).status == 422) }
        #expect(browser.submit(Self.path, Self.validFields).status == 303)
    }

    @Test func botCheck_refusesAFilledHoneypot() throws {
        let response = TestBrowser(app).submit(Self.path, Self.validFields + [("website", "http://spam.example")])
        #expect(response.status == 422)
        #expect(try outbox().isEmpty)
    }

    @Test func botCheck_refusesAFormSentTooFast() throws {
        let root = try CountySettingsRoot.make(accessibility: ["feedbackEmail": Self.feedbackAddress])
        let app = try TestApp.make(seeded: false) {
            $0.root = root
            $0.minimumFormFillTime = 3
        }
        let response = TestBrowser(app).submit(Self.path, Self.validFields)
        #expect(response.status == 422)
        #expect(response.body.contains("Das ging sehr schnell"))
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func loggedInPerson_findsNameAndAddressFilledIn() throws {
        try People.account(app, "erika@example.org", name: "Erika Muster")
        let page = People.browser(app, as: "erika@example.org").get(Self.path)
        #expect(page.body.contains("value=\"Erika Muster\""))
        #expect(page.body.contains("value=\"erika@example.org\""))
    }

    @Test func statement_linksToTheForm_inItsFeedbackSection() throws {
        let response = app.get("/barrierefreiheit")
        let statement = response.body
        let feedbackSection = try #require(statement.range(of: "<h2>Barrieren melden</h2>"))
        let enforcementSection = try #require(statement.range(of: "<h2>Durchsetzungsverfahren</h2>"))
        let link = try #require(statement.range(of: "href=\"/barrierefreiheit/rueckmeldung\""))
        #expect(feedbackSection.upperBound < link.lowerBound && link.upperBound < enforcementSection.lowerBound)
        #expect(response.count("href=\"/barrierefreiheit/rueckmeldung\"") == 1, "only in the feedback section")
        #expect(statement.contains(Self.feedbackAddress), "the address stays on the statement as well")
    }

    @Test func routes_parseAndBuild_inEveryLanguage() {
        #expect(SiteRoute.parse("/barrierefreiheit/rueckmeldung") == .accessibilityFeedback)
        #expect(SiteRoute.parse("/barrierefreiheit/rueckmeldung/") == .accessibilityFeedback)
        #expect(SiteRoute.parse("/barrierefreiheit/andere") == nil)
        #expect(SiteRoute.accessibilityFeedback.acceptsPost)
        #expect(SiteRoute.accessibilityFeedback.path(in: .en) == "/en/barrierefreiheit/rueckmeldung")
        #expect(app.get("/barrierefreiheit/andere").status == 404)
    }

    @Test func requiredStrings_existInGerman() throws {
        let strings = try Localization(
            language: "de", path: TestDatabase.projectRoot + "/Localization/de.json")
        try strings.require(
            AccessibilityFeedbackPage.requiredKeys + EasyLanguagePage.requiredKeys
                + [MailTemplate.accessibilityFeedback.subjectKey])
    }
}

/// The form when the county has configured no address (the checked-in `Config/lippe.json`): it explains, offers
/// the phone, and never sends.
@Suite struct AccessibilityFeedbackWithoutAddressTests {
    static let path = "/barrierefreiheit/rueckmeldung"

    @Test func page_explains_andHasNoForm_andAStaleFormSendsNothing() throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        let page = browser.get(Self.path)
        #expect(page.status == 200)
        #expect(page.body.contains("Das Formular ist noch nicht eingerichtet"))
        #expect(page.body.contains("Eine Telefonnummer ist ebenfalls noch nicht eingetragen"))
        #expect(!page.body.contains("<form class=\"form\""))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
        // A form kept open from before the address was removed: the token comes from another page's form.
        let token = try #require(FormScan.form(in: browser.get("/anmelden").body, action: "/anmelden")).hidden
        let sent = browser.post(Self.path, token + [("message", "Kontrast zu schwach")])
        #expect(sent.status == 503)
        #expect(sent.body.contains("Das Formular ist noch nicht eingerichtet"))
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func page_showsThePhoneNumber_whenOneIsConfigured() throws {
        let app = try CountySettingsRoot.app(contact: ["phone": "+49 5231 62-0"])
        let page = app.get(Self.path)
        #expect(page.body.contains("Bitte rufen Sie uns an:"))
        #expect(page.body.contains("<a class=\"feedback__phone\" href=\"tel:+495231620\">+49 5231 62-0</a>"))
    }

    @Test func anInvalidConfiguredAddress_countsAsNone() throws {
        let app = try CountySettingsRoot.app(accessibility: ["feedbackEmail": "barrierefreiheit at kreis"])
        #expect(app.get(Self.path).body.contains("Das Formular ist noch nicht eingerichtet"))
    }
}
