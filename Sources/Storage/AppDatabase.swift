import Foundation
import GRDB
import Logging

/// The application's SQLite database: a WAL-mode `DatabasePool` with foreign keys on and a busy timeout.
///
/// Writes go through `write(_:)`; GRDB 7 starts a pool's write transactions with BEGIN IMMEDIATE, so a writer never
/// fails with "database is busy" after it has already read.
public final class AppDatabase: Sendable {
    /// The underlying pool; queries in this module use it, other modules go through the query types.
    public let pool: DatabasePool
    /// The list pages' result counts, shared by every `ListingStore` on this database.
    let listingCounts = ListingCounts()
    /// The ranked matches of recent searches on this database.
    let searchRankings = SearchRankings()

    /// Moves with every committed write of this process that can change a public listing page.
    public let listingPageWrites = ListingPageWrites()

    /// Opens (and creates if needed) the database file at `path`.
    public init(path: String, logger: Logger = Logger(label: "boerse.storage")) throws {
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        // Bound values never appear in error messages: they may hold personal data.
        configuration.publicStatementArguments = false
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        pool.add(transactionObserver: listingPageWrites, extent: .databaseLifetime)
    }

    /// Runs `updates` in one immediate write transaction.
    @discardableResult
    public func write<T: Sendable>(_ updates: (Database) throws -> T) throws -> T {
        try pool.write(updates)
    }

    /// Runs `value` on a read-only snapshot.
    public func read<T: Sendable>(_ value: (Database) throws -> T) throws -> T {
        try pool.read(value)
    }

    /// Whether any organisation, listing or event is stored (the demo seed only fills an empty database).
    public func hasContent() throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM organisations) OR EXISTS (SELECT 1 FROM listings)
                        OR EXISTS (SELECT 1 FROM events)
                    """) ?? false
        }
    }
}
