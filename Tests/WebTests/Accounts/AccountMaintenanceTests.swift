import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The periodic purge of unconfirmed registrations, old links and sessions, and `boerse user add`.
@Suite struct AccountMaintenanceTests {
    @Test func unconfirmedAccounts_arePurgedAfterSevenDaysWithTheirPendingOrganisationAndLogo() throws {
        let app = try AccountJourney.appWithOwnUploads()
        let response = TestBrowser(app).submit(
            "/registrieren/organisation", AccountJourney.organisationFields(),
            files: [(field: "logo", name: "logo.png", type: "image/png", bytes: AccountJourney.png)])
        #expect(response.status == 200)
        #expect(AccountJourney.registerPerson(TestBrowser(app)).status == 200)
        try AccountJourney.registeredAndConfirmed(app, TestBrowser(app), name: "Bleibt", email: "bleibt@example.org")
        let logo = try #require(
            try app.database.pool.read { db in try String.fetchOne(db, sql: "SELECT logo_image FROM organisations") })
        let logoPath = app.configuration.uploadsDirectory + "/" + logo
        #expect(FileManager.default.fileExists(atPath: logoPath))

        app.clock.advance(by: 7 * 24 * 3600 - 1)
        let early = try AccountMaintenance.run(app.application, now: app.clock.now)
        #expect(early.accounts == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 3)

        app.clock.advance(by: 2)
        let report = try AccountMaintenance.run(app.application, now: app.clock.now)
        #expect(report.accounts == 2)
        #expect(report.organisations == 1)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
        #expect(try app.application.users.account(email: "bleibt@example.org") != nil)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisation_topics") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisation_members") == 0)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM images") == 0)
        #expect(!FileManager.default.fileExists(atPath: logoPath))
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM email_tokens") == 0)
    }

    @Test func confirmedOrganisationRegistration_survivesThePurge() throws {
        let app = try TestApp.make(seeded: false)
        #expect(
            TestBrowser(app).submit("/registrieren/organisation", AccountJourney.organisationFields()).status == 200)
        let path = try AccountJourney.linkPath(app, to: "vorstand@tafel.example", purpose: "confirm_account")
        #expect(TestBrowser(app).submit(path, action: path, []).status == 303)
        app.clock.advance(by: 30 * 24 * 3600)
        try AccountMaintenance.run(app.application, now: app.clock.now)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM organisations WHERE state = 'pending'") == 1)
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
    }

    @Test func expiredLinksAndSessions_arePurged() throws {
        let app = try TestApp.make(seeded: false)
        try app.application.addAccount(
            email: "erika@example.org", name: "Erika", role: .resident, password: AccountJourney.password)
        _ = AccountJourney.loggedIn(app)
        #expect(TestBrowser(app).submit("/passwort-vergessen", [("email", "erika@example.org")]).status == 200)
        app.clock.advance(by: 3 * 24 * 3600)
        let report = try AccountMaintenance.run(app.application, now: app.clock.now)
        #expect(report.emailTokens == 1)
        #expect(report.sessions == 1, "idle for longer than two days")
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM sessions") == 0)
    }

    @Test func userAdd_withPipedPassword_createsAConfirmedStaffAccount() throws {
        let app = try TestApp.make(seeded: false)
        let password = StaffAccountCreation.firstLine(of: Data("Kreishaus Detmold Zimmer 12\r\nzweite Zeile\n".utf8))
        #expect(password == "Kreishaus Detmold Zimmer 12")
        let created = try StaffAccountCreation.add(
            to: app.application, role: .staff, email: " Moderation@Kreis-Lippe.de ", name: "Mia Moderation",
            password: password)
        #expect(created.generatedPassword == nil)
        let account = try #require(try app.application.users.account(id: created.id))
        #expect(account.email == "moderation@kreis-lippe.de")
        #expect(account.role == .staff)
        #expect(account.isConfirmed)
        let browser = AccountJourney.loggedIn(app, email: "moderation@kreis-lippe.de", password: password)
        #expect(browser.get("/").links.contains("/verwaltung"))
    }

    @Test func userAdd_withoutPassword_generatesAStrongOneThatWorks() throws {
        let app = try TestApp.make(seeded: false)
        let created = try StaffAccountCreation.add(
            to: app.application, role: .admin, email: "admin@kreis-lippe.de", name: "Ada Admin", password: nil)
        let generated = try #require(created.generatedPassword)
        #expect(generated.count == 20)
        #expect(try app.application.users.account(id: created.id)?.role == .admin)
        _ = AccountJourney.loggedIn(app, email: "admin@kreis-lippe.de", password: generated)
        let other = try StaffAccountCreation.add(
            to: app.application, role: .admin, email: "admin2@kreis-lippe.de", name: "Bo", password: nil)
        #expect(other.generatedPassword != generated)
    }

    @Test func userAdd_refusesWeakPasswordsTakenAddressesResidentsAndBadNames() throws {
        let app = try TestApp.make(seeded: false)
        #expect(throws: Application.AccountError.self) {
            try StaffAccountCreation.add(
                to: app.application, role: .staff, email: "a@kreis-lippe.de", name: "A", password: "passwort123")
        }
        #expect(throws: StaffAccountCreation.Failure.emptyPassword) {
            try StaffAccountCreation.add(
                to: app.application, role: .staff, email: "a@kreis-lippe.de", name: "A",
                password: StaffAccountCreation.firstLine(of: Data("\n".utf8)))
        }
        #expect(throws: StaffAccountCreation.Failure.roleNotAllowed) {
            try StaffAccountCreation.add(
                to: app.application, role: .resident, email: "a@kreis-lippe.de", name: "A", password: nil)
        }
        #expect(throws: StaffAccountCreation.Failure.invalidName) {
            try StaffAccountCreation.add(
                to: app.application, role: .staff, email: "a@kreis-lippe.de", name: "  ", password: nil)
        }
        _ = try StaffAccountCreation.add(
            to: app.application, role: .staff, email: "a@kreis-lippe.de", name: "A", password: nil)
        #expect(throws: Application.AccountError.self) {
            try StaffAccountCreation.add(
                to: app.application, role: .staff, email: "A@kreis-lippe.de", name: "B", password: nil)
        }
        #expect(try AccountJourney.count(app, "SELECT COUNT(*) FROM users") == 1)
    }
}
