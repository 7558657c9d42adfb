import Foundation
import GRDB

/// SQL pieces shared by the queries. Only placeholders are generated here, never input text:
/// every value is a bound argument.
enum SQLFragments {
    /// `?, ?, ?` for `count` bound values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The lengths `padded` brings value lists to. Hot queries are prepared once per connection and
    /// reused (`Database.cachedStatement`: no parsing, planning or GRDB authorizer pass per request), which
    /// is only safe for a bounded number of distinct SQL texts; padding keeps the `IN (…)` lists to a few
    /// lengths whatever a visitor selects.
    static let listLengths = [1, 4, 20, 32, 100]

    /// `values` followed by `filler` (a value that matches nothing: an empty slug, id 0) up to the next of
    /// `listLengths`; longer lists stay as they are.
    static func padded<Value>(_ values: [Value], filler: Value) -> [Value] {
        guard let length = listLengths.first(where: { $0 >= values.count }) else { return values }
        return values + Array(repeating: filler, count: length - values.count)
    }

    /// Whether SQL holding `values` lists of these lengths may be kept prepared: every list padded.
    static func isReusable(listLengths lengths: Int...) -> Bool {
        lengths.allSatisfy { $0 <= listLengths[listLengths.count - 1] }
    }

    /// What makes a listing visible to the public; `l` and `o` are the listing and its organisation.
    /// Closed by its poster means not public, whatever the moderation state. Bound argument: now (Unix seconds).
    static let listingIsPublic = """
        l.state = 'published' AND (l.expires_at IS NULL OR l.expires_at > ?) AND l.closed_at IS NULL
        AND (l.organisation_id IS NULL OR o.state = 'approved')
        """

    /// What makes an event visible to the public; `e` and `o` are the event and its organisation.
    static let eventIsPublic = """
        e.state = 'published' AND e.closed_at IS NULL AND (e.organisation_id IS NULL OR o.state = 'approved')
        """

    /// Listings that need little German: no particular level, or basic German.
    static let littleGerman = "l.german_level IN ('any', 'basic')"

    /// Appends the municipality and topic conditions of `filter` for a row alias with a
    /// `municipality_id` column and a topic link table.
    static func appendFilter(
        _ filter: ListFilter, alias: String, topicTable: String, topicColumn: String,
        conditions: inout [String], arguments: inout StatementArguments
    ) {
        if !filter.municipalitySlugs.isEmpty {
            let slugs = padded(filter.municipalitySlugs, filler: "")
            conditions.append(
                "\(alias).municipality_id IN (SELECT id FROM municipalities WHERE slug IN (\(placeholders(slugs.count))))"
            )
            arguments += StatementArguments(slugs)
        }
        if !filter.topicSlugs.isEmpty {
            let slugs = padded(filter.topicSlugs, filler: "")
            conditions.append(
                """
                EXISTS (SELECT 1 FROM \(topicTable) x JOIN topics t ON t.id = x.topic_id
                        WHERE x.\(topicColumn) = \(alias).id AND t.slug IN (\(placeholders(slugs.count))))
                """)
            arguments += StatementArguments(slugs)
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}

extension Database {
    /// `sql` prepared once on this connection and kept for its next use, or, when `reusable` is false (SQL
    /// whose text varies without bound), prepared for this use only. See `SQLFragments.listLengths`.
    func statement(_ sql: String, reusable: Bool = true) throws -> Statement {
        reusable ? try cachedStatement(sql: sql) : try makeStatement(sql: sql)
    }
}
