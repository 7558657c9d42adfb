import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Members of an organisation: who may see and change what, invitations by e-mail, removal.
@Suite struct MembershipTests {
    let app: TestApp
    let organisationA: Int64
    let organisationB: Int64
    let adminA: Int64
    let memberA: Int64
    let adminB: Int64

    init() throws {
        app = try TestApp.make(seeded: false)
        organisationA = try Fixtures.organisation(app.database, name: "Heimatverein Horn")
        organisationB = try Fixtures.organisation(app.database, name: "Tierheim Lage")
        adminA = try People.account(app, "anna@horn.example", name: "Anna Admin")
        memberA = try People.account(app, "moritz@horn.example", name: "Moritz Mitglied")
        adminB = try People.account(app, "berta@lage.example", name: "Berta Admin")
        try People.join(app, userID: adminA, organisationID: organisationA, role: .admin)
        try People.join(app, userID: memberA, organisationID: organisationA, role: .member)
        try People.join(app, userID: adminB, organisationID: organisationB, role: .admin)
    }

    func membersPath(_ id: Int64) -> String { "/mein-bereich/organisationen/\(id)/mitglieder" }

    @Test func memberOfA_gets403OnEveryPageAndActionOfB() throws {
        let browser = People.browser(app, as: "anna@horn.example")
        let csrf = People.csrf(browser)
        let b = organisationB
        #expect(browser.get("/mein-bereich/organisationen/\(b)").status == 403)
        #expect(browser.get(membersPath(b)).status == 403)
        let invite = browser.post(membersPath(b), [("csrf", csrf), ("email", "fremd@example.org")])
        #expect(invite.status == 403)
        let remove = browser.post(membersPath(b) + "/\(adminB)/entfernen", [("csrf", csrf)])
        #expect(remove.status == 403)
        let edit = browser.post(
            "/mein-bereich/organisationen/\(b)", [("csrf", csrf), ("name", "Übernommen"), ("legal_form", "other")])
        #expect(edit.status == 403)
        #expect(try People.isMember(app, userID: adminB, organisationID: b))
        #expect(try OutboxReader.all(in: app.database).isEmpty)
        let name = try app.database.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM organisations WHERE id = ?", arguments: [b])
        }
        #expect(name == "Tierheim Lage")
        #expect(browser.get("/mein-bereich/organisationen/999999").status == 403, "no hint which ids exist")
    }

    @Test func visitors_areSentToLogin() {
        let response = TestBrowser(app).get(membersPath(organisationA))
        #expect(response.status == 303)
        #expect(response.location?.hasPrefix("/anmelden?weiter=") == true)
    }

    @Test func members_seeTheListButNoForms_andCannotInviteOrRemove() throws {
        let browser = People.browser(app, as: "moritz@horn.example")
        let page = browser.get(membersPath(organisationA))
        #expect(page.status == 200)
        #expect(page.body.contains("Anna Admin") && page.body.contains("Moritz Mitglied"))
        #expect(!page.body.contains("anna@horn.example"), "addresses are for admins")
        #expect(!page.body.contains("entfernen\""))
        let csrf = People.csrf(browser)
        #expect(browser.post(membersPath(organisationA), [("csrf", csrf), ("email", "x@example.org")]).status == 403)
        #expect(browser.post(membersPath(organisationA) + "/\(adminA)/entfernen", [("csrf", csrf)]).status == 403)
        #expect(try People.isMember(app, userID: adminA, organisationID: organisationA))
    }

    @Test func admin_seesMembersWithRolesAndAddresses() throws {
        let page = People.browser(app, as: "anna@horn.example").get(membersPath(organisationA))
        #expect(page.status == 200)
        #expect(page.body.contains("moritz@horn.example"))
        #expect(page.body.contains("Verwaltung") && page.body.contains("Mitglied"))
        #expect(page.body.contains("action=\"\(membersPath(organisationA))/\(memberA)/entfernen\""))
        #expect(!page.body.contains("action=\"\(membersPath(organisationA))/\(adminA)/entfernen\""), "the only admin")
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func removedMember_losesAccessWithTheNextRequest() throws {
        let member = People.browser(app, as: "moritz@horn.example")
        #expect(member.get("/mein-bereich/organisationen/\(organisationA)").status == 200)
        let admin = People.browser(app, as: "anna@horn.example")
        let removed = admin.submit(
            membersPath(organisationA), action: "\(membersPath(organisationA))/\(memberA)/entfernen", [])
        #expect(removed.status == 303)
        #expect(removed.location == membersPath(organisationA) + "?hinweis=my.organisation.removed")
        #expect(admin.follow(removed).body.contains("Das Mitglied wurde entfernt."))
        #expect(try !People.isMember(app, userID: memberA, organisationID: organisationA))
        #expect(member.get("/mein-bereich/organisationen/\(organisationA)").status == 403)
    }

    @Test func lastAdmin_cannotBeRemoved() throws {
        let admin = People.browser(app, as: "anna@horn.example")
        let response = admin.post(
            membersPath(organisationA) + "/\(adminA)/entfernen", [("csrf", People.csrf(admin))])
        #expect(response.status == 409)
        #expect(response.body.contains("kann nicht entfernt werden"))
        #expect(try People.isMember(app, userID: adminA, organisationID: organisationA))

        // With a second admin, one of them may go.
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisation_members SET role = 'admin' WHERE user_id = ? AND organisation_id = ?",
                arguments: [memberA, organisationA])
        }
        let leave = admin.post(membersPath(organisationA) + "/\(adminA)/entfernen", [("csrf", People.csrf(admin))])
        #expect(leave.status == 303)
        #expect(try !People.isMember(app, userID: adminA, organisationID: organisationA))
        #expect(admin.get(membersPath(organisationA)).status == 403)
    }

    @Test func removingSomeoneWhoIsNoMember_is404() {
        let admin = People.browser(app, as: "anna@horn.example")
        let response = admin.post(membersPath(organisationA) + "/\(adminB)/entfernen", [("csrf", People.csrf(admin))])
        #expect(response.status == 404)
    }

    @Test func removeByGET_isNotAllowed() throws {
        let admin = People.browser(app, as: "anna@horn.example")
        #expect(admin.get(membersPath(organisationA) + "/\(memberA)/entfernen").status == 405)
        #expect(try People.isMember(app, userID: memberA, organisationID: organisationA))
    }

    @Test func invitingAnExistingAccount_addsItAtOnceAndMailsIt() throws {
        let admin = People.browser(app, as: "anna@horn.example")
        let response = admin.submit(
            membersPath(organisationA), action: membersPath(organisationA), [("email", "Berta@Lage.example")])
        #expect(response.status == 303)
        #expect(response.location == membersPath(organisationA) + "?hinweis=my.organisation.added")
        #expect(try People.isMember(app, userID: adminB, organisationID: organisationA))
        let mail = try #require(try OutboxReader.latest(to: "berta@lage.example", in: app.database))
        #expect(mail.purpose == "membership_added")
        #expect(mail.textBody.contains("als Mitglied"))
        #expect(mail.textBody.contains("Heimatverein Horn"))
        let again = admin.submit(
            membersPath(organisationA), action: membersPath(organisationA), [("email", "berta@lage.example")])
        #expect(again.status == 422)
        #expect(again.body.contains("bereits Mitglied"))
    }

    @Test(arguments: ["", "keine-adresse", "a@b"])
    func invitingAnInvalidAddress_isRefusedWithAMessage(_ email: String) throws {
        let admin = People.browser(app, as: "anna@horn.example")
        let response = admin.submit(membersPath(organisationA), action: membersPath(organisationA), [("email", email)])
        #expect(response.status == 422)
        #expect(response.body.contains("id=\"f-email-error\""))
        #expect(try OutboxReader.all(in: app.database).isEmpty)
    }

    @Test func invitations_areCappedPerDay() throws {
        let admin = People.browser(app, as: "anna@horn.example")
        for index in 1...20 {
            #expect(
                admin.submit(
                    membersPath(organisationA), action: membersPath(organisationA),
                    [("email", "neu\(index)@example.org")]
                ).status == 303)
        }
        let refused = admin.submit(
            membersPath(organisationA), action: membersPath(organisationA), [("email", "neu21@example.org")])
        #expect(refused.status == 422)
        #expect(refused.body.contains("viele Einladungen"))
        app.clock.advance(by: 24 * 3600 + 1)
        #expect(
            admin.submit(
                membersPath(organisationA), action: membersPath(organisationA), [("email", "neu21@example.org")]
            ).status == 303)
    }

    @Test func markupInNames_isEscapedOnTheMembersPage() throws {
        let hostile = try People.account(app, "hostile@example.org", name: People.hostile)
        try People.join(app, userID: hostile, organisationID: organisationA, role: .member)
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET name = ? WHERE id = ?", arguments: [People.hostile, organisationA])
        }
        let page = People.browser(app, as: "anna@horn.example").get(membersPath(organisationA))
        #expect(page.status == 200)
        #expect(page.body.contains(People.escaped))
        #expect(!page.body.contains("<script>"))
    }
}
