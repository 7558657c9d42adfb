import Domain
import Foundation
import GRDB

/// A person on the county's team (role `staff` or `admin`).
public struct StaffMember: Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var displayName: String
    public var role: Role
    /// When the account was created (the schema keeps no date of the role change).
    public var createdAt: Date

    public init(id: Int64, email: String, displayName: String, role: Role, createdAt: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.createdAt = createdAt
    }
}

/// The staff accounts an admin manages: who is on the team, and role changes. Every change ends all
/// sessions of the changed account in the same transaction (a privilege change means a new login and a
/// new session id), and the county always keeps at least one admin.
public struct StaffAccountStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The roles a team page may give: staff, admin, or back to resident (off the team).
    public static let assignableRoles: [Role] = [.staff, .admin, .resident]

    /// The outcome of a role change; only `.changed` changed anything.
    public enum RoleChange: Sendable, Equatable {
        case changed(from: Role, to: Role)
        /// The account has this role already.
        case unchanged
        /// No account with this address or id (for `changeRole`: none on the team).
        case notFound
        /// The account has not confirmed its address, or is disabled: it cannot log in.
        case notLoginable
        /// Admins do not change their own role (nobody locks the county out by a slip).
        case ownRole
        /// The change would leave the county without an admin who can log in.
        case lastAdmin
        /// The acting account is no admin (any longer).
        case notAllowed
        /// The role is not one a team page gives (only staff, admin, resident).
        case invalidRole
    }

    /// Staff and admins, admins first, then by name.
    public func members() throws -> [StaffMember] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, email, display_name, role, created_at FROM users
                    WHERE role IN ('staff', 'admin')
                    ORDER BY role = 'admin' DESC, display_name COLLATE NOCASE, id
                    """
            ).map { row in
                StaffMember(
                    id: row["id"], email: row["email"], displayName: row["display_name"],
                    role: try enumValue(row, "role"),
                    createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
            }
        }
    }

    /// Gives the account with `email` (compared without case) a team role, acting as `actorID`.
    /// `.notFound` and `.notLoginable` tell the admin the person must register and confirm first.
    public func addToTeam(email: String, role: Role, actorID: Int64) throws -> (userID: Int64?, change: RoleChange) {
        guard role == .staff || role == .admin else { return (nil, .invalidRole) }
        return try database.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE email = ?", arguments: [email])
            else { return (nil, .notFound) }
            return (id, try Self.change(db, userID: id, to: role, actorID: actorID, teamOnly: false))
        }
    }

    /// Changes the role of a team member (staff or admin) to `role`, acting as `actorID`; `.resident` takes
    /// them off the team. Accounts that are not on the team are `.notFound`.
    public func changeRole(userID: Int64, to role: Role, actorID: Int64) throws -> RoleChange {
        guard Self.assignableRoles.contains(role) else { return .invalidRole }
        return try database.write { db in
            try Self.change(db, userID: userID, to: role, actorID: actorID, teamOnly: true)
        }
    }

    /// The number of admins who can log in (confirmed, not disabled).
    public func activeAdminCount() throws -> Int {
        try database.read { db in try Self.activeAdminCount(db) }
    }

    private static func activeAdminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM users
                WHERE role = 'admin' AND email_confirmed_at IS NOT NULL AND disabled_at IS NULL
                """) ?? 0
    }

    private static func change(_ db: Database, userID: Int64, to role: Role, actorID: Int64, teamOnly: Bool) throws
        -> RoleChange
    {
        guard
            let target = try Row.fetchOne(
                db, sql: "SELECT role, email_confirmed_at, disabled_at FROM users WHERE id = ?", arguments: [userID])
        else { return .notFound }
        let current: Role = try enumValue(target, "role")
        let onTeam = current == .staff || current == .admin
        if teamOnly && !onTeam { return .notFound }
        let actorRole = try String.fetchOne(
            db, sql: "SELECT role FROM users WHERE id = ? AND disabled_at IS NULL", arguments: [actorID])
        guard actorRole == Role.admin.rawValue else { return .notAllowed }
        if current == role { return .unchanged }
        let loginable = (target["email_confirmed_at"] as Int64?) != nil && (target["disabled_at"] as Int64?) == nil
        if current == .admin, loginable, try activeAdminCount(db) <= 1 { return .lastAdmin }
        if userID == actorID { return .ownRole }
        // Taking someone off the team is always possible; giving rights needs an account that can log in.
        if role != .resident && !loginable { return .notLoginable }
        try db.execute(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: [role.rawValue, userID])
        try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
        return .changed(from: current, to: role)
    }
}
