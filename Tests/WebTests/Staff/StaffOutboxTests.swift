import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The outbox pages: staff read what the exchange wrote; nobody else does.
@Suite struct StaffOutboxTests {
    static let token = String(repeating: "Ab3_", count: 10) + "xY9"

    static func enqueue(_ app: TestApp, count: Int = 1, subject: String = "Bitte bestätigen") throws {
        let store = OutboxStore(database: app.database)
        for index in 0..<count {
            try store.enqueue(
                recipient: "person\(index)@example.org", subject: "\(subject) \(index)", purpose: "confirm_account",
                textBody: "Hallo,\nhttp://localhost:8080/konto/bestaetigen/\(token)\n", message: Array("x".utf8),
                messageID: "m\(index)@test", now: app.clock.now.addingTimeInterval(TimeInterval(index)))
        }
    }

    static func staffBrowser(_ app: TestApp) throws -> TestBrowser {
        try People.account(app, "kreis@example.org", name: "Kreisverwaltung", role: .staff)
        return People.browser(app, as: "kreis@example.org")
    }

    @Test func list_showsNewestFirstWithStateRecipientAndSubject() throws {
        let app = try TestApp.make(seeded: false)
        try Self.enqueue(app, count: 2)
        let store = OutboxStore(database: app.database)
        let first = try #require(store.all().first)
        try store.markSent(id: first.id, now: app.clock.now)
        let page = try Self.staffBrowser(app).get("/verwaltung/postausgang")
        #expect(page.status == 200)
        let newer = try #require(page.body.range(of: "Bitte bestätigen 1"))
        let older = try #require(page.body.range(of: "Bitte bestätigen 0"))
        #expect(newer.lowerBound < older.lowerBound)
        #expect(page.body.contains("person0@example.org"))
        #expect(page.body.contains("gesendet"))
        #expect(page.body.contains("wartet"))
        #expect(page.links.contains("/verwaltung/postausgang/\(first.id)"))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func list_isPagedBy50() throws {
        let app = try TestApp.make(seeded: false)
        try Self.enqueue(app, count: 51)
        let browser = try Self.staffBrowser(app)
        let first = browser.get("/verwaltung/postausgang")
        #expect(first.count("<tr>") == 51, "a header row and 50 messages")
        #expect(first.links.contains("/verwaltung/postausgang?seite=2"))
        let second = browser.get("/verwaltung/postausgang?seite=2")
        #expect(second.status == 200)
        #expect(second.body.contains("Bitte bestätigen 0"))
        #expect(!second.body.contains("Bitte bestätigen 50"))
        #expect(browser.get("/verwaltung/postausgang?seite=3").status == 404)
    }

    @Test func message_showsItsTextWithLinks_whenMailStaysInTheOutbox() throws {
        let app = try TestApp.make(seeded: false)
        try Self.enqueue(app)
        let id = try #require(OutboxStore(database: app.database).all().first?.id)
        let page = try Self.staffBrowser(app).get("/verwaltung/postausgang/\(id)")
        #expect(page.status == 200)
        #expect(page.body.contains("/konto/bestaetigen/\(Self.token)"))
        #expect(page.body.contains("Konto bestätigen"), "the purpose in German")
    }

    @Test func message_masksLinkTokens_whenMailReallyLeaves() throws {
        let app = try TestApp.make(seeded: false) { $0.mail.transport = .sendmail }
        try Self.enqueue(app)
        let id = try #require(OutboxStore(database: app.database).all().first?.id)
        let page = try Self.staffBrowser(app).get("/verwaltung/postausgang/\(id)")
        #expect(page.status == 200)
        #expect(!page.body.contains(Self.token))
        #expect(page.body.contains("/konto/bestaetigen/…"))
    }

    @Test func outbox_isForStaffOnly() throws {
        let app = try TestApp.make(seeded: false)
        try Self.enqueue(app)
        let id = try #require(OutboxStore(database: app.database).all().first?.id)
        try People.account(app, "erika@example.org", name: "Erika")
        let resident = People.browser(app, as: "erika@example.org")
        #expect(resident.get("/verwaltung/postausgang").status == 403)
        #expect(resident.get("/verwaltung/postausgang/\(id)").status == 403)
        #expect(TestBrowser(app).get("/verwaltung/postausgang/\(id)").status == 303)
        #expect(try Self.staffBrowser(app).get("/verwaltung/postausgang/999").status == 404)
    }

    @Test func maskTokens_leavesOtherTextAlone() {
        let text = "Siehe http://x.example/passwort-neu/\(Self.token) und /ehrenamt/12 sowie /\(Self.token)x"
        let masked = StaffOutboxPage.maskTokens(text)
        #expect(masked == "Siehe http://x.example/passwort-neu/… und /ehrenamt/12 sowie /\(Self.token)x")
    }
}
