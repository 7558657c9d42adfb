import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Steps the account tests share: registering, reading links from the outbox, counting rows.
enum AccountJourney {
    static let password = "Wanderweg am Hermannsdenkmal"
    static let base = "http://localhost:8080"

    static func registerPerson(
        _ browser: TestBrowser, name: String = "Erika Muster", email: String = "erika@example.org",
        password: String = password, consent: Bool = true, extra: [(String, String)] = []
    ) -> TestResponse {
        var fields = [("name", name), ("email", email), ("password", password)]
        if consent { fields.append(("consent", "1")) }
        return browser.submit("/registrieren/person", fields + extra)
    }

    static func organisationFields(
        name: String = "Tafel Lemgo e. V.", description: String = "Wir verteilen Lebensmittel an Bedürftige.",
        email: String = "vorstand@tafel.example", overrides: [String: String] = [:]
    ) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("organisation_name", name), ("legal_form", "association"), ("municipality", "lemgo"),
            ("street", "Breite Straße 1"), ("postal_code", "32657"), ("city", "Lemgo"),
            ("contact_name", "Petra Vorstand"), ("phone", "05261 12345"), ("homepage", "https://tafel.example"),
            ("description", description), ("topics", "soziales"), ("topics", "sport"), ("name", "Petra Vorstand"),
            ("email", email), ("password", password), ("consent", "1"),
        ]
        for (key, value) in overrides {
            fields.removeAll { $0.0 == key }
            if !value.isEmpty { fields.append((key, value)) }
        }
        return fields
    }

    /// An application whose uploads go to a folder of its own (tests look at the files).
    static func appWithOwnUploads() throws -> TestApp {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boerse-uploads-\(UUID().uuidString)")
        return try TestApp.make(seeded: false) { $0.uploadsDirectory = folder.path }
    }

    /// The path of the newest link mailed to `email` for `purpose`.
    static func linkPath(_ app: TestApp, to email: String, purpose: String) throws -> String {
        let message = try #require(try OutboxReader.latest(to: email, purpose: purpose, in: app.database))
        let link = try #require(OutboxReader.links(in: message).first { $0.hasPrefix(base + "/") })
        return String(link.dropFirst(base.count))
    }

    /// Registers and confirms a person in `browser`, which is then logged in.
    @discardableResult
    static func registeredAndConfirmed(
        _ app: TestApp, _ browser: TestBrowser, name: String = "Erika Muster", email: String = "erika@example.org"
    ) throws -> Int64 {
        #expect(registerPerson(browser, name: name, email: email).status == 200)
        let confirm = try linkPath(app, to: email, purpose: "confirm_account")
        #expect(browser.submit(confirm, action: confirm, []).status == 303)
        return try #require(try app.application.users.account(email: email)).id
    }

    static func count(_ app: TestApp, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try app.database.pool.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    /// The first row of a query as text by column (NULL columns are left out).
    static func row(_ app: TestApp, _ sql: String, _ arguments: StatementArguments = []) throws -> [String: String] {
        try app.database.pool.read { db in
            var values: [String: String] = [:]
            guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return values }
            for (column, value) in row {
                if let text = String.fromDatabaseValue(value) {
                    values[column] = text
                } else if let number = Int64.fromDatabaseValue(value) {
                    values[column] = String(number)
                }
            }
            return values
        }
    }

    static func isLoggedIn(_ browser: TestBrowser) -> Bool {
        browser.get("/").body.contains("Angemeldet als")
    }

    /// A browser logged in with the password.
    static func loggedIn(_ app: TestApp, email: String = "erika@example.org", password: String = password)
        -> TestBrowser
    {
        let browser = TestBrowser(app)
        let response = browser.submit("/anmelden", [("email", email), ("password", password)])
        #expect(response.status == 303, "login of \(email)")
        return browser
    }

    /// A tiny valid PNG (1×1 pixel).
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D,
        0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
    static let gif: [UInt8] = Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF]
}
