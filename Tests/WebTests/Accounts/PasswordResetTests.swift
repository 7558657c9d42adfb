import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// "Passwort vergessen" and the single-use reset link.
@Suite struct PasswordResetTests {
    static let newPassword = "Externsteine im Morgennebel"

    static func appWithAccount() throws -> TestApp {
        let app = try TestApp.make(seeded: false)
        try app.application.addAccount(
            email: "erika@example.org", name: "Erika Muster", role: .resident, password: AccountJourney.password)
        return app
    }

    static func requestLink(_ app: TestApp, email: String = "erika@example.org") throws -> String {
        let response = TestBrowser(app).submit("/passwort-vergessen", [("email", email)])
        #expect(response.status == 200)
        return try AccountJourney.linkPath(app, to: "erika@example.org", purpose: "reset_password")
    }

    static func setPassword(
        _ browser: TestBrowser, _ path: String, _ password: String = newPassword, repeat again: String? = nil
    )
        -> TestResponse
    {
        browser.submit(path, action: path, [("password", password), ("password_repeat", again ?? password)])
    }

    @Test func request_mailsAOneHourLinkAndAnswersTheSameForUnknownAddresses() throws {
        let app = try Self.appWithAccount()
        let known = TestBrowser(app).submit("/passwort-vergessen", [("email", "ERIKA@example.org")])
        let unknown = TestBrowser(app).submit("/passwort-vergessen", [("email", "niemand@example.org")])
        #expect(known.status == 200 && unknown.status == 200)
        #expect(
            known.body.replacingOccurrences(of: "erika@example.org", with: "X")
                == unknown.body.replacingOccurrences(of: "niemand@example.org", with: "X"))
        let mail = try #require(
            try OutboxReader.latest(to: "erika@example.org", purpose: "reset_password", in: app.database))
        #expect(mail.textBody.contains("eine Stunde"))
        #expect(try OutboxReader.all(in: app.database).count == 1)
        let validity = try app.database.pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT expires_at - created_at FROM email_tokens WHERE purpose = 'reset_password'")
        }
        #expect(validity == Int64(3600))
    }

    @Test func link_worksOnceThenNever() throws {
        let app = try Self.appWithAccount()
        let path = try Self.requestLink(app)
        let browser = TestBrowser(app)
        let form = browser.get(path)
        #expect(form.status == 200)
        #expect(form.body.contains("name=\"password_repeat\""))
        let response = Self.setPassword(browser, path)
        #expect(response.status == 303)
        #expect(response.location == "/mein-bereich?hinweis=account.password_reset")
        #expect(AccountJourney.isLoggedIn(browser))
        #expect(AccountJourney.loggedIn(app, password: Self.newPassword).cookie("__Host-session") != nil)
        let old = TestBrowser(app).submit(
            "/anmelden", [("email", "erika@example.org"), ("password", AccountJourney.password)])
        #expect(old.status == 422, "the old password no longer works")

        let again = TestBrowser(app)
        #expect(again.get(path).status == 410)
        #expect(again.get(path).body.contains("Dieser Link wurde schon verwendet"))
        let hidden = try #require(FormScan.form(in: again.get("/passwort-vergessen").body, action: nil)).hidden
        let reuse = again.post(
            path,
            hidden + [("password", "Noch ein anderes Passwort"), ("password_repeat", "Noch ein anderes Passwort")])
        #expect(reuse.status == 410)
        #expect(!again.cookies.keys.contains("__Host-session"))
        #expect(AccountJourney.loggedIn(app, password: Self.newPassword).cookie("__Host-session") != nil)
    }

    @Test func link_expiresAfterOneHour() throws {
        let app = try Self.appWithAccount()
        let path = try Self.requestLink(app)
        app.clock.advance(by: 3600)
        let browser = TestBrowser(app)
        let page = browser.get(path)
        #expect(page.status == 410)
        #expect(page.body.contains("Dieser Link ist abgelaufen"))
        #expect(page.links.contains("/passwort-vergessen"))
        let hidden = try #require(FormScan.form(in: browser.get("/passwort-vergessen").body, action: nil)).hidden
        #expect(
            browser.post(path, hidden + [("password", Self.newPassword), ("password_repeat", Self.newPassword)]).status
                == 410)
        #expect(AccountJourney.loggedIn(app).cookie("__Host-session") != nil, "the old password still works")
    }

    @Test func reset_endsTheSessionsOfOtherBrowsersAndOtherLinks() throws {
        let app = try Self.appWithAccount()
        let other = AccountJourney.loggedIn(app)
        #expect(AccountJourney.isLoggedIn(other))
        let first = try Self.requestLink(app)
        app.clock.advance(by: 60)
        let second = try Self.requestLink(app)
        #expect(first != second)
        #expect(TestBrowser(app).get(first).status == 404, "a new request replaces the older link")
        #expect(Self.setPassword(TestBrowser(app), second).status == 303)
        #expect(!AccountJourney.isLoggedIn(other))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM sessions") == 1)
        #expect(
            try AccountJourney.count(
                app, "SELECT COUNT(*) FROM email_tokens WHERE purpose = 'reset_password' AND used_at IS NULL") == 0)
        #expect(try OutboxReader.all(in: app.database).count == 2, "no further mail")
    }

    @Test func weakOrMismatchedPassword_keepsTheLinkUsable() throws {
        let app = try Self.appWithAccount()
        let path = try Self.requestLink(app)
        let browser = TestBrowser(app)
        let weak = Self.setPassword(browser, path, "kurz")
        #expect(weak.status == 422)
        #expect(weak.body.contains("Das Passwort ist zu kurz"))
        let mismatch = Self.setPassword(browser, path, Self.newPassword, repeat: "etwas anderes hier")
        #expect(mismatch.status == 422)
        #expect(mismatch.body.contains("stimmen nicht überein"))
        let personal = Self.setPassword(browser, path, "Erika Muster ist toll")
        #expect(personal.status == 422)
        #expect(Self.setPassword(browser, path).status == 303)
    }

    @Test func unconfirmedAccount_getsItsConfirmationLinkInstead() throws {
        let app = try TestApp.make(seeded: false)
        #expect(AccountJourney.registerPerson(TestBrowser(app)).status == 200)
        #expect(TestBrowser(app).submit("/passwort-vergessen", [("email", "erika@example.org")]).status == 200)
        #expect(try OutboxReader.messages(to: "erika@example.org", purpose: "reset_password", in: app.database).isEmpty)
        #expect(
            try OutboxReader.messages(to: "erika@example.org", purpose: "confirm_account", in: app.database).count == 2)
    }

    @Test func requests_areLimitedPerAddressAndRecover() throws {
        let app = try Self.appWithAccount()
        for index in 1...3 {
            let browser = TestBrowser(app)
            browser.remoteAddress = "192.0.2.\(index)"
            #expect(browser.submit("/passwort-vergessen", [("email", "erika@example.org")]).status == 200)
        }
        let blocked = TestBrowser(app).submit("/passwort-vergessen", [("email", "Erika@Example.org")])
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] == "300")
        #expect(
            try OutboxReader.messages(to: "erika@example.org", purpose: "reset_password", in: app.database).count == 3)
        app.clock.advance(by: 300)
        #expect(TestBrowser(app).submit("/passwort-vergessen", [("email", "erika@example.org")]).status == 200)
    }

    @Test func requests_areLimitedPerClient() throws {
        let app = try Self.appWithAccount()
        let browser = TestBrowser(app)
        for index in 1...10 {
            #expect(browser.submit("/passwort-vergessen", [("email", "person\(index)@example.org")]).status == 200)
        }
        #expect(browser.submit("/passwort-vergessen", [("email", "erika@example.org")]).status == 429)
    }

    @Test func honeypotFilled_sendsNothing() throws {
        let app = try Self.appWithAccount()
        let response = TestBrowser(app).submit(
            "/passwort-vergessen", [("email", "erika@example.org"), ("website", "x")])
        #expect(response.status == 422)
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }
}
