import Domain
import Foundation
import GRDB

/// The person who registers: an unconfirmed resident account with its confirmation link.
public struct NewAccount: Sendable, Equatable {
    public var email: String
    public var displayName: String
    public var passwordHash: String
    /// The SHA-256 of the `confirm_account` link's token.
    public var confirmTokenHash: Data
    /// How long the confirmation link works.
    public var confirmValidity: TimeInterval
    /// The code of the language of the registration page (see `Account.language`).
    public var language: String

    public init(
        email: String, displayName: String, passwordHash: String, confirmTokenHash: Data,
        confirmValidity: TimeInterval, language: String = Account.defaultLanguage
    ) {
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.confirmTokenHash = confirmTokenHash
        self.confirmValidity = confirmValidity
        self.language = language
    }
}

/// An organisation as its registration form describes it (already validated).
public struct NewOrganisation: Sendable, Equatable {
    public var name: String
    public var legalForm: LegalForm
    public var municipalityID: Int64
    public var street: String
    public var postalCode: String
    public var city: String
    public var contactName: String
    public var phone: String
    public var website: String
    public var description: String
    public var topicIDs: [Int64]
    /// The stored name of its logo (`ImageStore`), if one was sent.
    public var logoImage: String?

    public init(
        name: String, legalForm: LegalForm, municipalityID: Int64, street: String, postalCode: String, city: String,
        contactName: String, phone: String, website: String, description: String, topicIDs: [Int64],
        logoImage: String?
    ) {
        self.name = name
        self.legalForm = legalForm
        self.municipalityID = municipalityID
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.contactName = contactName
        self.phone = phone
        self.website = website
        self.description = description
        self.topicIDs = topicIDs
        self.logoImage = logoImage
    }
}

/// Registration: each form's rows are written in one transaction, so nothing half-registered remains.
public struct RegistrationStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Creates an unconfirmed resident and the confirmation link. Throws `UserStore.CreateError.emailTaken`,
    /// writing nothing, when the address has an account.
    @discardableResult
    public func registerPerson(_ account: NewAccount, now: Date) throws -> Int64 {
        try database.write { db in try Self.insertAccount(db, account, now: now) }
    }

    /// Creates an unconfirmed resident, the organisation (pending, registered by them), its topics, their
    /// admin membership and the confirmation link. Throws `UserStore.CreateError.emailTaken`, writing
    /// nothing, when the address has an account.
    @discardableResult
    public func registerOrganisation(_ organisation: NewOrganisation, account: NewAccount, now: Date) throws -> (
        userID: Int64, organisationID: Int64
    ) {
        try database.write { db in
            let userID = try Self.insertAccount(db, account, now: now)
            let seconds = SQLFragments.seconds(now)
            try db.execute(
                sql: """
                    INSERT INTO organisations (name, legal_form, description, municipality_id, street, postal_code,
                        city, contact_name, phone, website, state, logo_image, created_by_user_id, created_at,
                        updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
                    """,
                arguments: [
                    organisation.name, organisation.legalForm.rawValue, organisation.description,
                    organisation.municipalityID, organisation.street, organisation.postalCode, organisation.city,
                    organisation.contactName, organisation.phone, organisation.website, organisation.logoImage,
                    userID, seconds, seconds,
                ])
            let organisationID = db.lastInsertedRowID
            for topicID in Set(organisation.topicIDs).sorted() {
                try db.execute(
                    sql: "INSERT INTO organisation_topics (organisation_id, topic_id) VALUES (?, ?)",
                    arguments: [organisationID, topicID])
            }
            try db.execute(
                sql: """
                    INSERT INTO organisation_members (organisation_id, user_id, role, created_at)
                    VALUES (?, ?, 'admin', ?)
                    """,
                arguments: [organisationID, userID, seconds])
            return (userID, organisationID)
        }
    }

    private static func insertAccount(_ db: Database, _ account: NewAccount, now: Date) throws -> Int64 {
        let userID = try UserStore.insert(
            db, account.email, account.displayName, .resident, account.passwordHash, now, now,
            language: account.language)
        try EmailTokenStore.insert(
            db, tokenHash: account.confirmTokenHash, purpose: .confirmAccount, userID: userID, organisationID: nil,
            email: account.email, now: now, validity: account.confirmValidity)
        return userID
    }
}
