import Domain
import GRDB

/// An organisation row before it is inserted; times are Unix seconds.
struct OrganisationRecord {
    var patternKey: String
    var name: String
    var legalForm: LegalForm
    var description: String
    var municipalityID: Int64
    var municipalityName: String
    var street: String
    var postalCode: String
    var contactName: String
    var email: String
    var phone: String
    var website: String
    var state: OrganisationState
    var rejectionReason: String?
    var createdAt: Int64
    var updatedAt: Int64
    var approvedAt: Int64?
    var topicIDs: [Int64]
    /// Set once inserted.
    var id: Int64 = 0
}

/// A listing row before it is inserted.
struct ListingRecord {
    var kind: ListingKind
    var title: String
    var summary: String
    var description: String
    var organisationID: Int64?
    var posterName: String
    var municipalityID: Int64
    var locationText: String
    var timeCommitment: TimeCommitment
    var hoursPerMonth: Int?
    var scheduleText: String
    var requirements: String
    var germanLevel: GermanLevel
    var contactLanguages: String
    var quantity: String
    var itemCondition: ItemCondition?
    var pickupText: String
    var contactName: String
    var contactEmail: String
    var contactPhone: String
    var state: PublicationState
    var rejectionReason: String?
    var createdAt: Int64
    var updatedAt: Int64
    var publishedAt: Int64?
    var expiresAt: Int64?
    var topicIDs: [Int64]
}

/// An event row before it is inserted.
struct EventRecord {
    var title: String
    var summary: String
    var description: String
    var eventType: EventType
    var organisationID: Int64?
    var organiserName: String
    var municipalityID: Int64
    var venue: String
    var address: String
    var startsAt: Int64
    var endsAt: Int64?
    var registrationRequired: Bool
    var costText: String
    var contactEmail: String
    var state: PublicationState
    var rejectionReason: String?
    var createdAt: Int64
    var updatedAt: Int64
    var publishedAt: Int64?
    var topicIDs: [Int64]
}

/// Inserts seed rows through statements prepared once per transaction (fast enough for 100,000 listings).
struct SeedWriter {
    private let db: Database
    private let organisationStatement: Statement
    private let organisationTopicStatement: Statement
    private let listingStatement: Statement
    private let listingTopicStatement: Statement
    private let eventStatement: Statement
    private let eventTopicStatement: Statement

    init(_ db: Database) throws {
        self.db = db
        organisationStatement = try db.makeStatement(
            sql: """
                INSERT INTO organisations (name, legal_form, description, municipality_id, street, postal_code,
                    contact_name, email, phone, website, state, rejection_reason, created_at, updated_at, approved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        organisationTopicStatement = try db.makeStatement(
            sql: "INSERT INTO organisation_topics (organisation_id, topic_id) VALUES (?, ?)")
        listingStatement = try db.makeStatement(
            sql: """
                INSERT INTO listings (kind, title, summary, description, organisation_id, poster_name,
                    municipality_id, location_text, time_commitment, hours_per_month, schedule_text, requirements,
                    german_level, contact_languages, quantity, item_condition, pickup_text, contact_name,
                    contact_email, contact_phone, state, rejection_reason, created_at, updated_at, published_at,
                    expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        listingTopicStatement = try db.makeStatement(
            sql: "INSERT INTO listing_topics (listing_id, topic_id) VALUES (?, ?)")
        eventStatement = try db.makeStatement(
            sql: """
                INSERT INTO events (title, summary, description, event_type, organisation_id, organiser_name,
                    municipality_id, venue, address, starts_at, ends_at, registration_required, cost_text,
                    contact_email, state, rejection_reason, created_at, updated_at, published_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        eventTopicStatement = try db.makeStatement(sql: "INSERT INTO event_topics (event_id, topic_id) VALUES (?, ?)")
    }

    /// Inserts the organisation and its topics; returns the new id.
    func insert(_ record: OrganisationRecord) throws -> Int64 {
        var arguments: StatementArguments = [
            record.name, record.legalForm.rawValue, record.description, record.municipalityID, record.street,
            record.postalCode, record.contactName, record.email, record.phone, record.website,
        ]
        arguments += [record.state.rawValue, record.rejectionReason, record.createdAt, record.updatedAt]
        arguments += [record.approvedAt]
        try organisationStatement.execute(arguments: arguments)
        let id = db.lastInsertedRowID
        for topicID in record.topicIDs {
            try organisationTopicStatement.execute(arguments: [id, topicID])
        }
        return id
    }

    /// Inserts the listing and its topics; returns the new id.
    @discardableResult
    func insert(_ record: ListingRecord) throws -> Int64 {
        var arguments: StatementArguments = [
            record.kind.rawValue, record.title, record.summary, record.description, record.organisationID,
            record.posterName, record.municipalityID, record.locationText, record.timeCommitment.rawValue,
            record.hoursPerMonth,
        ]
        arguments += [
            record.scheduleText, record.requirements, record.germanLevel.rawValue, record.contactLanguages,
            record.quantity, record.itemCondition?.rawValue, record.pickupText, record.contactName,
        ]
        arguments += [
            record.contactEmail, record.contactPhone, record.state.rawValue, record.rejectionReason,
            record.createdAt, record.updatedAt, record.publishedAt, record.expiresAt,
        ]
        try listingStatement.execute(arguments: arguments)
        let id = db.lastInsertedRowID
        for topicID in record.topicIDs {
            try listingTopicStatement.execute(arguments: [id, topicID])
        }
        return id
    }

    /// Inserts the event and its topics; returns the new id.
    @discardableResult
    func insert(_ record: EventRecord) throws -> Int64 {
        var arguments: StatementArguments = [
            record.title, record.summary, record.description, record.eventType.rawValue, record.organisationID,
            record.organiserName, record.municipalityID, record.venue, record.address, record.startsAt,
        ]
        arguments += [
            record.endsAt, record.registrationRequired ? 1 : 0, record.costText, record.contactEmail,
            record.state.rawValue, record.rejectionReason, record.createdAt, record.updatedAt, record.publishedAt,
        ]
        try eventStatement.execute(arguments: arguments)
        let id = db.lastInsertedRowID
        for topicID in record.topicIDs {
            try eventTopicStatement.execute(arguments: [id, topicID])
        }
        return id
    }
}
