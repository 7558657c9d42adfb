import Domain
import Foundation
import GRDB

/// Why a poster's change was refused. Checked inside the writing transaction, per object.
public enum PostingAccessError: Error, Equatable, CustomStringConvertible {
    /// No such listing or event.
    case notFound
    /// It exists, but the person is neither its poster nor a member of its organisation (or may not post
    /// for the organisation they named).
    case forbidden
    /// It is archived and can no longer be changed.
    case notEditable

    public var description: String {
        switch self {
        case .notFound: "posting not found"
        case .forbidden: "person may not change this posting"
        case .notEditable: "posting can no longer be edited"
        }
    }
}

/// What happens to a posting's picture when it is saved.
public enum PostingImageChange: Sendable, Equatable {
    case keep
    /// A newly stored image (its name in `images`).
    case replace(String)
    case remove
}

/// A stored listing as its poster's edit form needs it.
public struct StoredListing: Sendable, Equatable {
    public var id: Int64
    public var content: ListingContent
    public var organisationID: Int64?
    public var organisationName: String?
    public var createdByUserID: Int64?
    public var state: PublicationState
    public var rejectionReason: String?
    public var closedAt: Date?
    public var imageName: String?
    /// Its organisation is approved and trusted: saving keeps (or makes) it public without moderation.
    public var publishesDirectly: Bool
}

/// Creates and changes listings for their posters: organisation members and residents.
///
/// Every change checks in the same transaction that the person may make it: the poster
/// (`created_by_user_id`) or a member of the listing's organisation.
public struct ListingWriteStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Stores a new listing, for an organisation the person belongs to (approved or pending) or, without
    /// organisation, for the person themselves. Returns its id and state (`pending`, or `published` when the
    /// organisation is trusted and approved).
    public func create(
        _ content: ListingContent, organisationID: Int64?, userID: Int64, posterName: String, imageName: String?,
        now: Date, calendar: Calendar
    ) throws -> (id: Int64, state: PublicationState) {
        try database.write { db in
            var publishesDirectly = false
            if let organisationID {
                guard
                    let membership = try MembershipQueries.membership(
                        db, userID: userID, organisationID: organisationID),
                    membership.canPost
                else { throw PostingAccessError.forbidden }
                publishesDirectly = membership.publishesDirectly
            }
            let state = PostingLifecycle.initialState(publishesDirectly: publishesDirectly)
            let published = state == .published
            let seconds = SQLFragments.seconds(now)
            let expiry = PostingLifecycle.listingExpiry(publishedAt: now, endDay: content.endsAt, calendar: calendar)
            let head: [(any DatabaseValueConvertible)?] = [
                content.kind.rawValue, organisationID, posterName, userID, state.rawValue, seconds, seconds,
                published ? seconds : nil, published ? SQLFragments.seconds(expiry) : nil, imageName,
            ]
            try db.execute(
                sql: """
                    INSERT INTO listings (kind, organisation_id, poster_name, created_by_user_id, state, created_at,
                        updated_at, published_at, expires_at, image_name, \(Self.contentColumns.joined(separator: ", ")))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(SQLFragments.placeholders(Self.contentColumns.count)))
                    """,
                arguments: StatementArguments(head + Self.contentArguments(content)))
            let id = db.lastInsertedRowID
            try Self.replaceLinks(db, id: id, content: content)
            return (id, state)
        }
    }

    /// The listing for its edit form; throws `PostingAccessError` when it does not exist or is not theirs.
    public func editable(id: Int64, userID: Int64) throws -> StoredListing {
        try database.read { db in
            try Self.checkAccess(db, id: id, userID: userID)
            return try Self.stored(db, id: id)
        }
    }

    /// Saves the poster's changes. The state follows `PostingLifecycle.stateAfterEdit`: a published listing
    /// of an organisation that is not trusted goes back to `pending`. Returns the new state.
    @discardableResult
    public func update(
        id: Int64, content: ListingContent, userID: Int64, image: PostingImageChange, now: Date, calendar: Calendar
    ) throws -> PublicationState {
        try database.write { db in
            try Self.checkAccess(db, id: id, userID: userID)
            let current = try Self.stored(db, id: id)
            guard
                let state = PostingLifecycle.stateAfterEdit(current.state, publishesDirectly: current.publishesDirectly)
            else { throw PostingAccessError.notEditable }
            let seconds = SQLFragments.seconds(now)
            let row = try Row.fetchOne(
                db, sql: "SELECT published_at, expires_at, image_name FROM listings WHERE id = ?", arguments: [id])
            var publishedAt: Int64? = row?["published_at"]
            var expiresAt: Int64? = row?["expires_at"]
            if state == .published {
                // Published again after moderation would have been needed (expired, rejected): a new start.
                if current.state != .published || publishedAt == nil { publishedAt = seconds }
                let start = Date(timeIntervalSince1970: TimeInterval(publishedAt ?? seconds))
                expiresAt = SQLFragments.seconds(
                    PostingLifecycle.listingExpiry(publishedAt: start, endDay: content.endsAt, calendar: calendar))
            }
            var imageName: String? = row?["image_name"]
            switch image {
            case .keep: break
            case .replace(let name): imageName = name
            case .remove: imageName = nil
            }
            let assignments = Self.contentColumns.map { "\($0) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    UPDATE listings SET \(assignments), state = ?, published_at = ?, expires_at = ?, image_name = ?,
                        updated_at = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(
                    Self.contentArguments(content) + [state.rawValue, publishedAt, expiresAt, imageName, seconds, id]))
            try Self.replaceLinks(db, id: id, content: content)
            return state
        }
    }

    /// The poster closes the listing (found someone, items gone): it leaves the public pages.
    public func close(id: Int64, userID: Int64, now: Date) throws {
        try setClosed(id: id, userID: userID, closedAt: SQLFragments.seconds(now), now: now)
    }

    /// Opens a closed listing again; it is public again if its state allows.
    public func reopen(id: Int64, userID: Int64, now: Date) throws {
        try setClosed(id: id, userID: userID, closedAt: nil, now: now)
    }

    private func setClosed(id: Int64, userID: Int64, closedAt: Int64?, now: Date) throws {
        try database.write { db in
            try Self.checkAccess(db, id: id, userID: userID)
            try db.execute(
                sql: "UPDATE listings SET closed_at = ?, updated_at = ? WHERE id = ? AND state <> 'archived'",
                arguments: [closedAt, SQLFragments.seconds(now), id])
        }
    }

    /// Throws unless `userID` posted the listing or belongs to its organisation.
    static func checkAccess(_ db: Database, id: Int64, userID: Int64) throws {
        guard
            let allowed = try Bool.fetchOne(
                db,
                sql: """
                    SELECT l.created_by_user_id IS ? OR EXISTS (
                        SELECT 1 FROM organisation_members m
                        WHERE m.organisation_id = l.organisation_id AND m.user_id = ?)
                    FROM listings l WHERE l.id = ?
                    """,
                arguments: [userID, userID, id])
        else { throw PostingAccessError.notFound }
        if !allowed { throw PostingAccessError.forbidden }
    }

    static let contentColumns = [
        "title", "summary", "description", "municipality_id", "location_text", "address_text", "time_commitment",
        "one_off_at", "hours_per_week", "starts_at", "ends_at", "minimum_age", "police_clearance", "german_level",
        "barrier_free", "requirements", "insurance_text", "expense_allowance_text", "contact_name", "show_phone",
        "contact_phone", "contact_languages", "dropoff_text", "item_condition", "delivery",
    ]

    static func contentArguments(_ content: ListingContent) -> [(any DatabaseValueConvertible)?] {
        [
            content.title, content.summary, content.description, content.municipalityID, content.locationText,
            content.addressText, content.timeCommitment.rawValue, content.oneOffAt.map(SQLFragments.seconds),
            content.hoursPerWeek, content.startsAt.map(SQLFragments.seconds), content.endsAt.map(SQLFragments.seconds),
            content.minimumAge, content.policeClearance, content.germanLevel.rawValue, content.barrierFree,
            content.requirements, content.insuranceText, content.expenseAllowanceText, content.contactName,
            content.showPhone, content.contactPhone, content.contactLanguages.joined(separator: ","),
            content.dropoffText, content.itemCondition?.rawValue, content.delivery?.rawValue,
        ]
    }

    private static func replaceLinks(_ db: Database, id: Int64, content: ListingContent) throws {
        try db.execute(sql: "DELETE FROM listing_topics WHERE listing_id = ?", arguments: [id])
        for topicID in content.topicIDs {
            try db.execute(
                sql: "INSERT INTO listing_topics (listing_id, topic_id) VALUES (?, ?)", arguments: [id, topicID])
        }
        try db.execute(sql: "DELETE FROM listing_items WHERE listing_id = ?", arguments: [id])
        for (position, item) in content.items.enumerated() {
            try db.execute(
                sql: "INSERT INTO listing_items (listing_id, position, name, quantity) VALUES (?, ?, ?, ?)",
                arguments: [id, position + 1, item.name, item.quantity])
        }
    }

    static func stored(_ db: Database, id: Int64) throws -> StoredListing {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT l.*, o.name AS o_name, o.state AS o_state, o.trusted AS o_trusted FROM listings l
                    LEFT JOIN organisations o ON o.id = l.organisation_id WHERE l.id = ?
                    """,
                arguments: [id])
        else { throw PostingAccessError.notFound }
        let topicIDs = try Int64.fetchAll(
            db, sql: "SELECT topic_id FROM listing_topics WHERE listing_id = ? ORDER BY topic_id", arguments: [id])
        let items = try ListingStore.items(db, listingID: id).map {
            ListingContent.Item(name: $0.name, quantity: $0.quantity)
        }
        let content = ListingContent(
            kind: try enumValue(row, "kind"), title: row["title"], summary: row["summary"],
            description: row["description"], municipalityID: row["municipality_id"], locationText: row["location_text"],
            addressText: row["address_text"], topicIDs: topicIDs, timeCommitment: try enumValue(row, "time_commitment"),
            oneOffAt: date(row["one_off_at"]), hoursPerWeek: row["hours_per_week"], startsAt: date(row["starts_at"]),
            endsAt: date(row["ends_at"]), minimumAge: row["minimum_age"], policeClearance: row["police_clearance"],
            germanLevel: try enumValue(row, "german_level"), barrierFree: row["barrier_free"],
            requirements: row["requirements"], insuranceText: row["insurance_text"],
            expenseAllowanceText: row["expense_allowance_text"], contactName: row["contact_name"],
            showPhone: row["show_phone"], contactPhone: row["contact_phone"],
            contactLanguages: (row["contact_languages"] as String).split(separator: ",").map(String.init),
            items: items, dropoffText: row["dropoff_text"],
            itemCondition: (row["item_condition"] as String?).flatMap(ItemCondition.init(rawValue:)),
            delivery: (row["delivery"] as String?).flatMap(DonationHandover.init(rawValue:)))
        let organisationState = (row["o_state"] as String?).flatMap(OrganisationState.init(rawValue:))
        return StoredListing(
            id: id, content: content, organisationID: row["organisation_id"], organisationName: row["o_name"],
            createdByUserID: row["created_by_user_id"], state: try enumValue(row, "state"),
            rejectionReason: row["rejection_reason"], closedAt: date(row["closed_at"]), imageName: row["image_name"],
            publishesDirectly: organisationState == .approved && (row["o_trusted"] as Bool? ?? false))
    }
}
