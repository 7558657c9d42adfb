import Domain
import Foundation
import GRDB

/// The account a request acts for, as a session finds it.
public struct SessionUser: Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var displayName: String
    public var role: Role
}

/// A live server-side session and its account.
public struct StoredSession: Sendable, Equatable {
    public var user: SessionUser
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
}

/// Server-side sessions, found by the SHA-256 hash of the cookie value (the value itself is never stored).
public struct SessionStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Stores a new session for `userID`.
    public func create(tokenHash: Data, userID: Int64, csrfToken: String, now: Date, expiresAt: Date) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tokenHash, userID, csrfToken, SQLFragments.seconds(now), SQLFragments.seconds(now),
                    SQLFragments.seconds(expiresAt),
                ])
        }
    }

    /// The session with this hash if it is still valid at `now` (before its absolute end, active within
    /// `idleTimeout`, account confirmed and not disabled); nil otherwise.
    public func find(tokenHash: Data, now: Date, idleTimeout: TimeInterval) throws -> StoredSession? {
        let seconds = SQLFragments.seconds(now)
        return try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
                            u.id, u.email, u.display_name, u.role
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?
                            AND u.email_confirmed_at IS NOT NULL AND u.disabled_at IS NULL
                        """,
                    arguments: [tokenHash, seconds, seconds - Int64(idleTimeout)])
            else { return nil }
            return StoredSession(
                user: SessionUser(
                    id: row["id"], email: row["email"], displayName: row["display_name"],
                    role: try enumValue(row, "role")),
                csrfToken: row["csrf_token"],
                createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
                lastSeenAt: Date(timeIntervalSince1970: TimeInterval(row["last_seen_at"] as Int64)),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(row["expires_at"] as Int64)))
        }
    }

    /// Records activity; callers throttle it so that not every request writes.
    public func touch(tokenHash: Data, now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                arguments: [SQLFragments.seconds(now), tokenHash])
        }
    }

    public func delete(tokenHash: Data) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    /// Ends every session of an account, except `keeping` when given ("log out everywhere else").
    public func deleteAll(userID: Int64, keeping: Data? = nil) throws {
        try database.write { db in
            if let keeping {
                try db.execute(
                    sql: "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", arguments: [userID, keeping])
            } else {
                try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
            }
        }
    }

    /// The number of sessions an account has (for tests and the account page).
    public func count(userID: Int64) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE user_id = ?", arguments: [userID]) ?? 0
        }
    }

    /// Deletes sessions past their absolute end or idle for longer than `idleTimeout`.
    @discardableResult
    public func purgeExpired(now: Date, idleTimeout: TimeInterval) throws -> Int {
        let seconds = SQLFragments.seconds(now)
        return try database.write { db in
            try db.execute(
                sql: "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                arguments: [seconds, seconds - Int64(idleTimeout)])
            return db.changesCount
        }
    }
}
