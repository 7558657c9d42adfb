import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// "Mein Konto": password change, address change with re-confirmation, log out everywhere.
@Suite struct AccountSettingsTests {
    static let newPassword = "Externsteine im Morgennebel"

    static func appWithAccount() throws -> (TestApp, Int64) {
        let app = try TestApp.make(seeded: false)
        let id = try app.application.addAccount(
            email: "erika@example.org", name: "Erika Muster", role: .resident, password: AccountJourney.password)
        return (app, id)
    }

    static func changePassword(_ browser: TestBrowser, current: String, new: String = newPassword, again: String? = nil)
        -> TestResponse
    {
        browser.submit(
            "/mein-bereich/konto", action: "/mein-bereich/konto/passwort",
            [("current_password", current), ("new_password", new), ("new_password_repeat", again ?? new)])
    }

    static func changeEmail(_ browser: TestBrowser, to address: String, password: String = AccountJourney.password)
        -> TestResponse
    {
        browser.submit(
            "/mein-bereich/konto", action: "/mein-bereich/konto/adresse",
            [("new_email", address), ("email_password", password)])
    }

    @Test func settings_needLogin() throws {
        let (app, _) = try Self.appWithAccount()
        let response = app.get("/mein-bereich/konto")
        #expect(response.status == 303)
        #expect(response.location?.hasPrefix("/anmelden?weiter=") == true)
        #expect(app.get("/mein-bereich/konto/passwort").status == 405, "buttons only")
    }

    @Test func settingsPage_showsTheAccountAndThreeForms() throws {
        let (app, _) = try Self.appWithAccount()
        let page = AccountJourney.loggedIn(app).get("/mein-bereich/konto")
        #expect(page.status == 200)
        #expect(page.body.contains("erika@example.org"))
        for action in [
            "/mein-bereich/konto/passwort", "/mein-bereich/konto/adresse", "/mein-bereich/konto/ueberall-abmelden",
        ] {
            #expect(FormScan.form(in: page.body, action: action) != nil, "\(action)")
        }
        #expect(page.headerFields[.cacheControl] == "private, no-store")
        #expect(!page.body.contains("error-summary"), "no empty error summary on a fresh page")
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func passwordChange_endsOtherSessionsAndReplacesThisCookie() throws {
        let (app, userID) = try Self.appWithAccount()
        let other = AccountJourney.loggedIn(app)
        let browser = AccountJourney.loggedIn(app)
        let before = try #require(browser.cookie("__Host-session"))
        let response = Self.changePassword(browser, current: AccountJourney.password)
        #expect(response.status == 303)
        #expect(response.location == "/mein-bereich/konto?hinweis=account.password_changed")
        let after = try #require(browser.cookie("__Host-session"))
        #expect(after != before)
        #expect(AccountJourney.isLoggedIn(browser))
        #expect(!AccountJourney.isLoggedIn(other))
        let hashes = try app.database.pool.read { db in
            try Data.fetchAll(db, sql: "SELECT token_hash FROM sessions WHERE user_id = ?", arguments: [userID])
        }
        #expect(hashes == [TokenHash.sha256(after)])
        #expect(AccountJourney.loggedIn(app, password: Self.newPassword).cookie("__Host-session") != nil)
    }

    @Test func passwordChange_needsTheCurrentPasswordAndThePolicy() throws {
        let (app, _) = try Self.appWithAccount()
        let browser = AccountJourney.loggedIn(app)
        let wrong = Self.changePassword(browser, current: "falsch falsch falsch")
        #expect(wrong.status == 422)
        #expect(wrong.body.contains("Das Passwort stimmt nicht"))
        #expect(!wrong.body.contains("falsch falsch"))
        let weak = Self.changePassword(browser, current: AccountJourney.password, new: "passwort12345")
        #expect(weak.status == 422)
        #expect(weak.body.contains("sehr häufig verwendet"))
        let mismatch = Self.changePassword(browser, current: AccountJourney.password, again: "anders als oben")
        #expect(mismatch.status == 422)
        #expect(mismatch.body.contains("stimmen nicht überein"))
        #expect(AccountJourney.loggedIn(app).cookie("__Host-session") != nil, "the old password still works")
    }

    @Test func wrongCurrentPasswords_areRateLimitedLikeLogins() throws {
        let (app, _) = try Self.appWithAccount()
        let browser = AccountJourney.loggedIn(app)
        for _ in 1...5 { #expect(Self.changePassword(browser, current: "falsch falsch falsch").status == 422) }
        #expect(Self.changePassword(browser, current: AccountJourney.password).status == 429)
    }

    @Test func emailChange_happensOnlyAfterTheLinkAndTellsTheOldAddress() throws {
        let (app, userID) = try Self.appWithAccount()
        let browser = AccountJourney.loggedIn(app)
        let response = Self.changeEmail(browser, to: "Erika.Neu@example.org")
        #expect(response.status == 303)
        #expect(response.location == "/mein-bereich/konto?hinweis=account.email_change_sent")
        #expect(try app.application.users.account(id: userID)?.email == "erika@example.org", "not yet changed")
        let path = try AccountJourney.linkPath(app, to: "erika.neu@example.org", purpose: "confirm_new_email")
        #expect(path.hasPrefix("/konto/neue-adresse/"))
        let validity = try app.database.pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT expires_at - created_at FROM email_tokens WHERE purpose = 'change_email'")
        }
        #expect(validity == Int64(24 * 3600))

        let page = TestBrowser(app).get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("erika.neu@example.org"))
        #expect(try app.application.users.account(id: userID)?.email == "erika@example.org", "GET changes nothing")

        let confirm = browser.submit(path, action: path, [])
        #expect(confirm.status == 303)
        #expect(confirm.location == "/mein-bereich/konto?hinweis=account.email_changed")
        #expect(try app.application.users.account(id: userID)?.email == "erika.neu@example.org")
        let notice = try #require(
            try OutboxReader.latest(to: "erika@example.org", purpose: "email_changed_notice", in: app.database))
        #expect(notice.textBody.contains("erika.neu@example.org"))
        #expect(browser.get("/mein-bereich/konto").body.contains("erika.neu@example.org"))
        #expect(AccountJourney.loggedIn(app, email: "erika.neu@example.org").cookie("__Host-session") != nil)

        let again = TestBrowser(app)
        #expect(again.get(path).status == 410)
    }

    @Test func emailChangeLink_fromAnotherBrowserLeadsToLogin() throws {
        let (app, _) = try Self.appWithAccount()
        #expect(Self.changeEmail(AccountJourney.loggedIn(app), to: "neu@example.org").status == 303)
        let path = try AccountJourney.linkPath(app, to: "neu@example.org", purpose: "confirm_new_email")
        let phone = TestBrowser(app)
        let response = phone.submit(path, action: path, [])
        #expect(response.status == 303)
        #expect(response.location == "/anmelden?hinweis=account.email_changed")
        #expect(!phone.cookies.keys.contains("__Host-session"), "the link does not log anyone in")
    }

    @Test func emailChangeLink_expiresAfter24Hours() throws {
        let (app, userID) = try Self.appWithAccount()
        #expect(Self.changeEmail(AccountJourney.loggedIn(app), to: "neu@example.org").status == 303)
        let path = try AccountJourney.linkPath(app, to: "neu@example.org", purpose: "confirm_new_email")
        app.clock.advance(by: 24 * 3600)
        #expect(TestBrowser(app).get(path).status == 410)
        #expect(try app.application.users.account(id: userID)?.email == "erika@example.org")
    }

    @Test func emailChangeToATakenAddress_sendsNothingAndSaysTheSame() throws {
        let (app, userID) = try Self.appWithAccount()
        try app.application.addAccount(
            email: "bea@example.org", name: "Bea", role: .resident, password: "Ein ganz anderer Satz 42")
        let browser = AccountJourney.loggedIn(app)
        let taken = Self.changeEmail(browser, to: "bea@example.org")
        let free = Self.changeEmail(browser, to: "frei@example.org")
        #expect(taken.status == 303 && taken.location == free.location)
        #expect(try OutboxReader.messages(to: "bea@example.org", in: app.database).isEmpty)
        #expect(try app.application.users.account(id: userID)?.email == "erika@example.org")
    }

    @Test func emailChange_needsPasswordAndAValidNewAddress() throws {
        let (app, _) = try Self.appWithAccount()
        let browser = AccountJourney.loggedIn(app)
        let wrong = Self.changeEmail(browser, to: "neu@example.org", password: "falsch falsch falsch")
        #expect(wrong.status == 422)
        #expect(wrong.body.contains("value=\"neu@example.org\""))
        #expect(Self.changeEmail(browser, to: "keine adresse").status == 422)
        #expect(Self.changeEmail(browser, to: "ERIKA@example.org").body.contains("bereits Ihre E-Mail-Adresse"))
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func addressTakenBeforeTheLinkIsUsed_changesNothing() throws {
        let (app, userID) = try Self.appWithAccount()
        #expect(Self.changeEmail(AccountJourney.loggedIn(app), to: "neu@example.org").status == 303)
        let path = try AccountJourney.linkPath(app, to: "neu@example.org", purpose: "confirm_new_email")
        try app.application.addAccount(
            email: "neu@example.org", name: "Schneller", role: .resident, password: "Ein ganz anderer Satz 42")
        let response = TestBrowser(app).submit(path, action: path, [])
        #expect(response.status == 409)
        #expect(try app.application.users.account(id: userID)?.email == "erika@example.org")
    }

    @Test func logoutEverywhere_endsEverySessionIncludingThisOne() throws {
        let (app, _) = try Self.appWithAccount()
        let other = AccountJourney.loggedIn(app)
        let browser = AccountJourney.loggedIn(app)
        let response = browser.submit("/mein-bereich/konto", action: "/mein-bereich/konto/ueberall-abmelden", [])
        #expect(response.status == 303)
        #expect(response.location == "/?hinweis=account.logged_out_everywhere")
        #expect(browser.cookie("__Host-session") == nil)
        #expect(!AccountJourney.isLoggedIn(browser))
        #expect(!AccountJourney.isLoggedIn(other))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM sessions") == 0)
        #expect(browser.get("/?hinweis=account.logged_out_everywhere").body.contains("auf allen Geräten abgemeldet"))
    }

    @Test func settingsForms_withoutToken_are403AndChangeNothing() throws {
        let (app, _) = try Self.appWithAccount()
        let browser = AccountJourney.loggedIn(app)
        let response = browser.post(
            "/mein-bereich/konto/passwort",
            [
                ("current_password", AccountJourney.password), ("new_password", Self.newPassword),
                ("new_password_repeat", Self.newPassword),
            ])
        #expect(response.status == 403)
        #expect(browser.post("/mein-bereich/konto/ueberall-abmelden", []).status == 403)
        #expect(AccountJourney.isLoggedIn(browser))
        #expect(AccountJourney.loggedIn(app).cookie("__Host-session") != nil)
    }
}
