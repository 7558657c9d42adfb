import Domain
import Foundation
import GRDB

/// Reads published listings for the public pages.
public struct ListingStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    static let summaryColumns = """
        l.id, l.kind, l.title, l.summary, l.organisation_id, l.poster_name, l.time_commitment, l.german_level,
        l.item_condition, l.published_at, m.slug AS m_slug, m.name AS m_name, o.name AS o_name
        """

    /// The positions of `summaryColumns`. Summary rows are read by position: a lookup by name is
    /// case-insensitive in GRDB and lowercases the name every time (about 5 % of a list page).
    enum SummaryColumn: Int, CaseIterable {
        case id, kind, title, summary, organisationID, posterName, timeCommitment, germanLevel, itemCondition
        case publishedAt, municipalitySlug, municipalityName, organisationName
    }

    /// One page of public listings of the given kinds, newest first.
    public func page(
        kinds: [ListingKind], filter: ListFilter, pageNumber: Int, pageSize: Int, now: Date
    ) throws -> Page<ListingSummary> {
        let query = Self.pageQuery(kinds: kinds, filter: filter, now: now)
        let countKey = ListingCounts.Key(query: "page", kinds: kinds.map(\.rawValue), filter: filter)
        let nowSeconds = SQLFragments.seconds(now)
        return try database.read { db in
            let total =
                try database.listingCounts.counts(
                    countKey, version: try ListingCounts.version(db), now: nowSeconds
                ) {
                    let row = try Row.fetchOne(
                        db.statement(query.countSQL, reusable: query.reusable), arguments: query.arguments)
                    return (["": row?[0] ?? 0], row?[1])
                }[""] ?? 0
            var pageArguments = query.arguments
            pageArguments += [pageSize, max(0, pageNumber - 1) * pageSize]
            let rows = try Row.fetchAll(
                db.statement(query.pageSQL, reusable: query.reusable), arguments: pageArguments)
            let items = try Self.summaries(rows: rows, db: db)
            return Page(items: items, totalCount: total, pageNumber: pageNumber, pageSize: pageSize)
        }
    }

    /// The SQL of a list page: its count (count, earliest expiry) and its page (`summaryColumns`; limit
    /// and offset bound after `arguments`).
    struct PageQuery {
        var countSQL: String
        var pageSQL: String
        var arguments: StatementArguments
        /// Whether the statements may be kept prepared (see `SQLFragments.listLengths`).
        var reusable: Bool
    }

    static func pageQuery(kinds: [ListingKind], filter: ListFilter, now: Date) -> PageQuery {
        var conditions = [SQLFragments.listingIsPublic, "l.kind IN (\(SQLFragments.placeholders(kinds.count)))"]
        var arguments: StatementArguments = [SQLFragments.seconds(now)]
        arguments += StatementArguments(kinds.map(\.rawValue))
        SQLFragments.appendFilter(
            filter, alias: "l", topicTable: "listing_topics", topicColumn: "listing_id",
            conditions: &conditions, arguments: &arguments)
        if filter.littleGermanOnly { conditions.append(SQLFragments.littleGerman) }
        let whereClause = conditions.joined(separator: " AND ")
        let from = """
            FROM listings l JOIN municipalities m ON m.id = l.municipality_id
            LEFT JOIN organisations o ON o.id = l.organisation_id
            """
        return PageQuery(
            countSQL: "SELECT COUNT(*) AS n, MIN(l.expires_at) AS next \(from) WHERE \(whereClause)",
            pageSQL: """
                SELECT \(summaryColumns) \(from) WHERE \(whereClause)
                ORDER BY l.published_at DESC, l.id DESC LIMIT ? OFFSET ?
                """,
            arguments: arguments,
            reusable: SQLFragments.isReusable(listLengths: filter.municipalitySlugs.count, filter.topicSlugs.count))
    }

    /// The newest public listings of the given kinds (start page, municipality page).
    public func newest(kinds: [ListingKind], filter: ListFilter = ListFilter(), limit: Int, now: Date) throws
        -> [ListingSummary]
    {
        try page(kinds: kinds, filter: filter, pageNumber: 1, pageSize: limit, now: now).items
    }

    /// The public listings of one organisation, newest first.
    public func forOrganisation(_ organisationID: Int64, now: Date) throws -> [ListingSummary] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db.statement(
                    """
                    SELECT \(Self.summaryColumns) FROM listings l JOIN municipalities m ON m.id = l.municipality_id
                    LEFT JOIN organisations o ON o.id = l.organisation_id
                    WHERE l.organisation_id = ? AND \(SQLFragments.listingIsPublic)
                    ORDER BY l.published_at DESC, l.id DESC LIMIT 100
                    """),
                arguments: [organisationID, SQLFragments.seconds(now)])
            return try Self.summaries(rows: rows, db: db)
        }
    }

    /// Public listing counts per kind (start page).
    public func countsByKind(filter: ListFilter = ListFilter(), now: Date) throws -> [ListingKind: Int] {
        var conditions = [SQLFragments.listingIsPublic]
        var arguments: StatementArguments = [SQLFragments.seconds(now)]
        SQLFragments.appendFilter(
            filter, alias: "l", topicTable: "listing_topics", topicColumn: "listing_id",
            conditions: &conditions, arguments: &arguments)
        let countKey = ListingCounts.Key(query: "by-kind", kinds: [], filter: filter)
        let nowSeconds = SQLFragments.seconds(now)
        let reusable = SQLFragments.isReusable(
            listLengths: filter.municipalitySlugs.count, filter.topicSlugs.count)
        let byKind = try database.read { db in
            try database.listingCounts.counts(countKey, version: try ListingCounts.version(db), now: nowSeconds) {
                let rows = try Row.fetchAll(
                    db.statement(
                        """
                        SELECT l.kind, COUNT(*) AS n, MIN(l.expires_at) AS next
                        FROM listings l LEFT JOIN organisations o ON o.id = l.organisation_id
                        WHERE \(conditions.joined(separator: " AND ")) GROUP BY l.kind
                        """, reusable: reusable),
                    arguments: arguments)
                var counts: [String: Int] = [:]
                var next: Int64?
                for row in rows {
                    counts[row["kind"]] = row["n"]
                    if let expiry: Int64 = row["next"] { next = min(next ?? expiry, expiry) }
                }
                return (counts, next)
            }
        }
        var counts: [ListingKind: Int] = [:]
        for (kind, count) in byKind {
            if let kind = ListingKind(rawValue: kind) { counts[kind] = count }
        }
        return counts
    }

    /// A public listing of the given kinds, or nil when it does not exist or is not public.
    public func detail(id: Int64, kinds: [ListingKind], now: Date) throws -> ListingDetail? {
        try database.read { db in
            var arguments: StatementArguments = [id, SQLFragments.seconds(now)]
            arguments += StatementArguments(kinds.map(\.rawValue))
            guard
                let row = try Row.fetchOne(db.statement(Self.detailSQL(kinds: kinds.count)), arguments: arguments)
            else { return nil }
            let topics =
                try TopicLabels.forRows(ids: [id], table: "listing_topics", column: "listing_id", db: db)[id] ?? []
            return ListingDetail(
                listing: try Self.listing(row: row, topicIDs: []),
                municipality: Label(slug: row["m_slug"], name: row["m_name"]),
                organisationName: row["o_name"], topics: topics, posting: try Self.postingFields(row: row, db: db))
        }
    }

    /// One public listing with its municipality and organisation names. Bound arguments: id, now, the kinds.
    static func detailSQL(kinds: Int) -> String {
        """
        SELECT l.*, m.slug AS m_slug, m.name AS m_name, o.name AS o_name
        FROM listings l JOIN municipalities m ON m.id = l.municipality_id
        LEFT JOIN organisations o ON o.id = l.organisation_id
        WHERE l.id = ? AND \(SQLFragments.listingIsPublic) AND l.kind IN (\(SQLFragments.placeholders(kinds)))
        """
    }

    /// The item lines of a donation need, in their order.
    public static func items(_ db: Database, listingID: Int64) throws -> [ListingPostingFields.Item] {
        try Row.fetchAll(
            db.statement("SELECT name, quantity FROM listing_items WHERE listing_id = ? ORDER BY position"),
            arguments: [listingID]
        ).map { ListingPostingFields.Item(name: $0["name"], quantity: $0["quantity"]) }
    }

    static func postingFields(row: Row, db: Database) throws -> ListingPostingFields {
        var fields = ListingPostingFields()
        fields.addressText = row["address_text"]
        fields.oneOffAt = date(row["one_off_at"])
        fields.hoursPerWeek = row["hours_per_week"]
        fields.startsAt = date(row["starts_at"])
        fields.endsAt = date(row["ends_at"])
        fields.minimumAge = row["minimum_age"]
        fields.policeClearance = row["police_clearance"]
        fields.barrierFree = row["barrier_free"]
        fields.insuranceText = row["insurance_text"]
        fields.expenseAllowanceText = row["expense_allowance_text"]
        fields.showPhone = row["show_phone"]
        fields.dropoffText = row["dropoff_text"]
        fields.delivery = (row["delivery"] as String?).flatMap(DonationHandover.init(rawValue:))
        fields.imageName = row["image_name"]
        fields.items = try items(db, listingID: row["id"])
        return fields
    }

    /// Rows selected with `summaryColumns`, in that order.
    static func summaries(rows: [Row], db: Database) throws -> [ListingSummary] {
        typealias Column = SummaryColumn
        let ids: [Int64] = rows.map { $0[Column.id.rawValue] }
        let topics = try TopicLabels.forRows(ids: ids, table: "listing_topics", column: "listing_id", db: db)
        return try rows.map { row in
            let id: Int64 = row[Column.id.rawValue]
            return ListingSummary(
                id: id, kind: try enumValue(row, Column.kind.rawValue, "kind"), title: row[Column.title.rawValue],
                summary: row[Column.summary.rawValue],
                municipality: Label(
                    slug: row[Column.municipalitySlug.rawValue], name: row[Column.municipalityName.rawValue]),
                organisationID: row[Column.organisationID.rawValue],
                organisationName: row[Column.organisationName.rawValue], posterName: row[Column.posterName.rawValue],
                timeCommitment: try enumValue(row, Column.timeCommitment.rawValue, "time_commitment"),
                germanLevel: try enumValue(row, Column.germanLevel.rawValue, "german_level"),
                itemCondition: (row[Column.itemCondition.rawValue] as String?).flatMap(ItemCondition.init(rawValue:)),
                publishedAt: Date(timeIntervalSince1970: TimeInterval(row[Column.publishedAt.rawValue] as Int64? ?? 0)),
                topics: topics[id] ?? [])
        }
    }

    static func listing(row: Row, topicIDs: [Int64]) throws -> Listing {
        Listing(
            id: row["id"], kind: try enumValue(row, "kind"), title: row["title"], summary: row["summary"],
            description: row["description"], organisationID: row["organisation_id"], posterName: row["poster_name"],
            municipalityID: row["municipality_id"], locationText: row["location_text"],
            timeCommitment: try enumValue(row, "time_commitment"), hoursPerMonth: row["hours_per_month"],
            scheduleText: row["schedule_text"], requirements: row["requirements"],
            germanLevel: try enumValue(row, "german_level"),
            contactLanguages: (row["contact_languages"] as String).split(separator: ",").map(String.init),
            quantity: row["quantity"],
            itemCondition: (row["item_condition"] as String?).flatMap(ItemCondition.init(rawValue:)),
            pickupText: row["pickup_text"], contactName: row["contact_name"], contactEmail: row["contact_email"],
            contactPhone: row["contact_phone"], state: try enumValue(row, "state"),
            publishedAt: date(row["published_at"]), expiresAt: date(row["expires_at"]), topicIDs: topicIDs)
    }
}

/// Reads a text column into a domain enum; a value the domain does not know is a storage fault.
func enumValue<T: RawRepresentable>(_ row: Row, _ column: String) throws -> T where T.RawValue == String {
    let raw: String = row[column]
    guard let value = T(rawValue: raw) else { throw StorageError.unknownValue(column: column) }
    return value
}

/// The value at `index` (named `column` in errors).
func enumValue<T: RawRepresentable>(_ row: Row, _ index: Int, _ column: String) throws -> T where T.RawValue == String {
    let raw: String = row[index]
    guard let value = T(rawValue: raw) else { throw StorageError.unknownValue(column: column) }
    return value
}

func date(_ seconds: Int64?) -> Date? {
    seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
}

/// Faults in stored data that the schema should have prevented.
public enum StorageError: Error, CustomStringConvertible {
    case unknownValue(column: String)

    public var description: String {
        switch self {
        case .unknownValue(let column): "stored value of column \(column) is not one the application knows"
        }
    }
}
