import Foundation
import GRDB

/// SQL pieces shared by the queries. Only placeholders are generated here, never input text:
/// every value is a bound argument.
enum SQLFragments {
    /// `?, ?, ?` for `count` bound values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
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
            conditions.append(
                "\(alias).municipality_id IN (SELECT id FROM municipalities WHERE slug IN (\(placeholders(filter.municipalitySlugs.count))))"
            )
            arguments += StatementArguments(filter.municipalitySlugs)
        }
        if !filter.topicSlugs.isEmpty {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM \(topicTable) x JOIN topics t ON t.id = x.topic_id
                        WHERE x.\(topicColumn) = \(alias).id AND t.slug IN (\(placeholders(filter.topicSlugs.count))))
                """)
            arguments += StatementArguments(filter.topicSlugs)
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
