import Foundation
import GRDB

/// Who belongs to which organisation, and invitations to join one.
///
/// Every check reads the database, so a removed member loses access with their next request. Invitations
/// are rows of `email_tokens` with purpose `invitation`: `email` is the invited address, `user_id` the
/// person who invited, and only the SHA-256 hash of the link's token is kept.
public struct MembershipStore: Sendable {
    /// A member's role inside one organisation (independent of the account's site-wide role).
    public enum Role: String, Sendable, CaseIterable {
        case admin, member
    }

    /// One member as the members page shows them.
    public struct Member: Sendable, Equatable {
        public var userID: Int64
        public var displayName: String
        public var email: String
        public var role: Role
        public var joinedAt: Date
        /// The account's language code (`Account.language`), for mail about the organisation.
        public var language: String
    }

    /// An invitation that can still be accepted.
    public struct Invitation: Sendable, Equatable {
        public var organisationID: Int64
        public var organisationName: String
        /// The display name of the person who invited, or empty when their account is gone.
        public var inviterName: String
        public var email: String
        public var expiresAt: Date
    }

    /// What a link's token stands for.
    public enum InvitationLookup: Sendable, Equatable {
        case valid(Invitation)
        case used
        case expired
        case unknown
    }

    /// The outcome of accepting an invitation.
    public enum AcceptResult: Sendable, Equatable {
        case joined(organisationID: Int64)
        /// The account belongs to the organisation already; the link stays usable for someone else.
        case alreadyMember(organisationID: Int64)
        case used
        case expired
        case unknown
    }

    /// The outcome of removing a member.
    public enum RemoveResult: Sendable, Equatable {
        case removed
        case notMember
        /// The member is the organisation's only admin: someone has to be left to administer it.
        case lastAdmin
    }

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The role of `userID` in the organisation, or nil when they are not a member (or it does not exist).
    public func role(userID: Int64, organisationID: Int64) throws -> Role? {
        try database.read { db in
            try String.fetchOne(
                db, sql: "SELECT role FROM organisation_members WHERE organisation_id = ? AND user_id = ?",
                arguments: [organisationID, userID]
            ).flatMap(Role.init(rawValue:))
        }
    }

    /// The members, admins first, then by name.
    public func members(organisationID: Int64) throws -> [Member] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.display_name, u.email, u.language, m.role, m.created_at FROM organisation_members m
                    JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ?
                    ORDER BY m.role = 'admin' DESC, u.display_name COLLATE NOCASE, u.id
                    """,
                arguments: [organisationID]
            ).map { row in
                Member(
                    userID: row["id"], displayName: row["display_name"], email: row["email"],
                    role: Role(rawValue: row["role"]) ?? .member,
                    joinedAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
                    language: row["language"])
            }
        }
    }

    /// The admins of an organisation (who get mail about it).
    public func admins(organisationID: Int64) throws -> [Member] {
        try members(organisationID: organisationID).filter { $0.role == .admin }
    }

    /// Adds a member; false when they belonged to the organisation already (their role stays as it was).
    @discardableResult
    public func add(userID: Int64, organisationID: Int64, role: Role, now: Date) throws -> Bool {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO organisation_members (organisation_id, user_id, role, created_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [organisationID, userID, role.rawValue, SQLFragments.seconds(now)])
            return db.changesCount > 0
        }
    }

    /// Removes a member, unless they are the last admin; check and delete in one transaction.
    public func remove(userID: Int64, organisationID: Int64) throws -> RemoveResult {
        try database.write { db in
            guard
                let role = try String.fetchOne(
                    db, sql: "SELECT role FROM organisation_members WHERE organisation_id = ? AND user_id = ?",
                    arguments: [organisationID, userID])
            else { return .notMember }
            if role == Role.admin.rawValue {
                let admins =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM organisation_members WHERE organisation_id = ? AND role = 'admin'",
                        arguments: [organisationID]) ?? 0
                if admins <= 1 { return .lastAdmin }
            }
            try db.execute(
                sql: "DELETE FROM organisation_members WHERE organisation_id = ? AND user_id = ?",
                arguments: [organisationID, userID])
            return .removed
        }
    }

    /// Stores an invitation under the hash of its link's token, valid until `expiresAt`.
    public func createInvitation(
        tokenHash: Data, organisationID: Int64, email: String, invitedBy userID: Int64, now: Date, expiresAt: Date
    ) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO email_tokens (token_hash, purpose, user_id, organisation_id, email, created_at, expires_at)
                    VALUES (?, 'invitation', ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tokenHash, userID, organisationID, email, SQLFragments.seconds(now),
                    SQLFragments.seconds(expiresAt),
                ])
        }
    }

    /// How many invitations the organisation sent since `since` (a cap keeps the site from mailing strangers in bulk).
    public func invitationCount(organisationID: Int64, since: Date) throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM email_tokens
                    WHERE purpose = 'invitation' AND organisation_id = ? AND created_at >= ?
                    """,
                arguments: [organisationID, SQLFragments.seconds(since)]) ?? 0
        }
    }

    /// Invitations not yet accepted and not expired, newest first.
    public func openInvitations(organisationID: Int64, now: Date) throws -> [Invitation] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    \(Self.selectInvitation)
                    WHERE t.purpose = 'invitation' AND t.organisation_id = ? AND t.used_at IS NULL AND t.expires_at > ?
                    ORDER BY t.created_at DESC
                    """,
                arguments: [organisationID, SQLFragments.seconds(now)]
            ).map(Self.invitation)
        }
    }

    /// What the token with this hash stands for now.
    public func invitation(tokenHash: Data, now: Date) throws -> InvitationLookup {
        try database.read { db in try Self.lookup(db, tokenHash, now) }
    }

    /// Joins the invitation's organisation as a member and uses the token up, in one transaction: a link
    /// works once, even when two requests race.
    public func acceptInvitation(tokenHash: Data, userID: Int64, now: Date) throws -> AcceptResult {
        try database.write { db in
            switch try Self.lookup(db, tokenHash, now) {
            case .unknown: return .unknown
            case .used: return .used
            case .expired: return .expired
            case .valid(let invitation):
                let isMember =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM organisation_members WHERE organisation_id = ? AND user_id = ?)
                            """,
                        arguments: [invitation.organisationID, userID]) ?? false
                // A member who follows the link (an admin checking it) leaves it for the person it was meant for.
                if isMember { return .alreadyMember(organisationID: invitation.organisationID) }
                try db.execute(
                    sql: "UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND purpose = 'invitation'",
                    arguments: [SQLFragments.seconds(now), tokenHash])
                try db.execute(
                    sql: """
                        INSERT INTO organisation_members (organisation_id, user_id, role, created_at)
                        VALUES (?, ?, 'member', ?)
                        """,
                    arguments: [invitation.organisationID, userID, SQLFragments.seconds(now)])
                return .joined(organisationID: invitation.organisationID)
            }
        }
    }

    private static let selectInvitation = """
        SELECT t.organisation_id, o.name AS organisation_name, COALESCE(u.display_name, '') AS inviter_name, t.email,
            t.expires_at, t.used_at
        FROM email_tokens t JOIN organisations o ON o.id = t.organisation_id LEFT JOIN users u ON u.id = t.user_id
        """

    private static func lookup(_ db: Database, _ tokenHash: Data, _ now: Date) throws -> InvitationLookup {
        guard
            let row = try Row.fetchOne(
                db, sql: "\(selectInvitation) WHERE t.token_hash = ? AND t.purpose = 'invitation'",
                arguments: [tokenHash])
        else { return .unknown }
        if (row["used_at"] as Int64?) != nil { return .used }
        if (row["expires_at"] as Int64) <= SQLFragments.seconds(now) { return .expired }
        return .valid(invitation(row))
    }

    private static func invitation(_ row: Row) -> Invitation {
        Invitation(
            organisationID: row["organisation_id"], organisationName: row["organisation_name"],
            inviterName: row["inviter_name"], email: row["email"],
            expiresAt: Date(timeIntervalSince1970: TimeInterval(row["expires_at"] as Int64)))
    }
}
