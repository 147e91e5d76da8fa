import Foundation
import Messaging
import Postgres
import TestSupport
import Testing

/// The claim's plan on a burst that autovacuum has not analysed yet: `jobs_claim` walked in claim order, never
/// the batch claim's `(kind, tenant_id, …)` index with a sort of every due job (migration 0035). With that
/// plan a claim cost 0.1 s at 100,000 waiting jobs; the answer was the same, so only the plan tells them apart.
@Suite("The claim's plan")
struct ClaimPlanTests {
    @Test("a claim on a queue without statistics walks jobs_claim, and no other index of the jobs but their key")
    func walksTheClaimIndex() async throws {
        let fixture = try await QueueFixture.make("claimplan")
        let admin = try await fixture.database.connectAsAdmin()
        // A burst: 50,000 due jobs of one kind, and nothing analysed (a new database; autovacuum is kept off
        // this table so that it cannot analyse it while the test runs). From about 50,000 rows on, the planner
        // guessing without statistics preferred the batch claim's index (jobs_claim_batch, 0031 to 0037) and a
        // sort; at 20,000 it still walked.
        try await admin.query("ALTER TABLE messaging.jobs SET (autovacuum_enabled = false)")
        try await admin.query(
            """
            INSERT INTO messaging.jobs (kind, run_at, created_at)
            SELECT 'tests.burst', now() - interval '1 minute', now() FROM generate_series(1, 50000)
            """)
        let analysed = try await admin.query(
            """
            SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL FROM pg_stat_user_tables
            WHERE relid = 'messaging.jobs'::regclass
            """)
        #expect(try analysed[0].decode(Bool.self, column: 0) == false)
        let before = try await scans(admin)

        // Two claims of ten, as the workers make them (the app's login, the function the queue calls).
        let claimed = try await fixture.pool.withConnection { connection in
            var ids: [Int64] = []
            for _ in 0..<2 {
                ids += try await connection.query(
                    """
                    SELECT id FROM messaging.claim_jobs(ARRAY['tests.other', 'tests.burst'], 10, 'plan',
                        -1::smallint, '-infinity'::timestamptz, 0::bigint, now())
                    """
                ).map { try $0.decode(Int64.self, column: 0) }
            }
            // The backend reports its index scans when it is next idle; this asks it not to wait the second
            // it otherwise waits between reports.
            try await connection.query("SELECT pg_stat_force_next_flush()")
            return ids
        }
        #expect(claimed.count == 20)
        #expect(Set(claimed).count == 20)

        let deadline = ContinuousClock.now + .seconds(60)
        var after = try await scans(admin)
        while after == before, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            after = try await scans(admin)
        }
        #expect(after.claim - before.claim >= 2, "each claim walks jobs_claim")
        #expect(
            after.other == before.other, "no claim reads another index of the jobs (the key finds the claimed rows)")
        await admin.close()
    }

    /// How often the claim index and the jobs' other indexes (but the primary key) were scanned, as the statistics collector last
    /// heard.
    func scans(_ admin: PostgresConnection) async throws -> (claim: Int, other: Int) {
        try await admin.query("SELECT pg_stat_clear_snapshot()")
        let rows = try await admin.query(
            """
            SELECT coalesce(sum(idx_scan) FILTER (WHERE indexrelname = 'jobs_claim'), 0)::bigint,
                   coalesce(sum(idx_scan) FILTER (WHERE indexrelname NOT IN ('jobs_claim', 'jobs_pkey')), 0)::bigint
            FROM pg_stat_user_indexes WHERE relid = 'messaging.jobs'::regclass
            """)
        return (try rows[0].decode(Int.self, column: 0), try rows[0].decode(Int.self, column: 1))
    }
}
