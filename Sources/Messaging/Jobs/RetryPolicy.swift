import Foundation

/// When a failed attempt is tried again: exponential in the attempt number, with jitter so that jobs that
/// failed together do not retry together.
public struct RetryPolicy: Sendable {
    /// A number in 0..<1 for the jitter; injected so tests can fix it.
    public var random: @Sendable () -> Double

    /// The policy, with the system's random numbers by default.
    public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.random = random
    }

    /// Seconds to wait after failed attempt number `attempt` (from 1): `attempt⁴ + 15`, plus up to 10 %
    /// jitter. Attempt 1 waits about 16 s, attempt 5 about 11 minutes, attempt 20 about 2 days.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let base = pow(Double(max(1, attempt)), 4) + 15
        return base + base * 0.1 * random()
    }
}
