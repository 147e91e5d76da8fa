import Foundation
import Postgres
import RequestTracing

/// Publishes events in the publisher's transaction and hands them to the subscribers.
///
/// `publish` writes the event to `messaging.events` in the caller's transaction: a rollback publishes nothing.
/// Queued subscribers read it from there, each from its own cursor (``EventCursorWorkers``; docs/queue.md,
/// "Event cursors"), so nothing else is written per event. Inside a transaction block the rows, and the
/// statements of in-transaction subscribers that only name theirs, take no round trip of their own: they travel
/// in front of the transaction's next statement, usually its `COMMIT` (``PostgresConnection/sendWithNext(_:)``),
/// which sees them as if they had run at once. The NOTIFY that wakes the deliveries is sent once the
/// transaction has committed, in the COMMIT's round trip, once however many events the transaction published.
/// In-transaction subscribers with a handler then run on the same connection.
public struct EventBus: Sendable {
    /// The subscriptions, fixed once the plugins registered.
    public let subscriptions: EventSubscriptions
    /// The queue, whose clock dates the events.
    public let queue: PostgresJobQueue
    private let makeID: @Sendable () -> UUID

    /// Makes a bus; `makeID` is injected so tests can predict event ids.
    public init(
        subscriptions: EventSubscriptions,
        queue: PostgresJobQueue,
        makeID: @escaping @Sendable () -> UUID = { UUID.timeOrdered() }
    ) {
        self.subscriptions = subscriptions
        self.queue = queue
        self.makeID = makeID
    }

    /// Publishes `event` for `tenantID` in the transaction running on `connection`, which must be scoped to
    /// that tenant (`withTransaction(tenantID:)`): row-level security refuses anything else.
    ///
    /// - Returns: The event's id.
    @discardableResult
    public func publish<E: Event>(
        _ event: E,
        tenantID: UUID,
        actor: String? = nil,
        in connection: PostgresConnection
    ) async throws -> UUID {
        try await publish([event], tenantID: tenantID, actor: actor, in: connection)[0]
    }

    /// Publishes several events of one type at once, for bulk work such as imports: the events travel in one
    /// round trip, and batch subscribers hear them together.
    ///
    /// - Returns: The events' ids, in order.
    @discardableResult
    public func publish<E: Event>(
        _ events: [E],
        tenantID: UUID,
        actor: String? = nil,
        in connection: PostgresConnection
    ) async throws -> [UUID] {
        let prepared = try prepare(events, tenantID: tenantID, actor: actor)
        try await publish(prepared, in: connection)
        return prepared.ids
    }

    /// The first half of a publish, which needs no connection: gives the events their ids and encodes them. A
    /// bulk writer prepares the next batch while the database works on this one. The events keep the
    /// `traceparent` of the work preparing them (``TraceParent/current``), for the subscribers to follow.
    public func prepare<E: Event>(_ events: [E], tenantID: UUID, actor: String? = nil) throws -> PreparedEvents<E> {
        let now = queue.clock.now()
        let ids = events.map { _ in makeID() }
        let payloads = try events.map { try PostgresJSON($0).postgresText }
        guard !events.isEmpty else {
            return PreparedEvents(
                ids: [], events: [], tenantID: tenantID, actor: actor, occurredAt: now, statements: [],
                wakesDeliveries: false)
        }
        let statements: [PostgresQuery] = [
            """
            INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at, actor,
                                          trace_parent)
            SELECT \(tenantID), e.id, \(E.name), e.aggregate, e.version, e.payload::jsonb, \(now), \(actor),
                   \(TraceParent.current?.header)
            FROM unnest(\(ids)::uuid[], \(events.map(\.aggregateID))::uuid[], \(events.map(\.aggregateVersion))::int8[],
                        \(payloads)::text[]) AS e(id, aggregate, version, payload)
            """
        ]
        return PreparedEvents(
            ids: ids, events: events, tenantID: tenantID, actor: actor, occurredAt: now, statements: statements,
            wakesDeliveries: !(subscriptions.queuedSubscribers[E.name] ?? []).isEmpty)
    }

    /// The second half of a publish: writes prepared events and the in-transaction subscribers'
    /// statements in the transaction on `connection`, with its next statement (outside a transaction block, at
    /// once, in one round trip), then runs the in-transaction subscribers' handlers.
    ///
    /// A failure of those rows is thrown by the transaction's next statement (or its `COMMIT`), which
    /// rolls it back as a failure here would have.
    public func publish<E: Event>(_ prepared: PreparedEvents<E>, in connection: PostgresConnection) async throws {
        guard !prepared.ids.isEmpty else { return }
        let published = PublishedEvents(
            ids: prepared.ids, events: prepared.events, tenantID: prepared.tenantID,
            occurredAt: prepared.occurredAt, actor: prepared.actor)
        var statements = prepared.statements
        for subscriber in subscriptions.inTransactionStatements[E.name] ?? [] {
            statements += subscriber(published)
        }
        try await connection.sendWithNext(statements)
        if prepared.wakesDeliveries { await connection.afterCommit(EventCursorWorkers.wakeQuery(prepared.tenantID)) }
        if let handlers = subscriptions.inTransaction[E.name] {
            for handler in handlers { try await handler(published, connection) }
        }
    }
}
