import Foundation
import Messaging
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0037: events kept before the cursors are left to their jobs")
struct EventCursorsMigrationTests {
    private struct Kept: Event {
        static let name = "tests.kept.v1"
        var aggregateID: UUID
        var aggregateVersion: Int
        var label: String
    }

    @Test("a cursor starts after the last event written before the migration, in every municipality")
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
        func keep(_ label: String, in tenant: UUID) async throws {
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(tenant), \(UUID()), \(Kept.name), \(UUID()), 1,
                        jsonb_build_object('aggregateID', gen_random_uuid(), 'aggregateVersion', 1, 'label', \(label)::text),
                        now())
                """)
        }
        try await keep("before in Herent", in: herent)
        try await keep("before in Dogbo", in: dogbo)
        try await runner.up()
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
        #expect(await workers.drain() == 2)
        #expect(await heard.labels.sorted() == ["after in Dogbo", "after in Herent"])
        await pool.close()
        await admin.close()
    }
}

private actor Recorder {
    private(set) var labels: [String] = []

    func record(_ label: String) { labels.append(label) }
}
