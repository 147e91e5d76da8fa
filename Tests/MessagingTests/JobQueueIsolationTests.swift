import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("The queue under row-level security")
struct JobQueueIsolationTests {
    @Test("as a login only in stedenband_app: its tenant's jobs only, changed only through the queue's functions")
    func queueUnderRowLevelSecurity() async throws {
        let fixture = try await QueueFixture.make("queuerls")
        let admin = try await fixture.database.connectAsAdmin()
        let a = fixture.tenantID
        let b = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('beveren', 'Beveren') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        // A login that is a member of stedenband_app only, as the server's is (not of the owner, as the test
        // cluster's superuser is): the queue's functions must work because they run as their owner.
        let login = "queue_rls_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.query("CREATE ROLE \(identifier: login) LOGIN IN ROLE stedenband_app")
        let configuration = fixture.database.adminConfiguration.setting("user", to: login)
        let app = try await PostgresConnection.connect(to: configuration, logger: TestLogger.make("rls"))
        let pool = PostgresConnectionPool(
            configuration: .init(connection: configuration, maximumConnections: 4), logger: TestLogger.make("rls"))
        let queue = fixture.queue
        for tenant in [a, b] {
            try await app.withTransaction(tenantID: tenant) { connection in
                try await queue.enqueue([try NewJob(kind: "tests.rls", tenantID: tenant)], on: connection)
            }
        }
        try await app.withTransaction { try await queue.enqueue([try NewJob(kind: "tests.rls")], on: $0) }

        // With no tenant set, the jobs of no tenant; with tenant A's, A's.
        let tenants: PostgresQuery = "SELECT tenant_id FROM messaging.jobs"
        #expect(try await app.query(tenants).map { try $0.decode(UUID?.self, column: 0) } == [nil])
        let seen = try await app.withTransaction(tenantID: a) { connection in
            try await connection.query(tenants).map { try $0.decode(UUID?.self, column: 0) }
        }
        #expect(seen == [a])
        // Enqueueing for B inside A's transaction is refused, and so is any direct change.
        let foreign = await #expect(throws: PostgresError.self) {
            try await app.withTransaction(tenantID: a) { connection in
                try await queue.enqueue([try NewJob(kind: "tests.rls", tenantID: b)], on: connection)
            }
        }
        #expect(foreign?.sqlState == .insufficientPrivilege)
        let statements: [PostgresQuery] = [
            "UPDATE messaging.jobs SET state = 'cancelled'", "DELETE FROM messaging.jobs", "TRUNCATE messaging.jobs",
        ]
        for statement in statements {
            let refused = await #expect(throws: PostgresError.self) {
                try await app.withTransaction(tenantID: a) { try await $0.query(statement) }
            }
            #expect(refused?.sqlState == .insufficientPrivilege, "\(statement)")
        }

        // The workers claim across tenants through messaging.claim_jobs; a tenant's job completes inside its
        // tenant's transaction through messaging.complete_jobs, the other by the workers' batch.
        let kind = JobKind(name: "tests.rls") { context in
            let label = context.job.tenantID.map { $0 == a ? "a" : "b" } ?? "none"
            guard let tenant = context.job.tenantID else {
                try await context.pool.query("INSERT INTO effects.log (label) VALUES (\(label))")
                return
            }
            try await context.pool.withTransaction(tenantID: tenant) { connection in
                try await connection.query("INSERT INTO effects.log (tenant_id, label) VALUES (\(tenant), \(label))")
                try await context.complete(in: connection)
            }
        }
        let workers = QueueFixture(
            database: fixture.database, pool: pool, clock: fixture.clock, queue: queue, tenantID: a
        )
        .workers([kind])
        #expect(try await workers.drain() == 3)
        #expect(try await fixture.effects() == ["a", "b", "none"])
        let stats = try await queue.stats(on: app)
        #expect(stats.kinds.map(\.kind) == ["tests.rls"])
        #expect(stats.totals["completed"] == 3 && stats.totals["available"] == 0)
        let listed = try await queue.list(state: .completed, kind: "tests.rls", on: app)
        #expect(Set(listed.map(\.tenantID)) == [a, b, nil])

        await pool.close()
        await app.close()
        try await admin.query("DROP ROLE \(identifier: login)")
    }
}
