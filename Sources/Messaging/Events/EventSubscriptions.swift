import Foundation
import Logging
import Postgres

/// The subscriptions of every plugin, gathered while the plugins register and fixed afterwards.
public struct EventSubscriptions: Sendable {
    typealias InTransactionHandler = @Sendable (PublishedEvents, PostgresConnection) async throws -> Void
    typealias QueuedHandler = @Sendable (StoredEvent, EventContext) async throws -> Void
    typealias QueuedBatchHandler = @Sendable ([StoredEvent], EventContext) async throws -> Void

    private(set) var inTransaction: [String: [InTransactionHandler]] = [:]
    /// Per event name, the in-transaction subscribers that only name their statements (issue 15 item 4).
    private(set) var inTransactionStatements: [String: [@Sendable (PublishedEvents) -> [PostgresQuery]]] = [:]
    /// Per event name, the subscribers that get a job for it.
    private(set) var queuedSubscribers: [String: [String]] = [:]
    /// Per subscriber, its handler for each event name.
    private(set) var queuedHandlers: [String: [String: QueuedHandler]] = [:]
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
    /// tenant, at least once per event; an event already handled by `subscriber` is skipped, so effects made
    /// through the context's connection happen once.
    ///
    /// - Parameter subscriber: A name unique in the process, such as `notifications.inbox`; it names the
    ///   subscriber's job kind (`event.notifications.inbox`) and its record of handled events.
    public mutating func subscribe<E: Event>(
        to type: E.Type,
        as subscriber: String,
        maxAttempts: Int = PostgresJobQueue.defaultMaxAttempts,
        _ handler: @escaping @Sendable (EventEnvelope<E>, EventContext) async throws -> Void
    ) {
        checkName(E.self)
        precondition(queuedHandlers[subscriber]?[E.name] == nil, "\(subscriber) subscribes to \(E.name) twice")
        queuedSubscribers[E.name, default: []].append(subscriber)
        queuedHandlers[subscriber, default: [:]][E.name] = { stored, context in
            try await handler(try stored.envelope(as: E.self), context)
        }
        queuedBatchHandlers[subscriber, default: [:]][E.name] = { events, context in
            for stored in events {
                var logger = context.logger
                logger[metadataKey: "event.id"] = "\(stored.id)"
                try await handler(
                    try stored.envelope(as: E.self), EventContext(connection: context.connection, logger: logger))
            }
        }
        self.maxAttempts[subscriber] = maxAttempts
    }

    /// Like ``subscribe(to:as:maxAttempts:_:)``, but hears several of the tenant's events of this type at once,
    /// in publication order, in one transaction, so it can apply them in a few statements (docs/queue.md,
    /// "Batch delivery"). Events already handled by `subscriber` are left out; an empty batch is never given.
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
        precondition(queuedHandlers[subscriber]?[E.name] == nil, "\(subscriber) subscribes to \(E.name) twice")
        queuedSubscribers[E.name, default: []].append(subscriber)
        queuedHandlers[subscriber, default: [:]][E.name] = { stored, context in
            try await handler([try stored.envelope(as: E.self)], context)
        }
        queuedBatchHandlers[subscriber, default: [:]][E.name] = { events, context in
            try await handler(try events.map { try $0.envelope(as: E.self) }, context)
        }
        self.maxAttempts[subscriber] = maxAttempts
    }

    /// The names of the queued subscribers, sorted.
    public var queuedSubscriberNames: [String] { queuedHandlers.keys.sorted() }

    /// The job kind that delivers events to `subscriber`.
    public static func jobKind(for subscriber: String) -> String { "event.\(subscriber)" }

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

    /// One job kind per queued subscriber, delivering its events.
    func jobKinds(queue: PostgresJobQueue) -> [JobKind] {
        queuedHandlers.map { subscriber, handlers in
            JobKind(
                name: Self.jobKind(for: subscriber),
                maxAttempts: maxAttempts[subscriber] ?? PostgresJobQueue.defaultMaxAttempts,
                batchHandler: { [batchHandlers = queuedBatchHandlers[subscriber] ?? [:]] context in
                    try await Self.deliver(subscriber: subscriber, handlers: batchHandlers, batch: context)
                }
            ) { context in
                try await Self.deliver(subscriber: subscriber, handlers: handlers, context: context)
            }
        }
    }

    /// Runs a subscriber's handler for one event, once: records (subscriber, event) and completes the job in
    /// the handler's transaction.
    private static func deliver(
        subscriber: String,
        handlers: [String: QueuedHandler],
        context: JobContext
    ) async throws {
        guard let tenantID = context.job.tenantID else {
            throw EventDeliveryError(reason: "the job has no tenant")
        }
        let arguments = try context.job.decodeArgs(EventJobArguments.self)
        try await context.pool.withTransaction(tenantID: tenantID) { connection in
            // Record the delivery and read the event in one round trip; a second delivery finds its record.
            //
            // The delivery commits without waiting for the disk. Its effects, its record and the job's completion
            // commit together, and the event they come from is kept, durably: if PostgreSQL itself crashes before
            // the commit reaches the disk, all three are lost together and the rescuer delivers the event again.
            // Waiting would cost a disk flush per delivery while it holds its row locks, and one municipality's
            // deliveries follow each other (Reporting's meet on the municipality's few figure rows): an import of
            // 1,000 activities took seconds to reach the reports.
            let rows = try await connection.pipeline([
                "SET LOCAL synchronous_commit = off",
                """
                WITH first AS (
                    INSERT INTO messaging.handled_events (tenant_id, subscriber, event_id, handled_at)
                    VALUES (\(tenantID), \(subscriber), \(arguments.eventID), \(context.queue.clock.now()))
                    ON CONFLICT DO NOTHING
                    RETURNING event_id
                )
                SELECT name, payload::text, occurred_at, actor, EXISTS (SELECT FROM first)
                FROM messaging.events WHERE tenant_id = \(tenantID) AND id = \(arguments.eventID)
                """,
            ])[1]
            guard let row = rows.first else {
                throw EventDeliveryError(reason: "event \(arguments.eventID) is not in messaging.events")
            }
            let (name, payload, occurredAt, actor, firstDelivery) = try row.decode(
                (String, String, Date, String?, Bool).self
            )
            if firstDelivery {
                let stored = StoredEvent(
                    id: arguments.eventID,
                    tenantID: tenantID,
                    name: name,
                    payload: payload,
                    occurredAt: occurredAt,
                    actor: actor
                )
                guard let handler = handlers[stored.name] else {
                    throw EventDeliveryError(reason: "\(subscriber) has no handler for \(stored.name)")
                }
                var logger = context.logger
                logger[metadataKey: "event.name"] = "\(stored.name)"
                logger[metadataKey: "event.id"] = "\(stored.id)"
                try await handler(stored, EventContext(connection: connection, logger: logger))
            }
            try await context.complete(in: connection)
        }
    }

    /// Runs a subscriber's handlers for a batch of its jobs (one tenant), in one transaction: records every
    /// (subscriber, event) in one statement and reads the events in the same one, hands the events not
    /// handled before to their handlers in publication order (consecutive events of one name together), and
    /// completes every job in one statement.
    private static func deliver(
        subscriber: String,
        handlers: [String: QueuedBatchHandler],
        batch context: JobBatchContext
    ) async throws {
        guard let tenantID = context.tenantID else {
            throw EventDeliveryError(reason: "the jobs have no tenant")
        }
        let ids = try context.jobs.map { try $0.decodeArgs(EventJobArguments.self).eventID }
        try await context.pool.withTransaction(tenantID: tenantID) { connection in
            // As for one event (see `deliver(subscriber:handlers:context:)`): without waiting for the disk.
            let rows = try await connection.pipeline([
                "SET LOCAL synchronous_commit = off",
                """
                WITH first AS (
                    INSERT INTO messaging.handled_events (tenant_id, subscriber, event_id, handled_at)
                    SELECT \(tenantID), \(subscriber), id, \(context.queue.clock.now()) FROM unnest(\(ids)::uuid[]) AS e(id)
                    ON CONFLICT DO NOTHING
                    RETURNING event_id
                )
                SELECT e.id, e.name, e.payload::text, e.occurred_at, e.actor, e.id IN (SELECT event_id FROM first)
                FROM messaging.events e WHERE e.tenant_id = \(tenantID) AND e.id = ANY(\(ids)::uuid[])
                ORDER BY e.position
                """,
            ])[1]
            var found = Set<UUID>()
            var runs: [[StoredEvent]] = []
            for row in rows {
                let (id, name, payload, occurredAt, actor, firstDelivery) = try row.decode(
                    (UUID, String, String, Date, String?, Bool).self
                )
                found.insert(id)
                guard firstDelivery else { continue }
                let stored = StoredEvent(
                    id: id, tenantID: tenantID, name: name, payload: payload, occurredAt: occurredAt, actor: actor)
                if runs.last?.last?.name == name {
                    runs[runs.count - 1].append(stored)
                } else {
                    runs.append([stored])
                }
            }
            if let missing = ids.first(where: { !found.contains($0) }) {
                throw EventDeliveryError(reason: "event \(missing) is not in messaging.events")
            }
            for run in runs {
                guard let handler = handlers[run[0].name] else {
                    throw EventDeliveryError(reason: "\(subscriber) has no handler for \(run[0].name)")
                }
                var logger = context.logger
                logger[metadataKey: "event.name"] = "\(run[0].name)"
                try await handler(run, EventContext(connection: connection, logger: logger))
            }
            try await context.complete(in: connection)
        }
    }
}
