import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Admins manage the team: who moderates and who administers. Role changes end the changed account's
/// sessions; nobody changes their own role and the county keeps an admin.
@Suite struct TeamTests {
    let app: TestApp
    let adminID: Int64
    let staffID: Int64
    let admin: TestBrowser

    init() throws {
        app = try TestApp.make(seeded: false)
        adminID = try People.account(app, "landrat@kreis.example", name: "Lena Landrat", role: .admin)
        staffID = try People.account(app, "moderation@kreis.example", name: "Moritz Moderation", role: .staff)
        admin = People.browser(app, as: "landrat@kreis.example")
    }

    func role(_ id: Int64) throws -> String? {
        try app.database.read { db in
            try String.fetchOne(db, sql: "SELECT role FROM users WHERE id = ?", arguments: [id])
        }
    }

    func sessions(_ id: Int64) throws -> Int { try SessionStore(database: app.database).count(userID: id) }

    @Test func staffResidentsAndVisitors_cannotUseTheAdminPages() throws {
        try People.account(app, "erika@example.org", name: "Erika")
        let staff = People.browser(app, as: "moderation@kreis.example")
        let resident = People.browser(app, as: "erika@example.org")
        let anonymous = TestBrowser(app)
        for path in ["/verwaltung/team", "/verwaltung/themen", "/verwaltung/themen/1"] {
            #expect(staff.get(path).status == 403, "\(path)")
            #expect(resident.get(path).status == 403, "\(path)")
            let visitor = anonymous.get(path)
            #expect(visitor.status == 303, "\(path)")
            #expect(visitor.location?.hasPrefix("/anmelden?weiter=") == true, "\(path)")
        }
        // The staff overview shows the admin links only to admins.
        #expect(!staff.get("/verwaltung").links.contains("/verwaltung/team"))
        let overview = admin.get("/verwaltung")
        #expect(overview.links.contains("/verwaltung/team"))
        #expect(overview.links.contains("/verwaltung/themen"))

        // Posting with a valid token does not help either.
        let promote = staff.post(
            "/verwaltung/team", [("csrf", People.csrf(staff)), ("email", "erika@example.org"), ("role", "admin")])
        #expect(promote.status == 403)
        let demote = staff.post("/verwaltung/team/\(adminID)", [("csrf", People.csrf(staff)), ("role", "resident")])
        #expect(demote.status == 403)
        let residentPost = resident.post(
            "/verwaltung/team/\(staffID)", [("csrf", People.csrf(resident)), ("role", "admin")])
        #expect(residentPost.status == 403)
        let addTopic = staff.post(
            "/verwaltung/themen", [("csrf", People.csrf(staff)), ("name", "Neu"), ("kind", "volunteering")])
        #expect(addTopic.status == 403)
        #expect(try role(adminID) == "admin")
        #expect(try role(staffID) == "staff")
        #expect(try People.accountRole(app, "erika@example.org") == "resident")
        #expect(try TaxonomyStore(database: app.database).entries().count == 21)
    }

    @Test func list_showsStaffAndAdmins_butNotResidents() throws {
        try People.account(app, "erika@example.org", name: "Erika Einwohnerin")
        let page = admin.get("/verwaltung/team")
        #expect(page.status == 200)
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
        #expect(page.body.contains("Moritz Moderation"))
        #expect(page.body.contains("moderation@kreis.example"))
        #expect(page.body.contains("<td>Moderation</td>"))
        #expect(page.body.contains("Lena Landrat <span class=\"muted\">(Sie)</span>"))
        #expect(page.body.contains("<td>Administration</td>"))
        #expect(page.body.contains("2 Personen im Team"))
        #expect(!page.body.contains("Erika Einwohnerin"))
        #expect(page.body.contains("boerse user add"))
        // Buttons for everyone but oneself.
        let forms = FormScan.forms(in: page.body).map(\.action)
        #expect(forms.contains("/verwaltung/team/\(staffID)"))
        #expect(!forms.contains("/verwaltung/team/\(adminID)"))
        #expect(page.body.contains("name=\"role\" value=\"admin\">Zur Administration machen"))
        #expect(page.body.contains("name=\"role\" value=\"resident\">Aus dem Team entfernen"))
    }

    @Test func promotingAConfirmedAccount_endsItsSessions_andItOpensTheStaffPagesAfterLoggingInAgain() throws {
        let erikaID = try People.account(app, "erika@example.org", name: "Erika")
        let erika = People.browser(app, as: "erika@example.org")
        let oldSession = erika.cookie("__Host-session")
        #expect(erika.get("/verwaltung").status == 403)
        #expect(try sessions(erikaID) == 1)

        let response = admin.submit(
            "/verwaltung/team", action: "/verwaltung/team", [("email", " Erika@Example.org "), ("role", "staff")])
        #expect(response.status == 303)
        #expect(response.location == "/verwaltung/team?hinweis=staff.team.added")
        let list = admin.follow(response)
        #expect(list.body.contains("Die Person gehört jetzt zum Team."))
        #expect(list.body.contains("Erika"))
        #expect(try role(erikaID) == "staff")
        #expect(try sessions(erikaID) == 0)

        // The old session is gone: the browser is sent to the login page.
        let again = erika.get("/verwaltung")
        #expect(again.status == 303)
        #expect(again.location?.hasPrefix("/anmelden") == true)
        let login = erika.submit("/anmelden", [("email", "erika@example.org"), ("password", People.password)])
        #expect(login.status == 303)
        #expect(erika.cookie("__Host-session") != oldSession)
        #expect(erika.get("/verwaltung").status == 200)
        #expect(erika.get("/verwaltung/team").status == 403, "staff are no admins")
        // The admin's own session is untouched.
        #expect(admin.get("/verwaltung/team").status == 200)
    }

    @Test func unknownOrUnconfirmedAddress_getsAMessage_andNothingChanges() throws {
        let unconfirmedID = try People.unconfirmedAccount(app, "neu@example.org", name: "Noch Neu")
        for email in ["niemand@example.org", "neu@example.org"] {
            let response = admin.submit(
                "/verwaltung/team", action: "/verwaltung/team", [("email", email), ("role", "admin")])
            #expect(response.status == 422, "\(email)")
            #expect(response.body.contains("muss sich zuerst auf der Website registrieren"), "\(email)")
            #expect(response.body.contains("id=\"f-email-error\""), "\(email)")
            #expect(response.body.contains("value=\"\(email)\""), "the address stays in the field")
        }
        #expect(try role(unconfirmedID) == "resident")
        #expect(try StaffAccountStore(database: app.database).members().count == 2)

        let invalid = admin.submit(
            "/verwaltung/team", action: "/verwaltung/team", [("email", "kein-at-zeichen"), ("role", "staff")])
        #expect(invalid.status == 422)
        #expect(invalid.body.contains("Bitte geben Sie eine gültige E-Mail-Adresse ein"))
        let noRole = admin.submit(
            "/verwaltung/team", action: "/verwaltung/team", [("email", "moderation@kreis.example"), ("role", "root")])
        #expect(noRole.status == 422)
        #expect(noRole.body.contains("Bitte wählen Sie eine Rolle."))
        let same = admin.submit(
            "/verwaltung/team", action: "/verwaltung/team", [("email", "moderation@kreis.example"), ("role", "staff")])
        #expect(same.status == 422)
        #expect(same.body.contains("hat die gewählte Rolle bereits"))
        #expect(try role(staffID) == "staff")
    }

    @Test func anAdmin_cannotChangeTheirOwnRole_andTheLastAdminStays() throws {
        // The only admin: taking away their rights would leave the county without one.
        let alone = admin.post("/verwaltung/team/\(adminID)", [("csrf", People.csrf(admin)), ("role", "resident")])
        #expect(alone.status == 409)
        #expect(alone.body.contains("letzte Person mit Administrationsrechten"))
        #expect(try role(adminID) == "admin")
        let byAddress = admin.submit(
            "/verwaltung/team", action: "/verwaltung/team", [("email", "landrat@kreis.example"), ("role", "staff")])
        #expect(byAddress.status == 422)
        #expect(byAddress.body.contains("letzte Person mit Administrationsrechten"))
        #expect(try role(adminID) == "admin")

        // With a second admin it is still not one's own decision.
        let secondID = try People.account(app, "zweite@kreis.example", name: "Zoe Zweite", role: .admin)
        let own = admin.post("/verwaltung/team/\(adminID)", [("csrf", People.csrf(admin)), ("role", "staff")])
        #expect(own.status == 409)
        #expect(own.body.contains("Ihre eigene Rolle können Sie nicht ändern"))
        #expect(try role(adminID) == "admin")
        #expect(try sessions(adminID) == 1)

        // Another admin can be made staff; the acting admin stays.
        let other = admin.post("/verwaltung/team/\(secondID)", [("csrf", People.csrf(admin)), ("role", "staff")])
        #expect(other.status == 303)
        #expect(try role(secondID) == "staff")

        // The store checks the acting account itself: an admin demoted meanwhile changes nothing.
        let store = StaffAccountStore(database: app.database)
        #expect(try store.changeRole(userID: adminID, to: .staff, actorID: secondID) == .notAllowed)
        #expect(try store.activeAdminCount() == 1)
    }

    @Test func rolesChangeAndPeopleLeaveTheTeam_eachTimeWithoutTheirSessions() throws {
        let staff = People.browser(app, as: "moderation@kreis.example")
        #expect(try sessions(staffID) == 1)
        let path = "/verwaltung/team/\(staffID)"

        let toAdmin = admin.submit("/verwaltung/team", action: path, [("role", "admin")])
        #expect(toAdmin.status == 303)
        #expect(toAdmin.location == "/verwaltung/team?hinweis=staff.team.changed")
        #expect(try role(staffID) == "admin")
        #expect(try sessions(staffID) == 0)
        #expect(staff.get("/verwaltung").status == 303)

        let back = People.browser(app, as: "moderation@kreis.example")
        #expect(back.get("/verwaltung/team").status == 200)
        let toStaff = admin.submit("/verwaltung/team", action: path, [("role", "staff")])
        #expect(toStaff.status == 303)
        #expect(try role(staffID) == "staff")
        #expect(back.get("/verwaltung").status == 303, "logged out again")

        let removed = admin.submit("/verwaltung/team", action: path, [("role", "resident")])
        #expect(removed.status == 303)
        #expect(admin.follow(removed).body.contains("gehört nicht mehr zum Team"))
        #expect(try role(staffID) == "resident")
        #expect(!admin.get("/verwaltung/team").body.contains("Moritz Moderation"))
        // Off the team, the person is no longer managed here.
        #expect(admin.post(path, [("csrf", People.csrf(admin)), ("role", "admin")]).status == 404)
        #expect(try role(staffID) == "resident")
        // Nor can roles outside the team's be given, nor a page be fetched by GET.
        let other = try People.account(app, "noch@kreis.example", name: "Noch", role: .staff)
        let odd = admin.post(
            "/verwaltung/team/\(other)", [("csrf", People.csrf(admin)), ("role", "organisation_member")])
        #expect(odd.status == 400)
        #expect(admin.get("/verwaltung/team/\(other)").status == 405)
        #expect(try role(other) == "staff")
    }

    @Test func wrongOrMissingCSRFToken_is403_andNothingChanges() throws {
        let erikaID = try People.account(app, "erika@example.org", name: "Erika")
        let add = admin.post(
            "/verwaltung/team", [("csrf", "falsch"), ("email", "erika@example.org"), ("role", "admin")])
        #expect(add.status == 403)
        let change = admin.post("/verwaltung/team/\(staffID)", [("role", "resident")])
        #expect(change.status == 403)
        #expect(try role(erikaID) == "resident")
        #expect(try role(staffID) == "staff")
    }

    @Test func hostileNames_areEscapedInTheList() throws {
        try People.account(app, "boese@example.org", name: People.hostile, role: .staff)
        let page = admin.get("/verwaltung/team")
        #expect(!page.body.contains(People.hostile))
        #expect(page.body.contains(People.escaped))
    }
}

extension People {
    static func accountRole(_ app: TestApp, _ email: String) throws -> String? {
        try app.database.read { db in
            try String.fetchOne(db, sql: "SELECT role FROM users WHERE email = ?", arguments: [email])
        }
    }
}
