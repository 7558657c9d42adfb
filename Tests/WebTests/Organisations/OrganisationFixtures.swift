import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// Accounts, memberships and logins for the tests of organisation, staff and contact pages.
enum People {
    static let password = "Kastanienallee im Herbstwind 7"
    static let hostile = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    /// A confirmed account; returns its id.
    @discardableResult
    static func account(_ app: TestApp, _ email: String, name: String, role: Role = .resident) throws -> Int64 {
        try app.application.addAccount(email: email, name: name, role: role, password: password)
    }

    /// An account that never confirmed its address.
    @discardableResult
    static func unconfirmedAccount(_ app: TestApp, _ email: String, name: String) throws -> Int64 {
        try UserStore(database: app.database).create(
            email: email, displayName: name, role: .resident, passwordHash: "x", consentedAt: TestClock.now,
            now: TestClock.now)
    }

    static func join(_ app: TestApp, userID: Int64, organisationID: Int64, role: MembershipStore.Role) throws {
        try MembershipStore(database: app.database).add(
            userID: userID, organisationID: organisationID, role: role, now: app.clock.now)
    }

    /// A browser logged in as `email`.
    static func browser(_ app: TestApp, as email: String) -> TestBrowser {
        let browser = TestBrowser(app)
        let response = browser.submit("/anmelden", [("email", email), ("password", password)])
        #expect(response.status == 303, "login of \(email)")
        return browser
    }

    /// The session's CSRF token, from the logout form every page of a logged-in person carries.
    static func csrf(_ browser: TestBrowser) -> String {
        FormScan.form(in: browser.get("/").body, action: "/abmelden")?.hidden.first { $0.0 == "csrf" }?.1 ?? ""
    }

    static func organisationState(_ app: TestApp, _ id: Int64) throws -> String? {
        try app.database.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM organisations WHERE id = ?", arguments: [id])
        }
    }

    static func setRegisteredBy(_ app: TestApp, organisationID: Int64, userID: Int64) throws {
        try app.database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET created_by_user_id = ? WHERE id = ?",
                arguments: [userID, organisationID])
        }
    }

    static func isMember(_ app: TestApp, userID: Int64, organisationID: Int64) throws -> Bool {
        try MembershipStore(database: app.database).role(userID: userID, organisationID: organisationID) != nil
    }

    /// The smallest byte run our image check accepts as PNG (signature and the start of a header chunk).
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1]
}
