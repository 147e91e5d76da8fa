import Foundation
import Postgres

/// How far each queued subscriber lags behind the event log, for operators (`stedenband events stats`,
/// docs/queue.md, "Event cursors"): the events its cursors have yet to pass, the cursors waiting for a retry
/// and its dead events.
public struct EventCursorStats: Sendable, Codable {
    /// One subscriber's figures, summed over the municipalities.
    public struct Subscriber: Sendable, Codable, Equatable {
        /// The subscriber's name (`reporting.read_model`).
        public var subscriber: String
        /// Events its cursors have yet to pass (a municipality without a cursor counts from the origin).
        public var waiting: Int
        /// Seconds since the first of them occurred; 0 when none waits.
        public var oldestWaitingAgeSeconds: Double
        /// Cursors waiting for a retry of a failed event.
        public var retrying: Int
        /// The soonest of their retries.
        public var nextRetryAt: Date?
        /// Events in the dead letter.
        public var dead: Int
    }

    /// Per subscriber, sorted by name.
    public var subscribers: [Subscriber]
    /// Events waiting, summed over the subscribers (an event two subscribers wait for counts twice).
    public var waiting: Int
    /// Cursors waiting for a retry, over the subscribers.
    public var retrying: Int
    /// Dead events, over the subscribers.
    public var dead: Int

    /// Reads the figures of `subscribers` (the installed ones) and of any other subscriber with a cursor or a
    /// dead event, through `messaging.event_cursor_stats` (migration 0041), on a connection of the app role.
    public static func load(subscribers: [String], at now: Date, on connection: PostgresConnection) async throws
        -> EventCursorStats
    {
        let rows = try await connection.query(
            """
            SELECT subscriber, waiting, oldest_waiting, retrying, next_retry, dead
            FROM messaging.event_cursor_stats(\(subscribers)::text[])
            """)
        let figures = try rows.map { row in
            let (subscriber, waiting, oldest, retrying, nextRetry, dead) =
                try row.decode((String, Int, Date?, Int, Date?, Int).self)
            return Subscriber(
                subscriber: subscriber, waiting: waiting,
                oldestWaitingAgeSeconds: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                retrying: retrying, nextRetryAt: nextRetry, dead: dead)
        }
        return EventCursorStats(
            subscribers: figures,
            waiting: figures.reduce(0) { $0 + $1.waiting },
            retrying: figures.reduce(0) { $0 + $1.retrying },
            dead: figures.reduce(0) { $0 + $1.dead })
    }
}
