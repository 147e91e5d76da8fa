import Foundation
import Messaging
import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("Subscribers read the event log from their cursors")
struct EventCursorTests {
    private func subscriptions(_ register: (inout EventSubscriptions) -> Void) -> EventSubscriptions {
        var subscriptions = EventSubscriptions()
        register(&subscriptions)
        return subscriptions
    }

    private func workers(
        _ fixture: QueueFixture, _ subscriptions: EventSubscriptions, batchSize: Int = 500
    ) -> EventCursorWorkers {
        EventCursorWorkers(
            configuration: .init(batchSize: batchSize), subscriptions: subscriptions, pool: fixture.pool,
            clock: fixture.clock, retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil,
            logger: TestLogger.make("cursors"))
    }

    private static func log(_ label: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO effects.log (tenant_id, label)
            VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, \(label))
            """)
    }

    private func publish(_ fixture: QueueFixture, tenant: UUID? = nil, _ labels: [String]) async throws {
        let tenant = tenant ?? fixture.tenantID
        let bus = EventBus(subscriptions: EventSubscriptions(), queue: fixture.queue)
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            _ = try await bus.publish(
                labels.map { SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: $0) },
                tenantID: tenant, in: connection)
        }
    }

    private func secondTenant(_ fixture: QueueFixture) async throws -> UUID {
        let admin = try await fixture.database.connectAsAdmin()
        defer { Task { await admin.close() } }
        return try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('dogbo', 'Dogbo') RETURNING id"
        )[0].decode(UUID.self, column: 0)
    }

    private func admin(_ fixture: QueueFixture, _ sql: PostgresQuery) async throws -> PostgresRows {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query(sql)
        await admin.close()
        return rows
    }

    @Test("each municipality's events arrive once, in publication order, in one transaction per batch")
    func batchesPerMunicipality() async throws {
        let fixture = try await QueueFixture.make("cursorbatch")
        let dogbo = try await secondTenant(fixture)
        let calls = Recorder()
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.cursor") { envelopes, context in
                let transaction = try await context.connection.query("SELECT txid_current()")[0]
                    .decode(Int.self, column: 0)
                let tenant = envelopes[0].tenantID
                #expect(envelopes.allSatisfy { $0.tenantID == tenant })
                await calls.record(envelopes.map(\.event.label).joined(separator: ","))
                for envelope in envelopes {
                    try await Self.log("\(transaction):\(envelope.event.label)", on: context.connection)
                }
            }
        }
        try await publish(fixture, ["a1", "a2"])
        try await publish(fixture, tenant: dogbo, ["d1"])
        try await publish(fixture, ["a3"])
        let workers = workers(fixture, subscriptions)
        #expect(await workers.drain() == 4)
        #expect(Set(await calls.labels) == ["a1,a2,a3", "d1"])
        let effects = try await fixture.effects()
        #expect(effects.map { $0.split(separator: ":")[1] }.sorted() == ["a1", "a2", "a3", "d1"])
        // Written by two transactions, one per municipality; every effect names its own municipality.
        #expect(Set(effects.map { $0.split(separator: ":")[0] }).count == 2)

        // Nothing is delivered twice, and a later event is delivered alone.
        #expect(await workers.drain() == 0)
        try await publish(fixture, ["a4"])
        #expect(await workers.drain() == 1)
        #expect(await calls.labels.last == "a4")
        let cursors = try await admin(
            fixture, "SELECT count(*), sum(attempt) FROM messaging.event_cursors WHERE subscriber = 'tests.cursor'")
        #expect(try cursors[0].decode((Int, Int).self) == (2, 0))
    }

    @Test("an event whose transaction commits late, behind a higher position, is delivered, and not out of turn")
    func lateCommitIsNotSkipped() async throws {
        let fixture = try await QueueFixture.make("cursorlate")
        let calls = Recorder()
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.late") { envelope, _ in
                await calls.record(envelope.event.label)
            }
        }
        let workers = workers(fixture, subscriptions)
        let bus = EventBus(subscriptions: EventSubscriptions(), queue: fixture.queue)
        let slow = try await PostgresConnection.connect(
            to: fixture.database.appConfiguration, logger: TestLogger.make("app"))
        // The slow transaction writes its event first, so it holds the lower position, and stays open.
        try await slow.query("BEGIN")
        try await slow.query("SELECT set_config('app.tenant_id', \(fixture.tenantID.postgresText), true)")
        try await bus.publish(
            SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "slow"), tenantID: fixture.tenantID,
            in: slow)
        try await slow.query("SELECT 1")  // sends the event's rows, which wait for the next statement
        try await publish(fixture, ["quick"])
        // A reader that went by position alone would deliver "quick" now and never "slow".
        #expect(await workers.drain() == 0)
        try await slow.query("COMMIT")
        await slow.close()
        #expect(await workers.drain() == 2)
        #expect(await calls.labels == ["slow", "quick"])

        // A writing transaction open in another database of the cluster cannot write these events, and holds
        // nothing back.
        let elsewhere = try await TestDatabase.migrated("cursorelsewhere").connectAsAdmin()
        try await elsewhere.query("BEGIN")
        try await elsewhere.query("SELECT pg_current_xact_id()")
        try await publish(fixture, ["meanwhile"])
        #expect(await workers.drain() == 1)
        #expect(await calls.labels == ["slow", "quick", "meanwhile"])
        try await elsewhere.query("ROLLBACK")
        await elsewhere.close()
    }

    @Test("a batch that fails leaves nothing, and its events are then delivered once, one by one")
    func failedBatchOneByOne() async throws {
        let fixture = try await QueueFixture.make("cursorcrash")
        let flaky = Flaky(failures: 1)
        let calls = Recorder()
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.crashy") { envelopes, context in
                for envelope in envelopes { try await Self.log(envelope.event.label, on: context.connection) }
                await calls.record("\(envelopes.count)")
                try await flaky.check()
            }
        }
        try await publish(fixture, ["e1", "e2", "e3"])
        #expect(await workers(fixture, subscriptions).drain() == 3)
        #expect(await calls.labels == ["3", "1", "1", "1"])
        #expect(try await fixture.effects() == ["e1", "e2", "e3"])
        // The batch's failure used no attempt, and left no error behind.
        let cursor = try await admin(
            fixture, "SELECT attempt, jsonb_array_length(errors) FROM messaging.event_cursors")
        #expect(try cursor[0].decode((Int, Int).self) == (0, 0))
    }

    @Test("a poison event holds its municipality's cursor while it is retried, then goes to the dead letter")
    func poisonEventToTheDeadLetter() async throws {
        let fixture = try await QueueFixture.make("cursorpoison")
        let dogbo = try await secondTenant(fixture)
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.poisoned", maxAttempts: 2) {
                envelope, context in
                if envelope.event.label == "poison" { throw FlakyFailure() }
                try await Self.log(envelope.event.label, on: context.connection)
            }
        }
        try await publish(fixture, ["first", "poison", "third"])
        try await publish(fixture, tenant: dogbo, ["elsewhere"])
        let workers = workers(fixture, subscriptions)
        #expect(await workers.drain() == 2)
        // The other municipality is not held up; this one waits behind the poison event.
        #expect(try await fixture.effects() == ["elsewhere", "first"])
        // The retry is due after the workers' clock (the test's), not the database's: a slow run must not pass it.
        let waiting = try await admin(
            fixture,
            """
            SELECT c.attempt, c.retry_at > \(fixture.clock.now()), c.errors -> 0 ->> 'error'
            FROM messaging.event_cursors c
            JOIN platform.tenants t ON t.id = c.tenant_id WHERE t.slug = 'herent'
            """)
        #expect(try waiting[0].decode((Int, Bool, String).self) == (1, true, "flaky failure"))
        #expect(await workers.drain() == 0)

        fixture.clock.advance(by: RetryPolicy(random: { 0 }).delay(afterAttempt: 1))
        #expect(await workers.drain() == 1)
        #expect(try await fixture.effects() == ["elsewhere", "first", "third"])
        let dead = try await admin(
            fixture,
            """
            SELECT d.subscriber, e.payload ->> 'label', jsonb_array_length(d.errors)
            FROM messaging.dead_events d JOIN messaging.events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
            """)
        #expect(dead.count == 1)
        #expect(try dead[0].decode((String, String, Int).self) == ("tests.poisoned", "poison", 2))
        let cursors = try await admin(fixture, "SELECT sum(attempt), count(retry_at) FROM messaging.event_cursors")
        #expect(try cursors[0].decode((Int, Int).self) == (0, 0))
    }

    @Test("two processes never deliver one municipality's events at once, and deliver each once")
    func oneDeliveryPerCursor() async throws {
        let fixture = try await QueueFixture.make("cursortwo")
        let dogbo = try await secondTenant(fixture)
        let inFlight = InFlight()
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.shared") { envelopes, context in
                // Left before the delivery commits, so a later delivery of the municipality enters after.
                await inFlight.enter(envelopes[0].tenantID)
                for envelope in envelopes { try await Self.log(envelope.event.label, on: context.connection) }
                try await Task.sleep(for: .milliseconds(20))
                await inFlight.leave(envelopes[0].tenantID)
            }
        }
        for round in 0..<10 {
            try await publish(fixture, ["h\(round)"])
            try await publish(fixture, tenant: dogbo, ["d\(round)"])
        }
        let first = workers(fixture, subscriptions, batchSize: 3)
        let second = workers(fixture, subscriptions, batchSize: 3)
        async let one = first.drain()
        async let two = second.drain()
        let delivered = await one + two
        #expect(delivered == 20)
        let effects = try await fixture.effects()
        #expect(effects.count == 20)
        #expect(Set(effects).count == 20)
        #expect(await inFlight.overlaps == 0)
    }

    /// An event that counts how often it was decoded.
    struct Counted: Event {
        static let name = "tests.counted.v1"
        static let decodings = Atomic<Int>(0)
        var aggregateID: UUID
        var aggregateVersion: Int
        var label: String

        init(label: String) {
            aggregateID = UUID()
            aggregateVersion = 1
            self.label = label
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            aggregateID = try container.decode(UUID.self, forKey: .aggregateID)
            aggregateVersion = try container.decode(Int.self, forKey: .aggregateVersion)
            label = try container.decode(String.self, forKey: .label)
            Self.decodings.add(1, ordering: .relaxed)
        }
    }

    @Test("an event that two subscribers hear is decoded once, and each subscriber gets its value")
    func decodedOnceForTwoSubscribers() async throws {
        let fixture = try await QueueFixture.make("cursordecode")
        let heard = Recorder()
        let subscriptions = subscriptions { subscriptions in
            for subscriber in ["tests.first", "tests.second"] {
                subscriptions.subscribeInBatches(to: Counted.self, as: subscriber) { envelopes, _ in
                    for envelope in envelopes { await heard.record("\(subscriber):\(envelope.event.label)") }
                }
            }
        }
        let bus = EventBus(subscriptions: EventSubscriptions(), queue: fixture.queue)
        try await fixture.pool.withTransaction(tenantID: fixture.tenantID) { connection in
            _ = try await bus.publish(
                ["one", "two", "three"].map { Counted(label: $0) }, tenantID: fixture.tenantID, in: connection)
        }
        let before = Counted.decodings.load(ordering: .relaxed)
        #expect(await workers(fixture, subscriptions).drain() == 6)
        #expect(Counted.decodings.load(ordering: .relaxed) - before == 3)
        #expect(
            await heard.labels == [
                "tests.first:one", "tests.first:two", "tests.first:three",
                "tests.second:one", "tests.second:two", "tests.second:three",
            ])
    }

    @Test("a delivery sees its municipality's rows only, and the cursors only through the queue's functions")
    func rowSecurity() async throws {
        let fixture = try await QueueFixture.make("cursorrls")
        let dogbo = try await secondTenant(fixture)
        let seen = Recorder()
        let subscriptions = subscriptions { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.scoped") { envelopes, context in
                let count = try await context.connection.query("SELECT count(*) FROM messaging.events")[0]
                    .decode(Int.self, column: 0)
                await seen.record("\(envelopes.count) of \(count)")
            }
        }
        try await publish(fixture, ["a", "b", "c"])
        try await publish(fixture, tenant: dogbo, ["d"])
        #expect(await workers(fixture, subscriptions).drain() == 4)
        #expect(Set(await seen.labels) == ["3 of 3", "1 of 1"])

        let app = try await PostgresConnection.connect(
            to: fixture.database.appConfiguration, logger: TestLogger.make("app"))
        for table in ["event_cursors", "dead_events", "cursor_origin"] {
            await #expect(throws: PostgresError.self) {
                try await app.query("SELECT count(*) FROM messaging.\(identifier: table)")
            }
        }
        await app.close()
    }
}

/// Counts handlers of one municipality running at the same time.
private actor InFlight {
    private var running: Set<UUID> = []
    private(set) var overlaps = 0

    func enter(_ tenant: UUID) {
        if running.contains(tenant) { overlaps += 1 }
        running.insert(tenant)
    }

    func leave(_ tenant: UUID) { running.remove(tenant) }
}
