import GRDB

/// Loads the topic labels of many rows with one query, instead of one query per row.
enum TopicLabels {
    static func forRows(ids: [Int64], table: String, column: String, db: Database) throws -> [Int64: [Label]] {
        guard !ids.isEmpty else { return [:] }
        // Ids start at 1: padding with 0 matches nothing.
        let padded = SQLFragments.padded(ids, filler: 0)
        let rows = try Row.fetchAll(
            db.statement(
                """
                SELECT x.\(column) AS owner, t.slug, t.name FROM \(table) x JOIN topics t ON t.id = x.topic_id
                WHERE x.\(column) IN (\(SQLFragments.placeholders(padded.count))) ORDER BY t.sort_order
                """, reusable: SQLFragments.isReusable(listLengths: ids.count)),
            arguments: StatementArguments(padded))
        var result: [Int64: [Label]] = [:]
        // By position (owner, slug, name): see `ListingStore.SummaryColumn`.
        for row in rows {
            result[row[0], default: []].append(Label(slug: row[1], name: row[2]))
        }
        return result
    }
}
