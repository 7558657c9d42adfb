import Foundation
import HTTPTypes
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Every page the app has, in every language, rendered by swift-mustache and by our renderer from the
/// same context: the bodies must be byte for byte the same. Nothing is normalised.
@Suite("Render engine equivalence")
struct EngineEquivalenceTests {
    static let languagePrefixes = ["", "/en", "/tr", "/uk", "/ar"]

    /// Follows every internal GET link from `starts` (as the crawl test does), within `limit` pages.
    static func crawl(_ get: (String) -> TestResponse, from starts: [String], limit: Int = 8000) -> Int {
        var queue = starts
        var seen = Set(starts)
        var visited = 0
        while !queue.isEmpty, visited < limit {
            let response = get(queue.removeFirst())
            visited += 1
            if response.status == 303, let location = response.location, location.hasPrefix("/") {
                if seen.insert(location).inserted { queue.append(location) }
                continue
            }
            guard response.headerFields[.contentType]?.hasPrefix("text/html") == true else { continue }
            for link in response.links where link.hasPrefix("/") && !link.hasPrefix("//") {
                let target = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                if !target.isEmpty, !target.contains("abmelden"), seen.insert(target).inserted {
                    queue.append(target)
                }
            }
        }
        return visited
    }

    @Test("all pages, anonymous and logged in (staff, organisation admin), in all five languages")
    func everyPageIsByteIdentical() throws {
        let comparison = EngineComparison()
        let app = try Views.$comparison.withValue(comparison) { try TestApp.make() }

        // Anonymous: everything reachable from each language's start page, error pages, forms with errors.
        let anonymous = TestBrowser(app)
        var starts = Self.languagePrefixes.map { $0.isEmpty ? "/" : $0 }
        starts += Self.languagePrefixes.flatMap { ["\($0)/gibt-es-nicht", "\($0)/anmelden", "\($0)/registrieren"] }
        let visited = Self.crawl(anonymous.get, from: starts)
        // Pages reached from e-mails: well-formed tokens that match nothing; a mail for the outbox.
        try People.account(app, "kreis@example.org", name: "Kreis <Verwaltung>", role: .admin)
        try People.unconfirmedAccount(app, "neu@example.org", name: "Neu")
        let token = String(repeating: "A", count: 43)
        for prefix in Self.languagePrefixes {
            _ = anonymous.submit("\(prefix)/anmelden", [("email", "niemand@example.org"), ("password", "falsch")])
            _ = anonymous.get("\(prefix)/suche?q=" + String(repeating: "x", count: 600))
            for path in [
                "/konto/bestaetigung-senden", "/passwort-neu/\(token)", "/einladung/\(token)",
                "/konto/bestaetigen/\(token)", "/konto/neue-adresse/\(token)",
            ] {
                _ = anonymous.get(prefix + path)
            }
            _ = anonymous.submit("\(prefix)/passwort-vergessen", [("email", "kreis@example.org")])
            _ = anonymous.submit("\(prefix)/konto/bestaetigung-senden", [("email", "neu@example.org")])
        }
        // The links in those mails: the password form and the confirmation button, in each language.
        for recipient in ["kreis@example.org", "neu@example.org"] {
            for message in try OutboxReader.messages(to: recipient, in: app.database) {
                for link in OutboxReader.links(in: message) {
                    guard let url = URL(string: link),
                        url.path.contains("/passwort-neu/") || url.path.contains("/konto/")
                    else { continue }
                    _ = anonymous.get(url.path)
                }
            }
        }

        // Logged in: an admin who also administers an organisation, so the member and staff areas render.
        let staff = People.browser(app, as: "kreis@example.org")
        let organisation = try app.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM organisations WHERE state = 'approved' LIMIT 1")
        }
        let staffID = try app.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE email = 'kreis@example.org'")
        }
        if let organisation, let staffID {
            try People.join(app, userID: staffID, organisationID: organisation, role: .admin)
        }
        let loggedIn = Self.crawl(
            staff.get, from: Self.languagePrefixes.flatMap { ["\($0)/mein-bereich", "\($0)/verwaltung", "\($0)/"] },
            limit: 3000)

        let rendered = comparison.renderedTemplates
        let differences = comparison.recordedDifferences
        for difference in differences.prefix(10) { Issue.record("\(difference)") }
        #expect(differences.isEmpty, "\(differences.count) of \(rendered.values.reduce(0, +)) pages differ")
        // Every page template was rendered at least once.
        let missing = PageTemplate.allCases.map(\.rawValue).filter { rendered[$0] == nil }
        #expect(missing.isEmpty, "never rendered: \(missing)")
        #expect(visited > 400 && loggedIn > 50, "\(visited) anonymous, \(loggedIn) logged-in pages")
    }
}
