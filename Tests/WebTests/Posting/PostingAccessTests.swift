import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Only the poster and members of the posting's organisation may edit, close and re-open it; closing takes
/// it off the public pages.
@Suite struct PostingAccessTests {
    let world: PostingWorld
    let organisationA: Int64
    let organisationB: Int64
    let listingOfB: Int64
    let eventOfB: Int64

    init() throws {
        world = try PostingWorld()
        organisationA = try world.organisation("Verein A")
        organisationB = try world.organisation("Verein B")
        let memberA = try world.account("a@example.org", name: "Anna A")
        try world.addMember(memberA, to: organisationA)
        let memberB = try world.account("b@example.org", name: "Bernd B")
        try world.addMember(memberB, to: organisationB)
        listingOfB = try Fixtures.listing(
            world.app.database, kind: .volunteerNeed, title: "Trainer gesucht", organisationID: organisationB,
            expiresAt: TestClock.now.addingTimeInterval(30 * 86_400))
        eventOfB = try Fixtures.event(
            world.app.database, title: "Sommerfest", startsAt: TestClock.now.addingTimeInterval(86_400),
            organisationID: organisationB)
    }

    func listingRow() throws -> Row {
        try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT title, state, closed_at, updated_at FROM listings WHERE id = ?",
                    arguments: [listingOfB])
            })
    }

    func eventRow() throws -> Row {
        try #require(
            try world.app.database.pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT title, state, closed_at, updated_at FROM events WHERE id = ?",
                    arguments: [eventOfB])
            })
    }

    @Test func memberOfA_cannotEditCloseOrReopenBsListingOrEvent() throws {
        let before = (try listingRow(), try eventRow())
        let browser = try world.browser("a@example.org")
        let token = try world.token(browser)
        #expect(browser.get("/mein-bereich/eintraege/\(listingOfB)").status == 403)
        #expect(browser.get("/mein-bereich/veranstaltungen/\(eventOfB)").status == 403)
        let edit = browser.post(
            "/mein-bereich/eintraege/\(listingOfB)",
            [("csrf", token)] + PostingWorld.volunteerNeed(organisationID: organisationA, title: "Übernommen"))
        #expect(edit.status == 403)
        let eventEdit = browser.post(
            "/mein-bereich/veranstaltungen/\(eventOfB)",
            [("csrf", token)] + PostingWorld.event(organisationID: organisationA, title: "Übernommen"))
        #expect(eventEdit.status == 403)
        for action in [
            "/mein-bereich/eintraege/\(listingOfB)/schliessen", "/mein-bereich/eintraege/\(listingOfB)/wieder-oeffnen",
            "/mein-bereich/veranstaltungen/\(eventOfB)/schliessen",
            "/mein-bereich/veranstaltungen/\(eventOfB)/wieder-oeffnen",
        ] {
            #expect(browser.post(action, [("csrf", token)]).status == 403, "\(action)")
        }
        #expect(try listingRow() == before.0, "nothing changed")
        #expect(try eventRow() == before.1)
        #expect(!browser.get("/mein-bereich").body.contains("Trainer gesucht"), "B's listing is not on A's page")
    }

    @Test func unknownPosting_is404() throws {
        let browser = try world.browser("a@example.org")
        #expect(browser.get("/mein-bereich/eintraege/999999").status == 404)
        #expect(
            browser.post("/mein-bereich/eintraege/999999/schliessen", [("csrf", try world.token(browser))]).status
                == 404)
    }

    @Test func anyMemberOfTheOrganisation_mayEditItsListing() throws {
        let colleague = try world.account("b2@example.org", name: "Berta B")
        try world.addMember(colleague, to: organisationB)
        let browser = try world.browser("b2@example.org")
        let edit = "/mein-bereich/eintraege/\(listingOfB)"
        let form = browser.get(edit)
        #expect(form.status == 200)
        #expect(form.body.contains("value=\"Trainer gesucht\""))
        #expect(form.body.contains("Eingestellt für: <strong>Verein B</strong>") || form.body.contains("Verein B"))
        let fields = PostingWorld.setting(
            PostingWorld.volunteerNeed(organisationID: organisationB), "title", "Trainerin gesucht")
        #expect(browser.submit(edit, action: edit, fields).status == 303)
        #expect(try listingRow()["title"] == "Trainerin gesucht")
        let organisation: Int64? = try world.scalar("SELECT organisation_id FROM listings WHERE id = ?", [listingOfB])
        #expect(organisation == organisationB, "the organisation of a listing does not change")
    }

    @Test func residentsListing_isTheirs_only() throws {
        try world.account("erika@example.org")
        try world.account("max@example.org", name: "Max Muster")
        let erika = try world.browser("erika@example.org")
        let path = "/mein-bereich/neu/mithelfen"
        #expect(erika.submit(path, action: path, PostingWorld.volunteerOffer()).status == 303)
        let id = try world.lastListingID()
        let max = try world.browser("max@example.org")
        #expect(max.get("/mein-bereich/eintraege/\(id)").status == 403)
        #expect(max.post("/mein-bereich/eintraege/\(id)/schliessen", [("csrf", try world.token(max))]).status == 403)
        #expect(erika.get("/mein-bereich/eintraege/\(id)").status == 200)
        let closed: Int64? = try world.scalar("SELECT closed_at FROM listings WHERE id = ?", [id])
        #expect(closed == nil)
    }

    @Test func closing_hidesFromThePublicPages_andReopeningShowsItAgain() throws {
        let browser = try world.browser("b@example.org")
        #expect(world.app.get("/ehrenamt/\(listingOfB)").status == 200)
        let close = "/mein-bereich/eintraege/\(listingOfB)/schliessen"
        let closed = browser.submit("/mein-bereich", action: close, [])
        #expect(closed.location == "/mein-bereich?hinweis=my.closed")
        #expect(world.app.get("/ehrenamt/\(listingOfB)").status == 404)
        #expect(!world.app.get("/ehrenamt").body.contains("Trainer gesucht"))
        let overview = browser.get("/mein-bereich")
        #expect(overview.body.contains("Geschlossen"))
        #expect(try listingRow()["closed_at"] == Int64(TestClock.now.timeIntervalSince1970))

        let reopen = "/mein-bereich/eintraege/\(listingOfB)/wieder-oeffnen"
        #expect(browser.submit("/mein-bereich", action: reopen, []).location == "/mein-bereich?hinweis=my.reopened")
        #expect(world.app.get("/ehrenamt/\(listingOfB)").status == 200)
        #expect(world.app.get("/ehrenamt").body.contains("Trainer gesucht"))
    }

    @Test func closingAnEvent_hidesIt_andReopeningShowsIt() throws {
        let browser = try world.browser("b@example.org")
        #expect(world.app.get("/veranstaltungen/\(eventOfB)").status == 200)
        #expect(
            browser.submit("/mein-bereich", action: "/mein-bereich/veranstaltungen/\(eventOfB)/schliessen", []).status
                == 303)
        #expect(world.app.get("/veranstaltungen/\(eventOfB)").status == 404)
        #expect(!world.app.get("/veranstaltungen").body.contains("Sommerfest"))
        #expect(
            browser.submit("/mein-bereich", action: "/mein-bereich/veranstaltungen/\(eventOfB)/wieder-oeffnen", [])
                .status == 303)
        #expect(world.app.get("/veranstaltungen/\(eventOfB)").status == 200)
    }

    @Test func closeButtons_changeNothingOnGet() throws {
        let browser = try world.browser("b@example.org")
        #expect(browser.get("/mein-bereich/eintraege/\(listingOfB)/schliessen").status == 405)
        #expect(try listingRow()["closed_at"] as Int64? == nil)
    }

    @Test func wrongCSRFToken_is403AndNothingIsStored() throws {
        let browser = try world.browser("a@example.org")
        let path = "/mein-bereich/neu/ehrenamt"
        let forged = browser.post(
            path, [("csrf", SecureRandom.token())] + PostingWorld.volunteerNeed(organisationID: organisationA))
        #expect(forged.status == 403)
        let close = browser.post("/mein-bereich/eintraege/\(listingOfB)/schliessen", [("csrf", "falsch")])
        #expect(close.status == 403)
        #expect(try world.count("listings") == 1)
        #expect(try listingRow()["closed_at"] as Int64? == nil)
    }
}
