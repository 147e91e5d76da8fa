import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband reminders run, for operators")
struct RemindersCommandTests {
    struct Outcome: Decodable, Equatable {
        var digest: Int
        var mail: Int
    }

    @Test("makes the reminders due at an instant once, queues the mails, and refuses an instant it cannot read")
    func remindsOnce() async throws {
        let database = try await TestDatabase.migrated("reminderscli")
        let admin = try await database.connectAsAdmin()
        // A partnership quiet since 1 September: one member with daily digests, one with digests off (hour 7).
        try await admin.query(
            """
            WITH tenant AS (INSERT INTO platform.tenants (slug, name) VALUES ('roeselare', 'Roeselare') RETURNING id),
            people AS (
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                SELECT tenant.id, 'user' || i || '@roeselare.be', 'User ' || i, 'partner_coordinator', 'nl',
                    'Europe/Brussels'
                FROM tenant, generate_series(1, 2) AS i RETURNING tenant_id, id, email),
            partnership AS (
                INSERT INTO notifications.partnerships (tenant_id, id, title, version, status, last_news_at)
                SELECT tenant.id, gen_random_uuid(), 'Roeselare–Dogbo', 1, 'active', '2026-09-01T08:00:00Z'
                FROM tenant RETURNING tenant_id, id),
            settings AS (
                INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale,
                    window_start)
                SELECT u.tenant_id, u.id, CASE WHEN u.email = 'user1@roeselare.be' THEN 'daily' ELSE 'off' END, 7, 1,
                    'Europe/Brussels', 'nl', '2026-09-01T00:00:00Z'::timestamptz
                FROM people u)
            INSERT INTO notifications.members (tenant_id, partnership_id, user_id, role)
            SELECT p.tenant_id, p.id, u.id, 'partner_coordinator' FROM partnership p, people u
            """)
        let env = database.commandEnvironment()

        // 90 days later is 30 November 08:00 UTC; 07:00 in Brussels the next morning is 06:00 UTC.
        let first = try await CommandRun.run(
            ["reminders", "run", "--at", "2026-12-01T06:00:00Z", "--json"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try JSONDecoder().decode(Outcome.self, from: Data(first.stdout.utf8)) == Outcome(digest: 1, mail: 1))
        let queued = try await admin.query(
            "SELECT count(*) FROM messaging.jobs WHERE kind = 'notifications.deliver_reminder'")[0].decode(
                Int.self, column: 0)
        #expect(queued == 1)

        let again = try await CommandRun.run(["reminders", "run", "--at", "2026-12-01T06:10:00Z"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Made 0 reminder(s)"), "\(again.stdout)")

        let unreadable = try await CommandRun.run(["reminders", "run", "--at", "next week"], environment: env)
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("--at must be an RFC 3339 instant"))
        await admin.close()
    }
}
