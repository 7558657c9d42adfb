import Foundation
import GRDB
import HTTPTypes
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Registration of residents and organisations: what is stored, what is mailed, what the page says.
@Suite struct RegistrationTests {
    @Test func choicePage_leadsToBothForms() throws {
        let app = try TestApp.make(seeded: false)
        let page = app.get("/registrieren")
        #expect(page.status == 200)
        #expect(page.links.contains("/registrieren/person"))
        #expect(page.links.contains("/registrieren/organisation"))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test(arguments: [
        "/registrieren/person", "/registrieren/organisation", "/passwort-vergessen", "/konto/bestaetigung-senden",
    ])
    func freshForm_hasNoErrorSummary(_ path: String) throws {
        let app = try TestApp.make(seeded: false)
        let page = TestBrowser(app).get(path)
        #expect(page.status == 200)
        #expect(!page.body.contains("error-summary"))
        #expect(!page.body.contains("aria-invalid"))
        #expect(page.count("<h1>") == 1)
    }

    @Test func personForm_showsPasswordHintAndPrivacyLink() throws {
        let app = try TestApp.make(seeded: false)
        let page = TestBrowser(app).get("/registrieren/person")
        #expect(page.status == 200)
        #expect(page.body.contains("Mindestens 10 Zeichen"))
        #expect(page.links.contains("/datenschutz"))
        #expect(page.body.contains("name=\"consent\""))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func personRegistration_createsUnconfirmedResidentAndMailsSevenDayLink() throws {
        let app = try TestApp.make(seeded: false)
        let response = AccountJourney.registerPerson(TestBrowser(app), email: "Erika@Example.org")
        #expect(response.status == 200)
        #expect(response.body.contains("Bitte schauen Sie in Ihr Postfach"))
        #expect(response.body.contains("erika@example.org"))
        let account = try #require(try app.application.users.account(email: "erika@example.org"))
        #expect(account.email == "erika@example.org")
        #expect(account.role == .resident)
        #expect(!account.isConfirmed)
        #expect(account.passwordHash?.hasPrefix("$argon2id$") == true)
        let consented = try AccountJourney.count(
            app, "SELECT COUNT(*) FROM users WHERE consented_at IS NOT NULL AND id = ?", [account.id])
        #expect(consented == 1)
        let expiry = try app.database.pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT expires_at - created_at FROM email_tokens WHERE purpose = 'confirm_account'")
        }
        #expect(expiry == Int64(7 * 24 * 3600))
        let path = try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "confirm_account")
        #expect(path.hasPrefix("/konto/bestaetigen/"))
        let token = String(path.dropFirst("/konto/bestaetigen/".count))
        let stored = try app.database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT token_hash FROM email_tokens")
        }
        #expect(stored == TokenHash.sha256(token), "only the hash is stored")
    }

    @Test func missingFields_areNamedNextToEachFieldAndNothingIsStored() throws {
        let app = try TestApp.make(seeded: false)
        let response = AccountJourney.registerPerson(
            TestBrowser(app), name: "", email: "keine-adresse", password: "kurz", consent: false)
        #expect(response.status == 422)
        for message in [
            "Bitte geben Sie einen Namen oder ein Pseudonym an.", "Das sieht nicht wie eine E-Mail-Adresse aus",
            "Das Passwort ist zu kurz", "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben",
        ] {
            #expect(response.body.contains(message), "\(message)")
        }
        #expect(response.body.contains("aria-invalid=\"true\""))
        #expect(response.body.contains("value=\"keine-adresse\""), "the address is kept")
        #expect(!response.body.contains("value=\"kurz\""), "the password is not sent back")
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func commonPassword_isRefused() throws {
        let app = try TestApp.make(seeded: false)
        let response = AccountJourney.registerPerson(TestBrowser(app), password: "passwort123")
        #expect(response.status == 422)
        #expect(response.body.contains("sehr häufig verwendet"))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
    }

    @Test func takenAddress_looksLikeSuccessCreatesNothingAndMailsTheOwner() throws {
        let app = try TestApp.make(seeded: false)
        let ownerID = try app.application.addAccount(
            email: "erika@example.org", name: "Erika Muster", role: .resident, password: AccountJourney.password)
        let fresh = AccountJourney.registerPerson(TestBrowser(app), name: "Neu", email: "neu@example.org")
        let taken = AccountJourney.registerPerson(TestBrowser(app), name: "Mallory", email: "ERIKA@example.org")
        #expect(taken.status == fresh.status)
        #expect(taken.body.contains("Bitte schauen Sie in Ihr Postfach"))
        // The pages differ only in the address the person typed.
        let takenText: String = taken.body.replacingOccurrences(of: "erika@example.org", with: "X")
        let freshText: String = fresh.body.replacingOccurrences(of: "neu@example.org", with: "X")
        #expect(takenText == freshText)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 2)
        let owner = try #require(try app.application.users.account(id: ownerID))
        #expect(owner.displayName == "Erika Muster", "the account is unchanged")
        #expect(
            try OutboxReader.messages(to: "erika@example.org", purpose: "confirm_account", in: app.database).isEmpty)
        // The owner is told by a password-reset mail (they may have forgotten the account).
        #expect(
            try OutboxReader.messages(to: "erika@example.org", purpose: "reset_password", in: app.database).count == 1)
    }

    @Test func takenUnconfirmedAddress_getsAFreshConfirmationLink() throws {
        let app = try TestApp.make(seeded: false)
        #expect(AccountJourney.registerPerson(TestBrowser(app)).status == 200)
        let first = try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "confirm_account")
        #expect(AccountJourney.registerPerson(TestBrowser(app), name: "Zweiter Versuch").status == 200)
        let second = try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "confirm_account")
        #expect(first != second)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
        #expect(try app.application.users.account(email: "erika@example.org")?.displayName == "Erika Muster")
    }

    @Test func honeypotFilled_registersNothingAndShowsTheFormAgain() throws {
        let app = try TestApp.make(seeded: false)
        let response = AccountJourney.registerPerson(TestBrowser(app), extra: [("website", "http://spam.example")])
        #expect(response.status == 422)
        #expect(response.body.contains("automatisch ausgefüllt"))
        #expect(response.body.contains("value=\"erika@example.org\""))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func tooFastForm_isRefusedWhenAMinimumFillTimeIsSet() throws {
        let app = try TestApp.make(seeded: false) { $0.minimumFormFillTime = 3 }
        let response = AccountJourney.registerPerson(TestBrowser(app))
        #expect(response.status == 422)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
    }

    @Test func registrationRateLimit_triggersWithRetryAfterAndRecovers() throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        for index in 1...5 {
            #expect(AccountJourney.registerPerson(browser, email: "person\(index)@example.org").status == 200)
        }
        let blocked = AccountJourney.registerPerson(browser, email: "person6@example.org")
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] == "600")
        #expect(try app.application.users.account(email: "person6@example.org") == nil)
        // Another client is not affected.
        let other = TestBrowser(app)
        other.remoteAddress = "192.0.2.7"
        #expect(AccountJourney.registerPerson(other, email: "anders@example.org").status == 200)
        app.clock.advance(by: 600)
        #expect(AccountJourney.registerPerson(browser, email: "person6@example.org").status == 200)
        #expect(try app.application.users.account(email: "person6@example.org") != nil)
    }

    @Test func invalidAttempts_doNotUseUpTheRateLimit() throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        for _ in 1...8 {
            #expect(AccountJourney.registerPerson(browser, consent: false).status == 422)
        }
        #expect(AccountJourney.registerPerson(browser).status == 200)
    }

    @Test func missingCSRFToken_is403AndRegistersNothing() throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        browser.get("/registrieren/person")
        let response = browser.post(
            "/registrieren/person",
            [
                ("name", "Erika"), ("email", "erika@example.org"), ("password", AccountJourney.password),
                ("consent", "1"),
            ])
        #expect(response.status == 403)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 0)
    }

    @Test(arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"])
    func markupInName_comesOutEscapedInFormHeaderAndSettings(_ name: String) throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        let refused = AccountJourney.registerPerson(browser, name: name, consent: false)
        #expect(refused.status == 422)
        #expect(!refused.body.contains(name))
        #expect(refused.body.contains(HTMLText.escape(name)))
        try AccountJourney.registeredAndConfirmed(app, browser, name: name)
        #expect(try app.application.users.account(email: "erika@example.org")?.displayName == name)
        for page in [browser.get("/"), browser.get("/mein-bereich/konto")] {
            #expect(page.status == 200)
            #expect(!page.body.contains(name))
            #expect(page.body.contains("Angemeldet als " + HTMLText.escape(name)))
        }
        #expect(browser.get("/mein-bereich/konto").body.contains("<dd>" + HTMLText.escape(name) + "</dd>"))
    }

    @Test func quotesAndSQLMetaCharacters_areStoredAndShownVerbatim() throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        let name = "O'Brien; DROP TABLE users;--"
        try AccountJourney.registeredAndConfirmed(app, browser, name: name)
        #expect(try app.application.users.account(email: "erika@example.org")?.displayName == name)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
        let settings = browser.get("/mein-bereich/konto")
        #expect(settings.body.contains("<dd>O&#39;Brien; DROP TABLE users;--</dd>"))
        let mail = try #require(
            try OutboxReader.latest(to: "erika@example.org", purpose: "confirm_account", in: app.database))
        #expect(mail.textBody.contains(name), "the plain-text mail shows the name as typed")
    }
}
