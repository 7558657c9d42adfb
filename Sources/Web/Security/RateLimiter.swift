import Foundation

/// Counts attempts per key (an account, a client address) and, past a free allowance, blocks the key
/// with exponentially growing delays: the answer is 429 with `Retry-After`.
///
/// In memory: one process serves the county, and a restart forgetting the counters costs an attacker
/// a restart, which they cannot cause. The table is bounded; when full, the stalest entries go first.
final class RateLimiter: @unchecked Sendable {
    struct Policy: Sendable {
        /// Attempts allowed within `window`; the last of them starts a block.
        var freeAttempts: Int
        /// Attempts older than this (counted from the last one) are forgotten, once no block is running.
        var window: TimeInterval
        /// The first block; every further attempt past the allowance doubles it.
        var baseDelay: TimeInterval
        var maxDelay: TimeInterval
    }

    private struct Entry {
        var count: Int
        var lastAttempt: Date
        var blockedUntil: Date?
    }

    let policy: Policy
    private let maximumEntries: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    init(policy: Policy, maximumEntries: Int = 50_000) {
        self.policy = policy
        self.maximumEntries = maximumEntries
    }

    /// Seconds until `key` may try again (rounded up), or nil when it may try now.
    func retryAfter(_ key: String, now: Date) -> Int? {
        lock.withLock {
            guard let until = entries[key]?.blockedUntil, until > now else { return nil }
            return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        }
    }

    /// Counts one attempt (a failed login, a sent message); may start or lengthen a block.
    func record(_ key: String, now: Date) {
        lock.withLock {
            var entry = entries[key] ?? Entry(count: 0, lastAttempt: now, blockedUntil: nil)
            let blockOver = entry.blockedUntil.map { $0 <= now } ?? true
            if blockOver, now.timeIntervalSince(entry.lastAttempt) > policy.window {
                entry = Entry(count: 0, lastAttempt: now, blockedUntil: nil)
            }
            entry.count += 1
            entry.lastAttempt = now
            // The attempt that uses up the allowance starts the first block; each one after doubles it.
            let excess = entry.count - policy.freeAttempts
            if excess >= 0 {
                let delay = min(policy.maxDelay, policy.baseDelay * pow(2, Double(min(excess, 30))))
                entry.blockedUntil = now.addingTimeInterval(delay)
            }
            if entries[key] == nil, entries.count >= maximumEntries { evict(now: now) }
            entries[key] = entry
        }
    }

    /// Forgets a key (a successful login clears its account's failures).
    func reset(_ key: String) {
        _ = lock.withLock { entries.removeValue(forKey: key) }
    }

    var count: Int { lock.withLock { entries.count } }

    // Called with the lock held.
    private func evict(now: Date) {
        entries = entries.filter { _, entry in
            (entry.blockedUntil.map { $0 > now } ?? false) || now.timeIntervalSince(entry.lastAttempt) <= policy.window
        }
        if entries.count >= maximumEntries {
            let stalest = entries.sorted { $0.value.lastAttempt < $1.value.lastAttempt }.prefix(maximumEntries / 10)
            for (key, _) in stalest { entries.removeValue(forKey: key) }
        }
    }
}

/// The limits the exchange applies, each with its policy.
struct RateLimits: Sendable {
    let loginPerAccount = RateLimiter(policy: .init(freeAttempts: 5, window: 900, baseDelay: 30, maxDelay: 3600))
    let loginPerClient = RateLimiter(policy: .init(freeAttempts: 20, window: 900, baseDelay: 30, maxDelay: 3600))
    let resetPerAccount = RateLimiter(policy: .init(freeAttempts: 3, window: 3600, baseDelay: 300, maxDelay: 86400))
    let resetPerClient = RateLimiter(policy: .init(freeAttempts: 10, window: 3600, baseDelay: 300, maxDelay: 86400))
    let registrationPerClient = RateLimiter(
        policy: .init(freeAttempts: 5, window: 3600, baseDelay: 600, maxDelay: 86400))
    let contactPerClient = RateLimiter(policy: .init(freeAttempts: 10, window: 3600, baseDelay: 300, maxDelay: 86400))
}
