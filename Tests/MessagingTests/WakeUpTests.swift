import Foundation
import Messaging
import Postgres
import ServiceLifecycleTestKit
import TestSupport
import Testing

@Suite("Waking the workers")
struct WakeUpTests {
    @Test("a committed enqueue wakes a listening worker long before its next poll")
    func commitWakesTheWorkers() async throws {
        let fixture = try await QueueFixture.make("wakecommit")
        let ran = Gate()
        ran.open()
        var kinds = JobKinds()
        kinds.register(JobKind(name: "tests.woken") { _ in await ran.pass() })
        let workers = JobWorkers(
            configuration: .init(concurrency: 4, pollInterval: .seconds(60), workerName: "woken"),
            kinds: kinds,
            pool: fixture.pool,
            queue: fixture.queue,
            listenOn: fixture.database.appConfiguration,
            logger: TestLogger.make("woken")
        )
        let admin = try await fixture.database.connectAsAdmin()
        try await testGracefulShutdown { trigger in
            let running = Task { try await workers.run() }
            // The worker's first claim happens at start; only a notification can bring it the job below.
            let listening = try await eventually {
                try await admin.query(
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE 'LISTEN %messaging_jobs%'
                    """
                )[0].decode(Int.self, column: 0) == 1
            }
            #expect(listening)
            let enqueued = ContinuousClock.now
            try await fixture.enqueue([try NewJob(kind: "tests.woken")])
            try await ran.arrived(within: .seconds(20))
            #expect(ContinuousClock.now - enqueued < .seconds(20))
            trigger.triggerGracefulShutdown()
            try await running.value
        }
        let stats = try await fixture.pool.withConnection { try await fixture.queue.stats(on: $0) }
        #expect(stats.totals["completed"] == 1)
    }

    @Test("a rolled-back enqueue sends no wake-up and leaves no job")
    func rollbackSendsNothing() async throws {
        let fixture = try await QueueFixture.make("wakerollback")
        let listener = PostgresListener(
            configuration: fixture.database.appConfiguration, channels: [PostgresJobQueue.channel],
            logger: TestLogger.make("listener"))
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)

        struct Rollback: Error {}
        await #expect(throws: Rollback.self) {
            try await fixture.pool.withTransaction { connection in
                try await fixture.queue.enqueue([try NewJob(kind: "tests.never")], on: connection)
                throw Rollback()
            }
        }
        // Notifications arrive in commit order: a wake-up from the rollback would come before this marker.
        try await fixture.pool.query("SELECT pg_notify('messaging_jobs', 'marker')")
        var before: [PostgresNotification] = []
        while case .notification(let notification)? = await events.next() {
            if notification.payload == "marker" { break }
            before.append(notification)
        }
        #expect(before.isEmpty)
        let stats = try await fixture.pool.withConnection { try await fixture.queue.stats(on: $0) }
        #expect(stats.totals.values.reduce(0, +) == 0)

        // And a commit does send one, before the next marker: the test above could not pass vacuously.
        try await fixture.enqueue([try NewJob(kind: "tests.once")])
        try await fixture.pool.query("SELECT pg_notify('messaging_jobs', 'marker')")
        var afterCommit: [PostgresNotification] = []
        while case .notification(let notification)? = await events.next() {
            if notification.payload == "marker" { break }
            afterCommit.append(notification)
        }
        #expect(afterCommit.count == 1)
    }

    @Test("a publish's notification has its municipality looked at alone; one that names none, every municipality")
    func notificationNamesTheMunicipality() async throws {
        let fixture = try await QueueFixture.make("wakenamed")
        let admin = try await fixture.database.connectAsAdmin()
        let dogbo = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('dogbo', 'Dogbo') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        let heard = Recorder()
        var subscriptions = EventSubscriptions()
        subscriptions.subscribeInBatches(to: SomethingHappened.self, as: "tests.named") { envelopes, _ in
            for envelope in envelopes { await heard.record(envelope.event.label) }
        }
        // A bus that knows the subscriber notifies after its commit; one that does not, publishes in silence.
        let loud = EventBus(subscriptions: subscriptions, queue: fixture.queue)
        let silent = EventBus(subscriptions: EventSubscriptions(), queue: fixture.queue)
        func publish(_ bus: EventBus, _ tenant: UUID, _ label: String) async throws {
            try await fixture.pool.withTransaction(tenantID: tenant) { connection in
                _ = try await bus.publish(
                    SomethingHappened(aggregateID: UUID(), aggregateVersion: 1, label: label), tenantID: tenant,
                    in: connection)
            }
        }
        let workers = EventCursorWorkers(
            configuration: .init(pollInterval: .seconds(3_600)), subscriptions: subscriptions, pool: fixture.pool,
            clock: fixture.clock, listenOn: fixture.database.appConfiguration, logger: TestLogger.make("named"))
        try await testGracefulShutdown { trigger in
            let running = Task { try await workers.run() }
            #expect(
                try await eventually {
                    try await admin.query(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND query LIKE 'LISTEN %messaging_jobs%'
                        """
                    )[0].decode(Int.self, column: 0) == 1
                })
            try await publish(loud, fixture.tenantID, "first")
            #expect(try await eventually { await heard.labels == ["first"] })
            // The loops finish what they were asked at the start (a look everywhere) before they wait. Half a second
            // was too short once, on a machine answering requests in 1.4 s: that look was still running and found
            // Dogbo's event below; three seconds were too short once more, on a machine answering requests in 3 s (a
            // whole CI run beside four builds). Ten seconds leave it time; the assertions are unchanged.
            try await Task.sleep(for: .seconds(10))
            // Dogbo's event has no notification of its own; the next one names the first municipality only.
            try await publish(silent, dogbo, "unnamed")
            try await publish(loud, fixture.tenantID, "second")
            #expect(try await eventually { await heard.labels.contains("second") })
            try await Task.sleep(for: .milliseconds(300))
            #expect(await heard.labels == ["first", "second"])
            // A notification that names no municipality (a job's) has the subscriber look everywhere.
            try await admin.query("SELECT pg_notify('messaging_jobs', '')")
            #expect(try await eventually { await heard.labels == ["first", "second", "unnamed"] })
            trigger.triggerGracefulShutdown()
            try await running.value
        }
        await admin.close()
    }
}
