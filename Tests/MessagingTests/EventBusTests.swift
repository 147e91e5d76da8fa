import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("The event bus")
struct EventBusTests {
    private func bus(_ fixture: QueueFixture, _ configure: (inout EventSubscriptions) -> Void) -> EventBus {
        var subscriptions = EventSubscriptions()
        configure(&subscriptions)
        return EventBus(subscriptions: subscriptions, queue: fixture.queue)
    }

    private static func logEffect(_ envelope: EventEnvelope<SomethingHappened>, _ context: EventContext, _ who: String)
        async throws
    {
        try await context.connection.query(
            "INSERT INTO effects.log (tenant_id, label) VALUES (\(envelope.tenantID), \(who + ":" + envelope.event.label))"
        )
    }

    @Test("a rolled-back publish leaves no event and no job")
    func rollbackPublishesNothing() async throws {
        let fixture = try await QueueFixture.make("busrollback")
        let bus = bus(fixture) { $0.subscribe(to: SomethingHappened.self, as: "tests.a") { _, _ in } }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
                try await bus.publish(
                    SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "x"),
                    tenantID: fixture.tenantID,
                    in: connection
                )
                throw Abort()
            }
        }
        let admin = try await fixture.database.connectAsAdmin()
        let counts = try await admin.query(
            "SELECT (SELECT count(*) FROM messaging.events), (SELECT count(*) FROM messaging.jobs)"
        )
        #expect(try counts[0].decode((Int, Int).self) == (0, 0))
    }

    @Test("each queued subscriber handles a committed event exactly once, and the publish writes no job")
    func queuedSubscribersRunOnce() async throws {
        let fixture = try await QueueFixture.make("busonce")
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.first") { envelope, context in
                try await Self.logEffect(envelope, context, "first")
            }
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.second") { envelope, context in
                try await Self.logEffect(envelope, context, "second")
            }
        }
        let eventID = try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await bus.publish(
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "hygiene-campaign"),
                tenantID: fixture.tenantID,
                actor: "user-1",
                in: connection
            )
        }
        let deliveries = fixture.deliveries(bus)
        #expect(await deliveries.drain() == 2)
        #expect(try await fixture.effects() == ["first:hygiene-campaign", "second:hygiene-campaign"])

        // The effects committed with each subscriber's cursor: nothing is delivered again, and the publish
        // wrote no job (the subscribers read the event log).
        #expect(await deliveries.drain() == 0)
        #expect(try await fixture.effects() == ["first:hygiene-campaign", "second:hygiene-campaign"])
        let admin = try await fixture.database.connectAsAdmin()
        #expect(try await admin.query("SELECT count(*) FROM messaging.jobs")[0].decode(Int.self, column: 0) == 0)
        let stored = try await admin.query("SELECT name, actor FROM messaging.events WHERE id = \(eventID)")
        #expect(try stored[0].decode((String, String).self) == ("tests.something_happened.v1", "user-1"))
    }

    @Test("a handler that throws once is retried after its backoff, and its effect happens once")
    func failingHandlerIsRetried() async throws {
        let fixture = try await QueueFixture.make("busretry")
        let flaky = Flaky(failures: 1)
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.flaky") { envelope, context in
                try await Self.logEffect(envelope, context, "flaky")
                try await flaky.check()
            }
        }
        try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await bus.publish(
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "crisis-exchange"),
                tenantID: fixture.tenantID,
                in: connection
            )
        }
        let deliveries = fixture.deliveries(bus)
        #expect(await deliveries.drain() == 0)
        // The failed attempt rolled back its effect and waits for its backoff.
        #expect(try await fixture.effects().isEmpty)
        #expect(await deliveries.drain() == 0)
        fixture.clock.advance(by: RetryPolicy(random: { 0 }).delay(afterAttempt: 1))
        #expect(await deliveries.drain() == 1)
        #expect(try await fixture.effects() == ["flaky:crisis-exchange"])
    }

    @Test("in-transaction subscribers run in the publisher's transaction and roll back with it")
    func inTransactionSubscribers() async throws {
        let fixture = try await QueueFixture.make("businline")
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribeInTransaction(to: SomethingHappened.self) { envelope, connection in
                try await connection.query(
                    "INSERT INTO effects.log (tenant_id, label) VALUES (\(envelope.tenantID), \("inline:" + envelope.event.label))"
                )
            }
        }
        try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await bus.publish(
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "kept"),
                tenantID: fixture.tenantID,
                in: connection
            )
        }
        struct Abort: Error {}
        _ = try? await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await bus.publish(
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "dropped"),
                tenantID: fixture.tenantID,
                in: connection
            )
            throw Abort()
        }
        #expect(try await fixture.effects() == ["inline:kept"])
    }

    @Test("publishing for another tenant than the transaction's is refused by row-level security")
    func publishChecksTenant() async throws {
        let fixture = try await QueueFixture.make("bustenant")
        let bus = bus(fixture) { _ in }
        await #expect(throws: PostgresError.self) {
            try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
                try await bus.publish(
                    SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "x"),
                    tenantID: UUID(),
                    in: connection
                )
            }
        }
    }

    @Test("an event nobody subscribes to is kept, and no job is made for it")
    func unsubscribedEvent() async throws {
        let fixture = try await QueueFixture.make("busnone")
        let bus = bus(fixture) { _ in }
        try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            try await bus.publish(
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "x"),
                tenantID: fixture.tenantID,
                in: connection
            )
        }
        let admin = try await fixture.database.connectAsAdmin()
        let counts = try await admin.query(
            "SELECT (SELECT count(*) FROM messaging.events), (SELECT count(*) FROM messaging.jobs)"
        )
        #expect(try counts[0].decode((Int, Int).self) == (1, 0))
    }
}
