import Domain
import Foundation
import GRDB

/// Brings the `municipalities` table in line with a region file: inserts new municipalities and
/// updates names, coordinates and population of known slugs. Rows are never deleted, because
/// listings may still refer to them.
public enum RegionLoader {
    /// Reads `path` and upserts its municipalities in one transaction; returns them in file order.
    @discardableResult
    public static func load(path: String, into database: AppDatabase) throws -> [RegionMunicipality] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let municipalities = try RegionFile.parse(text)
        try database.write { db in
            for municipality in municipalities {
                try db.execute(
                    sql: """
                        INSERT INTO municipalities (slug, name, latitude, longitude, population) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(slug) DO UPDATE SET name = excluded.name, latitude = excluded.latitude,
                            longitude = excluded.longitude, population = excluded.population
                        """,
                    arguments: [
                        municipality.slug, municipality.name, municipality.latitude, municipality.longitude,
                        municipality.population,
                    ])
            }
        }
        return municipalities
    }
}
