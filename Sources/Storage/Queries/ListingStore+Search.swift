import Foundation
import GRDB

extension ListingStore {
    /// How much a match counts in each column for `bm25` (title, summary, description): a word in the title
    /// says more about a listing than the same word deep in its description.
    public static let searchWeights = (title: 5.0, summary: 2.0, description: 1.0)

    /// One page of the public listings (all four kinds) that contain every word of `query`, best match first
    /// (`bm25`, title weighted highest), then newest. The same visibility rules as the list pages apply.
    public func search(_ query: SearchQuery, pageNumber: Int, pageSize: Int, now: Date) throws
        -> Page<ListingSummary>
    {
        let arguments: StatementArguments = [query.matchExpression, SQLFragments.seconds(now)]
        return try database.read { db in
            let total = try Int.fetchOne(db.statement("SELECT COUNT(*) \(Self.searchFrom)"), arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [pageSize, max(0, pageNumber - 1) * pageSize]
            let rows = try Row.fetchAll(db.statement(Self.searchPageSQL), arguments: pageArguments)
            let items = try Self.summaries(rows: rows, db: db)
            return Page(items: items, totalCount: total, pageNumber: pageNumber, pageSize: pageSize)
        }
    }

    /// FROM and WHERE of the search. The FTS table is named, not aliased: `MATCH` and `bm25` take its name.
    /// `CROSS JOIN` makes SQLite read the index first and look each match up by id: without statistics the
    /// planner would otherwise walk every published listing and probe the index once per row.
    /// Bound arguments: the MATCH expression, now (Unix seconds).
    static let searchFrom = """
        FROM listings_search CROSS JOIN listings l ON l.id = listings_search.rowid
        JOIN municipalities m ON m.id = l.municipality_id
        LEFT JOIN organisations o ON o.id = l.organisation_id
        WHERE listings_search MATCH ? AND \(SQLFragments.listingIsPublic)
        """

    /// One page of the search; bound arguments as `searchFrom`, then limit and offset.
    static let searchPageSQL = """
        SELECT \(summaryColumns) \(searchFrom)
        ORDER BY bm25(listings_search, \(searchWeights.title), \(searchWeights.summary), \(searchWeights.description)),
            l.published_at DESC, l.id DESC
        LIMIT ? OFFSET ?
        """
}
