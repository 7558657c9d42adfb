import Domain
import Foundation
import GRDB

/// Organisations in any state, for their own members and for staff: the vetting decisions (approve, reject
/// with a reason) and profile changes. Public pages read only approved ones through `OrganisationStore`.
public struct OrganisationAdminStore: Sendable {
    /// An organisation waiting for a staff decision, as the list shows it.
    public struct PendingOrganisation: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var legalForm: LegalForm
        public var municipalityName: String
        public var contactName: String
        public var email: String
        public var phone: String
        public var registeredAt: Date
    }

    /// Everything stored about an organisation, whatever its state.
    public struct Profile: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var legalForm: LegalForm
        public var description: String
        public var municipalityID: Int64
        public var municipality: Label
        public var street: String
        public var postalCode: String
        public var city: String
        public var contactName: String
        public var email: String
        public var phone: String
        public var website: String
        public var logoImage: String?
        public var state: OrganisationState
        public var rejectionReason: String?
        public var topics: [Label]
        public var createdAt: Date
        public var updatedAt: Date
        public var approvedAt: Date?
        /// The account that registered the organisation, if it still exists.
        public var registeredBy: String?
        /// Whether that account confirmed its address (staff decide only on confirmed registrations).
        public var registrationConfirmed: Bool
    }

    /// The fields the organisation's admins may change. State, trust and approval are not among them.
    public struct ProfileChange: Sendable, Equatable {
        public var name: String
        public var legalForm: LegalForm
        public var description: String
        public var municipalityID: Int64
        public var street: String
        public var postalCode: String
        public var city: String
        public var contactName: String
        public var email: String
        public var phone: String
        public var website: String
        public var topicIDs: [Int64]
        /// A newly stored logo; nil keeps the current one.
        public var newLogoImage: String?

        public init(
            name: String, legalForm: LegalForm, description: String, municipalityID: Int64, street: String,
            postalCode: String, city: String, contactName: String, email: String, phone: String, website: String,
            topicIDs: [Int64], newLogoImage: String?
        ) {
            self.name = name
            self.legalForm = legalForm
            self.description = description
            self.municipalityID = municipalityID
            self.street = street
            self.postalCode = postalCode
            self.city = city
            self.contactName = contactName
            self.email = email
            self.phone = phone
            self.website = website
            self.topicIDs = topicIDs
            self.newLogoImage = newLogoImage
        }
    }

    /// The outcome of a staff decision.
    public enum DecisionResult: Sendable, Equatable {
        case changed(from: OrganisationState, to: OrganisationState)
        /// The lifecycle does not allow the action in the current state; nothing was changed.
        case notAllowed(current: OrganisationState)
        case notFound
    }

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The condition for "the registration is complete": the registering account confirmed its address.
    /// Organisations without a recorded registering account (created by staff or imported) count as complete.
    static let registrationConfirmed = """
        (o.created_by_user_id IS NULL OR EXISTS (
            SELECT 1 FROM users u WHERE u.id = o.created_by_user_id AND u.email_confirmed_at IS NOT NULL))
        """

    /// Pending organisations with a confirmed registration, oldest first.
    public func pending(limit: Int = 500) throws -> [PendingOrganisation] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.name, o.legal_form, o.contact_name, o.email, o.phone, o.created_at,
                        m.name AS m_name
                    FROM organisations o JOIN municipalities m ON m.id = o.municipality_id
                    WHERE o.state = 'pending' AND \(Self.registrationConfirmed)
                    ORDER BY o.created_at, o.id LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                PendingOrganisation(
                    id: row["id"], name: row["name"], legalForm: try enumValue(row, "legal_form"),
                    municipalityName: row["m_name"], contactName: row["contact_name"], email: row["email"],
                    phone: row["phone"],
                    registeredAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
            }
        }
    }

    /// The number of pending organisations with a confirmed registration.
    public func pendingCount() throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM organisations o WHERE o.state = 'pending' AND \(Self.registrationConfirmed)"
            ) ?? 0
        }
    }

    /// An organisation in any state, or nil.
    public func profile(id: Int64) throws -> Profile? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.*, m.slug AS m_slug, m.name AS m_name, u.display_name AS creator_name,
                            \(Self.registrationConfirmed) AS confirmed
                        FROM organisations o JOIN municipalities m ON m.id = o.municipality_id
                        LEFT JOIN users u ON u.id = o.created_by_user_id
                        WHERE o.id = ?
                        """,
                    arguments: [id])
            else { return nil }
            let topics =
                try TopicLabels.forRows(ids: [id], table: "organisation_topics", column: "organisation_id", db: db)[id]
                ?? []
            return Profile(
                id: id, name: row["name"], legalForm: try enumValue(row, "legal_form"), description: row["description"],
                municipalityID: row["municipality_id"], municipality: Label(slug: row["m_slug"], name: row["m_name"]),
                street: row["street"], postalCode: row["postal_code"], city: row["city"],
                contactName: row["contact_name"], email: row["email"], phone: row["phone"], website: row["website"],
                logoImage: row["logo_image"], state: try enumValue(row, "state"),
                rejectionReason: row["rejection_reason"], topics: topics,
                createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
                updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)),
                approvedAt: date(row["approved_at"]), registeredBy: row["creator_name"],
                registrationConfirmed: row["confirmed"])
        }
    }

    /// Applies a staff decision by the organisation lifecycle (`OrganisationState.applying`), in one
    /// transaction: approving sets `approved_at` and clears an old reason; rejecting stores `reason`.
    public func decide(
        organisationID: Int64, action: OrganisationState.Action, reason: String?, now: Date
    ) throws -> DecisionResult {
        try database.write { db in
            guard
                let raw = try String.fetchOne(
                    db, sql: "SELECT state FROM organisations WHERE id = ?", arguments: [organisationID])
            else { return .notFound }
            guard let current = OrganisationState(rawValue: raw) else {
                throw StorageError.unknownValue(column: "state")
            }
            guard let next = current.applying(action) else { return .notAllowed(current: current) }
            let seconds = SQLFragments.seconds(now)
            switch next {
            case .approved:
                try db.execute(
                    sql: """
                        UPDATE organisations SET state = ?, approved_at = COALESCE(approved_at, ?),
                            rejection_reason = NULL, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [next.rawValue, seconds, seconds, organisationID])
            case .rejected:
                try db.execute(
                    sql: "UPDATE organisations SET state = ?, rejection_reason = ?, updated_at = ? WHERE id = ?",
                    arguments: [next.rawValue, reason, seconds, organisationID])
            case .pending, .suspended:
                try db.execute(
                    sql: "UPDATE organisations SET state = ?, updated_at = ? WHERE id = ?",
                    arguments: [next.rawValue, seconds, organisationID])
            }
            return .changed(from: current, to: next)
        }
    }

    /// Replaces the profile fields and topics in one transaction. The state is left as it is: staff vetted the
    /// organisation, not a particular wording of its description.
    public func updateProfile(id: Int64, _ change: ProfileChange, now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE organisations SET name = ?, legal_form = ?, description = ?, municipality_id = ?,
                        street = ?, postal_code = ?, city = ?, contact_name = ?, email = ?, phone = ?, website = ?,
                        logo_image = COALESCE(?, logo_image), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    change.name, change.legalForm.rawValue, change.description, change.municipalityID, change.street,
                    change.postalCode, change.city, change.contactName, change.email, change.phone, change.website,
                    change.newLogoImage, SQLFragments.seconds(now), id,
                ])
            try db.execute(sql: "DELETE FROM organisation_topics WHERE organisation_id = ?", arguments: [id])
            for topicID in Set(change.topicIDs) {
                try db.execute(
                    sql: "INSERT INTO organisation_topics (organisation_id, topic_id) VALUES (?, ?)",
                    arguments: [id, topicID])
            }
        }
    }
}
