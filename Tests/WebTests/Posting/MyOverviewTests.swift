import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// "Mein Bereich": greeting, own and organisations' postings with their state, what one may post.
@Suite struct MyOverviewTests {
    let world: PostingWorld

    init() throws {
        world = try PostingWorld()
    }

    @Test func newResident_seesAFriendlyEmptyStateWithTheirTwoWaysToStart() throws {
        try world.account("erika@example.org", name: "Erika Muster")
        let page = try world.browser("erika@example.org").get("/mein-bereich")
        #expect(page.status == 200)
        #expect(page.body.contains("Hallo Erika Muster!"))
        #expect(page.body.contains("Schön, dass Sie da sind!"))
        #expect(
            page.body.contains(
                "<a class=\"button button--primary\" href=\"/mein-bereich/neu/mithelfen\">Ich möchte helfen</a>"))
        #expect(page.body.contains("href=\"/mein-bereich/neu/spende-angeboten\">Sachspende anbieten</a>"))
        #expect(page.links.contains("/mein-bereich/konto"))
        #expect(!page.links.contains("/mein-bereich/neu/ehrenamt"))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func member_seesTheirOrganisations_andEverythingTheyMayPost() throws {
        let userID = try world.account("mitglied@example.org", name: "Maria Mitglied")
        let approved = try world.organisation("Tafel Detmold e. V.")
        let pending = try world.organisation("Neue Initiative", state: .pending)
        try world.addMember(userID, to: approved, role: "admin")
        try world.addMember(userID, to: pending)
        let page = try world.browser("mitglied@example.org").get("/mein-bereich")
        #expect(!page.body.contains("Schön, dass Sie da sind!"))
        for kind in PostingKind.allCases {
            #expect(page.links.contains("/mein-bereich/neu/\(kind.rawValue)"), "\(kind)")
        }
        #expect(page.links.contains("/mein-bereich/organisationen/\(approved)"))
        #expect(page.links.contains("/mein-bereich/organisationen/\(pending)"))
        #expect(page.body.contains("Verwaltung · freigeschaltet"))
        #expect(page.body.contains("Mitglied · wird geprüft"))
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
    }

    @Test func statesAreShownInWords() throws {
        let userID = try world.account("mitglied@example.org", name: "Maria Mitglied")
        let organisationID = try world.organisation("Tafel Detmold e. V.")
        try world.addMember(userID, to: organisationID)
        let database = world.app.database
        let now = TestClock.now
        let states: [(String, PublicationState, Date?)] = [
            ("Eintrag Entwurf", .draft, nil), ("Eintrag wartet", .pending, nil),
            ("Eintrag sichtbar", .published, now.addingTimeInterval(86_400)), ("Eintrag abgelehnt", .rejected, nil),
            ("Eintrag abgelaufen", .published, now.addingTimeInterval(-60)),
        ]
        for (title, state, expiry) in states {
            try Fixtures.listing(
                database, kind: .donationNeed, title: title, organisationID: organisationID, state: state,
                expiresAt: expiry)
        }
        let closed = try Fixtures.listing(
            database, kind: .donationNeed, title: "Eintrag geschlossen", organisationID: organisationID)
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET closed_at = 1 WHERE id = ?", arguments: [closed])
            try db.execute(
                sql:
                    "UPDATE listings SET rejection_reason = 'Bitte genauer beschreiben.' WHERE title = 'Eintrag abgelehnt'"
            )
        }
        try Fixtures.event(
            database, title: "Vergangene Feier", startsAt: now.addingTimeInterval(-10 * 86_400),
            organisationID: organisationID)

        let page = try world.browser("mitglied@example.org").get("/mein-bereich")
        for (title, words) in [
            ("Eintrag Entwurf", "Entwurf"), ("Eintrag wartet", "Wartet auf Prüfung"),
            ("Eintrag sichtbar", "Veröffentlicht"),
            ("Eintrag abgelehnt", "Abgelehnt. Begründung: Bitte genauer beschreiben."),
            ("Eintrag abgelaufen", "Abgelaufen"), ("Eintrag geschlossen", "Geschlossen"),
            ("Vergangene Feier", "Vorbei"),
        ] {
            let item = try #require(
                page.body.components(separatedBy: "<h3 class=\"my-item__title\">\(title)</h3>").dropFirst().first,
                "\(title)")
            let state = item.components(separatedBy: "</p>").dropFirst().first ?? ""
            #expect(state.contains(words), "\(title): \(state)")
        }
        // Only the public one links to its page; the closed one offers re-opening.
        let visible: Int64? = try world.scalar("SELECT id FROM listings WHERE title = 'Eintrag sichtbar'")
        #expect(page.links.contains("/spenden/\(try #require(visible))"))
        #expect(page.links.filter { $0.hasPrefix("/spenden/") }.count == 1)
        #expect(page.body.contains("action=\"/mein-bereich/eintraege/\(closed)/wieder-oeffnen\""))
        #expect(page.count("action=\"/mein-bereich/eintraege/") == 6)
    }

    @Test func othersPostings_areNotListed() throws {
        try world.account("erika@example.org")
        let other = try world.organisation("Fremder Verein")
        try Fixtures.listing(world.app.database, kind: .volunteerNeed, title: "Fremder Eintrag", organisationID: other)
        let page = try world.browser("erika@example.org").get("/mein-bereich")
        #expect(!page.body.contains("Fremder Eintrag"))
    }
}
