import Synchronization

/// Counts of the authentication middleware's work, for `/metrics` and for tests that check what reached the
/// database.
public final class AuthenticationStatistics: Sendable {
    private struct Counts {
        var lookups = 0
        var refusedByAddress = 0
    }

    private let counts = Mutex(Counts())

    /// Makes the counters, at zero.
    public init() {}

    /// Token lookups sent to the database (`platform.authenticate`).
    public var lookups: Int { counts.withLock { $0.lookups } }

    /// Requests with a token refused before the database because their address's bucket was empty.
    public var refusedByAddress: Int { counts.withLock { $0.refusedByAddress } }

    func lookedUp() { counts.withLock { $0.lookups += 1 } }

    func refusedByAddressLimit() { counts.withLock { $0.refusedByAddress += 1 } }
}
