import Foundation
import Postgres

/// The kept events of the transaction's tenant, read back in the order they were published: for a read model
/// that replays them (Reporting's rebuild) without knowing how `messaging.events` is stored.
public enum EventLog {
    /// One kept event, its payload still encoded.
    public struct Entry: Sendable {
        /// Its place in the log: later events have higher positions.
        public var position: Int64
        /// The event's name (`activities.activity_recorded.v1`).
        public var name: String
        /// The event as published, JSON.
        public var payload: Data
        /// When it was published.
        public var occurredAt: Date
    }

    /// The number of events read per round trip: replaying a municipality's history stays a few queries.
    public static let defaultPageSize = 1000

    /// Up to `limit` events named in `names`, after `position`, in position order.
    public static func page(
        named names: [String], after position: Int64, limit: Int = defaultPageSize, on connection: PostgresConnection
    ) async throws -> [Entry] {
        try await connection.query(
            """
            SELECT position, name, payload::text, occurred_at FROM messaging.events
            WHERE name = ANY(\(names)::text[]) AND position > \(position)
            ORDER BY position LIMIT \(limit)
            """
        ).map { row in
            let (position, name, payload, occurredAt) = try row.decode((Int64, String, String, Date).self)
            return Entry(position: position, name: name, payload: Data(payload.utf8), occurredAt: occurredAt)
        }
    }

    /// Hands every event named in `names` to `body`, oldest first, reading a page at a time; answers how many.
    @discardableResult
    public static func replay(
        named names: [String], pageSize: Int = defaultPageSize, on connection: PostgresConnection,
        _ body: (Entry) async throws -> Void
    ) async throws -> Int {
        var replayed = 0
        var after: Int64 = 0
        while true {
            let entries = try await page(named: names, after: after, limit: pageSize, on: connection)
            guard let last = entries.last else { return replayed }
            for entry in entries { try await body(entry) }
            replayed += entries.count
            after = last.position
        }
    }
}
