import Foundation
import Logging
import Postgres

/// Delivers dead events again, for operators (`stedenband events redeliver`; docs/queue.md, "Event
/// cursors"), once the cause of their failure is fixed: each in a transaction of its own, scoped to the
/// event's municipality, through the subscriber's own handler, which removes the dead event in the same
/// transaction when the handler succeeds. A failure leaves the dead event and adds its error to it.
///
/// The cursor is not involved: it moved past the event when it died, and the events after it were delivered
/// since. A handler is idempotent and version-guarded (a redelivery is one more at-least-once delivery), so a
/// late, older event does not undo a newer state.
public struct DeadEvents: Sendable {
    /// What went wrong before any delivery was tried.
    public struct Refusal: Error, Sendable, CustomStringConvertible, Equatable {
        /// The subscriber is not one of the installed plugins'.
        public static func unknownSubscriber(_ name: String, known: [String]) -> Refusal {
            Refusal(
                description:
                    "no subscriber named \(name) is installed; the subscribers are: \(known.joined(separator: ", "))")
        }

        /// The subscriber has no dead event of that id.
        public static func noSuchDeadEvent(_ id: UUID, subscriber: String) -> Refusal {
            Refusal(description: "\(subscriber) has no dead event \(id.uuidString.lowercased())")
        }

        /// Another process is redelivering the event now.
        public static func beingRedelivered(_ id: UUID) -> Refusal {
            Refusal(description: "event \(id.uuidString.lowercased()) is being redelivered by another process")
        }

        public let description: String
    }

    /// How one redelivery ended.
    public struct Redelivery: Sendable, Codable, Equatable {
        /// The subscriber.
        public var subscriber: String
        /// The municipality.
        public var tenantID: UUID
        /// The event's id.
        public var eventID: UUID
        /// The event's name.
        public var eventName: String
        /// True when the handler succeeded and the dead event was removed.
        public var delivered: Bool
        /// The handler's error, when it failed (also added to the dead event's errors).
        public var error: String?
    }

    private let subscribers: [String: EventCursorSubscriber]
    private let pool: PostgresConnectionPool
    private let clock: any WallClock
    private let timeout: Duration
    private let logger: Logger

    /// Redelivers to the queued subscribers of `subscriptions` on `pool` (the app role), each handler given
    /// up to `timeout`, as a delivery from a cursor is.
    public init(
        subscriptions: EventSubscriptions, pool: PostgresConnectionPool, clock: any WallClock = SystemClock(),
        timeout: Duration = JobKind.defaultTimeout, logger: Logger
    ) {
        self.subscribers = Dictionary(uniqueKeysWithValues: subscriptions.cursorSubscribers.map { ($0.name, $0) })
        self.pool = pool
        self.clock = clock
        self.timeout = timeout
        self.logger = logger
    }

    /// The names of the subscribers it can redeliver to, sorted.
    public var subscriberNames: [String] { subscribers.keys.sorted() }

    /// The ids of `subscriber`'s dead events, in the order they were published in each municipality.
    ///
    /// - Throws: ``Refusal`` for a subscriber that is not installed.
    public func deadEventIDs(of subscriber: String) async throws -> [UUID] {
        guard subscribers[subscriber] != nil else {
            throw Refusal.unknownSubscriber(subscriber, known: subscriberNames)
        }
        let rows = try await pool.query("SELECT event_id FROM messaging.dead_event_ids(\(subscriber))")
        return try rows.map { try $0.decode(UUID.self, column: 0) }
    }

    /// Delivers the dead event `eventID` to `subscriber` again.
    ///
    /// - Returns: Whether it was delivered; a handler's failure is answered, not thrown, and recorded.
    /// - Throws: ``Refusal`` for an unknown subscriber or event, or an event another process is redelivering;
    ///   a database error when the database itself failed.
    public func redeliver(_ eventID: UUID, to subscriber: String) async throws -> Redelivery {
        guard let target = subscribers[subscriber] else {
            throw Refusal.unknownSubscriber(subscriber, known: subscriberNames)
        }
        var taken: StoredEvent?
        do {
            try await pool.withTransaction { connection in
                let rows: PostgresRows
                do {
                    rows = try await connection.query(
                        """
                        SELECT tenant_id, id, name, payload, occurred_at, actor
                        FROM messaging.take_dead_event(\(subscriber), \(eventID))
                        """)
                } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
                    throw Refusal.beingRedelivered(eventID)
                }
                guard let row = rows.first else { throw Refusal.noSuchDeadEvent(eventID, subscriber: subscriber) }
                let (tenantID, id, name, payload, occurredAt, actor) =
                    try row.decode((UUID, UUID, String, String, Date, String?).self)
                let event = StoredEvent(
                    id: id, tenantID: tenantID, name: name, payload: payload, occurredAt: occurredAt, actor: actor)
                taken = event
                try await connection.query("SELECT set_config('app.tenant_id', \(tenantID.postgresText), true)")
                try await withTimeout(timeout) {
                    try await target.handle([event], on: connection, logger: self.logger)
                }
                try await connection.query(
                    "SELECT messaging.forget_dead_event(\(subscriber), \(tenantID), \(id))")
            }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            // Before the event was taken, the database failed, not the handler: nothing to record.
            guard let event = taken else { throw error }
            let message = String(describing: error)
            // The command prints the error; the log keeps it for a server's operators at notice.
            logger.notice(
                "redelivering a dead event failed; it stays dead",
                metadata: [
                    "subscriber": "\(subscriber)", "event.id": "\(event.id.uuidString.lowercased())",
                    "error": "\(message)",
                ])
            try await pool.query(
                """
                SELECT messaging.record_redelivery_failure(\(subscriber), \(event.tenantID), \(event.id),
                                                           \(message), \(clock.now()))
                """)
            return Redelivery(
                subscriber: subscriber, tenantID: event.tenantID, eventID: event.id, eventName: event.name,
                delivered: false, error: message)
        }
        guard let event = taken else { throw Refusal.noSuchDeadEvent(eventID, subscriber: subscriber) }
        logger.notice(
            "a dead event was delivered again",
            metadata: ["subscriber": "\(subscriber)", "event.id": "\(event.id.uuidString.lowercased())"])
        return Redelivery(
            subscriber: subscriber, tenantID: event.tenantID, eventID: event.id, eventName: event.name,
            delivered: true, error: nil)
    }
}
