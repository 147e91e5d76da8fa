import Dispatch
import Foundation
import Synchronization

/// A token bucket per key (an API token, a client address): `rate` requests a second on average, bursts
/// up to `burst`.
///
/// Kept in each process's memory: with several processes behind a load balancer a client gets at most
/// their sum, which protects the database all the same.
///
/// Buckets are keyed by any well-formed token, before the database has checked it, so a flood of made-up
/// tokens makes many. Buckets that have refilled are forgotten (a new one is the same), in a sweep that runs
/// only once the map has doubled since the last one: each acquire costs amortised O(1), however many keys.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        /// The size at which the next sweep runs.
        var sweepAt = RateLimiter.minimumSweepSize
        var sweeps = 0
    }

    /// Requests per second.
    public let rate: Double
    /// The largest burst.
    public let burst: Double
    private let now: @Sendable () -> Double
    private let state = Mutex(State())

    /// The defaults: 50 requests a second, bursts of 100.
    public static let defaultRate = 50.0
    /// The default burst.
    public static let defaultBurst = 100.0
    /// Below this many buckets none is forgotten: sweeping a small map is not worth it.
    public static let minimumSweepSize = 10_000

    /// Makes a limiter; `now` (seconds, monotonic) is injected so tests control time.
    public init(
        rate: Double = defaultRate,
        burst: Double = defaultBurst,
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        precondition(
            rate > 0 && rate.isFinite && burst >= 1 && burst.isFinite,
            "a rate limiter needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self.now = now
    }

    /// Takes one request from `key`'s bucket; returns `nil` when allowed, else the seconds until it would be.
    public func acquire(_ key: String) -> Double? {
        let time = now()
        return state.withLock { state in
            var bucket = state.buckets[key] ?? Bucket(tokens: burst, updated: time)
            bucket.tokens = min(burst, bucket.tokens + (time - bucket.updated) * rate)
            bucket.updated = time
            defer {
                state.buckets[key] = bucket
                if state.buckets.count >= state.sweepAt { sweep(&state, at: time) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / rate
        }
    }

    /// Whether `key`'s bucket holds a request now, without taking it.
    public func wouldAllow(_ key: String) -> Bool {
        let time = now()
        return state.withLock { state in
            guard let bucket = state.buckets[key] else { return true }
            return min(burst, bucket.tokens + (time - bucket.updated) * rate) >= 1
        }
    }

    /// How many buckets are kept, and how often they were swept: for tests and metrics.
    public var statistics: (buckets: Int, sweeps: Int) {
        state.withLock { ($0.buckets.count, $0.sweeps) }
    }

    /// Forgets the buckets that have refilled (untouched for `burst / rate` seconds, they are full: a new
    /// one is the same), and puts the next sweep at twice what is left.
    private func sweep(_ state: inout State, at time: Double) {
        let refilled = burst / rate
        state.buckets = state.buckets.filter { time - $0.value.updated < refilled }
        state.sweepAt = max(Self.minimumSweepSize, state.buckets.count * 2)
        state.sweeps += 1
    }
}

extension RateLimiter {
    /// The limits from `RATE_LIMIT_PER_SECOND` and `RATE_LIMIT_BURST`, with the defaults when unset.
    ///
    /// - Throws: ``RateLimitSettingError`` for a value that is not a number, not finite, a rate that is not
    ///   positive, or a burst below 1: refused at start-up rather than ignored or crashing.
    public static func limits(from environment: [String: String]) throws -> (rate: Double, burst: Double) {
        try limits(
            from: environment, rateName: "RATE_LIMIT_PER_SECOND", burstName: "RATE_LIMIT_BURST",
            defaults: (defaultRate, defaultBurst))
    }

    /// The default rate of a client address's bucket: 2 a second, for failed or missing credentials and
    /// public routes (`RATE_LIMIT_ADDRESS_PER_SECOND`).
    public static let defaultAddressRate = 2.0
    /// The default burst of a client address's bucket (`RATE_LIMIT_ADDRESS_BURST`).
    public static let defaultAddressBurst = 30.0

    /// The limits of a client address's bucket, from `RATE_LIMIT_ADDRESS_PER_SECOND` and
    /// `RATE_LIMIT_ADDRESS_BURST`, with the defaults when unset.
    ///
    /// - Throws: ``RateLimitSettingError``, as ``limits(from:)``.
    public static func addressLimits(from environment: [String: String]) throws -> (rate: Double, burst: Double) {
        try limits(
            from: environment, rateName: "RATE_LIMIT_ADDRESS_PER_SECOND", burstName: "RATE_LIMIT_ADDRESS_BURST",
            defaults: (defaultAddressRate, defaultAddressBurst))
    }

    static func limits(
        from environment: [String: String],
        rateName: String,
        burstName: String,
        defaults: (rate: Double, burst: Double)
    ) throws -> (rate: Double, burst: Double) {
        func read(_ name: String, default value: Double, minimum: Double, inclusive: Bool) throws -> Double {
            guard let text = environment[name] else { return value }
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite,
                inclusive ? number >= minimum : number > minimum
            else {
                throw RateLimitSettingError(
                    name: name, value: text, expected: inclusive ? "a number of at least 1" : "a number above 0")
            }
            return number
        }
        return (
            try read(rateName, default: defaults.rate, minimum: 0, inclusive: false),
            try read(burstName, default: defaults.burst, minimum: 1, inclusive: true)
        )
    }
}
