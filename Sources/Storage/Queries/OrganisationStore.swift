import Domain
import Foundation
import GRDB

/// Reads approved organisations for the public directory and organisation pages.
public struct OrganisationStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// One page of approved organisations, by name.
    public func page(filter: ListFilter, pageNumber: Int, pageSize: Int, now: Date) throws -> Page<OrganisationSummary>
    {
        var conditions = ["o.state = 'approved'"]
        var arguments = StatementArguments()
        SQLFragments.appendFilter(
            filter, alias: "o", topicTable: "organisation_topics", topicColumn: "organisation_id",
            conditions: &conditions, arguments: &arguments)
        let whereClause = conditions.joined(separator: " AND ")
        let from = "FROM organisations o JOIN municipalities m ON m.id = o.municipality_id"
        let reusable = SQLFragments.isReusable(
            listLengths: filter.municipalitySlugs.count, filter.topicSlugs.count)
        return try database.read { db in
            let total =
                try Int.fetchOne(
                    db.statement("SELECT COUNT(*) \(from) WHERE \(whereClause)", reusable: reusable),
                    arguments: arguments) ?? 0
            var pageArguments: StatementArguments = [SQLFragments.seconds(now)]
            pageArguments += arguments
            pageArguments += [pageSize, max(0, pageNumber - 1) * pageSize]
            let rows = try Row.fetchAll(
                db.statement(
                    """
                    SELECT o.id, o.name, o.legal_form, o.description, m.slug AS m_slug, m.name AS m_name,
                        (SELECT COUNT(*) FROM listings l WHERE l.organisation_id = o.id
                            AND l.state = 'published' AND l.closed_at IS NULL
                            AND (l.expires_at IS NULL OR l.expires_at > ?)) AS open_count
                    \(from) WHERE \(whereClause)
                    ORDER BY o.name COLLATE NOCASE, o.id LIMIT ? OFFSET ?
                    """, reusable: reusable),
                arguments: pageArguments)
            let ids: [Int64] = rows.map { $0["id"] }
            let topics = try TopicLabels.forRows(
                ids: ids, table: "organisation_topics", column: "organisation_id", db: db)
            let items = try rows.map { row in
                let id: Int64 = row["id"]
                return OrganisationSummary(
                    id: id, name: row["name"], legalForm: try enumValue(row, "legal_form"),
                    description: row["description"], municipality: Label(slug: row["m_slug"], name: row["m_name"]),
                    topics: topics[id] ?? [], openListingCount: row["open_count"])
            }
            return Page(items: items, totalCount: total, pageNumber: pageNumber, pageSize: pageSize)
        }
    }

    /// The number of approved organisations, optionally in some municipalities.
    public func approvedCount(filter: ListFilter = ListFilter()) throws -> Int {
        try page(filter: filter, pageNumber: 1, pageSize: 0, now: Date()).totalCount
    }

    /// An approved organisation, or nil when it does not exist or is not public.
    public func detail(id: Int64) throws -> OrganisationDetail? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.*, m.slug AS m_slug, m.name AS m_name FROM organisations o
                        JOIN municipalities m ON m.id = o.municipality_id WHERE o.id = ? AND o.state = 'approved'
                        """,
                    arguments: [id])
            else { return nil }
            let topics =
                try TopicLabels.forRows(ids: [id], table: "organisation_topics", column: "organisation_id", db: db)[id]
                ?? []
            let organisation = Organisation(
                id: id, name: row["name"], legalForm: try enumValue(row, "legal_form"), description: row["description"],
                municipalityID: row["municipality_id"], street: row["street"], postalCode: row["postal_code"],
                contactName: row["contact_name"], email: row["email"], phone: row["phone"], website: row["website"],
                state: try enumValue(row, "state"), topicIDs: [])
            return OrganisationDetail(
                organisation: organisation, municipality: Label(slug: row["m_slug"], name: row["m_name"]),
                topics: topics)
        }
    }
}
