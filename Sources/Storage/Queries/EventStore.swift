import Domain
import Foundation
import GRDB

/// Reads published events for the public pages.
public struct EventStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Which events a list shows.
    public enum Period: Sendable {
        /// Events that have not ended yet, soonest first.
        case upcoming
        /// Events that have ended, most recent first.
        case past
    }

    private static let summaryColumns = """
        e.id, e.title, e.summary, e.event_type, e.venue, e.organisation_id, e.organiser_name, e.starts_at, e.ends_at,
        m.slug AS m_slug, m.name AS m_name
        """
    private static let from = """
        FROM events e JOIN municipalities m ON m.id = e.municipality_id
        LEFT JOIN organisations o ON o.id = e.organisation_id
        """
    /// An event counts as over once it has ended (or, without an end, once it started).
    private static let hasEnded = "COALESCE(e.ends_at, e.starts_at) < ?"

    /// One page of public events of the period, filtered by municipality and topic.
    public func page(period: Period, filter: ListFilter, pageNumber: Int, pageSize: Int, now: Date) throws
        -> Page<EventSummary>
    {
        var conditions = [SQLFragments.eventIsPublic, period == .past ? Self.hasEnded : "NOT (\(Self.hasEnded))"]
        var arguments: StatementArguments = [SQLFragments.seconds(now)]
        SQLFragments.appendFilter(
            filter, alias: "e", topicTable: "event_topics", topicColumn: "event_id",
            conditions: &conditions, arguments: &arguments)
        let whereClause = conditions.joined(separator: " AND ")
        let order = period == .past ? "e.starts_at DESC, e.id DESC" : "e.starts_at ASC, e.id ASC"
        let reusable = SQLFragments.isReusable(
            listLengths: filter.municipalitySlugs.count, filter.topicSlugs.count)
        return try database.read { db in
            let total =
                try Int.fetchOne(
                    db.statement("SELECT COUNT(*) \(Self.from) WHERE \(whereClause)", reusable: reusable),
                    arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [pageSize, max(0, pageNumber - 1) * pageSize]
            let rows = try Row.fetchAll(
                db.statement(
                    "SELECT \(Self.summaryColumns) \(Self.from) WHERE \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?",
                    reusable: reusable),
                arguments: pageArguments)
            return Page(
                items: try Self.summaries(rows: rows, db: db), totalCount: total, pageNumber: pageNumber,
                pageSize: pageSize)
        }
    }

    /// The next public events (start page, municipality page).
    public func upcoming(filter: ListFilter = ListFilter(), limit: Int, now: Date) throws -> [EventSummary] {
        try page(period: .upcoming, filter: filter, pageNumber: 1, pageSize: limit, now: now).items
    }

    /// The upcoming public events of one organisation.
    public func upcoming(organisationID: Int64, now: Date) throws -> [EventSummary] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.summaryColumns) \(Self.from)
                    WHERE e.organisation_id = ? AND \(SQLFragments.eventIsPublic) AND NOT (\(Self.hasEnded))
                    ORDER BY e.starts_at, e.id LIMIT 100
                    """,
                arguments: [organisationID, SQLFragments.seconds(now)])
            return try Self.summaries(rows: rows, db: db)
        }
    }

    /// A public event, or nil when it does not exist or is not public.
    public func detail(id: Int64) throws -> EventDetail? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db.statement(
                        """
                        SELECT e.*, m.slug AS m_slug, m.name AS m_name, o.name AS o_name \(Self.from)
                        WHERE e.id = ? AND \(SQLFragments.eventIsPublic)
                        """),
                    arguments: [id])
            else { return nil }
            let topics = try TopicLabels.forRows(ids: [id], table: "event_topics", column: "event_id", db: db)[id] ?? []
            let event = Event(
                id: row["id"], title: row["title"], summary: row["summary"], description: row["description"],
                eventType: try enumValue(row, "event_type"), organisationID: row["organisation_id"],
                organiserName: row["organiser_name"], municipalityID: row["municipality_id"], venue: row["venue"],
                address: row["address"], startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                endsAt: date(row["ends_at"]), registrationRequired: row["registration_required"],
                costText: row["cost_text"], contactEmail: row["contact_email"], state: try enumValue(row, "state"),
                topicIDs: [])
            return EventDetail(
                event: event, municipality: Label(slug: row["m_slug"], name: row["m_name"]),
                organisationName: row["o_name"], topics: topics, registrationText: row["registration_text"],
                imageName: row["image_name"])
        }
    }

    /// The number of upcoming public events.
    public func upcomingCount(filter: ListFilter = ListFilter(), now: Date) throws -> Int {
        try page(period: .upcoming, filter: filter, pageNumber: 1, pageSize: 0, now: now).totalCount
    }

    static func summaries(rows: [Row], db: Database) throws -> [EventSummary] {
        let ids: [Int64] = rows.map { $0["id"] }
        let topics = try TopicLabels.forRows(ids: ids, table: "event_topics", column: "event_id", db: db)
        return try rows.map { row in
            let id: Int64 = row["id"]
            return EventSummary(
                id: id, title: row["title"], summary: row["summary"], eventType: try enumValue(row, "event_type"),
                municipality: Label(slug: row["m_slug"], name: row["m_name"]), venue: row["venue"],
                organisationID: row["organisation_id"], organiserName: row["organiser_name"],
                startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                endsAt: date(row["ends_at"]), topics: topics[id] ?? [])
        }
    }
}
