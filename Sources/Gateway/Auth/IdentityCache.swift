import Dispatch
import Foundation
import Logging
import Postgres
import Synchronization

/// The identities behind API tokens, kept in this process's memory for a few seconds so that a request needs
/// no lookup of its own, and forgotten at once when the database says something changed.
///
/// An entry holds what `platform.authenticate` finds for a token's hash (token, municipality, user or
/// platform administrator, role) and the token's expiry; an unknown, revoked or expired hash is kept as
/// refused (the negative cache). Entries live at most ``ttl`` seconds (`IDENTITY_CACHE_TTL_SECONDS`), and a
/// token past its expiry is never served.
///
/// Migration 0030 notifies the channel ``channel`` whenever a token is made, revoked or deleted or its expiry
/// changes, a user's role or status changes or the user is removed, a municipality is disabled or removed, or
/// a platform administrator changes; the notification is sent when that transaction commits. Every server
/// process listens (``listen(_:)``) and empties its whole cache on any notification: these changes are rare,
/// so telling them apart is not worth it. The cache answers only while its listener is connected and
/// listening: on every (re)connection it starts empty, and while the listener is down every request looks
/// its token up as it did without a cache. So a revoked token or a disabled user is refused as soon as the
/// notification arrives, and never later than ``ttl`` even if a notification were lost.
///
/// A lookup that started before an invalidation cannot fill the cache after it: each invalidation starts a
/// new generation, and a result is kept only under the generation its lookup started in.
public final class IdentityCache: Sendable {
    /// What a request needs from a token's entry.
    public struct Grant: Sendable {
        /// The caller.
        public var identity: Identity
        /// The token's expiry; `nil`: it does not expire.
        public var expiresAt: Date?

        /// Makes a grant.
        public init(identity: Identity, expiresAt: Date?) {
            self.identity = identity
            self.expiresAt = expiresAt
        }

        /// The transaction-local settings `platform.authenticate` makes for this identity (`app.tenant_id`
        /// for a municipality's user, `app.platform_admin` for a platform administrator), as one statement;
        /// with `readOnly`, also `transaction_read_only`.
        public func settings(readOnly: Bool) -> PostgresQuery {
            let readOnlySetting = readOnly ? ", set_config('transaction_read_only', 'on', true)" : ""
            if let tenantID = identity.tenantID {
                var query: PostgresQuery = "SELECT set_config('app.tenant_id', \(tenantID.postgresText), true)"
                query.sql += readOnlySetting
                return query
            }
            var query: PostgresQuery = "SELECT set_config('app.platform_admin', 'on', true)"
            query.sql += readOnlySetting
            return query
        }
    }

    /// What the cache knows of a hash.
    public enum Answer: Sendable {
        /// Not in use (switched off, or its listener is not listening): look the token up as without a cache.
        case unavailable
        /// Not known: look it up, then ``store(_:for:generation:)`` the result with this generation.
        case unknown(generation: UInt64)
        /// Refused within the time to live: unknown, revoked or expired.
        case refused
        /// Accepted within the time to live and before the token's expiry.
        case granted(Grant)

        /// Whether the cache is not in use.
        public var isUnavailable: Bool {
            if case .unavailable = self { return true }
            return false
        }
    }

    private struct State {
        var listening = false
        var generation: UInt64 = 0
        var granted: [String: (grant: Grant, stored: Double)] = [:]
        var refused: [String: Double] = [:]

        mutating func forget() {
            generation &+= 1
            granted.removeAll(keepingCapacity: true)
            refused.removeAll(keepingCapacity: true)
        }
    }

    /// The channel migration 0030's triggers notify.
    public static let channel = "stedenband_identity"
    /// The default time to live: 10 seconds.
    public static let defaultTTL = 10.0
    /// The default number of tokens kept, accepted and refused each: 10,000 (a few megabytes at most).
    public static let defaultCapacity = 10_000

    /// How long an entry is kept, in seconds; 0 turns the cache off.
    public let ttl: Double
    /// How many accepted hashes, and how many refused ones, are kept at most.
    public let capacity: Int
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    /// Makes an empty cache, unused until ``listen(_:)`` is listening. `clock` (seconds, monotonic) is
    /// injected so that tests control time.
    public init(
        ttl: Double = defaultTTL,
        capacity: Int = defaultCapacity,
        clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        precondition(ttl >= 0 && capacity >= 1, "a cache needs room and a time to live of 0 or more")
        self.ttl = ttl
        self.capacity = capacity
        self.clock = clock
    }

    /// Whether the cache answers: switched on, and its listener listening.
    public var isActive: Bool { ttl > 0 && state.withLock { $0.listening } }

    /// What the cache knows of the token with this hash (lowercase hex) at `now`, the request's time.
    public func answer(for hash: String, at now: Date) -> Answer {
        guard ttl > 0 else { return .unavailable }
        let time = clock()
        return state.withLock { state in
            guard state.listening else { return .unavailable }
            if let entry = state.granted[hash] {
                if time - entry.stored < ttl, entry.grant.expiresAt.map({ $0 > now }) ?? true {
                    return .granted(entry.grant)
                }
                state.granted[hash] = nil
            } else if let stored = state.refused[hash] {
                if time - stored < ttl { return .refused }
                state.refused[hash] = nil
            }
            return .unknown(generation: state.generation)
        }
    }

    /// Keeps what the database answered for a hash (`nil`: refused), unless the cache was emptied since the
    /// lookup began (`generation` from ``answer(for:at:)``).
    public func store(_ grant: Grant?, for hash: String, generation: UInt64) {
        let time = clock()
        state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if let grant {
                if state.granted.count >= capacity {
                    state.granted = state.granted.filter { time - $0.value.stored < ttl }
                    // Still full of live entries: make room by dropping any one; it is looked up again.
                    if state.granted.count >= capacity, let any = state.granted.keys.first {
                        state.granted[any] = nil
                    }
                }
                state.granted[hash] = (grant, time)
            } else {
                if state.refused.count >= capacity {
                    state.refused = state.refused.filter { time - $0.value < ttl }
                    if state.refused.count >= capacity, let any = state.refused.keys.first {
                        state.refused[any] = nil
                    }
                }
                state.refused[hash] = time
            }
        }
    }

    /// Forgets every entry: something about tokens, users, municipalities or administrators changed.
    public func invalidate() {
        state.withLock { $0.forget() }
    }

    /// How many hashes are kept, accepted and refused: for tests.
    public var count: (granted: Int, refused: Int) {
        state.withLock { ($0.granted.count, $0.refused.count) }
    }

    /// Marks the listener as listening (starting empty) or not (the cache then answers nothing).
    func listenerChanged(listening: Bool) {
        state.withLock { state in
            state.forget()
            state.listening = listening
        }
    }

    /// Listens on ``channel`` through `listener` (its channels are replaced), until cancelled: empties the
    /// cache on every notification, and answers only while connected. Does nothing when the cache is off.
    public func listen(_ listener: PostgresListener) async {
        guard ttl > 0 else { return }
        var listener = listener
        listener.channels = [Self.channel]
        listener.reportsDisconnects = true
        for await event in listener.events() {
            switch event {
            case .listening: listenerChanged(listening: true)
            case .disconnected: listenerChanged(listening: false)
            case .notification: invalidate()
            }
            if Task.isCancelled { break }
        }
        listenerChanged(listening: false)
    }
}
