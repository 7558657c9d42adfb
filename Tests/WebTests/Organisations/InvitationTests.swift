import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Invitation links: shown on GET, accepted by a button, once, within 7 days.
@Suite struct InvitationTests {
    let app: TestApp
    let organisationID: Int64
    let admin: TestBrowser

    init() throws {
        app = try TestApp.make(seeded: false)
        organisationID = try Fixtures.organisation(app.database, name: "Bürgerbus Extertal")
        let adminID = try People.account(app, "anna@buergerbus.example", name: "Anna Admin")
        try People.join(app, userID: adminID, organisationID: organisationID, role: .admin)
        admin = People.browser(app, as: "anna@buergerbus.example")
    }

    /// Invites `email` (no account yet) and returns the link's path from the mail.
    func invite(_ email: String) throws -> String {
        let members = "/mein-bereich/organisationen/\(organisationID)/mitglieder"
        let response = admin.submit(members, action: members, [("email", email)])
        #expect(response.status == 303)
        #expect(response.location?.hasSuffix("hinweis=my.organisation.invited") == true)
        let mail = try #require(try OutboxReader.latest(to: email, purpose: "invitation", in: app.database))
        #expect(mail.textBody.contains("Anna Admin"))
        let link = try #require(OutboxReader.links(in: mail).first { $0.contains("/einladung/") })
        return String(link.dropFirst("http://localhost:8080".count))
    }

    @Test func invitationLink_joinsOnce_andASecondUseFails() throws {
        let path = try invite("carla@example.org")
        let tokenHashes = try app.database.read { db in
            try Data.fetchAll(db, sql: "SELECT token_hash FROM email_tokens WHERE purpose = 'invitation'")
        }
        #expect(tokenHashes.count == 1)
        #expect(!tokenHashes[0].isEmpty && tokenHashes[0] != Data(path.split(separator: "/").last!.utf8))

        let carlaID = try People.account(app, "carla@example.org", name: "Carla")
        let carla = People.browser(app, as: "carla@example.org")
        let page = carla.get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("Bürgerbus Extertal"))
        #expect(page.body.contains("Anna Admin"))
        #expect(try !People.isMember(app, userID: carlaID, organisationID: organisationID), "GET changes nothing")

        let accepted = carla.submit(path, action: path, [])
        #expect(accepted.status == 303)
        #expect(accepted.location == "/mein-bereich/organisationen/\(organisationID)?hinweis=my.organisation.joined")
        #expect(try People.isMember(app, userID: carlaID, organisationID: organisationID))
        #expect(carla.follow(accepted).body.contains("Sie sind jetzt Mitglied"))

        let second = carla.post(path, [("csrf", People.csrf(carla))])
        #expect(second.status == 410)
        #expect(second.body.contains("bereits angenommen"))
        try People.account(app, "dieter@example.org", name: "Dieter")
        let dieter = People.browser(app, as: "dieter@example.org")
        #expect(dieter.get(path).status == 410)
        #expect(dieter.post(path, [("csrf", People.csrf(dieter))]).status == 410)
    }

    @Test func anyAccount_mayAcceptTheInvitation() throws {
        let path = try invite("carla@example.org")
        let otherID = try People.account(app, "carla.privat@example.org", name: "Carla privat")
        let browser = People.browser(app, as: "carla.privat@example.org")
        #expect(browser.submit(path, action: path, []).status == 303)
        #expect(try People.isMember(app, userID: otherID, organisationID: organisationID))
    }

    @Test func expiredInvitation_fails() throws {
        let path = try invite("carla@example.org")
        let carlaID = try People.account(app, "carla@example.org", name: "Carla")
        app.clock.advance(by: 7 * 24 * 3600 - 60)
        let carla = People.browser(app, as: "carla@example.org")
        #expect(carla.get(path).status == 200, "still valid just before the 7 days are over")
        app.clock.advance(by: 61)
        let page = carla.get(path)
        #expect(page.status == 410)
        #expect(page.body.contains("abgelaufen"))
        #expect(carla.post(path, [("csrf", People.csrf(carla))]).status == 410)
        #expect(try !People.isMember(app, userID: carlaID, organisationID: organisationID))
    }

    @Test func visitor_isAskedToLogInFirstAndComesBack() throws {
        let path = try invite("carla@example.org")
        let visitor = TestBrowser(app)
        let page = visitor.get(path)
        #expect(page.status == 200)
        let back = "?weiter=" + path.replacingOccurrences(of: "/", with: "%2F")
        #expect(page.links.contains("/anmelden" + back))
        #expect(page.links.contains("/registrieren" + back))
        #expect(!page.body.contains("Einladung annehmen</button>"))
        // A POST without an account joins nobody.
        let csrf = try #require(
            FormScan.forms(in: visitor.get("/anmelden").body).first?.hidden.first { $0.0 == "csrf" }?.1)
        #expect(visitor.post(path, [("csrf", csrf)]).status == 200)
        #expect(try MembershipStore(database: app.database).members(organisationID: organisationID).count == 1)

        try People.account(app, "carla@example.org", name: "Carla")
        let login = visitor.submit("/anmelden" + back, [("email", "carla@example.org"), ("password", People.password)])
        #expect(login.location == path)
        #expect(visitor.submit(path, action: path, []).status == 303)
    }

    @Test func unknownToken_saysSo() {
        let page = TestBrowser(app).get("/einladung/" + String(repeating: "a", count: 43))
        #expect(page.status == 404)
        #expect(page.body.contains("Diese Einladung gibt es nicht"))
    }

    @Test func memberFollowingTheLink_leavesItForTheInvitedPerson() throws {
        let path = try invite("carla@example.org")
        let page = admin.submit(path, action: path, [])
        #expect(
            page.location == "/mein-bereich/organisationen/\(organisationID)?hinweis=my.organisation.already_member")
        #expect(try MembershipStore(database: app.database).members(organisationID: organisationID).count == 1)
        let carlaID = try People.account(app, "carla@example.org", name: "Carla")
        #expect(People.browser(app, as: "carla@example.org").submit(path, action: path, []).status == 303)
        #expect(try People.isMember(app, userID: carlaID, organisationID: organisationID))
    }
}
