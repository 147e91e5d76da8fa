import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0013: the reporting read model learns the members of the partnerships it already holds")
struct ReportingMembersMigrationTests {
    @Test("each partnership's members come from the kept event that set its version, in every municipality")
    func membersFromTheKeptEvents() async throws {
        let database = try await TestDatabase.empty("members0013")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: 12)
        let admin = try await database.connectAsAdmin()
        let (roeselare, oostende) = (UUID(), UUID())
        let (dogbo, banjul) = (UUID(), UUID())
        let (former, partner, coordinator, later) = (UUID(), UUID(), UUID(), UUID())
        for (tenant, slug) in [(roeselare, "roeselare"), (oostende, "oostende")] {
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
        }
        // The model holds Dogbo at version 2 and Banjul at version 1.
        for (tenant, id, version) in [(roeselare, dogbo, 2), (oostende, banjul, 1)] {
            try await admin.query(
                """
                INSERT INTO reporting.partnerships (tenant_id, id, title, status, partner_name, partner_country, version)
                VALUES (\(tenant), \(id), 'T', 'active', 'P', 'BJ', \(version))
                """)
        }
        // Dogbo's version 1 had another member; version 3 (not yet applied to the model) another again.
        let events: [(UUID, UUID, Int, String, [(UUID, String)])] = [
            (roeselare, dogbo, 1, "partnerships.partnership_created.v1", [(former, "coordinator")]),
            (
                roeselare, dogbo, 2, "partnerships.partnership_member_added.v1",
                [(partner, "partner_coordinator"), (coordinator, "coordinator")]
            ),
            (roeselare, dogbo, 3, "partnerships.partnership_member_added.v1", [(later, "coordinator")]),
            (oostende, banjul, 1, "partnerships.partnership_created.v1", [(partner, "coordinator")]),
        ]
        for (tenant, id, version, name, members) in events {
            let list = members.map { #"{"userId": "\#($0.0.uuidString)", "role": "\#($0.1)"}"# }
            let payload = #"{"partnership": {"id": "\#(id.uuidString)", "members": [\#(list.joined(separator: ","))]}}"#
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(tenant), \(UUID()), \(name), \(id), \(version), \(payload)::jsonb, now())
                """)
        }
        try await runner.up()
        let rows = try await admin.query(
            "SELECT tenant_id, partnership_id, user_id, role FROM reporting.members ORDER BY tenant_id, role, user_id")
        let members = try rows.map { try $0.decode((UUID, UUID, UUID, String).self) }
        let expected = [
            (roeselare, dogbo, coordinator, "coordinator"), (roeselare, dogbo, partner, "partner_coordinator"),
            (oostende, banjul, partner, "coordinator"),
        ].sorted { ($0.0.uuidString, $0.3, $0.2.uuidString) < ($1.0.uuidString, $1.3, $1.2.uuidString) }
        #expect(members.map { "\($0)" } == expected.map { "\($0)" })
        // The copy is closed like every tenant table.
        let policy = try await admin.query(
            "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'reporting.members'::regclass")
        #expect(try policy[0].decode(Bool.self, column: 0))
        await admin.close()
    }
}
