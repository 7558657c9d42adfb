import Foundation
import GRDB

/// Result counts of the list pages, kept between requests.
///
/// Counting the public listings of a kind reads every one of them, so it grows with the county's
/// listings (about 33 ms at 20,000; Benchmarks/NOTES.md). A count is kept while the listings'
/// version counter (`data_versions`, moved by triggers on every write that can change visibility or
/// filtering) is unchanged and until the earliest expiry among the counted listings, after which
/// that listing is no longer public. Checking costs one point read in the same snapshot as the page.
///
/// `@unchecked Sendable`: `entries` is guarded by `lock`.
final class ListingCounts: @unchecked Sendable {
    struct Key: Hashable {
        /// Which query: the page total or the per-kind counts.
        var query: String
        var kinds: [String]
        var filter: ListFilter
    }

    struct Entry {
        var version: Int64
        /// Unix seconds from which the count may be wrong (a counted listing expires); nil: no expiry.
        var validBefore: Int64?
        var counts: [String: Int]
    }

    /// Filter combinations are bounded by the catalog but many; past this the cache starts afresh.
    static let maximumEntries = 512

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    /// The listings' version in `db`'s snapshot.
    static func version(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.statement("SELECT version FROM data_versions WHERE name = 'listings'")) ?? 0
    }

    /// The kept counts for `key` if they still hold at `now` (Unix seconds) and `version`, else computes
    /// them with `compute` (counts and the earliest expiry among the counted rows) and keeps them.
    func counts(
        _ key: Key, version: Int64, now: Int64, compute: () throws -> (counts: [String: Int], nextExpiry: Int64?)
    ) rethrows -> [String: Int] {
        if let entry = lock.withLock({ entries[key] }), entry.version == version,
            entry.validBefore.map({ now < $0 }) ?? true
        {
            return entry.counts
        }
        let computed = try compute()
        lock.withLock {
            if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, validBefore: computed.nextExpiry, counts: computed.counts)
        }
        return computed.counts
    }
}
