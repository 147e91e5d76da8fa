import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0044: the read model's spending ledger starts from the kept events")
struct SpendingLedgerMigrationTests {
    @Test("per activity and UTC year the latest event with a budget states the spent amount, in every municipality")
    func ledgerFromTheKeptEvents() async throws {
        let database = try await TestDatabase.empty("spending0044")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: 43)
        let admin = try await database.connectAsAdmin()
        let (roeselare, oostende) = (UUID(), UUID())
        let (registry, wells, deleted) = (UUID(), UUID(), UUID())
        for (tenant, slug) in [(roeselare, "roeselare"), (oostende, "oostende")] {
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
        }
        for (tenant, id) in [(roeselare, registry), (oostende, wells), (roeselare, deleted)] {
            try await admin.query(
                """
                INSERT INTO reporting.activities (tenant_id, id, partnership_id, title, kind, status, direction,
                    version, updated_at)
                VALUES (\(tenant), \(id), \(UUID()), 'T', 'other', 'ongoing', 'mutual', 1, now())
                """)
        }
        // (municipality, activity, version, event, when, spent and currency or no budget)
        let events: [(UUID, UUID, Int, String, String, (String, String)?)] = [
            (roeselare, registry, 1, "activity_recorded", "2020-03-01T10:00:00Z", ("0.00", "EUR")),
            (roeselare, registry, 2, "activity_budget_changed", "2020-11-30T10:00:00Z", ("400.00", "EUR")),
            // 23:30 in UTC on 31 December is still 2020, whatever the server's zone.
            (roeselare, registry, 3, "activity_budget_changed", "2020-12-31T23:30:00Z", ("500.00", "EUR")),
            // Posting an update states the budget again at the same version: nothing changes in 2021's sum.
            (roeselare, registry, 3, "activity_update_posted", "2021-02-01T08:00:00Z", ("500.00", "EUR")),
            (roeselare, registry, 4, "activity_budget_changed", "2022-05-01T08:00:00Z", ("450.00", "EUR")),
            // No budget stated: the ledger is left alone.
            (oostende, wells, 1, "activity_recorded", "2021-01-01T00:00:00Z", nil),
            (oostende, wells, 2, "activity_budget_changed", "2023-06-15T12:00:00Z", ("1000", "XOF")),
            // A deletion states no spending.
            (roeselare, deleted, 1, "activity_recorded", "2024-01-02T00:00:00Z", ("7.00", "EUR")),
            (roeselare, deleted, 2, "activity_deleted", "2025-01-02T00:00:00Z", ("9.00", "EUR")),
        ]
        for (tenant, id, version, name, when, budget) in events {
            let budgetJSON = budget.map { #"{"planned": "1000.00", "spent": "\#($0.0)", "currency": "\#($0.1)"}"# }
            let payload =
                #"{"activity": {"id": "\#(id.uuidString)", "version": \#(version), "budget": \#(budgetJSON ?? "null")}}"#
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(tenant), \(UUID()), \("activities.\(name).v1"), \(id), \(version), \(payload)::jsonb,
                    \(when)::timestamptz)
                """)
        }
        try await runner.up()
        let rows = try await admin.query(
            """
            SELECT tenant_id, activity_id, year, version, spent::text, currency, recorded_on::text
            FROM reporting.activity_spending ORDER BY tenant_id, activity_id, year
            """)
        let ledger = try rows.map { try $0.decode((UUID, UUID, Int, Int, String, String, String).self) }
            .map {
                "\($0.0 == roeselare ? "roeselare" : "oostende") \($0.1 == registry ? "registry" : $0.1 == wells ? "wells" : "deleted") \($0.2) v\($0.3) \($0.4) \($0.5) \($0.6)"
            }
        #expect(
            Set(ledger) == [
                "roeselare registry 2020 v3 500.00 EUR 2020-12-31",
                "roeselare registry 2021 v3 500.00 EUR 2021-02-01",
                "roeselare registry 2022 v4 450.00 EUR 2022-05-01",
                "oostende wells 2023 v2 1000.00 XOF 2023-06-15",
                "roeselare deleted 2024 v1 7.00 EUR 2024-01-02",
            ])
        #expect(ledger.count == 5)
        // The ledger is closed like every tenant table.
        let policy = try await admin.query(
            "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'reporting.activity_spending'::regclass")
        #expect(try policy[0].decode(Bool.self, column: 0))
        await admin.close()
    }
}
