import Dispatch
import Foundation
import Synchronization

/// A token bucket per API token: `rate` requests a second on average, bursts up to `burst`.
///
/// Kept in each process's memory: with several processes behind a load balancer a client gets at most
/// their sum, which protects the database all the same.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Requests per second.
    public let rate: Double
    /// The largest burst.
    public let burst: Double
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// The defaults: 50 requests a second, bursts of 100.
    public static let defaultRate = 50.0
    /// The default burst.
    public static let defaultBurst = 100.0

    /// Makes a limiter; `now` (seconds, monotonic) is injected so tests control time.
    public init(
        rate: Double = defaultRate,
        burst: Double = defaultBurst,
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        precondition(rate > 0 && burst >= 1, "a rate limiter needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self.now = now
    }

    /// Takes one request from `key`'s bucket; returns `nil` when allowed, else the seconds until it would be.
    public func acquire(_ key: String) -> Double? {
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: time)
            bucket.tokens = min(burst, bucket.tokens + (time - bucket.updated) * rate)
            bucket.updated = time
            defer {
                buckets[key] = bucket
                // Forget buckets that refilled long ago, so idle tokens do not accumulate.
                if buckets.count > 10_000 {
                    buckets = buckets.filter { time - $0.value.updated < burst / rate }
                }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / rate
        }
    }
}
