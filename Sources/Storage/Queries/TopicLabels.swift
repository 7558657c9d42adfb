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
        for row in rows {
            result[row["owner"], default: []].append(Label(slug: row["slug"], name: row["name"]))
        }
        return result
    }
}
