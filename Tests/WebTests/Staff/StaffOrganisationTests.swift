import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Staff decide on new organisations: the list, approve, reject with a reason, and who may do it.
@Suite struct StaffOrganisationTests {
    let app: TestApp
    let staff: TestBrowser
    let pendingID: Int64
    let adminID: Int64

    init() throws {
        app = try TestApp.make(seeded: false)
        try People.account(app, "kreis@example.org", name: "Kreisverwaltung", role: .staff)
        staff = People.browser(app, as: "kreis@example.org")
        pendingID = try Fixtures.organisation(app.database, name: "Sportverein Lemgo", state: .pending)
        adminID = try People.account(app, "vorstand@sv-lemgo.example", name: "Vorstand SV")
        try People.join(app, userID: adminID, organisationID: pendingID, role: .admin)
        try People.setRegisteredBy(app, organisationID: pendingID, userID: adminID)
    }

    var detailPath: String { "/verwaltung/organisationen/\(pendingID)" }

    @Test func residentGets403_andVisitorsAreSentToLogin() throws {
        try People.account(app, "erika@example.org", name: "Erika")
        let resident = People.browser(app, as: "erika@example.org")
        let anonymous = TestBrowser(app)
        for path in ["/verwaltung", "/verwaltung/organisationen", detailPath, "/verwaltung/postausgang"] {
            #expect(resident.get(path).status == 403, "\(path)")
            let visitor = anonymous.get(path)
            #expect(visitor.status == 303, "\(path)")
            #expect(visitor.location?.hasPrefix("/anmelden?weiter=") == true)
        }
        let post = resident.post(detailPath, [("csrf", People.csrf(resident)), ("decision", "approve")])
        #expect(post.status == 403)
        #expect(try People.organisationState(app, pendingID) == "pending")
    }

    @Test func organisationMemberWhoIsNoStaff_gets403() throws {
        let member = People.browser(app, as: "vorstand@sv-lemgo.example")
        #expect(member.get(detailPath).status == 403)
        #expect(member.post(detailPath, [("csrf", People.csrf(member)), ("decision", "approve")]).status == 403)
        #expect(try People.organisationState(app, pendingID) == "pending")
    }

    @Test func overview_countsPendingOrganisationsAndLinksOn() throws {
        let page = staff.get("/verwaltung")
        #expect(page.status == 200)
        #expect(page.body.contains("1 Organisation wartet auf Freischaltung"))
        #expect(page.links.contains("/verwaltung/organisationen"))
        #expect(page.links.contains("/verwaltung/postausgang"))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func list_showsConfirmedRegistrationsOldestFirst_butNotUnconfirmedOnes() throws {
        let older = try Fixtures.organisation(
            app.database, name: "Chor Blomberg", state: .pending, now: TestClock.now.addingTimeInterval(-86400))
        let unconfirmedUser = try People.unconfirmedAccount(app, "neu@example.org", name: "Neu")
        let unconfirmed = try Fixtures.organisation(app.database, name: "Unbestätigter Verein", state: .pending)
        try People.setRegisteredBy(app, organisationID: unconfirmed, userID: unconfirmedUser)
        try Fixtures.organisation(app.database, name: "Längst Freigeschaltet")

        let page = staff.get("/verwaltung/organisationen")
        #expect(page.status == 200)
        #expect(page.links.contains(detailPath))
        #expect(page.links.contains("/verwaltung/organisationen/\(older)"))
        #expect(!page.body.contains("Unbestätigter Verein"))
        #expect(!page.body.contains("Längst Freigeschaltet"))
        let olderAt = try #require(page.body.range(of: "Chor Blomberg"))
        let newerAt = try #require(page.body.range(of: "Sportverein Lemgo"))
        #expect(olderAt.lowerBound < newerAt.lowerBound)
        #expect(page.body.contains("<td>Detmold</td>"), "municipality")
        #expect(page.body.contains("<td>Verein</td>"), "legal form")

        // Nor can it be decided by its address.
        let post = staff.post(
            "/verwaltung/organisationen/\(unconfirmed)", [("csrf", People.csrf(staff)), ("decision", "approve")])
        #expect(post.status == 409)
        #expect(try People.organisationState(app, unconfirmed) == "pending")
    }

    @Test func approve_makesTheOrganisationAndItsPublishedListingsPublic_andMailsItsAdmins() throws {
        let listingID = try Fixtures.listing(
            app.database, kind: .volunteerNeed, title: "Trainer gesucht", organisationID: pendingID)
        #expect(app.get("/organisationen/\(pendingID)").status == 404)
        #expect(app.get("/ehrenamt/\(listingID)").status == 404)

        let response = staff.submit(detailPath, [("decision", "approve")])
        #expect(response.status == 303)
        #expect(response.location == "/verwaltung/organisationen?hinweis=staff.approved")
        #expect(staff.follow(response).body.contains("Die Organisation ist freigeschaltet"))
        #expect(try People.organisationState(app, pendingID) == "approved")
        let approvedAt = try app.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT approved_at FROM organisations WHERE id = ?", arguments: [pendingID])
        }
        #expect(approvedAt == Int64(app.clock.now.timeIntervalSince1970))
        #expect(app.get("/organisationen/\(pendingID)").status == 200)
        #expect(app.get("/ehrenamt/\(listingID)").status == 200)
        let mails = try OutboxReader.messages(to: "vorstand@sv-lemgo.example", in: app.database)
        #expect(mails.map(\.purpose) == ["organisation_approved"])
        #expect(mails.first?.textBody.contains("Sportverein Lemgo") == true)
    }

    @Test func reject_needsAReason_storesIt_andMailsIt() throws {
        let missing = staff.submit(detailPath, [("decision", "reject"), ("reason", "  ")])
        #expect(missing.status == 422)
        #expect(missing.body.contains("Bitte geben Sie eine Begründung"))
        #expect(try People.organisationState(app, pendingID) == "pending")
        let tooLong = staff.submit(
            detailPath, [("decision", "reject"), ("reason", String(repeating: "x", count: 1001))])
        #expect(tooLong.status == 422)
        #expect(try OutboxReader.all(in: app.database).isEmpty)

        let reason = "Bitte ergänzen Sie die Anschrift des Vereins."
        let response = staff.submit(detailPath, [("decision", "reject"), ("reason", reason)])
        #expect(response.status == 303)
        #expect(response.location == "/verwaltung/organisationen?hinweis=staff.rejected")
        #expect(try People.organisationState(app, pendingID) == "rejected")
        let stored = try app.database.read { db in
            try String.fetchOne(
                db, sql: "SELECT rejection_reason FROM organisations WHERE id = ?", arguments: [pendingID])
        }
        #expect(stored == reason)
        let mail = try #require(try OutboxReader.latest(to: "vorstand@sv-lemgo.example", in: app.database))
        #expect(mail.purpose == "organisation_rejected")
        #expect(mail.textBody.contains(reason))
        #expect(app.get("/organisationen/\(pendingID)").status == 404)
    }

    @Test func impossibleTransition_saysSoAndChangesNothing() throws {
        #expect(staff.submit(detailPath, [("decision", "approve")]).status == 303)
        let page = staff.get(detailPath)
        #expect(!page.body.contains("name=\"decision\""), "no decision form once decided")
        let again = staff.post(detailPath, [("csrf", People.csrf(staff)), ("decision", "reject"), ("reason", "x")])
        #expect(again.status == 409)
        #expect(again.body.contains("nicht möglich"))
        #expect(again.body.contains("Freigeschaltet"))
        #expect(try People.organisationState(app, pendingID) == "approved")
        #expect(try OutboxReader.all(in: app.database).count == 1)
    }

    @Test func wrongOrMissingCSRFToken_is403AndNothingChanges() throws {
        staff.get(detailPath)
        let wrong = staff.post(detailPath, [("csrf", String(repeating: "A", count: 43)), ("decision", "approve")])
        let missing = staff.post(detailPath, [("decision", "approve")])
        for response in [wrong, missing] {
            #expect(response.status == 403)
            #expect(response.body.contains("nichts gespeichert"))
        }
        #expect(try People.organisationState(app, pendingID) == "pending")
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func markupInOrganisationFields_isEscapedOnStaffPages() throws {
        let hostileID = try Fixtures.organisation(app.database, name: People.hostile, state: .pending)
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET contact_name = ?, description = ?, street = ? WHERE id = ?",
                arguments: [People.hostile, People.hostile, "\"><img src=x onerror=alert(1)>", hostileID])
        }
        for path in ["/verwaltung/organisationen", "/verwaltung/organisationen/\(hostileID)"] {
            let page = staff.get(path)
            #expect(page.status == 200)
            #expect(page.body.contains(People.escaped), "\(path)")
            #expect(!page.body.contains("<script>"), "\(path)")
            #expect(!page.body.contains("<img src=x"), "\(path)")
        }
    }

    @Test func unknownOrganisation_is404() {
        #expect(staff.get("/verwaltung/organisationen/987654").status == 404)
    }
}
