import Domain
import Foundation
import GRDB

/// An account as login and the account pages need it.
public struct Account: Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var displayName: String
    public var role: Role
    public var passwordHash: String?
    public var emailConfirmedAt: Date?
    public var disabledAt: Date?
    public var createdAt: Date
    /// The code of the language the person last used the site in (`de` until they register or log in
    /// in another one); mail that others cause them to get is written in it.
    public var language: String

    public var isConfirmed: Bool { emailConfirmedAt != nil }

    /// The language of accounts made before languages were stored, on the command line, and of addresses
    /// without an account: German, the source language (the column's default).
    public static let defaultLanguage = "de"
}

/// Accounts: creation, look-up, passwords and confirmation.
public struct UserStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public enum CreateError: Error, Equatable {
        /// The e-mail address (compared without case) already has an account.
        case emailTaken
    }

    /// Creates an account; unconfirmed unless `confirmedAt` is given (staff created on the command line).
    /// `language` is a language code (2–8 lowercase letters, checked by the table).
    @discardableResult
    public func create(
        email: String, displayName: String, role: Role, passwordHash: String, consentedAt: Date?, now: Date,
        confirmedAt: Date? = nil, language: String = Account.defaultLanguage
    ) throws -> Int64 {
        try database.write { db in
            try Self.insert(
                db, email, displayName, role, passwordHash, consentedAt, now, confirmedAt, language: language)
        }
    }

    /// Inserts an account inside a caller's transaction (registration also creates an organisation).
    public static func insert(
        _ db: Database, _ email: String, _ displayName: String, _ role: Role, _ passwordHash: String,
        _ consentedAt: Date?, _ now: Date, _ confirmedAt: Date? = nil, language: String = Account.defaultLanguage
    ) throws -> Int64 {
        let taken =
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", arguments: [email])
            ?? false
        if taken { throw CreateError.emailTaken }
        try db.execute(
            sql: """
                INSERT INTO users (email, display_name, role, password_hash, consented_at, created_at,
                    password_changed_at, email_confirmed_at, language)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                email, displayName, role.rawValue, passwordHash, consentedAt.map(SQLFragments.seconds),
                SQLFragments.seconds(now), SQLFragments.seconds(now), confirmedAt.map(SQLFragments.seconds), language,
            ])
        return db.lastInsertedRowID
    }

    public func account(email: String) throws -> Account? {
        try database.read { db in
            try Row.fetchOne(db, sql: "\(Self.select) WHERE email = ?", arguments: [email]).map(Self.account)
        }
    }

    public func account(id: Int64) throws -> Account? {
        try database.read { db in
            try Row.fetchOne(db, sql: "\(Self.select) WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    /// Replaces the password hash (password change, reset, re-hash with new parameters).
    public func setPasswordHash(_ hash: String, userID: Int64, now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                arguments: [hash, SQLFragments.seconds(now), userID])
        }
    }

    /// Marks the address as confirmed (double opt-in done); a second call keeps the first time.
    public func confirmEmail(userID: Int64, now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, ?) WHERE id = ?",
                arguments: [SQLFragments.seconds(now), userID])
        }
    }

    /// Remembers the language the person uses the site in (a language code, 2–8 lowercase letters).
    public func setLanguage(_ language: String, userID: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE users SET language = ? WHERE id = ?", arguments: [language, userID])
        }
    }

    /// Sets the account role (staff and admins are made on the command line or by an admin).
    public func setRole(_ role: Role, userID: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: [role.rawValue, userID])
        }
    }

    /// Deletes accounts whose address was never confirmed within `maximumAge` (with what they created,
    /// through the foreign keys), and organisations registered by them that have no other member.
    /// Returns the number of deleted accounts (see `purgeUnconfirmedAccounts` for the details).
    @discardableResult
    public func purgeUnconfirmed(olderThan maximumAge: TimeInterval, now: Date) throws -> Int {
        try purgeUnconfirmedAccounts(olderThan: maximumAge, now: now).accounts
    }

    /// Whether an account uses this address (compared without case).
    public func exists(email: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", arguments: [email])
                ?? false
        }
    }

    /// Confirms the account of a `confirm_account` link and uses the link, in one transaction.
    public func confirmAccount(tokenHash: Data, now: Date) throws -> LinkUse<Int64> {
        try database.write { db in
            let state = try EmailTokenStore.consume(db, tokenHash: tokenHash, purpose: .confirmAccount, now: now)
            guard case .usable(let token) = state, let userID = token.userID else { return LinkUse(state) }
            try db.execute(
                sql: "UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, ?) WHERE id = ?",
                arguments: [SQLFragments.seconds(now), userID])
            return .done(userID)
        }
    }

    /// Sets a new password through a `reset_password` link, in one transaction: uses the link, replaces the
    /// hash, ends every session of the account and deletes its other unused reset links.
    public func resetPassword(tokenHash: Data, passwordHash: String, now: Date) throws -> LinkUse<Int64> {
        try database.write { db in
            let state = try EmailTokenStore.consume(db, tokenHash: tokenHash, purpose: .resetPassword, now: now)
            guard case .usable(let token) = state, let userID = token.userID else { return LinkUse(state) }
            try Self.replacePassword(db, userID: userID, passwordHash: passwordHash, now: now)
            return .done(userID)
        }
    }

    /// Sets a new password from the account page, in one transaction: replaces the hash, ends every session
    /// of the account (the caller starts a new one for the browser that changed it) and deletes unused reset
    /// links.
    public func changePassword(userID: Int64, passwordHash: String, now: Date) throws {
        try database.write { db in try Self.replacePassword(db, userID: userID, passwordHash: passwordHash, now: now) }
    }

    private static func replacePassword(_ db: Database, userID: Int64, passwordHash: String, now: Date) throws {
        try db.execute(
            sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            arguments: [passwordHash, SQLFragments.seconds(now), userID])
        try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
        // Used links stay until they expire, so that opening one again says "already used".
        try db.execute(
            sql: "DELETE FROM email_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
            arguments: [userID, EmailTokenPurpose.resetPassword.rawValue])
    }

    /// Stores a `change_email` link for `newEmail`, replacing earlier unused ones. Returns false, storing
    /// nothing, when the new address already has an account (the caller must not tell the person so).
    public func requestEmailChange(
        userID: Int64, newEmail: String, tokenHash: Data, now: Date, validity: TimeInterval
    ) throws -> Bool {
        try database.write { db in
            let taken =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", arguments: [newEmail]) ?? false
            if taken { return false }
            try db.execute(
                sql: "DELETE FROM email_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
                arguments: [userID, EmailTokenPurpose.changeEmail.rawValue])
            try EmailTokenStore.insert(
                db, tokenHash: tokenHash, purpose: .changeEmail, userID: userID, organisationID: nil, email: newEmail,
                now: now, validity: validity)
            return true
        }
    }

    /// Changes the address through a `change_email` link, in one transaction: uses the link, sets the new
    /// address and deletes the account's reset links (they were sent to the old address). If the new
    /// address got an account in the meantime, nothing changes and the answer is `.addressTaken`.
    public func confirmEmailChange(tokenHash: Data, now: Date) throws -> LinkUse<EmailChange> {
        try database.write { db in
            let state = try EmailTokenStore.state(db, tokenHash: tokenHash, purpose: .changeEmail, now: now)
            guard case .usable(let token) = state, let userID = token.userID,
                let row = try Row.fetchOne(
                    db, sql: "SELECT email, display_name FROM users WHERE id = ?", arguments: [userID])
            else { return LinkUse(state) }
            let taken =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ? AND id <> ?)",
                    arguments: [token.email, userID]) ?? false
            if taken { return .addressTaken }
            let used = try EmailTokenStore.consume(db, tokenHash: tokenHash, purpose: .changeEmail, now: now)
            guard case .usable = used else { return LinkUse(used) }
            try db.execute(sql: "UPDATE users SET email = ? WHERE id = ?", arguments: [token.email, userID])
            try db.execute(
                sql: "DELETE FROM email_tokens WHERE user_id = ? AND purpose = ?",
                arguments: [userID, EmailTokenPurpose.resetPassword.rawValue])
            return .done(
                EmailChange(
                    userID: userID, displayName: row["display_name"], oldEmail: row["email"], newEmail: token.email))
        }
    }

    /// What `purgeUnconfirmedAccounts` removed.
    public struct PurgeReport: Sendable, Equatable {
        public var accounts: Int
        public var organisations: Int
        /// Stored names of the removed organisations' logos; their rows in `images` are gone, the caller
        /// deletes the files.
        public var imageNames: [String]

        public init(accounts: Int, organisations: Int, imageNames: [String]) {
            self.accounts = accounts
            self.organisations = organisations
            self.imageNames = imageNames
        }
    }

    /// Deletes accounts whose address was not confirmed within `maximumAge`, with what they created
    /// (through the foreign keys), the pending organisations they registered that no confirmed person
    /// belongs to, and those organisations' logo records.
    public func purgeUnconfirmedAccounts(olderThan maximumAge: TimeInterval, now: Date) throws -> PurgeReport {
        let cutoff = SQLFragments.seconds(now) - Int64(maximumAge)
        return try database.write { db in
            let organisationCondition = """
                state = 'pending' AND created_by_user_id IN (
                    SELECT id FROM users WHERE email_confirmed_at IS NULL AND created_at < ?)
                AND NOT EXISTS (
                    SELECT 1 FROM organisation_members m JOIN users u ON u.id = m.user_id
                    WHERE m.organisation_id = organisations.id AND u.email_confirmed_at IS NOT NULL)
                """
            let logos = try String.fetchAll(
                db,
                sql: "SELECT logo_image FROM organisations WHERE logo_image IS NOT NULL AND \(organisationCondition)",
                arguments: [cutoff])
            try db.execute(sql: "DELETE FROM organisations WHERE \(organisationCondition)", arguments: [cutoff])
            let organisations = db.changesCount
            if !logos.isEmpty {
                try db.execute(
                    sql: "DELETE FROM images WHERE name IN (\(SQLFragments.placeholders(logos.count)))",
                    arguments: StatementArguments(logos))
            }
            try db.execute(
                sql: "DELETE FROM users WHERE email_confirmed_at IS NULL AND created_at < ?", arguments: [cutoff])
            return PurgeReport(accounts: db.changesCount, organisations: organisations, imageNames: logos)
        }
    }

    private static let select = """
        SELECT id, email, display_name, role, password_hash, email_confirmed_at, disabled_at, created_at, language
        FROM users
        """

    private static func account(_ row: Row) throws -> Account {
        Account(
            id: row["id"], email: row["email"], displayName: row["display_name"], role: try enumValue(row, "role"),
            passwordHash: row["password_hash"], emailConfirmedAt: date(row["email_confirmed_at"]),
            disabledAt: date(row["disabled_at"]),
            createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)), language: row["language"])
    }
}

/// The outcome of using a link sent by e-mail.
public enum LinkUse<Value: Sendable>: Sendable {
    /// The link was valid; it is used now and its change is made.
    case done(Value)
    /// The link was used before; links work once.
    case used
    case expired
    case unknown
    /// An address change whose new address has an account by now; nothing changed.
    case addressTaken

    init(_ state: EmailTokenState) {
        switch state {
        case .used: self = .used
        case .expired: self = .expired
        case .unknown, .usable: self = .unknown
        }
    }
}

extension LinkUse: Equatable where Value: Equatable {}

/// An address change that was confirmed: the old address gets a notice.
public struct EmailChange: Sendable, Equatable {
    public var userID: Int64
    public var displayName: String
    public var oldEmail: String
    public var newEmail: String

    public init(userID: Int64, displayName: String, oldEmail: String, newEmail: String) {
        self.userID = userID
        self.displayName = displayName
        self.oldEmail = oldEmail
        self.newEmail = newEmail
    }
}
