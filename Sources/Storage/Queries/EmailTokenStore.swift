import Foundation
import GRDB

/// What a link sent by e-mail is for.
public enum EmailTokenPurpose: String, Sendable, CaseIterable {
    case confirmAccount = "confirm_account"
    case resetPassword = "reset_password"
    case changeEmail = "change_email"
    case invitation
}

/// A stored e-mail link (its token is known only by its hash).
public struct EmailToken: Sendable, Equatable {
    public var purpose: EmailTokenPurpose
    public var userID: Int64?
    public var organisationID: Int64?
    /// The address the link was sent to (for an address change: the new address).
    public var email: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
}

/// Where a link stands when someone opens or uses it.
public enum EmailTokenState: Sendable, Equatable {
    /// Unused and before its end: it may be used now.
    case usable(EmailToken)
    /// Used once already; links work only once.
    case used
    /// Past its end (and never used).
    case expired
    /// No such link, or one for another purpose.
    case unknown
}

/// Single-use links sent by e-mail (account confirmation, password reset, address change, invitation),
/// stored as SHA-256 hashes of their tokens: a leaked database holds no usable link.
public struct EmailTokenStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Stores a new link valid until `now + validity`.
    public func create(
        tokenHash: Data, purpose: EmailTokenPurpose, userID: Int64?, organisationID: Int64? = nil, email: String,
        now: Date, validity: TimeInterval
    ) throws {
        try database.write { db in
            try Self.insert(
                db, tokenHash: tokenHash, purpose: purpose, userID: userID, organisationID: organisationID,
                email: email, now: now, validity: validity)
        }
    }

    /// Replaces the account's unused links of `purpose` with a new one (a second "send me the link"
    /// leaves one valid link, the newest).
    public func replace(
        tokenHash: Data, purpose: EmailTokenPurpose, userID: Int64, email: String, now: Date, validity: TimeInterval
    ) throws {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM email_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
                arguments: [userID, purpose.rawValue])
            try Self.insert(
                db, tokenHash: tokenHash, purpose: purpose, userID: userID, organisationID: nil, email: email, now: now,
                validity: validity)
        }
    }

    /// Inserts a link inside a caller's transaction.
    public static func insert(
        _ db: Database, tokenHash: Data, purpose: EmailTokenPurpose, userID: Int64?, organisationID: Int64?,
        email: String, now: Date, validity: TimeInterval
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO email_tokens (token_hash, purpose, user_id, organisation_id, email, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                tokenHash, purpose.rawValue, userID, organisationID, email, SQLFragments.seconds(now),
                SQLFragments.seconds(now.addingTimeInterval(validity)),
            ])
    }

    /// The state of a link of `purpose` at `now`, without using it (a link's page shows it before the button).
    public func state(tokenHash: Data, purpose: EmailTokenPurpose, now: Date) throws -> EmailTokenState {
        try database.read { db in try Self.state(db, tokenHash: tokenHash, purpose: purpose, now: now) }
    }

    /// The state of a link inside a caller's transaction.
    public static func state(_ db: Database, tokenHash: Data, purpose: EmailTokenPurpose, now: Date) throws
        -> EmailTokenState
    {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT purpose, user_id, organisation_id, email, created_at, expires_at, used_at
                    FROM email_tokens WHERE token_hash = ? AND purpose = ?
                    """,
                arguments: [tokenHash, purpose.rawValue])
        else { return .unknown }
        let token = try Self.token(row)
        if token.usedAt != nil { return .used }
        // A link is usable while now < expires_at.
        if SQLFragments.seconds(now) >= SQLFragments.seconds(token.expiresAt) { return .expired }
        return .usable(token)
    }

    /// Uses a link inside a caller's transaction: if it is usable it is marked used and returned as
    /// `.usable`; otherwise nothing changes and the state says why. Two concurrent uses cannot both succeed
    /// (writes are serialised and the second sees `used_at`).
    public static func consume(_ db: Database, tokenHash: Data, purpose: EmailTokenPurpose, now: Date) throws
        -> EmailTokenState
    {
        let state = try state(db, tokenHash: tokenHash, purpose: purpose, now: now)
        guard case .usable = state else { return state }
        try db.execute(
            sql: "UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            arguments: [SQLFragments.seconds(now), tokenHash])
        return db.changesCount == 1 ? state : .used
    }

    /// Deletes the account's links of `purpose` (all of them, used or not).
    public func deleteAll(userID: Int64, purpose: EmailTokenPurpose) throws {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM email_tokens WHERE user_id = ? AND purpose = ?",
                arguments: [userID, purpose.rawValue])
        }
    }

    /// How many links of `purpose` an account has, used or not (for tests and checks).
    public func count(userID: Int64, purpose: EmailTokenPurpose) throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM email_tokens WHERE user_id = ? AND purpose = ?",
                arguments: [userID, purpose.rawValue]) ?? 0
        }
    }

    /// Deletes links past their end, used or not; a used link stays until then, so that opening it again
    /// says "already used" rather than "unknown".
    @discardableResult
    public func purgeExpired(now: Date) throws -> Int {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM email_tokens WHERE expires_at <= ?", arguments: [SQLFragments.seconds(now)])
            return db.changesCount
        }
    }

    static func token(_ row: Row) throws -> EmailToken {
        EmailToken(
            purpose: try enumValue(row, "purpose"), userID: row["user_id"], organisationID: row["organisation_id"],
            email: row["email"], createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(row["expires_at"] as Int64)),
            usedAt: date(row["used_at"]))
    }
}
