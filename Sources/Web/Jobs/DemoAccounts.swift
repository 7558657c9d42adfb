import Domain
import Foundation
import GRDB
import Storage

/// Accounts that make the demo explorable right after `make run`: an admin, a staff member, the admin
/// of a demo organisation and a resident, all with one published password. Created only together
/// with the demo data (`boerse seed --demo`), never in a database that already held data.
public enum DemoAccounts {
    /// Demo only: the README prints it. A real deployment never runs the demo seed.
    public static let password = "Ehrenamt macht Freude 2026"

    public struct Account: Sendable {
        public var email: String
        public var name: String
        public var role: Role
        /// Admin of the first approved demo organisation.
        public var organisationAdmin = false
    }

    public static let accounts: [Account] = [
        Account(email: "admin@demo.example", name: "Demo-Administration", role: .admin),
        Account(email: "moderation@demo.example", name: "Demo-Moderation", role: .staff),
        Account(email: "verein@demo.example", name: "Demo-Vereinsvorstand", role: .resident, organisationAdmin: true),
        Account(email: "erika@demo.example", name: "Erika Demo", role: .resident),
    ]

    /// Creates the demo accounts; returns one line per account for the operator.
    @discardableResult
    public static func create(in app: Application) throws -> [String] {
        var lines: [String] = []
        let organisation = try app.database.read { db -> (id: Int64, name: String)? in
            try Row.fetchOne(
                db, sql: "SELECT id, name FROM organisations WHERE state = 'approved' ORDER BY name COLLATE NOCASE, id"
            ).map { ($0["id"], $0["name"]) }
        }
        for account in accounts {
            let id = try app.addAccount(
                email: account.email, name: account.name, role: account.role, password: password)
            var line = "\(account.email) (\(account.role.rawValue))"
            if account.organisationAdmin, let organisation {
                try app.membershipStore.add(
                    userID: id, organisationID: organisation.id, role: .admin, now: app.configuration.clock())
                line += ", admin of \(organisation.name)"
            }
            lines.append(line)
        }
        return lines
    }
}
