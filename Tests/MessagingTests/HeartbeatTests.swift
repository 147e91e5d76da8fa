import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Heartbeats")
struct HeartbeatTests {
    @Test("a heartbeat never waits for a row another transaction holds, and still counts it as held")
    func heartbeatSkipsHeldRows() async throws {
        let fixture = try await QueueFixture.make("heartbeatskip")
        let admin = try await fixture.database.connectAsAdmin()
        let other = try await fixture.database.connectAsAdmin()
        let start = Date(timeIntervalSinceNow: -60)
        var ids: [Int] = []
        for _ in 0..<2 {
            ids.append(
                try await admin.query(
                    """
                    INSERT INTO messaging.jobs (kind, tenant_id, run_at, created_at, state, claim, heartbeat_at)
                    VALUES ('event.tests.a', \(fixture.tenantID), \(start), \(start), 'running', 1, \(start))
                    RETURNING id
                    """
                )[0].decode(Int.self, column: 0))
        }
        // Another transaction holds the first job's row, as a delivery that completed it and has not committed.
        try await other.query("BEGIN")
        try await other.query("SELECT FROM messaging.jobs WHERE id = \(ids[0]) FOR UPDATE")
        // Waiting for it would end in this error instead of an answer.
        try await admin.query("SET lock_timeout = '5s'")
        let held = try await admin.query(
            "SELECT messaging.heartbeat_jobs(\(ids)::int8[], ARRAY[1, 1]::int8[], now())"
        )[0].decode(Int.self, column: 0)
        #expect(held == 2)
        let beaten = try await admin.query(
            "SELECT id FROM messaging.jobs WHERE id = ANY(\(ids)::int8[]) AND heartbeat_at > \(start) ORDER BY id"
        ).map { try $0.decode(Int.self, column: 0) }
        #expect(beaten == [ids[1]])
        try await other.query("ROLLBACK")
        // A job whose claim moved on (rescued and claimed again) is not held.
        let rescued = try await admin.query(
            "SELECT messaging.heartbeat_jobs(\(ids)::int8[], ARRAY[1, 0]::int8[], now())"
        )[0].decode(Int.self, column: 0)
        #expect(rescued == 1)
        await other.close()
        await admin.close()
    }
}
