import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0029 and 0032: updates carry their activity's partnership")
struct UpdatesPartnershipMigrationTests {
    @Test("updates written before it get their partnership in every municipality, and new ones get it from the trigger")
    func backfillAndTrigger() async throws {
        let database = try await TestDatabase.empty("updates0029")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: 28)
        let admin = try await database.connectAsAdmin()
        // Two municipalities, each with two partnerships of one activity with two updates.
        var expected: [UUID: UUID] = [:]  // update → partnership
        var activities: [(tenant: UUID, activity: UUID, partnership: UUID)] = []
        for slug in ["roeselare", "oostende"] {
            let tenant = UUID()
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
            for _ in 0..<2 {
                let (partnership, activity) = (UUID(), UUID())
                try await admin.query(
                    """
                    INSERT INTO activities.partnerships (tenant_id, id, title, status, version)
                    VALUES (\(tenant), \(partnership), 'P', 'active', 1)
                    """)
                try await admin.query(
                    """
                    INSERT INTO activities.activities
                        (tenant_id, id, partnership_id, title, kind, status, direction, created_at, updated_at)
                    VALUES (\(tenant), \(activity), \(partnership), 'A', 'other', 'ongoing', 'mutual', now(), now())
                    """)
                activities.append((tenant, activity, partnership))
                for _ in 0..<2 {
                    let update = UUID()
                    try await admin.query(
                        """
                        INSERT INTO activities.updates (tenant_id, id, activity_id, author_id, body, posted_at)
                        VALUES (\(tenant), \(update), \(activity), \(UUID()), 'News', now())
                        """)
                    expected[update] = partnership
                }
            }
        }
        // 0029 alone filled nothing: the owner it runs as sees no municipality's rows. 0032 fills them.
        try await runner.up()
        func partnerships() async throws -> [UUID: UUID?] {
            let rows = try await admin.query("SELECT id, partnership_id FROM activities.updates")
            return Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((UUID, UUID?).self) })
        }
        let filled = try await partnerships()
        #expect(filled == expected.mapValues { Optional($0) }, "\(filled) \(expected)")

        // A writer of the previous version names no partnership: the database fills it in, in the writer's
        // municipality's scope as the server writes.
        let (tenant, activity, partnership) = activities[3]
        let later = UUID()
        try await admin.withTransaction(tenantID: tenant) { connection in
            try await connection.query(
                """
                INSERT INTO activities.updates (tenant_id, id, activity_id, author_id, body, posted_at)
                VALUES (\(tenant), \(later), \(activity), \(UUID()), 'Later', now())
                """)
        }
        #expect(try await partnerships()[later] == .some(partnership))
        // An update of an activity that does not exist still fails on the foreign key.
        await #expect(throws: PostgresError.self) {
            try await admin.query(
                """
                INSERT INTO activities.updates (tenant_id, id, activity_id, author_id, body, posted_at)
                VALUES (\(tenant), \(UUID()), \(UUID()), \(UUID()), 'Lost', now())
                """)
        }
        await admin.close()
    }
}
