import Foundation
import HTTPServer

/// Rendered listing pages kept for visitors without a session, so that the pages most people read (the
/// list pages and a listing's own page) are not queried and rendered again for every visitor.
///
/// Only responses that are the same for every anonymous visitor are kept: `200` answers to GET for a
/// visitor without a session (or a stale session cookie), that set no cookie. A kept page is served
/// while
/// - no write of this process changed a table such a page shows (`AppDatabase.listingPageWrites`, a
///   transaction observer: checking it takes a lock, not a database read) and the catalog's generation
///   (topic and municipality names) is what it was when the page was rendered, and
/// - it is younger than `maximumAge` by the application's clock: a listing that expires without any
///   write, or a change made by another process (the command line), shows at most that late.
/// A page is kept as the server sends it, security headers included, plain and gzip-encoded, each with its
/// head in wire form (`ReusableResponse`): a hit is answered on the connection's thread without a worker
/// (`Application.respondQuickly`), and only `Date`, the request id and `Connection` are added per request.
/// A page is keyed by the whole request target (language prefix and query included) and HTTPS or not (HSTS).
///
/// `@unchecked Sendable`: `entries` is guarded by `lock`.
final class PageCache: @unchecked Sendable {
    /// The target decides the language (`/en/…`), so it is not part of the key: a kept page can be found
    /// before the path is parsed.
    struct Key: Hashable {
        var target: String
        /// Served over HTTPS: the kept fields then include HSTS.
        var https: Bool
    }

    /// What a kept page depends on.
    struct Validity: Equatable {
        var listingWrites: Int64
        var catalogGeneration: Int
    }

    private struct Entry {
        var response: ReusableResponse
        var validity: Validity
        var storedAt: Date
    }

    static let maximumAge: TimeInterval = 30
    /// Past this many pages, or this many body bytes, the cache starts afresh: filter combinations, page
    /// numbers and query strings are many, and a visitor can ask for any of them.
    static let maximumEntries = 1024
    static let maximumTotalBytes = 16 * 1024 * 1024
    /// Bigger bodies are not kept (a list page is about 27 KB).
    static let maximumBodyBytes = 256 * 1024
    /// Longer request targets are not kept: they are not what people follow from links.
    static let maximumTargetBytes = 512

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var totalBytes = 0
    private var counts = Statistics()

    /// How often a kept page was served and how often one was kept (tests, diagnostics).
    struct Statistics: Equatable {
        var hits = 0
        var stores = 0
    }

    var statistics: Statistics { lock.withLock { counts } }

    /// The routes whose pages are kept: read-only views of listings (the lists, a listing, a search),
    /// rendered from listings, their organisations' names and the catalog only. The search form is a
    /// plain GET form without a token; a refused search (422) is not a 200 and is never kept.
    static func accepts(_ route: SiteRoute) -> Bool {
        switch route {
        case .listings, .listing, .search: true
        default: false
        }
    }

    static func key(target: String, https: Bool) -> Key? {
        guard target.utf8.count <= maximumTargetBytes else { return nil }
        return Key(target: target, https: https)
    }

    /// The kept page for `key`, if it is still valid at `now`.
    func response(for key: Key, validity: Validity, now: Date) -> ReusableResponse? {
        lock.withLock {
            guard let entry = entries[key] else { return nil }
            guard entry.validity == validity, now >= entry.storedAt,
                now.timeIntervalSince(entry.storedAt) < Self.maximumAge
            else {
                remove(key)
                return nil
            }
            counts.hits += 1
            return entry.response
        }
    }

    /// Keeps `response` (complete: security headers applied) for `key` if it is the same for every
    /// anonymous visitor, and returns it as it is kept; nil when it is not kept.
    func store(_ response: ServerResponse, for key: Key, validity: Validity, now: Date) -> ReusableResponse? {
        guard response.status == .ok, !response.headerFields.contains(.setCookie),
            response.body.count <= Self.maximumBodyBytes
        else { return nil }
        // Compressed here, outside the lock: once per kept page instead of once per request.
        let kept = ReusableResponse(response)
        let size = kept.byteCount
        lock.withLock {
            remove(key)
            if entries.count >= Self.maximumEntries || totalBytes + size > Self.maximumTotalBytes {
                entries.removeAll(keepingCapacity: true)
                totalBytes = 0
            }
            entries[key] = Entry(response: kept, validity: validity, storedAt: now)
            totalBytes += size
            counts.stores += 1
        }
        return kept
    }

    /// The body bytes of all kept pages, both forms (tests).
    var keptBytes: Int { lock.withLock { totalBytes } }

    /// Called with `lock` held.
    private func remove(_ key: Key) {
        if let old = entries.removeValue(forKey: key) { totalBytes -= old.response.byteCount }
    }

    /// Forgets every page (tests, and a change the validity does not cover).
    func removeAll() {
        lock.withLock {
            entries.removeAll()
            totalBytes = 0
        }
    }
}
