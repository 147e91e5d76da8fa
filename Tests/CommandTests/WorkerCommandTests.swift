import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("stedenband worker: several processes on one database")
struct WorkerCommandTests {
    private func migratedWithTenant(_ label: String) async throws -> TestDatabase {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES ('herent', 'Herent')")
        return database
    }

    private func environment(_ database: TestDatabase, _ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": database.url, "STEDENBAND_MIGRATIONS": TestPaths.migrations].merging(extra) { _, new in new }
    }

    private func stop(_ run: CommandRun) async throws -> Int32 {
        run.process.terminate()
        return try await run.exitStatus(timeout: .seconds(20))
    }

    @Test("two worker processes deliver 1,000 events, each job claimed once and each effect once")
    func twoWorkersShareTheQueue() async throws {
        let database = try await migratedWithTenant("twoworkers")
        let workers = try (0..<2).map { _ in try CommandRun(["worker"], environment: environment(database)) }
        let probe = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", "herent", "--count", "1000", "--timeout", "90"],
            environment: environment(database)
        )
        #expect(probe.status == 0, "\(probe.stderr)")
        #expect(probe.stdout.contains("1000 of 1000 received"))
        for worker in workers {
            #expect(try await stop(worker) == 0, "\(worker.standardError)")
        }
        let admin = try await database.connectAsAdmin()
        let jobs = try await admin.query(
            """
            SELECT count(*), count(*) FILTER (WHERE state = 'completed' AND attempt = 1), count(DISTINCT claimed_by)
            FROM messaging.jobs
            """
        )
        let (total, completedFirstTime, claimers) = try jobs[0].decode((Int, Int, Int).self)
        #expect(total == 1000)
        #expect(completedFirstTime == 1000)
        #expect(claimers >= 1)
        let receipts = try await admin.query(
            "SELECT count(*), count(DISTINCT probe_id) FROM diagnostics.probe_receipts")
        #expect(try receipts[0].decode((Int, Int).self) == (1000, 1000))
    }

    @Test("a worker killed with SIGKILL mid-delivery: the job is rescued, run again, and its effect happens once")
    func sigkillMidJob() async throws {
        let database = try await migratedWithTenant("sigkill")
        let fastRescue = environment(
            database,
            ["JOB_HEARTBEAT_INTERVAL": "0.2", "JOB_RESCUE_AFTER": "1", "JOB_RESCUE_INTERVAL": "0.2"]
        )
        let first = try CommandRun(["worker"], environment: fastRescue)
        let sent = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", "herent", "--delay-ms", "3000", "--timeout", "0"],
            environment: fastRescue
        )
        #expect(sent.status == 0, "\(sent.stderr)")
        let admin = try await database.connectAsAdmin()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let running = try await admin.query("SELECT count(*) FROM messaging.jobs WHERE state = 'running'")
            if try running[0].decode(Int.self, column: 0) == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(first.process.processIdentifier, SIGKILL)
        _ = try await first.exitStatus()
        let second = try CommandRun(["worker"], environment: fastRescue)
        while ContinuousClock.now < deadline + .seconds(30) {
            let done = try await admin.query("SELECT count(*) FROM messaging.jobs WHERE state = 'completed'")
            if try done[0].decode(Int.self, column: 0) == 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await stop(second) == 0, "\(second.standardError)")
        let receipts = try await admin.query("SELECT count(*) FROM diagnostics.probe_receipts")
        #expect(try receipts[0].decode(Int.self, column: 0) == 1)
        let handled = try await admin.query("SELECT count(*) FROM messaging.handled_events")
        #expect(try handled[0].decode(Int.self, column: 0) == 1)
        let job = try await admin.query("SELECT state, attempt, errors::text FROM messaging.jobs")
        let (state, attempt, errors) = try job[0].decode((String, Int, String).self)
        #expect(state == "completed")
        #expect(attempt == 2)
        #expect(errors.contains("rescued"))
    }
}
