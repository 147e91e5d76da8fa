import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

/// Issue 15 item 4: a publish inside a transaction costs no round trip of its own; its rows and its
/// in-transaction subscribers' statements travel with the transaction's next statement, the wake-up once
/// with the COMMIT.
@Suite("The event bus: publishing with the COMMIT")
struct EventBusRoundTripTests {
    private func bus(_ fixture: QueueFixture) -> EventBus {
        var subscriptions = EventSubscriptions()
        subscriptions.subscribe(to: SomethingHappened.self, as: "tests.queued") { _, _ in }
        subscriptions.subscribeInTransaction(
            to: SomethingHappened.self,
            statements: { envelopes in
                [
                    """
                    INSERT INTO effects.log (tenant_id, label)
                    SELECT \(envelopes[0].tenantID), 'inline:' || l FROM unnest(\(envelopes.map(\.event.label))::text[]) l
                    """
                ]
            })
        return EventBus(subscriptions: subscriptions, queue: fixture.queue)
    }

    private static func happened(_ label: String) -> SomethingHappened {
        SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: label)
    }

    /// A listener on the queue's channel, where the workers' wake-ups arrive.
    private static func listener(_ fixture: QueueFixture) -> PostgresListener {
        PostgresListener(
            configuration: fixture.database.appConfiguration, channels: [PostgresJobQueue.channel],
            logger: TestLogger.make("listener"))
    }

    /// How many events and jobs the database holds, read as the owner (past row-level security).
    private static func eventsAndJobs(_ fixture: QueueFixture) async throws -> (Int, Int) {
        let admin = try await fixture.database.connectAsAdmin()
        let counts = try await admin.query(
            "SELECT (SELECT count(*) FROM messaging.events), (SELECT count(*) FROM messaging.jobs)")
        await admin.close()
        return try counts[0].decode((Int, Int).self)
    }

    /// The notifications on the queue's channel before a marker sent now (they arrive in commit order).
    private static func wakeUps(
        _ fixture: QueueFixture, _ events: inout AsyncStream<PostgresListener.Event>.Iterator
    ) async throws -> Int {
        try await fixture.pool.query("SELECT pg_notify('messaging_jobs', 'marker')")
        var count = 0
        while case .notification(let notification)? = await events.next() {
            if notification.payload == "marker" { return count }
            count += 1
        }
        return count
    }

    @Test("three publishes in one transaction: no round trip of their own, one wake-up, all written")
    func publishesTravelWithCommit() async throws {
        let fixture = try await QueueFixture.make("busroundtrips")
        let bus = bus(fixture)
        let listener = Self.listener(fixture)
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)

        let trips = try await fixture.pool.withConnection { connection in
            let before = connection.roundTrips
            try await connection.withTransaction(tenantID: fixture.tenantID) { connection in
                let opened = connection.roundTrips
                try await bus.publish(Self.happened("a"), tenantID: fixture.tenantID, in: connection)
                try await bus.publish(
                    [Self.happened("b"), Self.happened("c")], tenantID: fixture.tenantID, in: connection)
                #expect(connection.roundTrips == opened)
                // Per publish: the events and the in-transaction subscriber's; nothing for the queued subscriber.
                #expect(await connection.waitingStatementCount == 4)
            }
            return connection.roundTrips - before
        }
        #expect(trips == 2)  // BEGIN with the tenant; the rows with the COMMIT and the NOTIFY
        #expect(try await Self.wakeUps(fixture, &events) == 1)
        #expect(try await fixture.effects().sorted() == ["inline:a", "inline:b", "inline:c"])
        #expect(try await Self.eventsAndJobs(fixture) == (3, 0))
    }

    @Test("a statement after a publish sees its rows; a rollback drops them unsent, with no wake-up")
    func laterStatementsSeeThePublish() async throws {
        let fixture = try await QueueFixture.make("busseen")
        let bus = bus(fixture)
        let listener = Self.listener(fixture)
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
                try await bus.publish(Self.happened("seen"), tenantID: fixture.tenantID, in: connection)
                let seen = try await connection.query(
                    "SELECT (SELECT count(*) FROM messaging.events), (SELECT count(*) FROM effects.log)")
                #expect(try seen[0].decode((Int, Int).self) == (1, 1))
                try await bus.publish(Self.happened("never"), tenantID: fixture.tenantID, in: connection)
                #expect(await connection.waitingStatementCount == 2)
                throw Abort()
            }
        }
        #expect(try await Self.wakeUps(fixture, &events) == 0)
        #expect(try await fixture.effects() == [])
        #expect(try await Self.eventsAndJobs(fixture) == (0, 0))
    }

    @Test("rows refused at the COMMIT fail it: nothing is written, no wake-up, and the connection is usable")
    func refusedRowsFailTheCommit() async throws {
        let fixture = try await QueueFixture.make("busrefused")
        let bus = bus(fixture)
        let listener = Self.listener(fixture)
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)
        let (refused, waiting, inTransaction) = try await fixture.pool.withConnection { connection in
            var refused = false
            do {
                try await connection.withTransaction(tenantID: fixture.tenantID) { connection in
                    // Another tenant's event: row-level security refuses its row when it is sent.
                    try await bus.publish(Self.happened("other"), tenantID: UUID(), in: connection)
                }
            } catch is PostgresError {
                refused = true
            }
            let waiting = await connection.waitingStatementCount
            // Outside a transaction block again: a SAVEPOINT there fails (25P01).
            var inTransaction = true
            do {
                try await connection.query("SAVEPOINT probe")
                try await connection.query("ROLLBACK")
            } catch let error as PostgresError where error.sqlState?.rawValue == "25P01" {
                inTransaction = false
            }
            return (refused, waiting, inTransaction)
        }
        #expect(refused)
        #expect(waiting == 0)
        #expect(!inTransaction)
        #expect(try await Self.wakeUps(fixture, &events) == 0)
        #expect(try await Self.eventsAndJobs(fixture) == (0, 0))
    }
}
