import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing

@testable import Storage

/// The list and detail pages must not slow down as a county's listings grow: their queries find rows
/// through indexes and, on the list pages, read them in the index's order so that `LIMIT` stops early.
/// (Counts, which read every matching row, are kept between requests: `ListingCountsTests`.)
@Suite struct QueryPlanTests {
    let database: AppDatabase

    init() throws {
        database = try TestDatabase.makeMigrated()
    }

    func plan(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
        try database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    static let filters: [ListFilter] = [
        ListFilter(),
        ListFilter(municipalitySlugs: ["lemgo"]),
        ListFilter(municipalitySlugs: ["lemgo", "detmold", "blomberg"]),
        ListFilter(topicSlugs: ["sport"]),
        ListFilter(municipalitySlugs: ["lemgo"], topicSlugs: ["sport", "kultur"]),
        ListFilter(littleGermanOnly: true),
    ]

    @Test("list pages read listings through an index, never by scanning the table", arguments: filters)
    func listPagesUseAnIndex(_ filter: ListFilter) throws {
        for kinds in [[ListingKind.volunteerNeed], [.volunteerOffer], [.donationOffer, .donationNeed]] {
            let query = ListingStore.pageQuery(kinds: kinds, filter: filter, now: TestClock.now)
            var pageArguments = query.arguments
            pageArguments += [20, 0]
            for details in [try plan(query.pageSQL, pageArguments), try plan(query.countSQL, query.arguments)] {
                #expect(details.contains { $0.hasPrefix("SEARCH l USING") }, "\(kinds) \(filter): \(details)")
                #expect(!details.contains { $0.hasPrefix("SCAN l") }, "\(kinds) \(filter): \(details)")
            }
        }
    }

    @Test("an unfiltered list page of one kind is read newest first from the index: LIMIT stops after a page")
    func unfilteredListNeedsNoSorting() throws {
        let query = ListingStore.pageQuery(kinds: [.volunteerNeed], filter: ListFilter(), now: TestClock.now)
        var arguments = query.arguments
        arguments += [20, 0]
        let details = try plan(query.pageSQL, arguments)
        #expect(
            details.contains { $0.hasPrefix("SEARCH l USING INDEX listings_by_kind_state_published") }, "\(details)")
        #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
    }

    @Test("a detail page looks its listing up by primary key")
    func detailUsesThePrimaryKey() throws {
        var arguments: StatementArguments = [1, SQLFragments.seconds(TestClock.now)]
        arguments += [ListingKind.volunteerNeed.rawValue]
        let details = try plan(ListingStore.detailSQL(kinds: 1), arguments)
        #expect(details.first?.hasPrefix("SEARCH l USING INTEGER PRIMARY KEY") == true, "\(details)")
        #expect(!details.contains { $0.hasPrefix("SCAN") }, "\(details)")
    }

    @Test("summary rows are read by position: the positions name the selected columns")
    func summaryColumnPositions() throws {
        let names = try database.read { db in
            try db.makeStatement(
                sql: """
                    SELECT \(ListingStore.summaryColumns) FROM listings l JOIN municipalities m ON m.id = l.municipality_id
                    LEFT JOIN organisations o ON o.id = l.organisation_id
                    """
            ).columnNames
        }
        #expect(
            names == [
                "id", "kind", "title", "summary", "organisation_id", "poster_name", "time_commitment", "german_level",
                "item_condition", "published_at", "m_slug", "m_name", "o_name",
            ])
        #expect(names.count == ListingStore.SummaryColumn.allCases.count)
    }

    @Test("statements kept per connection stay few: list lengths are padded to a handful of sizes")
    func keptStatementsAreBounded() {
        let slugs = (1...32).map { "gemeinde-\($0)" }
        var texts = Set<String>()
        for count in 1...32 {
            let query = ListingStore.pageQuery(
                kinds: [.volunteerNeed], filter: ListFilter(municipalitySlugs: Array(slugs.prefix(count))),
                now: TestClock.now)
            #expect(query.reusable)
            texts.insert(query.pageSQL)
        }
        #expect(texts.count <= SQLFragments.listLengths.count)
        // Past the largest padded length the statement is prepared for one use only.
        let long = ListingStore.pageQuery(
            kinds: [.volunteerNeed], filter: ListFilter(municipalitySlugs: (1...200).map { "g\($0)" }),
            now: TestClock.now)
        #expect(!long.reusable)
    }

    static let searches = ["kinder", "garten hilfe", "Möbel", "strasse", "a b c d e f g h"]

    @Test("search scores from the FTS index alone and reads listings only by primary key", arguments: searches)
    func searchUsesTheIndex(_ text: String) throws {
        let match = try #require(SearchQuery(text)).matchExpression
        let now = SQLFragments.seconds(TestClock.now)
        let scores = try plan(ListingStore.searchScoresSQL, [match])
        #expect(scores.count == 1, "\(scores)")
        #expect(scores.first?.hasPrefix("SCAN listings_search VIRTUAL TABLE INDEX") == true, "\(scores)")
        for count in SQLFragments.listLengths {
            var arguments = StatementArguments([Int64](repeating: 0, count: count))
            arguments += [now]
            for sql in [ListingStore.searchVisibilitySQL(count: count), ListingStore.searchSummariesSQL(count: count)] {
                let details = try plan(sql, arguments)
                #expect(details.first?.hasPrefix("SEARCH l USING INTEGER PRIMARY KEY") == true, "\(count): \(details)")
                #expect(!details.contains { $0.hasPrefix("SCAN") }, "\(count): \(details)")
            }
        }
    }
}
