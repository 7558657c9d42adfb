import Domain
import Foundation
import GRDB

/// Who receives the messages sent through a listing's contact form. The addresses found here go only into
/// mail headers, never onto a page.
public struct ContactStore: Sendable {
    /// A mailbox to deliver to.
    public struct Recipient: Sendable, Equatable {
        public var name: String
        public var email: String
        /// The language code of the recipient's account (`Account.language`); `de` for an address that
        /// belongs to no account (an organisation's or a listing's own address).
        public var language: String
    }

    /// A public listing and the people its messages go to.
    public struct Target: Sendable, Equatable {
        public var listingID: Int64
        public var kind: ListingKind
        public var title: String
        public var organisationID: Int64?
        /// The organisation's name, or the name the resident posted under.
        public var posterName: String
        /// Empty when nobody can be reached (no address stored, all admins disabled).
        public var recipients: [Recipient]
    }

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The contact target of a public listing of one of `kinds`, or nil when there is no such public listing.
    ///
    /// Organisation listings go to the organisation's address, or when it has none to its admins. Residents'
    /// listings go to the creating account's address, or when there is no account to the listing's stored
    /// contact address.
    public func target(listingID: Int64, kinds: [ListingKind], now: Date) throws -> Target? {
        try database.read { db in
            var arguments: StatementArguments = [listingID, SQLFragments.seconds(now)]
            arguments += StatementArguments(kinds.map(\.rawValue))
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT l.id, l.kind, l.title, l.organisation_id, l.poster_name, l.contact_name, l.contact_email,
                            o.name AS o_name, o.email AS o_email,
                            u.email AS u_email, u.display_name AS u_name, u.disabled_at AS u_disabled,
                            u.language AS u_language
                        FROM listings l LEFT JOIN organisations o ON o.id = l.organisation_id
                        LEFT JOIN users u ON u.id = l.created_by_user_id
                        WHERE l.id = ? AND \(SQLFragments.listingIsPublic)
                          AND l.kind IN (\(SQLFragments.placeholders(kinds.count)))
                        """,
                    arguments: arguments)
            else { return nil }
            var recipients: [Recipient] = []
            let posterName: String
            if let organisationID: Int64 = row["organisation_id"] {
                let name: String = row["o_name"] ?? ""
                posterName = name
                let email: String = row["o_email"] ?? ""
                if !email.isEmpty {
                    recipients = [Recipient(name: name, email: email, language: Account.defaultLanguage)]
                } else {
                    recipients = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT u.display_name, u.email, u.language
                            FROM organisation_members m JOIN users u ON u.id = m.user_id
                            WHERE m.organisation_id = ? AND m.role = 'admin' AND u.disabled_at IS NULL
                            ORDER BY u.id
                            """,
                        arguments: [organisationID]
                    ).map { Recipient(name: $0["display_name"], email: $0["email"], language: $0["language"]) }
                }
            } else {
                let contactName: String = row["contact_name"]
                posterName = contactName.isEmpty ? row["poster_name"] : contactName
                if let email: String = row["u_email"] {
                    if (row["u_disabled"] as Int64?) == nil {
                        recipients = [Recipient(name: row["u_name"], email: email, language: row["u_language"])]
                    }
                } else if let email: String = row["contact_email"], !email.isEmpty {
                    recipients = [Recipient(name: posterName, email: email, language: Account.defaultLanguage)]
                }
            }
            return Target(
                listingID: row["id"], kind: try enumValue(row, "kind"), title: row["title"],
                organisationID: row["organisation_id"], posterName: posterName, recipients: recipients)
        }
    }
}
