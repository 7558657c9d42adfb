import Domain
import Foundation
import GRDB

/// Read-only questions about membership: which organisations a person belongs to, in which role, and
/// whether they may act for one. Changes to membership are `MembershipStore`'s.
public struct MembershipQueries: Sendable {
    /// One organisation a person belongs to.
    public struct Membership: Sendable, Hashable {
        public var organisationID: Int64
        public var organisationName: String
        public var role: MembershipStore.Role
        public var organisationState: OrganisationState
        /// Staff marked it as trusted: approved and trusted organisations publish without waiting.
        public var trusted: Bool

        /// Whether the person may post for this organisation (it is approved or still being checked).
        public var canPost: Bool { organisationState == .approved || organisationState == .pending }
        /// Whether its postings go public without staff looking first.
        public var publishesDirectly: Bool { trusted && organisationState == .approved }
    }

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Every organisation `userID` belongs to, by name.
    public func memberships(userID: Int64) throws -> [Membership] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.name, o.state, o.trusted, m.role FROM organisation_members m
                    JOIN organisations o ON o.id = m.organisation_id
                    WHERE m.user_id = ? ORDER BY o.name COLLATE NOCASE, o.id
                    """,
                arguments: [userID]
            ).map(Self.make)
        }
    }

    /// The membership of `userID` in one organisation, or nil when they do not belong to it.
    public func membership(userID: Int64, organisationID: Int64) throws -> Membership? {
        try database.read { db in try Self.membership(db, userID: userID, organisationID: organisationID) }
    }

    /// Whether `userID` belongs to the organisation.
    public func isMember(userID: Int64, organisationID: Int64) throws -> Bool {
        try membership(userID: userID, organisationID: organisationID) != nil
    }

    /// The membership inside a caller's transaction (writes check it where they change things).
    public static func membership(_ db: Database, userID: Int64, organisationID: Int64) throws -> Membership? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT o.id, o.name, o.state, o.trusted, m.role FROM organisation_members m
                JOIN organisations o ON o.id = m.organisation_id
                WHERE m.user_id = ? AND m.organisation_id = ?
                """,
            arguments: [userID, organisationID]
        ).map(make)
    }

    private static func make(_ row: Row) throws -> Membership {
        Membership(
            organisationID: row["id"], organisationName: row["name"],
            role: MembershipStore.Role(rawValue: row["role"]) ?? .member,
            organisationState: try enumValue(row, "state"),
            trusted: row["trusted"])
    }
}
