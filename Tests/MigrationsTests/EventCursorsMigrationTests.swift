import Foundation
import Messaging
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0037: the cursors take over from the event jobs")
struct EventCursorsMigrationTests {
    private struct Kept: Event {
        static let name = "tests.kept.v1"
        var aggregateID: UUID
        var aggregateVersion: Int
        var label: String
    }

    @Test("a cursor starts after the events delivered through jobs, or before the first job still waiting")
    func cursorsStartAfterTheKeptEvents() async throws {
        let database = try await TestDatabase.empty("cursors0037")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: 35)
        let admin = try await database.connectAsAdmin()
        let (herent, dogbo) = (UUID(), UUID())
        for (tenant, slug) in [(herent, "herent"), (dogbo, "dogbo")] {
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
        }
        @discardableResult
        func keep(_ label: String, in tenant: UUID) async throws -> UUID {
            let id = UUID()
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(tenant), \(id), \(Kept.name), \(UUID()), 1,
                        jsonb_build_object('aggregateID', gen_random_uuid(), 'aggregateVersion', 1, 'label', \(label)::text),
                        now())
                """)
            return id
        }
        /// The job that delivered (or was to deliver) an event before the cursors.
        func job(for event: UUID, in tenant: UUID, state: String) async throws {
            try await admin.query(
                """
                INSERT INTO messaging.jobs (kind, tenant_id, args, state, run_at, created_at)
                VALUES ('event.tests.kept', \(tenant), jsonb_build_object('eventID', \(event)::text, 'event', \(Kept.name)::text),
                        \(state), now(), now())
                """)
            if state == "completed" {
                try await admin.query(
                    """
                    INSERT INTO messaging.handled_events (tenant_id, subscriber, event_id, handled_at)
                    VALUES (\(tenant), 'tests.kept', \(event), now())
                    """)
            }
        }
        let delivered = try await keep("before in Herent", in: herent)
        try await job(for: delivered, in: herent, state: "completed")
        try await keep("before in Dogbo", in: dogbo)
        // Herent's deliveries stopped with a backlog: two jobs waiting, and one delivered between them.
        try await job(for: try await keep("waiting in Herent", in: herent), in: herent, state: "available")
        try await job(for: try await keep("handled in Herent", in: herent), in: herent, state: "completed")
        try await job(for: try await keep("running in Herent", in: herent), in: herent, state: "running")
        try await runner.up()
        let jobs = try await admin.query(
            "SELECT state, count(*) FROM messaging.jobs GROUP BY state ORDER BY state")
        #expect(
            try jobs.map { try $0.decode((String, Int).self) }.map { "\($0.0) \($0.1)" } == [
                "cancelled 2", "completed 2",
            ])
        try await keep("after in Dogbo", in: dogbo)
        try await keep("after in Herent", in: herent)

        let heard = Recorder()
        var subscriptions = EventSubscriptions()
        subscriptions.subscribe(to: Kept.self, as: "tests.kept") { envelope, _ in
            await heard.record(envelope.event.label)
        }
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("pool"))
        let workers = EventCursorWorkers(
            subscriptions: subscriptions, pool: pool, clock: SystemClock(), listenOn: nil,
            logger: TestLogger.make("cursors"))
        #expect(await workers.drain() == 4)
        #expect(
            await heard.labels.sorted() == [
                "after in Dogbo", "after in Herent", "running in Herent", "waiting in Herent",
            ])
        await pool.close()
        await admin.close()
    }
}

private actor Recorder {
    private(set) var labels: [String] = []

    func record(_ label: String) { labels.append(label) }
}
