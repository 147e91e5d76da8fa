import Foundation
import Logging
import Postgres
import Synchronization

/// When each API token last authenticated a request, kept in memory until ``TokenUsageFlusher`` writes it.
///
/// Recording costs a lock and a dictionary entry, never a query: a `GET` runs in a read-only transaction and
/// must write nothing, and a write per request would cost every request a row lock on its token. The
/// flusher writes the gathered instants in one statement per interval, so each token's row is written at
/// most once per interval, however busy the token is.
public final class TokenUsageRecorder: Sendable {
    private let pending = Mutex<[UUID: Date]>([:])

    /// Makes an empty recorder.
    public init() {}

    /// Notes that `tokenID` authenticated a request at `instant`.
    public func record(_ tokenID: UUID, at instant: Date) {
        pending.withLock { seen in
            if let earlier = seen[tokenID], earlier >= instant { return }
            seen[tokenID] = instant
        }
    }

    /// How many tokens wait to be written.
    public var pendingCount: Int { pending.withLock { $0.count } }

    /// Writes what was gathered since the last flush through the owner-run `platform.touch_tokens`, and
    /// returns how many tokens it wrote. When the write fails the instants are kept for the next flush.
    @discardableResult
    public func flush(to pool: PostgresConnectionPool) async throws -> Int {
        let batch = pending.withLock { seen in
            let taken = seen
            seen.removeAll(keepingCapacity: true)
            return taken
        }
        guard !batch.isEmpty else { return 0 }
        let ids = Array(batch.keys)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let seen = ids.map { formatter.string(from: batch[$0]!) }
        do {
            return try await pool.withConnection { connection in
                try await connection.query(
                    "SELECT platform.touch_tokens(\(ids)::uuid[], \(seen)::timestamptz[])"
                )[0].decode(Int.self, column: 0)
            }
        } catch {
            for (id, instant) in batch { record(id, at: instant) }
            throw error
        }
    }
}
