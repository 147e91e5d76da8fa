import Foundation
import Postgres
import TestSupport
import Testing

@Suite("stedenband jobs, for operators")
struct JobsCommandTests {
    struct Stats: Decodable {
        var totals: [String: Int]
        var oldestAvailableAgeSeconds: Double
    }

    struct Job: Decodable {
        var id: Int64
        var kind: String
        var state: String
    }

    @Test("stats, list, cancel and retry, as text and JSON, with a non-zero exit for an unknown job")
    func operatorCommands() async throws {
        let database = try await TestDatabase.migrated("jobscli")
        let admin = try await database.connectAsAdmin()
        try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES ('roeselare', 'Roeselare')")
        let env = database.commandEnvironment()
        // Two jobs and no worker: both wait in the queue.
        try await admin.query(
            """
            INSERT INTO messaging.jobs (kind, tenant_id, run_at, created_at)
            SELECT 'tests.waiting', id, now(), now() FROM platform.tenants, generate_series(1, 2)
            """)

        let stats = try await CommandRun.run(["jobs", "stats", "--json"], environment: env)
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8)).totals["available"] == 2)
        let table = try await CommandRun.run(["jobs", "stats"], environment: env)
        #expect(table.stdout.contains("tests.waiting"))

        let listed = try await CommandRun.run(["jobs", "list", "--state", "available", "--json"], environment: env)
        let jobs = try JSONDecoder().decode([Job].self, from: Data(listed.stdout.utf8))
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0.kind == "tests.waiting" })

        let cancel = try await CommandRun.run(["jobs", "cancel", String(jobs[0].id)], environment: env)
        #expect(cancel.status == 0)
        #expect(cancel.stdout.contains("cancelled"))
        let again = try await CommandRun.run(["jobs", "cancel", String(jobs[0].id)], environment: env)
        #expect(again.status != 0)
        let retry = try await CommandRun.run(["jobs", "retry", String(jobs[0].id)], environment: env)
        #expect(retry.status == 0)
        // A job cancelled before it ran gets its kind's attempts (max_attempts stays NULL), not a single one.
        let state = try await admin.query(
            "SELECT state, attempt, max_attempts FROM messaging.jobs WHERE id = \(jobs[0].id)")
        let (retriedState, attempt, maxAttempts) = try state[0].decode((String, Int, Int?).self)
        #expect(retriedState == "available")
        #expect(attempt == 0)
        #expect(maxAttempts == nil)

        let unknown = try await CommandRun.run(["jobs", "retry", "987654321"], environment: env)
        #expect(unknown.status != 0)
        #expect(unknown.stdout.contains("job 987654321 does not exist"))
        try await admin.query(
            "UPDATE messaging.jobs SET state = 'completed', finished_at = now() WHERE id = \(jobs[1].id)")
        let completed = try await CommandRun.run(["jobs", "retry", String(jobs[1].id), "--json"], environment: env)
        #expect(completed.status != 0)
        let refusal = try JSONDecoder().decode([String: String].self, from: Data(completed.stdout.utf8))
        #expect(refusal["retried"] == "false")
        #expect(refusal["reason"]?.contains("is completed") == true)
        let badState = try await CommandRun.run(["jobs", "list", "--state", "sleeping"], environment: env)
        #expect(badState.status != 0)
        #expect(badState.stderr.contains("--state"))
    }
}
