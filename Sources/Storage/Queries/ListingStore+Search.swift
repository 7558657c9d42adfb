import Foundation
import GRDB

/// One page of a search: the listings of the page and how many there are in all, up to a limit.
public struct SearchResults: Sendable, Hashable {
    /// The page; its `totalCount` is the number of matches, at most `limit`, so its `pageCount` ends at the
    /// limit too.
    public var page: Page<ListingSummary>
    /// More than `limit` listings match: the page says "more than …" and offers only the first `limit`.
    public var isCapped: Bool
    /// The most matches a search counts and pages through.
    public var limit: Int
}

extension ListingStore {
    /// How much a match counts in each column for `bm25` (title, summary, description): a word in the title
    /// says more about a listing than the same word deep in its description.
    public static let searchWeights = (title: 5.0, summary: 2.0, description: 1.0)

    /// The most matches a search counts and offers (50 pages of 20). Every match is still ranked, so these
    /// are the best 1,000; a resident who wants to see more narrows the words.
    public static let searchResultLimit = 1_000

    /// One page of the public listings (all four kinds) that contain every word of `query`, best match first
    /// (`bm25`, title weighted highest), then newest, then highest id. The same visibility rules as the list
    /// pages apply. At most `limit` matches are counted and paged; a page past them is empty.
    ///
    /// The ranking (ids only) is kept between requests while the listings are unchanged (`SearchRankings`);
    /// a page then reads its own rows by id.
    public func search(
        _ query: SearchQuery, pageNumber: Int, pageSize: Int, now: Date, limit: Int = searchResultLimit
    ) throws -> SearchResults {
        let matchExpression = query.matchExpression
        let nowSeconds = SQLFragments.seconds(now)
        return try database.read { db in
            let ranked = try database.searchRankings.ranking(
                matchExpression, limit: limit, version: try ListingCounts.version(db),
                now: nowSeconds
            ) {
                try Self.rankedMatches(matchExpression, now: nowSeconds, limit: limit, db: db)
            }
            let total = min(ranked.count, limit)
            let offset = max(0, pageNumber - 1).multipliedReportingOverflow(by: max(0, pageSize))
            let start = offset.overflow ? total : min(total, offset.partialValue)
            let pageIDs = Array(ranked[start..<(start + min(max(0, pageSize), total - start))])
            let items = try Self.searchSummaries(ids: pageIDs, now: nowSeconds, db: db)
            return SearchResults(
                page: Page(items: items, totalCount: total, pageNumber: pageNumber, pageSize: pageSize),
                isCapped: ranked.count > limit, limit: limit)
        }
    }

    /// The ids of the first `limit + 1` public matches, best first, and the earliest expiry among them.
    ///
    /// Scoring reads every match in the index; looking every match up in `listings` too (for its visibility
    /// and date) would cost about as much again (Benchmarks/NOTES.md, "Search"). So the scores come first, for
    /// every match, from the index alone (`searchScoresSQL`), and only the best-scored are then looked up
    /// (`searchVisibilitySQL`), a batch at a time, until enough public ones are found. A batch always ends
    /// with the whole group of its last score: equal scores are ordered by date, so they can only be ordered
    /// when all of them are known; every later batch then scores strictly worse. `batchSize`: the smallest
    /// batch (tests choose small ones).
    static func rankedMatches(
        _ matchExpression: String, now: Int64, limit: Int, batchSize: Int? = nil, db: Database
    ) throws -> (ids: [Int64], nextExpiry: Int64?) {
        let wanted = limit + 1
        var scored: [(score: Double, id: Int64)] = []
        let cursor = try Row.fetchCursor(db.statement(searchScoresSQL), arguments: [matchExpression])
        while let row = try cursor.next() { scored.append((row[1], row[0])) }
        scored.sort { $0.score < $1.score }
        var ranked: [(id: Int64, publishedAt: Int64, expiresAt: Int64?)] = []
        var start = 0
        while ranked.count < wanted && start < scored.count {
            // Twice what is still missing: most matches are public, and hidden ones are usually few.
            var end = min(scored.count, start + max(1, batchSize ?? 2 * (wanted - ranked.count)))
            while end < scored.count && scored[end].score == scored[end - 1].score { end += 1 }
            let batch = scored[start..<end]
            let found = try publicMatches(ids: batch.map(\.id), now: now, db: db)
            var group: [(id: Int64, publishedAt: Int64, expiresAt: Int64?)] = []
            var groupScore = batch.first?.score
            func flushGroup() {
                ranked += group.sorted { ($0.publishedAt, $0.id) > ($1.publishedAt, $1.id) }
                group.removeAll(keepingCapacity: true)
            }
            for match in batch {
                if match.score != groupScore {
                    flushGroup()
                    groupScore = match.score
                }
                if let row = found[match.id] { group.append((match.id, row.publishedAt, row.expiresAt)) }
            }
            flushGroup()
            start = end
        }
        let kept = ranked.prefix(wanted)
        return (kept.map(\.id), kept.compactMap(\.expiresAt).min())
    }

    /// Which of `ids` are public, with their publication date and expiry.
    static func publicMatches(ids: [Int64], now: Int64, db: Database) throws
        -> [Int64: (publishedAt: Int64, expiresAt: Int64?)]
    {
        var found: [Int64: (publishedAt: Int64, expiresAt: Int64?)] = [:]
        let chunkSize = SQLFragments.listLengths[SQLFragments.listLengths.count - 1]
        var start = 0
        while start < ids.count {
            let chunk = SQLFragments.padded(Array(ids[start..<min(ids.count, start + chunkSize)]), filler: 0)
            var arguments = StatementArguments(chunk)
            arguments += [now]
            let rows = try Row.fetchCursor(db.statement(searchVisibilitySQL(count: chunk.count)), arguments: arguments)
            while let row = try rows.next() { found[row[0]] = (row[1] ?? 0, row[2]) }
            start += chunkSize
        }
        return found
    }

    /// The summary rows of `ids`, in that order.
    static func searchSummaries(ids: [Int64], now: Int64, db: Database) throws -> [ListingSummary] {
        guard !ids.isEmpty else { return [] }
        let padded = SQLFragments.padded(ids, filler: 0)
        var arguments = StatementArguments(padded)
        arguments += [now]
        let rows = try Row.fetchAll(
            db.statement(
                searchSummariesSQL(count: padded.count), reusable: SQLFragments.isReusable(listLengths: ids.count)),
            arguments: arguments)
        let byID = Dictionary(rows.map { (($0[SummaryColumn.id.rawValue] as Int64), $0) }) { first, _ in first }
        return try summaries(rows: ids.compactMap { byID[$0] }, db: db)
    }

    /// Every match of the MATCH expression with its `bm25` score (weights `searchWeights`; lower is better),
    /// read from the FTS index alone. The FTS table is named, not aliased: `MATCH` and `bm25` take its name.
    /// Bound argument: the MATCH expression.
    static let searchScoresSQL = """
        SELECT rowid, bm25(listings_search, \(searchWeights.title), \(searchWeights.summary), \(searchWeights.description))
        FROM listings_search WHERE listings_search MATCH ?
        """

    /// The public ones among `count` listing ids, with publication date and expiry (no text column is read).
    /// `NOT INDEXED` keeps SQLite to the primary key: it would otherwise walk every published listing through
    /// an index on `state`. Bound arguments: `count` ids, now (Unix seconds).
    static func searchVisibilitySQL(count: Int) -> String {
        """
        SELECT l.id, l.published_at, l.expires_at FROM listings l NOT INDEXED
        LEFT JOIN organisations o ON o.id = l.organisation_id
        WHERE l.id IN (\(SQLFragments.placeholders(count))) AND \(SQLFragments.listingIsPublic)
        """
    }

    /// The summary rows of one page by id (in any order), if still public. `NOT INDEXED` keeps SQLite to
    /// the primary key: it would otherwise walk every published listing through an index on `state`.
    /// Bound arguments: `count` ids, now.
    static func searchSummariesSQL(count: Int) -> String {
        """
        SELECT \(summaryColumns) FROM listings l NOT INDEXED JOIN municipalities m ON m.id = l.municipality_id
        LEFT JOIN organisations o ON o.id = l.organisation_id
        WHERE l.id IN (\(SQLFragments.placeholders(count))) AND \(SQLFragments.listingIsPublic)
        """
    }
}
