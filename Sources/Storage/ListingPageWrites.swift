import Foundation
import GRDB

/// Counts the committed transactions of this process that changed a table a public listing page shows
/// (listings, their topics and item lines, organisations, municipalities, topics).
///
/// Kept listing pages (`PageCache` in Web) are checked against this counter on every request: reading
/// it costs a lock, where reading the database's own version counter costs a read transaction, and
/// under load the threads queueing for GRDB's reader pool cost more than the page itself
/// (Benchmarks/NOTES.md). It sees every write through this process's pool, including trigger-made
/// changes; writes by another process (the command line) are not seen, which the page cache's maximum
/// age bounds.
///
/// `@unchecked Sendable`: `count` is guarded by `lock`; `pending` is touched only on the writer's queue.
public final class ListingPageWrites: TransactionObserver, @unchecked Sendable {
    static let tables: Set<String> = [
        "listings", "listing_topics", "listing_items", "organisations", "municipalities", "topics",
    ]

    private let lock = NSLock()
    private var count: Int64 = 0
    private var pending = false

    /// The number of such transactions so far.
    public var value: Int64 { lock.withLock { count } }

    public func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        Self.tables.contains(eventKind.tableName)
    }

    public func databaseDidChange(with event: DatabaseEvent) {
        pending = true
    }

    public func databaseDidCommit(_ db: Database) {
        guard pending else { return }
        pending = false
        lock.withLock { count += 1 }
    }

    public func databaseDidRollback(_ db: Database) {
        pending = false
    }
}
