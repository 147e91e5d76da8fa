import Foundation
import Logging
import Messaging
import Postgres
import TestSupport

/// A migrated database with one tenant, a pool connected as the server connects, and a manual clock.
struct QueueFixture {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let clock: ManualClock
    let queue: PostgresJobQueue
    let tenantID: UUID

    static func make(_ label: String) async throws -> QueueFixture {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        let tenant = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('herent', 'Herent') RETURNING id"
        )
        try await admin.query("CREATE SCHEMA effects")
        try await admin.query(
            "CREATE TABLE effects.log (tenant_id uuid, label text, at timestamptz DEFAULT clock_timestamp())")
        try await admin.query("GRANT USAGE ON SCHEMA effects TO stedenband_app")
        try await admin.query("GRANT SELECT, INSERT ON effects.log TO stedenband_app")
        let clock = ManualClock(Date())
        return QueueFixture(
            database: database,
            pool: PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 8),
                logger: TestLogger.make("queue")
            ),
            clock: clock,
            queue: PostgresJobQueue(clock: clock),
            tenantID: try tenant[0].decode(UUID.self, column: 0)
        )
    }

    func workers(_ kinds: [JobKind], concurrency: Int = 10, name: String = "test-worker") -> JobWorkers {
        var registry = JobKinds()
        for kind in kinds { registry.register(kind) }
        return JobWorkers(
            configuration: .init(concurrency: concurrency, workerName: name),
            kinds: registry,
            pool: pool,
            queue: queue,
            retryPolicy: RetryPolicy(random: { 0 }),
            listenOn: nil,
            logger: TestLogger.make("workers")
        )
    }

    /// Labels written to effects.log, as the admin sees them.
    func effects() async throws -> [String] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query("SELECT label FROM effects.log ORDER BY label")
        return try rows.map { try $0.decode(String.self, column: 0) }
    }

    func job(_ id: JobID) async throws -> JobRecord {
        try await pool.withConnection { connection in
            try await queue.list(state: nil, kind: nil, limit: 10_000, on: connection).first { $0.id == id }!
        }
    }

    @discardableResult
    func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try await pool.withTransaction { try await queue.enqueue(jobs, on: $0) }
    }
}

/// An event for the tests.
struct SomethingHappened: Event {
    static let name = "tests.something_happened.v1"
    var aggregateID: UUID
    var aggregateVersion: Int
    var label: String
}

/// Fails the first `failures` calls, then succeeds.
actor Flaky {
    private var remaining: Int

    init(failures: Int) { remaining = failures }

    func check() throws {
        if remaining > 0 {
            remaining -= 1
            throw FlakyFailure()
        }
    }
}

struct FlakyFailure: Error, CustomStringConvertible {
    var description: String { "flaky failure" }
}
