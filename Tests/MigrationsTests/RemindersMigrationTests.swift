import Foundation
import Migrations
import Postgres
import TestSupport
import Testing

@Suite("0045: what reminders read starts from the kept events")
struct RemindersMigrationTests {
    private static func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("status and last news of each partnership, and the periods with deleted indicators' marked, per municipality")
    func fromTheKeptEvents() async throws {
        let database = try await TestDatabase.empty("reminders0045")
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: database.adminConfiguration, logger: TestLogger.make("migrations"))
        try await runner.up(to: 44)
        let admin = try await database.connectAsAdmin()
        let (roeselare, oostende) = (UUID(), UUID())
        for (tenant, slug) in [(roeselare, "roeselare"), (oostende, "oostende")] {
            try await admin.query("INSERT INTO platform.tenants (id, slug, name) VALUES (\(tenant), \(slug), \(slug))")
        }
        let (dogbo, ended, banjul) = (UUID(), UUID(), UUID())
        for (tenant, id) in [(roeselare, dogbo), (roeselare, ended), (oostende, banjul)] {
            try await admin.query(
                "INSERT INTO notifications.partnerships (tenant_id, id, title, version) VALUES (\(tenant), \(id), 'P', 1)"
            )
        }
        let (activity, open, gone, indicator, goneIndicator, result) = (UUID(), UUID(), UUID(), UUID(), UUID(), UUID())
        func period(_ id: UUID, indicator: UUID, status: String, version: Int) -> String {
            #"""
            {"period": {"id": "\#(id)", "indicatorId": "\#(indicator)", "resultId": "\#(result)",
             "partnershipId": "\#(dogbo)", "activityId": "\#(activity)", "start": "2026-01-01", "end": "2026-12-31",
             "status": "\#(status)", "version": \#(version)},
             "indicator": {"id": "\#(indicator)", "title": "Birth registrations", "measure": "percentage"}}
            """#
        }
        let events: [(UUID, String, UUID, Int, String, String)] = [
            (
                roeselare, "partnerships.partnership_created.v1", dogbo, 1, #"{"partnership": {"status": "active"}}"#,
                "2026-01-01T10:00:00Z"
            ),
            (
                roeselare, "activities.activity_recorded.v1", activity, 1,
                #"{"activity": {"partnershipId": "\#(dogbo)"}}"#, "2026-02-01T10:00:00Z"
            ),
            (
                roeselare, "activities.activity_update_posted.v1", activity, 1,
                #"{"activity": {"partnershipId": "\#(dogbo)"}}"#, "2026-03-01T10:00:00Z"
            ),
            (
                roeselare, "results.period_defined.v1", open, 1,
                period(open, indicator: indicator, status: "draft", version: 1),
                "2026-03-15T10:00:00Z"
            ),
            (
                roeselare, "results.value_reported.v1", open, 2,
                period(open, indicator: indicator, status: "submitted", version: 2), "2026-04-01T10:00:00Z"
            ),
            // An activity updated is no news.
            (
                roeselare, "activities.activity_updated.v1", activity, 2,
                #"{"activity": {"partnershipId": "\#(dogbo)"}}"#, "2026-05-01T10:00:00Z"
            ),
            (
                roeselare, "results.period_defined.v1", gone, 1,
                period(gone, indicator: goneIndicator, status: "draft", version: 1), "2026-04-02T10:00:00Z"
            ),
            (
                roeselare, "results.indicator_deleted.v1", goneIndicator, 2, #"{"indicator": {}}"#,
                "2026-04-03T10:00:00Z"
            ),
            (
                roeselare, "partnerships.partnership_created.v1", ended, 1, #"{"partnership": {"status": "active"}}"#,
                "2026-01-05T10:00:00Z"
            ),
            (
                roeselare, "partnerships.partnership_updated.v1", ended, 2, #"{"partnership": {"status": "ended"}}"#,
                "2026-01-06T10:00:00Z"
            ),
            (
                oostende, "partnerships.partnership_created.v1", banjul, 1,
                #"{"partnership": {"status": "exploring"}}"#,
                "2026-01-07T10:00:00Z"
            ),
        ]
        for (tenant, name, aggregate, version, payload, at) in events {
            try await admin.query(
                """
                INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at)
                VALUES (\(tenant), \(UUID()), \(name), \(aggregate), \(version), \(payload)::jsonb, \(Self.utc(at)))
                """)
        }
        try await runner.up(to: 45)

        let partnerships = try await admin.query(
            "SELECT id, status, last_news_at FROM notifications.partnerships"
        ).map { try $0.decode((UUID, String, Date).self) }
        let byID = Dictionary(uniqueKeysWithValues: partnerships.map { ($0.0, ($0.1, $0.2)) })
        #expect(byID[dogbo]?.0 == "active" && byID[dogbo]?.1 == Self.utc("2026-04-01T10:00:00Z"))
        #expect(byID[ended]?.0 == "ended" && byID[ended]?.1 == Self.utc("2026-01-05T10:00:00Z"))
        #expect(byID[banjul]?.0 == "exploring" && byID[banjul]?.1 == Self.utc("2026-01-07T10:00:00Z"))

        let periods = try await admin.query(
            """
            SELECT id, tenant_id, partnership_id, activity_id, indicator_title, ends_on::text, status, version, deleted
            FROM notifications.indicator_periods ORDER BY deleted
            """
        ).map { try $0.decode((UUID, UUID, UUID, UUID?, String, String, String, Int, Bool).self) }
        #expect(
            periods.map { "\($0)" }
                == [
                    (
                        open, roeselare, dogbo, Optional(activity), "Birth registrations", "2026-12-31", "submitted", 2,
                        false
                    ),
                    (gone, roeselare, dogbo, Optional(activity), "Birth registrations", "2026-12-31", "draft", 1, true),
                ].map { "\($0)" })

        let forced = try await admin.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'notifications' AND c.relname IN ('indicator_periods', 'reminders')
              AND c.relforcerowsecurity AND c.relrowsecurity ORDER BY c.relname
            """
        ).map { try $0.decode(String.self, column: 0) }
        #expect(forced == ["indicator_periods", "reminders"])
        let scope = try await admin.query("SELECT coalesce(current_setting('app.tenant_id', true), '')")[0].decode(
            String.self, column: 0)
        #expect(scope == "")
        await admin.close()
    }
}
