import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband digests run, for operators")
struct DigestsCommandTests {
    struct Outcome: Decodable, Equatable {
        var digests: Int
        var emptyWindows: Int
    }

    @Test("claims the digests due at an instant once, queues their delivery, and refuses an instant it cannot read")
    func claimsOnce() async throws {
        let database = try await TestDatabase.migrated("digestscli")
        let admin = try await database.connectAsAdmin()
        // One member with a digest due an hour before 07:00 and two changes in its window; one without any.
        try await admin.query(
            """
            WITH tenant AS (INSERT INTO platform.tenants (slug, name) VALUES ('roeselare', 'Roeselare') RETURNING id),
            people AS (
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                SELECT tenant.id, 'user' || i || '@roeselare.be', 'User ' || i, 'partner_coordinator', 'nl',
                    'Europe/Brussels'
                FROM tenant, generate_series(1, 2) AS i RETURNING tenant_id, id, email),
            partnership AS (
                INSERT INTO notifications.partnerships (tenant_id, id, title, version)
                SELECT tenant.id, gen_random_uuid(), 'Roeselare–Dogbo', 1 FROM tenant RETURNING tenant_id, id),
            settings AS (
                INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale,
                    window_start, next_due_at)
                SELECT u.tenant_id, u.id, 'daily', 7, 1, 'Europe/Brussels', 'nl',
                    '2026-11-29T06:00:00Z'::timestamptz, '2026-11-30T06:00:00Z'::timestamptz
                FROM people u),
            first AS (SELECT * FROM people WHERE email = 'user1@roeselare.be'),
            members AS (
                INSERT INTO notifications.members (tenant_id, partnership_id, user_id, role)
                SELECT p.tenant_id, p.id, u.id, 'partner_coordinator' FROM partnership p, first u)
            INSERT INTO notifications.inbox (tenant_id, user_id, event_id, event_name, partnership_id, activity_id,
                occurred_at, item)
            SELECT u.tenant_id, u.id, gen_random_uuid(), 'partnerships.partnership_created.v1', p.id, NULL,
                '2026-11-29T12:00:00Z'::timestamptz + e * interval '1 minute',
                jsonb_build_object('kind', 'partnership_created', 'partnershipTitle', 'Roeselare–Dogbo')
            FROM first u, partnership p, generate_series(1, 2) AS e
            """)
        let env = database.commandEnvironment()

        let first = try await CommandRun.run(
            ["digests", "run", "--at", "2026-11-30T06:00:00Z", "--json"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            try JSONDecoder().decode(Outcome.self, from: Data(first.stdout.utf8))
                == Outcome(digests: 1, emptyWindows: 1))
        let queued = try await admin.query(
            "SELECT count(*) FROM messaging.jobs WHERE kind = 'notifications.deliver_digest'")[0].decode(
                Int.self, column: 0)
        #expect(queued == 1)

        // The same instant again claims nothing more.
        let again = try await CommandRun.run(["digests", "run", "--at", "2026-11-30T06:00:00Z"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Claimed 0 digest(s)"))

        let unreadable = try await CommandRun.run(["digests", "run", "--at", "tomorrow morning"], environment: env)
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("--at must be an RFC 3339 instant"))
        await admin.close()
    }
}
