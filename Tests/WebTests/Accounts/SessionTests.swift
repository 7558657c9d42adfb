import Foundation
import GRDB
import HTTPServer
import HTTPTypes
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Login, logout, session cookies, CSRF and origin checks, login rate limits.
@Suite struct SessionTests {
    static let password = "Wanderweg am Hermannsdenkmal"

    static func appWithResident() throws -> (TestApp, Int64) {
        let app = try TestApp.make(seeded: false)
        let id = try app.application.addAccount(
            email: "erika@example.org", name: "Erika Muster", role: .resident, password: password)
        return (app, id)
    }

    @discardableResult
    static func logIn(_ browser: TestBrowser, email: String = "erika@example.org", password: String = password)
        -> TestResponse
    {
        browser.submit("/anmelden", [("email", email), ("password", password)])
    }

    static func sessionCount(_ app: TestApp) throws -> Int {
        try app.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? 0 }
    }

    @Test func loginPage_issuesAnAnonymousTokenCookieAndCarriesItInTheForm() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        let page = browser.get("/anmelden")
        #expect(page.status == 200)
        let cookie = try #require(page.setCookies.first { $0.hasPrefix("__Host-csrf=") })
        #expect(cookie.contains("; Path=/") && cookie.contains("; Secure") && cookie.contains("; HttpOnly"))
        #expect(cookie.contains("SameSite=Lax") && !cookie.contains("Domain"))
        let token = try #require(browser.cookie("__Host-csrf"))
        #expect(page.body.contains("name=\"csrf\" value=\"\(token)\""))
        #expect(page.headerFields[.cacheControl] == "private, no-store")
        #expect(!page.body.contains("error-summary"), "no empty error box on a fresh form")
    }

    @Test func login_setsAHostSessionCookieAndStoresOnlyItsHash() throws {
        let (app, userID) = try Self.appWithResident()
        let browser = TestBrowser(app)
        let response = Self.logIn(browser)
        #expect(response.status == 303)
        #expect(response.location == "/mein-bereich?hinweis=account.logged_in")
        let cookie = try #require(response.setCookies.first { $0.hasPrefix("__Host-session=") })
        for attribute in ["; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax", "; Max-Age=2592000"] {
            #expect(cookie.contains(attribute), "cookie has \(attribute)")
        }
        let token = try #require(browser.cookie("__Host-session"))
        #expect(token.utf8.count == 43)
        let stored = try app.database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT token_hash, user_id FROM sessions")
        }
        let hash: Data = try #require(stored)["token_hash"]
        #expect(hash == TokenHash.sha256(token))
        #expect(hash != Data(token.utf8))
        #expect(try #require(stored)["user_id"] == userID)
        #expect(browser.get("/").body.contains("Angemeldet als Erika Muster"))
    }

    @Test func sessionIdBeforeLogin_isNeverTheOneAfter() throws {
        let (app, _) = try Self.appWithResident()
        let victim = TestBrowser(app)
        let planted = SecureRandom.token()
        victim.setCookie("__Host-session", planted)
        #expect(Self.logIn(victim).status == 303)
        let after = try #require(victim.cookie("__Host-session"))
        #expect(after != planted)
        let stored = try app.database.pool.read { db in
            try Data.fetchAll(db, sql: "SELECT token_hash FROM sessions")
        }
        #expect(stored == [TokenHash.sha256(after)])
    }

    @Test func loginWhileLoggedIn_endsThePreviousSession() throws {
        let (app, _) = try Self.appWithResident()
        _ = try app.application.addAccount(
            email: "mallory@example.org", name: "Mallory", role: .resident, password: "Ein ganz anderer Satz 42")
        let attacker = TestBrowser(app)
        #expect(Self.logIn(attacker, email: "mallory@example.org", password: "Ein ganz anderer Satz 42").status == 303)
        let planted = try #require(attacker.cookie("__Host-session"))
        // The victim's browser carries the attacker's session and sees its forms.
        let victim = TestBrowser(app)
        victim.setCookie("__Host-session", planted)
        let token = try #require(FormScan.form(in: victim.get("/").body, action: "/abmelden")?.hidden.first?.1)
        let login = victim.post(
            "/anmelden", [("csrf", token), ("email", "erika@example.org"), ("password", Self.password)])
        #expect(login.status == 303)
        #expect(victim.cookie("__Host-session") != planted)
        #expect(!attacker.get("/").body.contains("Angemeldet als"), "the planted session is gone")
        #expect(victim.get("/").body.contains("Angemeldet als Erika Muster"))
    }

    @Test func wrongPasswordAndUnknownAccount_getTheSameAnswerAndNoSession() throws {
        let (app, _) = try Self.appWithResident()
        let wrong = Self.logIn(TestBrowser(app), password: "falsches Passwort 123")
        let unknown = Self.logIn(TestBrowser(app), email: "niemand@example.org")
        for response in [wrong, unknown] {
            #expect(response.status == 422)
            #expect(response.body.contains("E-Mail-Adresse oder Passwort stimmen nicht"))
            #expect(!response.setCookies.contains { $0.hasPrefix("__Host-session=") })
            #expect(response.body.contains("aria-invalid=\"true\""))
        }
        #expect(wrong.body.contains("value=\"erika@example.org\""), "the address is kept")
        #expect(!wrong.body.contains("falsches Passwort"), "the password is not sent back")
        #expect(try Self.sessionCount(app) == 0)
    }

    @Test func missingOrWrongCSRFToken_is403AndNothingChanges() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        browser.get("/anmelden")
        let credentials = [("email", "erika@example.org"), ("password", Self.password)]
        let missing = browser.post("/anmelden", credentials)
        let wrong = browser.post("/anmelden", credentials + [("csrf", String(repeating: "A", count: 43))])
        for response in [missing, wrong] {
            #expect(response.status == 403)
            #expect(response.body.contains("nichts gespeichert"))
        }
        #expect(try Self.sessionCount(app) == 0)
    }

    @Test(arguments: [("cross-site", "http://localhost:8080"), ("same-site", "http://localhost:8080")])
    func crossSiteFetchMetadata_is403(_ site: String, _ origin: String) throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        browser.get("/anmelden")
        browser.fetchSite = site
        browser.origin = origin
        #expect(Self.logIn(browser).status == 403)
        #expect(try Self.sessionCount(app) == 0)
    }

    @Test func foreignOriginWithoutFetchMetadata_is403() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        browser.fetchSite = nil
        browser.origin = "https://boese.example"
        #expect(Self.logIn(browser).status == 403)
        browser.origin = "null"
        #expect(Self.logIn(browser).status == 403)
        // An old browser that sends neither header still needs the token, and then passes.
        browser.origin = nil
        #expect(Self.logIn(browser).status == 303)
    }

    @Test func logout_deletesTheSessionServerSide() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        Self.logIn(browser)
        let token = try #require(browser.cookie("__Host-session"))
        let home = browser.get("/")
        let logoutForm = try #require(FormScan.form(in: home.body, action: "/abmelden"))
        let response = browser.post("/abmelden", logoutForm.hidden)
        #expect(response.status == 303)
        #expect(response.setCookies.contains { $0.hasPrefix("__Host-session=;") && $0.contains("Max-Age=0") })
        #expect(try Self.sessionCount(app) == 0)
        // The old cookie, replayed, is worth nothing.
        let replay = TestBrowser(app)
        replay.setCookie("__Host-session", token)
        #expect(replay.get("/mein-bereich").status == 303)
    }

    @Test func logoutByGET_isNotAllowed() throws {
        let (app, _) = try Self.appWithResident()
        let response = app.get("/abmelden")
        #expect(response.status == 405)
        #expect(response.headerFields[.allow] == "POST")
    }

    @Test func protectedPage_redirectsToLoginAndBackAfterwards() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        let response = browser.get("/mein-bereich/konto")
        #expect(response.status == 303)
        #expect(response.location == "/anmelden?weiter=%2Fmein-bereich%2Fkonto")
        let login = browser.submit(
            response.location!, [("email", "erika@example.org"), ("password", Self.password)])
        #expect(login.location == "/mein-bereich/konto")
    }

    @Test(arguments: ["//boese.example/", "https://boese.example/", "/\\boese.example", "/gibt-es-nicht"])
    func returnPathOutsideTheSite_isIgnored(_ target: String) throws {
        #expect(LoginPage.returnPath(target) == nil)
    }

    @Test func residentOnStaffPage_is403() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        Self.logIn(browser)
        #expect(browser.get("/verwaltung").status == 403)
        #expect(TestBrowser(app).get("/verwaltung").status == 303)
    }

    @Test func idleSession_endsAfterTwoDays() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        Self.logIn(browser)
        app.clock.advance(by: 2 * 24 * 3600 - 60)
        #expect(browser.get("/").body.contains("Angemeldet als"))
        app.clock.advance(by: 2 * 24 * 3600 + 1)
        #expect(!browser.get("/").body.contains("Angemeldet als"))
        #expect(browser.cookie("__Host-session") == nil, "the stale cookie is cleared")
    }

    @Test func activeSession_endsAfterThirtyDaysAnyway() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        Self.logIn(browser)
        for _ in 0..<29 {
            app.clock.advance(by: 24 * 3600)
            #expect(browser.get("/").body.contains("Angemeldet als"))
        }
        app.clock.advance(by: 24 * 3600)
        #expect(!browser.get("/").body.contains("Angemeldet als"))
    }

    @Test func failedLogins_areLimitedPerAccountAndRecover() throws {
        let (app, _) = try Self.appWithResident()
        for attempt in 1...5 {
            let browser = TestBrowser(app)
            browser.remoteAddress = "10.0.0.\(attempt)"
            #expect(Self.logIn(browser, password: "falsch falsch falsch").status == 422)
        }
        let blocked = Self.logIn(TestBrowser(app))
        #expect(blocked.status == 429)
        #expect(blocked.headerFields[.retryAfter] == "30")
        #expect(blocked.body.contains("Minuten gesperrt"))
        app.clock.advance(by: 31)
        #expect(Self.logIn(TestBrowser(app)).status == 303, "the right password works once the block is over")
    }

    @Test func failedLogins_areLimitedPerClientAddressAcrossAccounts() throws {
        let (app, _) = try Self.appWithResident()
        let browser = TestBrowser(app)
        browser.remoteAddress = "192.0.2.7"
        for index in 1...20 {
            #expect(Self.logIn(browser, email: "versuch\(index)@example.org").status == 422)
        }
        #expect(Self.logIn(browser).status == 429)
        let elsewhere = TestBrowser(app)
        elsewhere.remoteAddress = "192.0.2.8"
        #expect(Self.logIn(elsewhere).status == 303)
    }

    @Test func forwardedFor_isBelievedOnlyFromATrustedProxy() throws {
        let app = try TestApp.make(seeded: false) { $0.trustedProxies = ["127.0.0.1"] }
        func client(peer: String, forwarded: String) -> String {
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Forwarded-For")!] = forwarded
            let head = HTTPRequest(method: .get, scheme: "http", authority: "a", path: "/", headerFields: headers)
            return ClientAddress.of(
                ServerRequest(head: head, remoteAddress: peer), trustedProxies: app.configuration.trustedProxies)
        }
        #expect(client(peer: "127.0.0.1", forwarded: "203.0.113.9") == "203.0.113.9")
        #expect(client(peer: "127.0.0.1", forwarded: "6.6.6.6, 203.0.113.9") == "203.0.113.9")
        #expect(client(peer: "198.51.100.1", forwarded: "203.0.113.9") == "198.51.100.1")
        #expect(client(peer: "127.0.0.1", forwarded: "<script>") == "127.0.0.1")
    }

    @Test func strictTransportSecurity_onlyOverHTTPS() throws {
        let plain = try TestApp.make(seeded: false)
        #expect(plain.get("/").headerFields[.strictTransportSecurity] == nil)
        let secure = try TestApp.make(seeded: false) { $0.publicBaseURL = "https://ehrenamt.example" }
        #expect(secure.get("/").headerFields[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
    }
}

@Suite struct DemoAccountTests {
    @Test func demoAccounts_canLogInAndTheClubAdminManagesAnOrganisation() throws {
        let app = try TestApp.make(seeded: true)
        let lines = try DemoAccounts.create(in: app.application)
        #expect(lines.count == DemoAccounts.accounts.count)
        let staff = TestBrowser(app)
        #expect(
            staff.submit("/anmelden", [("email", "moderation@demo.example"), ("password", DemoAccounts.password)])
                .status == 303)
        #expect(staff.get("/verwaltung").status == 200)
        let club = TestBrowser(app)
        club.submit("/anmelden", [("email", "verein@demo.example"), ("password", DemoAccounts.password)])
        let overview = club.get("/mein-bereich")
        #expect(overview.status == 200)
        #expect(overview.links.contains { $0.hasPrefix("/mein-bereich/organisationen/") })
    }
}

@Suite struct MalformedFormTests {
    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx"),
        ("multipart/form-data", "--abc--\r\n"),
        ("multipart/form-data; boundary=abc", "--abc\r\nX: y\r\n\r\nno name\r\n--abc--\r\n"),
        ("application/x-www-form-urlencoded", "email=%ZZ"),
        ("application/x-www-form-urlencoded", "name=%C0%AF"),
    ])
    func malformedBody_is400AndNothingIsStored(_ contentType: String, _ body: String) throws {
        let app = try TestApp.make(seeded: false)
        let browser = TestBrowser(app)
        browser.get("/registrieren/person")
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cookie] = "__Host-csrf=" + (browser.cookie("__Host-csrf") ?? "")
        headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        let response = app.request(.post, "/registrieren/person", headers: headers, body: Array(body.utf8))
        #expect(response.status == 400)
        #expect(response.body.contains("unvollständig oder beschädigt"))
        let users = try app.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") }
        #expect(users == 0)
    }

    @Test func unknownBodyType_is415() throws {
        let app = try TestApp.make(seeded: false)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let response = app.request(.post, "/anmelden", headers: headers, body: Array("{}".utf8))
        #expect(response.status == 415)
    }

    @Test func tooManyFields_is413() throws {
        let app = try TestApp.make(seeded: false)
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = (0..<500).map { "f\($0)=1" }.joined(separator: "&")
        #expect(app.request(.post, "/anmelden", headers: headers, body: Array(body.utf8)).status == 413)
    }
}
