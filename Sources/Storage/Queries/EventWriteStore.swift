import Domain
import Foundation
import GRDB

/// A stored event as its organiser's edit form needs it.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var content: EventContent
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

/// Creates and changes events for members of the organising organisation. Events end by their date, so
/// they have no expiry of their own.
public struct EventWriteStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Stores a new event of an organisation the person belongs to (approved or pending).
    public func create(
        _ content: EventContent, organisationID: Int64, userID: Int64, imageName: String?, now: Date
    ) throws -> (id: Int64, state: PublicationState) {
        try database.write { db in
            guard let membership = try MembershipQueries.membership(db, userID: userID, organisationID: organisationID),
                membership.canPost
            else { throw PostingAccessError.forbidden }
            let state = PostingLifecycle.initialState(publishesDirectly: membership.publishesDirectly)
            let seconds = SQLFragments.seconds(now)
            let head: [(any DatabaseValueConvertible)?] = [
                organisationID, membership.organisationName, userID, state.rawValue, seconds, seconds,
                state == .published ? seconds : nil, imageName,
            ]
            try db.execute(
                sql: """
                    INSERT INTO events (organisation_id, organiser_name, created_by_user_id, state, created_at,
                        updated_at, published_at, image_name, \(Self.contentColumns.joined(separator: ", ")))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, \(SQLFragments.placeholders(Self.contentColumns.count)))
                    """,
                arguments: StatementArguments(head + Self.contentArguments(content)))
            let id = db.lastInsertedRowID
            try Self.replaceTopics(db, id: id, topicIDs: content.topicIDs)
            return (id, state)
        }
    }

    /// The event for its edit form; throws `PostingAccessError` when it does not exist or is not theirs.
    public func editable(id: Int64, userID: Int64) throws -> StoredEvent {
        try database.read { db in
            try Self.checkAccess(db, id: id, userID: userID)
            return try Self.stored(db, id: id)
        }
    }

    /// Saves the organiser's changes; the state follows `PostingLifecycle.stateAfterEdit`.
    @discardableResult
    public func update(id: Int64, content: EventContent, userID: Int64, image: PostingImageChange, now: Date) throws
        -> PublicationState
    {
        try database.write { db in
            try Self.checkAccess(db, id: id, userID: userID)
            let current = try Self.stored(db, id: id)
            guard
                let state = PostingLifecycle.stateAfterEdit(current.state, publishesDirectly: current.publishesDirectly)
            else { throw PostingAccessError.notEditable }
            let seconds = SQLFragments.seconds(now)
            var publishedAt = try Int64.fetchOne(
                db, sql: "SELECT published_at FROM events WHERE id = ?", arguments: [id])
            if state == .published, current.state != .published || publishedAt == nil { publishedAt = seconds }
            var imageName = current.imageName
            switch image {
            case .keep: break
            case .replace(let name): imageName = name
            case .remove: imageName = nil
            }
            let assignments = Self.contentColumns.map { "\($0) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    UPDATE events SET \(assignments), state = ?, published_at = ?, image_name = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(
                    Self.contentArguments(content) + [state.rawValue, publishedAt, imageName, seconds, id]))
            try Self.replaceTopics(db, id: id, topicIDs: content.topicIDs)
            return state
        }
    }

    /// The organiser closes the event (cancelled, full): it leaves the public pages.
    public func close(id: Int64, userID: Int64, now: Date) throws {
        try setClosed(id: id, userID: userID, closedAt: SQLFragments.seconds(now), now: now)
    }

    /// Opens a closed event again; it is public again if its state allows.
    public func reopen(id: Int64, userID: Int64, now: Date) throws {
        try setClosed(id: id, userID: userID, closedAt: nil, now: now)
    }

    private func setClosed(id: Int64, userID: Int64, closedAt: Int64?, now: Date) throws {
        try database.write { db in
            try Self.checkAccess(db, id: id, userID: userID)
            try db.execute(
                sql: "UPDATE events SET closed_at = ?, updated_at = ? WHERE id = ? AND state <> 'archived'",
                arguments: [closedAt, SQLFragments.seconds(now), id])
        }
    }

    /// Throws unless `userID` created the event or belongs to its organisation.
    static func checkAccess(_ db: Database, id: Int64, userID: Int64) throws {
        guard
            let allowed = try Bool.fetchOne(
                db,
                sql: """
                    SELECT e.created_by_user_id IS ? OR EXISTS (
                        SELECT 1 FROM organisation_members m
                        WHERE m.organisation_id = e.organisation_id AND m.user_id = ?)
                    FROM events e WHERE e.id = ?
                    """,
                arguments: [userID, userID, id])
        else { throw PostingAccessError.notFound }
        if !allowed { throw PostingAccessError.forbidden }
    }

    static let contentColumns = [
        "title", "summary", "description", "event_type", "municipality_id", "venue", "address", "starts_at", "ends_at",
        "registration_required", "registration_text", "cost_text",
    ]

    static func contentArguments(_ content: EventContent) -> [(any DatabaseValueConvertible)?] {
        [
            content.title, content.summary, content.description, content.eventType.rawValue, content.municipalityID,
            content.venue, content.address, SQLFragments.seconds(content.startsAt),
            content.endsAt.map(SQLFragments.seconds), content.registrationRequired, content.registrationText,
            content.costText,
        ]
    }

    private static func replaceTopics(_ db: Database, id: Int64, topicIDs: [Int64]) throws {
        try db.execute(sql: "DELETE FROM event_topics WHERE event_id = ?", arguments: [id])
        for topicID in topicIDs {
            try db.execute(
                sql: "INSERT INTO event_topics (event_id, topic_id) VALUES (?, ?)", arguments: [id, topicID])
        }
    }

    static func stored(_ db: Database, id: Int64) throws -> StoredEvent {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.*, o.name AS o_name, o.state AS o_state, o.trusted AS o_trusted FROM events e
                    LEFT JOIN organisations o ON o.id = e.organisation_id WHERE e.id = ?
                    """,
                arguments: [id])
        else { throw PostingAccessError.notFound }
        let topicIDs = try Int64.fetchAll(
            db, sql: "SELECT topic_id FROM event_topics WHERE event_id = ? ORDER BY topic_id", arguments: [id])
        let content = EventContent(
            title: row["title"], summary: row["summary"], description: row["description"],
            eventType: try enumValue(row, "event_type"), municipalityID: row["municipality_id"], venue: row["venue"],
            address: row["address"], startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
            endsAt: date(row["ends_at"]), registrationRequired: row["registration_required"],
            registrationText: row["registration_text"], costText: row["cost_text"], topicIDs: topicIDs)
        let organisationState = (row["o_state"] as String?).flatMap(OrganisationState.init(rawValue:))
        return StoredEvent(
            id: id, content: content, organisationID: row["organisation_id"], organisationName: row["o_name"],
            createdByUserID: row["created_by_user_id"], state: try enumValue(row, "state"),
            rejectionReason: row["rejection_reason"], closedAt: date(row["closed_at"]), imageName: row["image_name"],
            publishesDirectly: organisationState == .approved && (row["o_trusted"] as Bool? ?? false))
    }
}
