import Domain
import Foundation
import Storage

/// Housekeeping of accounts, run periodically: unconfirmed registrations expire after 7 days (with the
/// pending organisations they registered and their logos), e-mail links and sessions past their end go.
public enum AccountMaintenance {
    /// How long a registration may stay unconfirmed (as long as its confirmation link works).
    public static let unconfirmedLifetime: TimeInterval = AccountLinks.confirmValidity

    /// What one run removed.
    public struct Report: Sendable, Equatable {
        public var accounts: Int
        public var organisations: Int
        public var emailTokens: Int
        public var sessions: Int
    }

    /// One pass; safe to run at any time and as often as wanted.
    @discardableResult
    public static func run(_ app: Application, now: Date) throws -> Report {
        let purge = try app.users.purgeUnconfirmedAccounts(olderThan: unconfirmedLifetime, now: now)
        for name in purge.imageNames where ImageName.isStoredName(name) {
            try? FileManager.default.removeItem(atPath: app.images.directory + "/" + name)
        }
        let tokens = try EmailTokenStore(database: app.database).purgeExpired(now: now)
        let sessions = try app.sessions.store.purgeExpired(now: now, idleTimeout: app.sessions.idleTimeout)
        return Report(
            accounts: purge.accounts, organisations: purge.organisations, emailTokens: tokens, sessions: sessions)
    }

    private enum ImageName {
        /// Only names `ImageStore` makes (hex and one extension) are turned into paths.
        static func isStoredName(_ name: String) -> Bool {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[0].utf8.count == 32
                && parts[0].utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
                && ImageKind.allCases.map(\.fileExtension).contains(String(parts[1]))
        }
    }
}

/// `boerse user add`: creates a confirmed staff or admin account. The command reads the password from
/// standard input when it is not a terminal; otherwise one is generated here and shown once.
public enum StaffAccountCreation {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case roleNotAllowed
        case invalidName
        case emptyPassword

        public var description: String {
            switch self {
            case .roleNotAllowed: "only staff and admin accounts are created on the command line"
            case .invalidName: "the name must be 1 to 100 characters on one line"
            case .emptyPassword: "the first line of standard input (the password) is empty"
            }
        }
    }

    /// The new account, and the password if it was generated (to print once; it is stored only hashed).
    public struct Created: Sendable, Equatable {
        public var id: Int64
        public var generatedPassword: String?
    }

    /// Creates the account; `password` nil means "generate one". Throws `Failure` or
    /// `Application.AccountError` (invalid address, taken address, password refused by the policy).
    public static func add(
        to app: Application, role: Role, email: String, name: String, password: String?
    ) throws -> Created {
        guard role == .staff || role == .admin else { throw Failure.roleNotAllowed }
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        guard !trimmedName.isEmpty, trimmedName.count <= AccountFields.maximumNameLength,
            !trimmedName.contains(where: {
                $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control }
            })
        else { throw Failure.invalidName }
        if let password, password.isEmpty { throw Failure.emptyPassword }
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        let chosen = password ?? generatePassword(acceptedBy: app.passwordPolicy, email: address, name: trimmedName)
        let id = try app.addAccount(email: address, name: trimmedName, role: role, password: chosen)
        return Created(id: id, generatedPassword: password == nil ? chosen : nil)
    }

    /// The password from piped standard input: its first line, without the line ending (spaces are kept:
    /// they may belong to it).
    public static func firstLine(of data: Data) -> String {
        // "\r\n" is one Character, and a newline like "\n" and "\r".
        String(String(decoding: data, as: UTF8.self).prefix { !$0.isNewline })
    }

    /// 20 characters of base64url from the CSPRNG (120 bits), drawn again in the unlikely case the
    /// policy objects (a name part happening to appear in it).
    static func generatePassword(acceptedBy policy: PasswordPolicy, email: String, name: String) -> String {
        while true {
            let candidate = String(SecureRandom.token().prefix(20))
            if policy.problem(with: candidate, email: email, name: name) == nil { return candidate }
        }
    }
}
