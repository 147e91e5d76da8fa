import Foundation
import Logging
import Postgres

/// The subscriptions of every plugin, gathered while the plugins register and fixed afterwards.
public struct EventSubscriptions: Sendable {
    typealias InTransactionHandler = @Sendable (PublishedEvents, PostgresConnection) async throws -> Void
    typealias QueuedBatchHandler = @Sendable ([StoredEvent], EventContext) async throws -> Void

    private(set) var inTransaction: [String: [InTransactionHandler]] = [:]
    /// Per event name, the in-transaction subscribers that only name their statements (issue 15 item 4).
    private(set) var inTransactionStatements: [String: [@Sendable (PublishedEvents) -> [PostgresQuery]]] = [:]
    /// Per event name, the subscribers that hear it from their cursors.
    private(set) var queuedSubscribers: [String: [String]] = [:]
    /// Per subscriber, its batch handler for each event name.
    private(set) var queuedBatchHandlers: [String: [String: QueuedBatchHandler]] = [:]
    private(set) var maxAttempts: [String: Int] = [:]
    /// The type of each event name subscribed to.
    private var eventTypes: [String: ObjectIdentifier] = [:]

    /// Makes an empty set.
    public init() {}

    /// Runs `handler` inside the publisher's transaction, for keeping a local copy of another plugin's data
    /// consistent at once. It must touch only its own plugin's schema and do no other I/O: it delays the
    /// publisher, and its failure rolls the publisher back.
    public mutating func subscribeInTransaction<E: Event>(
        to type: E.Type,
        _ handler: @escaping @Sendable (EventEnvelope<E>, PostgresConnection) async throws -> Void
    ) {
        subscribeInTransaction(
            to: type,
            batch: { envelopes, connection in
                for envelope in envelopes { try await handler(envelope, connection) }
            })
    }

    /// Like ``subscribeInTransaction(to:_:)``, but hears the events of one bulk publish together, so it can
    /// apply them in one statement.
    public mutating func subscribeInTransaction<E: Event>(
        to type: E.Type,
        batch handler: @escaping @Sendable ([EventEnvelope<E>], PostgresConnection) async throws -> Void
    ) {
        checkName(E.self)
        inTransaction[E.name, default: []].append { (published: PublishedEvents, connection: PostgresConnection) in
            // The events are the publisher's own values, never encoded and decoded again: the name says
            // which type they are, and `checkName` gave each name one type.
            guard let events = published.events as? [E] else {
                preconditionFailure("\(E.name) was published as \(Swift.type(of: published.events))")
            }
            let envelopes = zip(published.ids, events).map { id, event in
                EventEnvelope(
                    id: id, tenantID: published.tenantID, occurredAt: published.occurredAt, actor: published.actor,
                    event: event)
            }
            try await handler(envelopes, connection)
        }
    }

    /// Like ``subscribeInTransaction(to:batch:)``, for a subscriber whose work is writes whose results it need
    /// not read: `statements` names them, and they travel with the event's own rows (in front of the
    /// publisher's next statement, usually its `COMMIT`: ``PostgresConnection/sendWithNext(_:)``), in no round
    /// trip of their own. Their failure rolls the publisher back, as a handler's does.
    public mutating func subscribeInTransaction<E: Event>(
        to type: E.Type,
        statements: @escaping @Sendable ([EventEnvelope<E>]) -> [PostgresQuery]
    ) {
        checkName(E.self)
        inTransactionStatements[E.name, default: []].append { published in
            guard let events = published.events as? [E] else {
                preconditionFailure("\(E.name) was published as \(Swift.type(of: published.events))")
            }
            return statements(
                zip(published.ids, events).map { id, event in
                    EventEnvelope(
                        id: id, tenantID: published.tenantID, occurredAt: published.occurredAt,
                        actor: published.actor, event: event)
                })
        }
    }

    /// Runs `handler` after the publisher committed, in a transaction of its own scoped to the event's
    /// tenant, which also moves the subscriber's cursor past the event (``EventCursorWorkers``): effects made
    /// through the context's connection happen once. Should PostgreSQL lose that commit in a crash, the event
    /// is delivered again, so a handler must give the same result twice.
    ///
    /// - Parameter subscriber: A name unique in the process, such as `notifications.inbox`; it names the
    ///   subscriber's cursors and its entries in the dead letter.
    public mutating func subscribe<E: Event>(
        to type: E.Type,
        as subscriber: String,
        maxAttempts: Int = PostgresJobQueue.defaultMaxAttempts,
        _ handler: @escaping @Sendable (EventEnvelope<E>, EventContext) async throws -> Void
    ) {
        checkName(E.self)
        precondition(queuedBatchHandlers[subscriber]?[E.name] == nil, "\(subscriber) subscribes to \(E.name) twice")
        queuedSubscribers[E.name, default: []].append(subscriber)
        queuedBatchHandlers[subscriber, default: [:]][E.name] = { events, context in
            for stored in events {
                var logger = context.logger
                logger[metadataKey: "event.id"] = "\(stored.id.uuidString.lowercased())"
                try await handler(
                    try stored.envelope(as: E.self), EventContext(connection: context.connection, logger: logger))
            }
        }
        self.maxAttempts[subscriber] = maxAttempts
    }

    /// Like ``subscribe(to:as:maxAttempts:_:)``, but hears several of the tenant's events of this type at once,
    /// in publication order, in one transaction, so it can apply them in a few statements (docs/queue.md,
    /// "Event cursors"). An empty batch is never given.
    ///
    /// When the batch throws, its transaction rolls back and each event is delivered again alone, in a
    /// batch of one: a handler must give the same result for a batch as for its events one by one.
    public mutating func subscribeInBatches<E: Event>(
        to type: E.Type,
        as subscriber: String,
        maxAttempts: Int = PostgresJobQueue.defaultMaxAttempts,
        _ handler: @escaping @Sendable ([EventEnvelope<E>], EventContext) async throws -> Void
    ) {
        checkName(E.self)
        precondition(queuedBatchHandlers[subscriber]?[E.name] == nil, "\(subscriber) subscribes to \(E.name) twice")
        queuedSubscribers[E.name, default: []].append(subscriber)
        queuedBatchHandlers[subscriber, default: [:]][E.name] = { events, context in
            try await handler(try events.map { try $0.envelope(as: E.self) }, context)
        }
        self.maxAttempts[subscriber] = maxAttempts
    }

    /// The names of the queued subscribers, sorted.
    public var queuedSubscriberNames: [String] { queuedBatchHandlers.keys.sorted() }

    /// Refuses a malformed name, and a name that two event types claim.
    private mutating func checkName<E: Event>(_ type: E.Type) {
        do {
            try InvalidEventName.check(E.name)
        } catch {
            preconditionFailure("\(error)")
        }
        let claimed = eventTypes[E.name, default: ObjectIdentifier(E.self)]
        precondition(claimed == ObjectIdentifier(E.self), "two event types are named \(E.name)")
        eventTypes[E.name] = claimed
    }
}
