import Dispatch
import Synchronization

/// The hashes of tokens the database accepted lately: bounded, in this process's memory.
///
/// When a client address has used up its bucket of failed attempts, its requests are refused before the
/// database unless their token is in here: so a municipality behind one NAT address keeps working while
/// someone at the same address tries made-up tokens. A token in here is still looked up on every request,
/// or answered by ``IdentityCache``, which a revocation empties; being here only lets it past the address's
/// bucket.
public final class RecentTokens: Sendable {
    private struct State {
        var seen: [String: Double] = [:]
    }

    /// How many hashes are kept at most.
    public let capacity: Int
    /// How long a hash is kept after its last successful lookup, in seconds.
    public let lifetime: Double
    private let now: @Sendable () -> Double
    private let state = Mutex(State())

    /// The default capacity: 10,000 hashes, under a megabyte.
    public static let defaultCapacity = 10_000
    /// The default lifetime: 10 minutes.
    public static let defaultLifetime = 600.0

    /// Makes the set; `now` (seconds, monotonic) is injected so tests control time.
    public init(
        capacity: Int = defaultCapacity,
        lifetime: Double = defaultLifetime,
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        precondition(capacity >= 1 && lifetime > 0, "a token set needs room and a lifetime")
        self.capacity = capacity
        self.lifetime = lifetime
        self.now = now
    }

    /// Notes that the token with this hash was accepted.
    public func accepted(_ hash: String) {
        let time = now()
        state.withLock { state in
            state.seen[hash] = time
            guard state.seen.count > capacity else { return }
            // Over capacity (rare: only valid tokens get in): forget the expired, then the oldest.
            state.seen = state.seen.filter { time - $0.value < lifetime }
            if state.seen.count > capacity {
                let oldest = state.seen.sorted { $0.value < $1.value }.prefix(state.seen.count - capacity)
                for (key, _) in oldest { state.seen[key] = nil }
            }
        }
    }

    /// Forgets a hash the database no longer accepts.
    public func refused(_ hash: String) {
        _ = state.withLock { $0.seen.removeValue(forKey: hash) }
    }

    /// Whether the token with this hash was accepted within the lifetime.
    public func contains(_ hash: String) -> Bool {
        let time = now()
        return state.withLock { state in
            guard let seen = state.seen[hash] else { return false }
            return time - seen < lifetime
        }
    }

    /// How many hashes are kept: for tests.
    public var count: Int { state.withLock { $0.seen.count } }
}
