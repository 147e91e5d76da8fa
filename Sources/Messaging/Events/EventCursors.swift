import Foundation
import Postgres

/// The SQL of the event cursors (migration `0037_messaging_event_cursors.sql`; docs/queue.md, "Event
/// cursors"): take a subscriber's next batch, move its cursor past it, record a failed attempt.
enum EventCursors {
    /// A place in one municipality's event log: the writing transaction's id (as text, an `xid8`) and the
    /// event's position.
    struct Place: Sendable, Equatable {
        var xid: String
        var position: Int64
    }

    /// One event after the cursor; `event` is nil for an event the subscriber does not hear.
    struct Entry: Sendable {
        var place: Place
        var id: UUID
        var event: StoredEvent?
    }

    /// A batch taken in the caller's transaction, which holds the cursor until it ends.
    struct Batch: Sendable {
        var tenantID: UUID
        /// Failed attempts at the first event so far (then the batch holds that event alone).
        var attempt: Int
        /// Where the cursor stood when it was taken.
        var from: Place
        var entries: [Entry]

        /// The events the subscriber hears, in order.
        var events: [StoredEvent] { entries.compactMap(\.event) }
    }

    /// Takes `subscriber`'s next batch (up to `limit` events of one municipality, not one in `busy`, or only
    /// of `only`) in the transaction on `connection`, which must not have written anything yet; nil when no
    /// event waits. The transaction then holds the cursor: it commits without waiting for the disk.
    static func take(
        _ subscriber: EventCursorSubscriber, limit: Int, busy: [UUID], only: UUID?, at now: Date,
        on connection: PostgresConnection
    ) async throws -> Batch? {
        let rows = try await connection.pipeline([
            "SET LOCAL synchronous_commit = off",
            """
            SELECT tenant_id, attempt, from_xid, from_position, xid, event_position, id, name, payload,
                   occurred_at, actor, trace_parent
            FROM messaging.take_events(\(subscriber.name), \(subscriber.eventNames)::text[], \(limit)::integer,
                                       \(busy)::uuid[], \(only)::uuid, \(now))
            """,
        ])[1]
        var batch: Batch?
        for row in rows {
            let (tenantID, attempt, fromXID, fromPosition, xid, position, id, name, payload, occurredAt, actor, trace) =
                try row.decode(
                    (UUID, Int, String, Int64, String, Int64, UUID, String, String?, Date, String?, String?).self)
            let event = payload.map {
                StoredEvent(
                    id: id, tenantID: tenantID, name: name, payload: $0, occurredAt: occurredAt, actor: actor,
                    traceParent: trace)
            }
            let entry = Entry(place: Place(xid: xid, position: position), id: id, event: event)
            if batch == nil {
                batch = Batch(
                    tenantID: tenantID, attempt: attempt, from: Place(xid: fromXID, position: fromPosition),
                    entries: [])
            }
            batch?.entries.append(entry)
        }
        return batch
    }

    /// Moves the cursor taken in this transaction past `place`, with the transaction's next statement.
    static func advance(
        _ subscriber: EventCursorSubscriber, tenantID: UUID, to place: Place, at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.sendWithNext([
            """
            SELECT messaging.advance_cursor(\(subscriber.name), \(tenantID), \(place.xid), \(place.position), \(now))
            """
        ])
    }

    /// What a failed attempt did to the cursor.
    enum FailureOutcome: Equatable {
        /// It waits until `retryAt`.
        case retried
        /// The event went to the dead letter and the cursor moved past it.
        case dead
        /// Nothing: the cursor moved or another process delivers from it now.
        case leftAlone
    }

    /// Records a failed attempt at `entry`, the event after the cursor standing at `from`, in a transaction
    /// of its own.
    static func fail(
        _ subscriber: EventCursorSubscriber, tenantID: UUID, from: Place, entry: Entry, error: String,
        retryAt: Date, at now: Date, on connection: PostgresConnection
    ) async throws -> FailureOutcome {
        let rows = try await connection.query(
            """
            SELECT messaging.fail_cursor(\(subscriber.name), \(tenantID), \(from.xid), \(from.position),
                                         \(entry.place.xid), \(entry.place.position), \(entry.id), \(error),
                                         \(subscriber.maxAttempts)::integer, \(retryAt), \(now))
            """)
        switch try rows[0].decode(Bool?.self, column: 0) {
        case true?: return .dead
        case false?: return .retried
        case nil: return .leftAlone
        }
    }
}
