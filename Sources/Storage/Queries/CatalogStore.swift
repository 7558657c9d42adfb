import Domain
import GRDB

/// Reference data: municipalities and topics.
public struct CatalogStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The municipalities with the given slugs (the configured region's), ordered by name.
    public func municipalities(slugs: [String]) throws -> [Municipality] {
        guard !slugs.isEmpty else { return [] }
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM municipalities WHERE slug IN (\(SQLFragments.placeholders(slugs.count)))
                    ORDER BY name COLLATE NOCASE
                    """,
                arguments: StatementArguments(slugs)
            ).map { row in
                Municipality(
                    id: row["id"], slug: row["slug"], name: row["name"], latitude: row["latitude"],
                    longitude: row["longitude"], population: row["population"])
            }
        }
    }

    /// All topics, active and inactive, in taxonomy order.
    public func topics() throws -> [Topic] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM topics ORDER BY sort_order, id").map { row in
                Topic(
                    id: row["id"], slug: row["slug"], kind: try enumValue(row, "kind"), name: row["name"],
                    isActive: row["active"])
            }
        }
    }
}
