import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The confirmation link (double opt-in) and "send the link again".
@Suite struct ConfirmationTests {
    static func registered() throws -> (TestApp, String) {
        let app = try TestApp.make(seeded: false)
        #expect(AccountJourney.registerPerson(TestBrowser(app)).status == 200)
        return (app, try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "confirm_account"))
    }

    static func isConfirmed(_ app: TestApp) throws -> Bool {
        try app.application.users.account(email: "erika@example.org")?.isConfirmed ?? false
    }

    @Test func getOfTheLink_showsOneButtonAndChangesNothing() throws {
        let (app, path) = try Self.registered()
        let browser = TestBrowser(app)
        for _ in 1...2 {
            let page = browser.get(path)
            #expect(page.status == 200)
            #expect(page.body.contains("<form class=\"form\" method=\"post\" action=\"\(path)\""))
            #expect(page.body.contains("Adresse bestätigen</button>"))
        }
        #expect(try !Self.isConfirmed(app))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM email_tokens WHERE used_at IS NOT NULL") == 0)
        #expect(!browser.cookies.keys.contains("__Host-session"))
    }

    @Test func post_confirmsOnceAndLogsInWithANewSession() throws {
        let (app, path) = try Self.registered()
        let browser = TestBrowser(app)
        let planted = SecureRandom.token()
        browser.setCookie("__Host-session", planted)
        let response = browser.submit(path, action: path, [])
        #expect(response.status == 303)
        #expect(response.location == "/mein-bereich?hinweis=account.confirmed")
        #expect(try Self.isConfirmed(app))
        let session = try #require(browser.cookie("__Host-session"))
        #expect(session != planted)
        #expect(AccountJourney.isLoggedIn(browser))
        #expect(browser.get("/?hinweis=account.confirmed").body.contains("Ihre E-Mail-Adresse ist bestätigt"))

        let again = TestBrowser(app).submit(path, action: nil, [])
        #expect(again.status == 0, "the used link shows no button any more")
        let page = TestBrowser(app).get(path)
        #expect(page.status == 410)
        #expect(page.body.contains("Dieser Link wurde schon verwendet"))
    }

    @Test func secondPost_saysTheLinkWasUsed() throws {
        let (app, path) = try Self.registered()
        let browser = TestBrowser(app)
        let form = try #require(FormScan.form(in: browser.get(path).body, action: path))
        #expect(browser.post(path, form.hidden).status == 303)
        let other = TestBrowser(app)
        let otherForm = try #require(FormScan.form(in: other.get("/konto/bestaetigung-senden").body, action: nil))
        let second = other.post(path, otherForm.hidden)
        #expect(second.status == 410)
        #expect(second.body.contains("Dieser Link wurde schon verwendet"))
        #expect(!other.cookies.keys.contains("__Host-session"))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM sessions") == 1)
    }

    @Test func expiredLink_failsAfterSevenDaysAndASecond() throws {
        let (app, path) = try Self.registered()
        app.clock.advance(by: 7 * 24 * 3600 - 1)
        #expect(TestBrowser(app).get(path).status == 200, "still valid one second before the end")
        app.clock.advance(by: 2)
        let browser = TestBrowser(app)
        let page = browser.get(path)
        #expect(page.status == 410)
        #expect(page.body.contains("Dieser Link ist abgelaufen"))
        #expect(page.links.contains("/konto/bestaetigung-senden"))
        let form = try #require(FormScan.form(in: browser.get("/konto/bestaetigung-senden").body, action: nil))
        #expect(browser.post(path, form.hidden).status == 410)
        #expect(try !Self.isConfirmed(app))
    }

    @Test func unknownToken_isAClearPage() throws {
        let app = try TestApp.make(seeded: false)
        let page = app.get("/konto/bestaetigen/" + SecureRandom.token())
        #expect(page.status == 404)
        #expect(page.body.contains("Dieser Link ist ungültig"))
        #expect(page.links.contains("/konto/bestaetigung-senden"))
    }

    @Test func unconfirmedLogin_isRefusedUntilConfirmed() throws {
        let (app, path) = try Self.registered()
        let refused = TestBrowser(app).submit(
            "/anmelden", [("email", "erika@example.org"), ("password", AccountJourney.password)])
        #expect(refused.status == 422)
        #expect(refused.links.contains("/konto/bestaetigung-senden"))
        #expect(TestBrowser(app).submit(path, action: path, []).status == 303)
        #expect(AccountJourney.loggedIn(app).cookie("__Host-session") != nil)
    }

    @Test func resend_mailsANewLinkThatReplacesTheOld() throws {
        let (app, old) = try Self.registered()
        let response = TestBrowser(app).submit("/konto/bestaetigung-senden", [("email", "Erika@example.org")])
        #expect(response.status == 200)
        #expect(response.body.contains("Bitte schauen Sie in Ihr Postfach"))
        let new = try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "confirm_account")
        #expect(new != old)
        #expect(TestBrowser(app).get(old).status == 404, "the old link is replaced")
        #expect(TestBrowser(app).submit(new, action: new, []).status == 303)
        #expect(try Self.isConfirmed(app))
    }

    @Test func resend_answersTheSameForUnknownAndConfirmedAddresses() throws {
        let (app, _) = try Self.registered()
        try app.application.addAccount(
            email: "bestaetigt@example.org", name: "Bea", role: .resident, password: AccountJourney.password)
        let mailsBefore = try OutboxReader.all(in: app.database).count
        let unknown = TestBrowser(app).submit("/konto/bestaetigung-senden", [("email", "niemand@example.org")])
        let confirmed = TestBrowser(app).submit("/konto/bestaetigung-senden", [("email", "bestaetigt@example.org")])
        for response in [unknown, confirmed] {
            #expect(response.status == 200)
            #expect(response.body.contains("Wenn zu"))
        }
        #expect(try OutboxReader.all(in: app.database).count == mailsBefore)
    }

    @Test func resend_isRateLimitedAndChecksBots() throws {
        let (app, _) = try Self.registered()
        let browser = TestBrowser(app)
        let bot = browser.submit("/konto/bestaetigung-senden", [("email", "erika@example.org"), ("website", "x")])
        #expect(bot.status == 422)
        for _ in 1...3 {
            #expect(browser.submit("/konto/bestaetigung-senden", [("email", "erika@example.org")]).status == 200)
        }
        let blocked = browser.submit("/konto/bestaetigung-senden", [("email", "erika@example.org")])
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] != nil)
    }
}
