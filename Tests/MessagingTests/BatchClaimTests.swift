import Foundation
import Postgres
import TestSupport
import Testing

@Suite("The batch claim")
struct BatchClaimTests {
    @Test(
        "it takes the pair whose first due job comes first, skips busy pairs, reaches jobs of no tenant, not later ones"
    )
    func claimsByPair() async throws {
        let fixture = try await QueueFixture.make("batchclaim")
        let admin = try await fixture.database.connectAsAdmin()
        var tenants: [UUID] = []
        for slug in ["kortrijk", "dogbo"] {
            tenants.append(
                try await admin.query(
                    "INSERT INTO platform.tenants (slug, name) VALUES (\(slug), \(slug)) RETURNING id"
                )[0].decode(UUID.self, column: 0))
        }
        let (kortrijk, dogbo) = (tenants[0], tenants[1])
        let start = Date(timeIntervalSinceNow: -3600)
        // (kind, tenant, seconds after start); the last is not due yet, and another kind comes first.
        let jobs: [(String, UUID?, Double)] = [
            ("event.tests.a", kortrijk, 0), ("event.tests.a", dogbo, 1), ("event.tests.a", kortrijk, 2),
            ("event.tests.a", nil, 3), ("event.tests.a", dogbo, 4), ("event.tests.b", kortrijk, -10),
            ("event.tests.a", dogbo, 7200),
        ]
        var ids: [Int] = []
        for (kind, tenant, offset) in jobs {
            ids.append(
                try await admin.query(
                    """
                    INSERT INTO messaging.jobs (kind, tenant_id, run_at, created_at)
                    VALUES (\(kind), \(tenant), \(start.addingTimeInterval(offset)), \(start)) RETURNING id
                    """
                )[0].decode(Int.self, column: 0))
        }
        func claim(busy: [(String, UUID?)]) async throws -> [Int] {
            try await admin.query(
                """
                SELECT id FROM messaging.claim_job_batch(ARRAY['event.tests.a'], 10, 'tests',
                    \(busy.map(\.0))::text[],
                    (SELECT array_agg(nullif(t, '')::uuid ORDER BY o)
                     FROM unnest(\(busy.map { $0.1?.postgresText ?? "" })::text[]) WITH ORDINALITY AS b(t, o)),
                    now())
                ORDER BY id
                """
            ).map { try $0.decode(Int.self, column: 0) }
        }
        #expect(try await claim(busy: []) == [ids[0], ids[2]])
        #expect(try await claim(busy: [("event.tests.a", kortrijk)]) == [ids[1], ids[4]])
        #expect(try await claim(busy: [("event.tests.a", kortrijk), ("event.tests.a", dogbo)]) == [ids[3]])
        #expect(try await claim(busy: [("event.tests.a", kortrijk), ("event.tests.a", dogbo)]).isEmpty)
        // What was claimed is running, each once, with its claim counted; the rest waits.
        let states = try await admin.query(
            "SELECT id, state, claim FROM messaging.jobs WHERE kind LIKE 'event.tests.%' ORDER BY id"
        ).map {
            try $0.decode((Int, String, Int).self)
        }
        #expect(
            states.map { "\($0.1) \($0.2)" } == [
                "running 1", "running 1", "running 1", "running 1", "running 1", "available 0", "available 0",
            ])
        await admin.close()
    }
}
