import Foundation

/// The ranked matches of recent searches, kept between requests: from them come a search's (capped) count
/// and every one of its pages.
///
/// Ranking a search scores every match, so it grows with the county's listings: about 20 ms for "kinder" at
/// 20,000 listings and 80 ms at 200,000 (Benchmarks/NOTES.md, "Search"). A ranking is kept while the
/// listings' version counter (`data_versions`, the same one `ListingCounts` checks) is unchanged and until
/// the earliest expiry among the kept listings, after which that listing is no longer public; a listing that
/// becomes public always moves the counter. Checking costs one point read in the same snapshot as the page.
///
/// Anyone can send any query string, so memory is bounded: at most `maximumEntries` rankings of at most
/// `ListingStore.searchResultLimit + 1` ids each (8 KB), keyed by a match expression that `SearchQuery`
/// bounds (8 words of 40 characters); past that the store starts afresh.
///
/// Each `AppDatabase` has its own store (`AppDatabase.searchRankings`), like its list counts.
///
/// `@unchecked Sendable`: `entries` is guarded by `lock`.
final class SearchRankings: @unchecked Sendable {
    struct Key: Hashable {
        var matchExpression: String
        var limit: Int
    }

    struct Entry {
        var version: Int64
        /// Unix seconds from which the ranking may be wrong (a kept listing expires); nil: no expiry.
        var validBefore: Int64?
        /// Listing ids, best match first: every public match, or the first `limit + 1` of them.
        var ids: [Int64]
    }

    /// The rankings of the searches residents repeat; a flood of different queries only churns them.
    static let maximumEntries = 256

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    /// How many rankings are kept (tests).
    var count: Int { lock.withLock { entries.count } }

    /// The kept ranking of `matchExpression` (cut after `limit + 1` ids) if it still holds at
    /// `version` and `now` (Unix seconds), else the one `compute` returns (ids best first, the earliest expiry
    /// among them), kept.
    func ranking(
        _ matchExpression: String, limit: Int, version: Int64, now: Int64,
        compute: () throws -> (ids: [Int64], nextExpiry: Int64?)
    ) rethrows -> [Int64] {
        let key = Key(matchExpression: matchExpression, limit: limit)
        if let entry = lock.withLock({ entries[key] }), entry.version == version,
            entry.validBefore.map({ now < $0 }) ?? true
        {
            return entry.ids
        }
        let computed = try compute()
        lock.withLock {
            if entries[key] == nil, entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, validBefore: computed.nextExpiry, ids: computed.ids)
        }
        return computed.ids
    }
}
