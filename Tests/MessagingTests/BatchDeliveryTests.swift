import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("Events are delivered in batches")
struct BatchDeliveryTests {
    private func bus(_ fixture: QueueFixture, _ register: (inout EventSubscriptions) -> Void) -> EventBus {
        var subscriptions = EventSubscriptions()
        register(&subscriptions)
        return EventBus(subscriptions: subscriptions, queue: fixture.queue)
    }

    private static func log(_ label: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO effects.log (tenant_id, label)
            VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, \(label))
            """)
    }

    private func publish(_ bus: EventBus, _ fixture: QueueFixture, tenant: UUID? = nil, _ events: [SomethingHappened])
        async throws
    {
        let tenant = tenant ?? fixture.tenantID
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            _ = try await bus.publish(events, tenantID: tenant, in: connection)
        }
    }

    private func jobStates(_ fixture: QueueFixture) async throws -> [String: Int] {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query("SELECT state, count(*) FROM messaging.jobs GROUP BY state")
        await admin.close()
        return Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((String, Int).self) })
    }

    @Test("a subscriber's events arrive together in one transaction, in publication order, each once")
    func batchInOneTransaction() async throws {
        let fixture = try await QueueFixture.make("batchone")
        let calls = Recorder()
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.batch") { envelopes, context in
                let transaction = try await context.connection.query("SELECT txid_current()")[0]
                    .decode(Int.self, column: 0)
                await calls.record(envelopes.map(\.event.label).joined(separator: ","))
                for envelope in envelopes {
                    try await Self.log("\(transaction):\(envelope.event.label)", on: context.connection)
                }
            }
        }
        let a = UUID()
        let b = UUID()
        // Two aggregates' events interleaved, over two publishes: the batch keeps the order they were published in.
        try await publish(
            bus, fixture,
            [
                SomethingHappened(aggregateID: a, aggregateVersion: 1, label: "a1"),
                SomethingHappened(aggregateID: b, aggregateVersion: 1, label: "b1"),
                SomethingHappened(aggregateID: a, aggregateVersion: 2, label: "a2"),
            ])
        try await publish(
            bus, fixture,
            [
                SomethingHappened(aggregateID: b, aggregateVersion: 2, label: "b2"),
                SomethingHappened(aggregateID: a, aggregateVersion: 3, label: "a3"),
            ])
        let workers = fixture.workers(bus.deliveryJobKinds)
        #expect(try await workers.drain() == 5)
        #expect(await calls.labels == ["a1,b1,a2,b2,a3"])
        let effects = try await fixture.effects()
        #expect(effects.count == 5)
        #expect(Set(effects.map { $0.split(separator: ":")[0] }).count == 1)
        #expect(try await jobStates(fixture) == ["completed": 5])

        // Delivered again (as after a crash between the effects' commit and a completion that was lost):
        // every event has its record, so nothing is handed over twice.
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query("UPDATE messaging.jobs SET state = 'available', finished_at = NULL")
        #expect(try await workers.drain() == 5)
        #expect(await calls.labels == ["a1,b1,a2,b2,a3"])
        #expect(try await fixture.effects().count == 5)
        #expect(try await jobStates(fixture) == ["completed": 5])
    }

    @Test("a batch that fails before its commit leaves nothing, and its events are then delivered once, one by one")
    func failedBatchRollsBackAndRedelivers() async throws {
        let fixture = try await QueueFixture.make("batchcrash")
        let flaky = Flaky(failures: 1)
        let calls = Recorder()
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.crashy") { envelopes, context in
                for envelope in envelopes { try await Self.log(envelope.event.label, on: context.connection) }
                await calls.record("\(envelopes.count)")
                // The first batch breaks off after its effects, before its commit.
                try await flaky.check()
            }
        }
        try await publish(
            bus, fixture,
            (1...3).map { SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: "e\($0)") })
        #expect(try await fixture.workers(bus.deliveryJobKinds).drain() == 3)
        #expect(await calls.labels == ["3", "1", "1", "1"])
        #expect(try await fixture.effects() == ["e1", "e2", "e3"])
        let admin = try await fixture.database.connectAsAdmin()
        let records = try await admin.query(
            "SELECT count(*) FROM messaging.handled_events WHERE subscriber = 'tests.crashy'")
        #expect(try records[0].decode(Int.self, column: 0) == 3)
        // The batch's failure used up no attempt: each job completed in its first.
        let attempts = try await admin.query("SELECT max(attempt), bool_and(state = 'completed') FROM messaging.jobs")
        #expect(try attempts[0].decode((Int, Bool).self) == (1, true))
    }

    @Test("a poison event in a batch: the others are delivered, it alone is retried and ends in the dead letter")
    func poisonEventAlone() async throws {
        let fixture = try await QueueFixture.make("batchpoison")
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.poisoned", maxAttempts: 2) {
                envelope, context in
                if envelope.event.label == "poison" { throw FlakyFailure() }
                try await Self.log(envelope.event.label, on: context.connection)
            }
        }
        try await publish(
            bus, fixture,
            ["first", "poison", "third", "fourth"].map {
                SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: $0)
            })
        let workers = fixture.workers(bus.deliveryJobKinds)
        #expect(try await workers.drain() == 4)
        #expect(try await fixture.effects() == ["first", "fourth", "third"])
        #expect(try await jobStates(fixture) == ["completed": 3, "available": 1])

        fixture.clock.advance(by: RetryPolicy(random: { 0 }).delay(afterAttempt: 1))
        #expect(try await workers.drain() == 1)
        #expect(try await fixture.effects() == ["first", "fourth", "third"])
        #expect(try await jobStates(fixture) == ["completed": 3, "discarded": 1])
        let discarded = try await fixture.pool.withConnection { connection in
            try await fixture.queue.list(state: .discarded, kind: nil, on: connection)
        }
        #expect(discarded.count == 1)
        #expect(discarded.first?.errors.count == 2)
    }

    @Test("after a rescue, a stalled batch's late commit changes nothing; the later claim delivers")
    func fencedAfterRescue() async throws {
        let fixture = try await QueueFixture.make("batchfence")
        let gate = Gate()
        let first = bus(fixture) { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.fenced") { envelopes, context in
                await gate.pass()
                for envelope in envelopes {
                    try await Self.log("first:\(envelope.event.label)", on: context.connection)
                }
            }
        }
        let second = bus(fixture) { subscriptions in
            subscriptions.subscribe(to: SomethingHappened.self, as: "tests.fenced") { envelope, context in
                try await Self.log("second:\(envelope.event.label)", on: context.connection)
            }
        }
        try await publish(
            first, fixture, ["x", "y"].map { SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: $0) })
        let rescuer = JobRescuer(
            configuration: .init(staleAfter: .seconds(30)), pool: fixture.pool, queue: fixture.queue,
            logger: TestLogger.make("rescuer"))

        // The first worker claims the batch and stalls inside it; the rescuer returns both jobs.
        let firstRun = Task { try await fixture.workers(first.deliveryJobKinds, name: "first").drain() }
        try await gate.arrived()
        fixture.clock.advance(by: 31)
        #expect(try await rescuer.runOnce() == 2)
        // The second worker claims them again (it waits for the first's records until the first rolls back).
        let secondRun = Task { try await fixture.workers(second.deliveryJobKinds, name: "second").drain() }
        gate.open()
        #expect(try await firstRun.value == 2)
        #expect(try await secondRun.value == 2)
        #expect(try await fixture.effects() == ["second:x", "second:y"])
        let jobs = try await fixture.pool.withConnection { connection in
            try await fixture.queue.list(state: nil, kind: nil, on: connection)
        }
        #expect(jobs.map(\.state) == [.completed, .completed])
        #expect(jobs.allSatisfy { $0.claimedBy == "second" && $0.attempt == 2 })
    }

    @Test("a batch holds one tenant's events only, and its transaction sees only that tenant")
    func batchesStayInTheirTenant() async throws {
        let fixture = try await QueueFixture.make("batchtenant")
        let admin = try await fixture.database.connectAsAdmin()
        let other = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('dogbo', 'Dogbo') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        let seen = Recorder()
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.tenants") { envelopes, context in
                let visible = try await context.connection.query(
                    "SELECT count(DISTINCT tenant_id), min(tenant_id::text) FROM messaging.events")[0]
                    .decode((Int, String).self)
                let tenants = Set(envelopes.map { $0.tenantID.uuidString.lowercased() })
                await seen.record("\(tenants.sorted().joined()) \(envelopes.count) sees \(visible.0) \(visible.1)")
            }
        }
        for round in 1...2 {
            try await publish(
                bus, fixture, [SomethingHappened(aggregateID: UUID(), aggregateVersion: round, label: "herent")])
            try await publish(
                bus, fixture, tenant: other,
                [SomethingHappened(aggregateID: UUID(), aggregateVersion: round, label: "dogbo")])
        }
        #expect(try await fixture.workers(bus.deliveryJobKinds).drain() == 4)
        let herent = fixture.tenantID.uuidString.lowercased()
        let dogbo = other.uuidString.lowercased()
        #expect(
            await seen.labels.sorted() == ["\(dogbo) 2 sees 1 \(dogbo)", "\(herent) 2 sees 1 \(herent)"].sorted())
    }

    @Test("with a batch size of 1, each event is delivered alone, as before batches")
    func batchSizeOne() async throws {
        let fixture = try await QueueFixture.make("batchsingle")
        let calls = Recorder()
        let bus = bus(fixture) { subscriptions in
            subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.single") { envelopes, _ in
                await calls.record("\(envelopes.count)")
            }
        }
        try await publish(
            bus, fixture, (1...3).map { SomethingHappened(aggregateID: UUID(), aggregateVersion: $0, label: "s") })
        #expect(try await fixture.workers(bus.deliveryJobKinds, batchSize: 1).drain() == 3)
        #expect(await calls.labels == ["1", "1", "1"])
    }
}
