import Domain
import Foundation
import GRDB

/// What a person sees of their own on "Mein Bereich": the listings and events they posted and those of
/// the organisations they belong to, in every state.
public struct MyItemsStore: Sendable {
    /// A listing with its state, as a row on "Mein Bereich".
    public struct ListingItem: Sendable, Hashable {
        public var id: Int64
        public var kind: ListingKind
        public var title: String
        public var organisationID: Int64?
        public var organisationName: String?
        public var state: PublicationState
        public var rejectionReason: String?
        public var closedAt: Date?
        public var expiresAt: Date?
        /// Whether the public pages show it right now.
        public var isPublic: Bool
        public var updatedAt: Date
    }

    /// An event with its state, as a row on "Mein Bereich".
    public struct EventItem: Sendable, Hashable {
        public var id: Int64
        public var title: String
        public var organisationID: Int64?
        public var organisationName: String?
        public var state: PublicationState
        public var rejectionReason: String?
        public var closedAt: Date?
        public var startsAt: Date
        public var endsAt: Date?
        public var isPublic: Bool
        public var updatedAt: Date
    }

    /// At most this many rows per list: an organisation with more manages them in moderation pages.
    public static let limit = 500

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The person's own listings and their organisations', most recently changed first.
    public func listings(userID: Int64, now: Date) throws -> [ListingItem] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.kind, l.title, l.organisation_id, o.name AS o_name, l.state, l.rejection_reason,
                        l.closed_at, l.expires_at, l.updated_at,
                        CASE WHEN \(SQLFragments.listingIsPublic) THEN 1 ELSE 0 END AS is_public
                    FROM listings l LEFT JOIN organisations o ON o.id = l.organisation_id
                    WHERE l.created_by_user_id = ?
                       OR l.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = ?)
                    ORDER BY l.updated_at DESC, l.id DESC LIMIT ?
                    """,
                arguments: [SQLFragments.seconds(now), userID, userID, Self.limit]
            ).map { row in
                ListingItem(
                    id: row["id"], kind: try enumValue(row, "kind"), title: row["title"],
                    organisationID: row["organisation_id"], organisationName: row["o_name"],
                    state: try enumValue(row, "state"), rejectionReason: row["rejection_reason"],
                    closedAt: date(row["closed_at"]), expiresAt: date(row["expires_at"]), isPublic: row["is_public"],
                    updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)))
            }
        }
    }

    /// The person's own events and their organisations', soonest first.
    public func events(userID: Int64, now: Date) throws -> [EventItem] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, e.title, e.organisation_id, o.name AS o_name, e.state, e.rejection_reason,
                        e.closed_at, e.starts_at, e.ends_at, e.updated_at,
                        CASE WHEN \(SQLFragments.eventIsPublic) THEN 1 ELSE 0 END AS is_public
                    FROM events e LEFT JOIN organisations o ON o.id = e.organisation_id
                    WHERE e.created_by_user_id = ?
                       OR e.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = ?)
                    ORDER BY (COALESCE(e.ends_at, e.starts_at) < ?), e.starts_at, e.id LIMIT ?
                    """,
                arguments: [userID, userID, SQLFragments.seconds(now), Self.limit]
            ).map { row in
                EventItem(
                    id: row["id"], title: row["title"], organisationID: row["organisation_id"],
                    organisationName: row["o_name"], state: try enumValue(row, "state"),
                    rejectionReason: row["rejection_reason"], closedAt: date(row["closed_at"]),
                    startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                    endsAt: date(row["ends_at"]), isPublic: row["is_public"],
                    updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)))
            }
        }
    }
}
