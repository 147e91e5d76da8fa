import Foundation
import Gateway
import Synchronization
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        private let seconds = Mutex(0.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test("a flood of distinct tokens costs few sweeps, not one per request")
    func floodIsSweptRarely() {
        let clock = Clock()
        let limiter = RateLimiter(rate: 50, burst: 100, now: { clock.now })
        // All live at once: none can be forgotten, which made every acquire above 10,000 keys filter the map.
        let allowed = (0..<50_000).filter { limiter.acquire("flood-\($0)") == nil }.count
        #expect(allowed == 50_000)
        let (buckets, sweeps) = limiter.statistics
        #expect(buckets == 50_000)
        // Sweeps at 10,000, 20,000 and 40,000 keys: each after the map doubled.
        #expect(sweeps <= 3, "\(sweeps) sweeps for 50,000 keys")
    }

    @Test("refilled buckets are forgotten at the next sweep; a bucket still limited is kept")
    func sweepsForgetOnlyRefilledBuckets() {
        let clock = Clock()
        let limiter = RateLimiter(rate: 1, burst: 2, now: { clock.now })
        #expect(limiter.acquire("busy") == nil)
        #expect(limiter.acquire("busy") == nil)
        #expect(limiter.acquire("busy") != nil)
        for index in 0..<(RateLimiter.minimumSweepSize - 10) { _ = limiter.acquire("idle-\(index)") }
        // The idle buckets refill in burst / rate = 2 s; "busy" is touched again just before.
        clock.advance(1.5)
        #expect(limiter.acquire("busy") == nil)  // 1.5 tokens refilled, one taken
        clock.advance(1)
        for index in 0..<20 { _ = limiter.acquire("new-\(index)") }
        let (buckets, sweeps) = limiter.statistics
        #expect(sweeps == 1)
        #expect(buckets < 100, "the refilled idle buckets were kept: \(buckets)")
        // "busy" kept its state: 0.5 + 1 token now, one taken, the next refused.
        #expect(limiter.acquire("busy") == nil)
        #expect(limiter.acquire("busy") != nil)
    }

    @Test("limits come from the environment; a zero, negative or non-numeric setting is refused, not ignored")
    func limitsFromTheEnvironment() throws {
        let defaults = try RateLimiter.limits(from: [:])
        #expect(defaults.rate == RateLimiter.defaultRate && defaults.burst == RateLimiter.defaultBurst)
        let set = try RateLimiter.limits(from: ["RATE_LIMIT_PER_SECOND": "0.5", "RATE_LIMIT_BURST": "1"])
        #expect(set.rate == 0.5 && set.burst == 1)
        let refused: [[String: String]] = [
            ["RATE_LIMIT_PER_SECOND": "0"], ["RATE_LIMIT_PER_SECOND": "-3"], ["RATE_LIMIT_PER_SECOND": "fast"],
            ["RATE_LIMIT_PER_SECOND": "inf"], ["RATE_LIMIT_PER_SECOND": "nan"], ["RATE_LIMIT_PER_SECOND": ""],
            ["RATE_LIMIT_BURST": "0.5"], ["RATE_LIMIT_BURST": "lots"],
        ]
        for environment in refused {
            #expect(throws: RateLimitSettingError.self, "\(environment)") {
                try RateLimiter.limits(from: environment)
            }
        }
        let error = #expect(throws: RateLimitSettingError.self) {
            try RateLimiter.limits(from: ["RATE_LIMIT_PER_SECOND": "fast"])
        }
        #expect(error?.description == #"RATE_LIMIT_PER_SECOND must be a number above 0, not "fast""#)
    }
}
