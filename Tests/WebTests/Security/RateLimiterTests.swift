import Foundation
import Testing

@testable import Web

@Suite struct RateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func allowanceUsedUp_blocksWithDoublingDelaysUpToTheCap() {
        let limiter = RateLimiter(policy: .init(freeAttempts: 3, window: 900, baseDelay: 10, maxDelay: 60))
        for _ in 0..<2 { limiter.record("k", now: start) }
        #expect(limiter.retryAfter("k", now: start) == nil)
        limiter.record("k", now: start)
        #expect(limiter.retryAfter("k", now: start) == 10)
        limiter.record("k", now: start.addingTimeInterval(11))
        #expect(limiter.retryAfter("k", now: start.addingTimeInterval(11)) == 20)
        limiter.record("k", now: start.addingTimeInterval(40))
        #expect(limiter.retryAfter("k", now: start.addingTimeInterval(40)) == 40)
        limiter.record("k", now: start.addingTimeInterval(90))
        #expect(limiter.retryAfter("k", now: start.addingTimeInterval(90)) == 60, "capped")
        #expect(limiter.retryAfter("other", now: start) == nil, "keys are separate")
    }

    @Test func quietWindow_forgetsOldAttempts() {
        let limiter = RateLimiter(policy: .init(freeAttempts: 3, window: 900, baseDelay: 10, maxDelay: 60))
        limiter.record("k", now: start)
        limiter.record("k", now: start)
        limiter.record("k", now: start.addingTimeInterval(901))
        #expect(limiter.retryAfter("k", now: start.addingTimeInterval(901)) == nil)
    }

    @Test func reset_clearsAKey() {
        let limiter = RateLimiter(policy: .init(freeAttempts: 1, window: 900, baseDelay: 10, maxDelay: 60))
        limiter.record("k", now: start)
        #expect(limiter.retryAfter("k", now: start) != nil)
        limiter.reset("k")
        #expect(limiter.retryAfter("k", now: start) == nil)
    }

    @Test func table_staysBoundedUnderAFloodOfKeys() {
        let limiter = RateLimiter(
            policy: .init(freeAttempts: 5, window: 900, baseDelay: 10, maxDelay: 60), maximumEntries: 1000)
        for index in 0..<10_000 { limiter.record("client-\(index)", now: start) }
        #expect(limiter.count <= 1000)
    }
}
