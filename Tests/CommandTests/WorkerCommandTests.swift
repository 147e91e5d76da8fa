import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("stedenband worker: several processes on one database")
struct WorkerCommandTests {
    /// The probe's deliveries; the workers' periodic jobs (digests, cleaners) run beside them and are not counted.
    static let probeKind = "event.diagnostics.probe_receiver"

    private func migratedWithTenant(_ label: String) async throws -> TestDatabase {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES ('herent', 'Herent')")
        return database
    }

    private func environment(_ database: TestDatabase, _ extra: [String: String] = [:]) -> [String: String] {
        database.commandEnvironment().merging(extra) { _, new in new }
    }

    private func stop(_ run: CommandRun) async throws -> Int32 {
        run.process.terminate()
        return try await run.exitStatus(timeout: .seconds(20))
    }

    @Test("two worker processes deliver 1,000 events: both claim, each job claimed once and each effect once")
    func twoWorkersShareTheQueue() async throws {
        let database = try await migratedWithTenant("twoworkers")
        // At info level, so that each says when its workers started.
        let workers = try (0..<2).map { _ in
            try CommandRun(["worker"], environment: environment(database, ["LOG_LEVEL": "info"]))
        }
        // Both are up before the first job exists, so neither can drain the queue before the other looks.
        let deadline = ContinuousClock.now + .seconds(60)
        while !workers.allSatisfy({ $0.standardError.contains("job workers started") }), ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(workers.allSatisfy { $0.standardError.contains("job workers started") })
        // Each delivery holds one of a process's 10 connections for 20 ms, so one process alone needs at least
        // 2 s for the 1,000, however fast the machine; the other finds work within its 1 s poll at the latest.
        let probe = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", "herent", "--count", "1000", "--delay-ms", "20", "--timeout", "90"],
            environment: environment(database)
        )
        #expect(probe.status == 0, "\(probe.stderr)")
        #expect(probe.stdout.contains("1000 of 1000 received"))
        for worker in workers {
            #expect(try await stop(worker) == 0, "\(worker.standardError)")
        }
        let admin = try await database.connectAsAdmin()
        // A job claimed once cannot have run concurrently with itself (nor run twice one after the other).
        let jobs = try await admin.query(
            """
            SELECT count(*), count(*) FILTER (WHERE state = 'completed' AND attempt = 1 AND claim = 1)
            FROM messaging.jobs WHERE kind = 'event.diagnostics.probe_receiver'
            """
        )
        let (total, completedOnFirstClaim) = try jobs[0].decode((Int, Int).self)
        #expect(total == 1000)
        #expect(completedOnFirstClaim == 1000)
        let perWorker = try await admin.query(
            """
            SELECT claimed_by, count(*) FROM messaging.jobs WHERE kind = 'event.diagnostics.probe_receiver'
            GROUP BY claimed_by ORDER BY claimed_by
            """
        )
        let counts = try perWorker.map { try $0.decode((String?, Int).self) }
        #expect(counts.count == 2, "both processes claimed jobs: \(counts)")
        #expect(counts.allSatisfy { $0.0 != nil && $0.1 > 0 })
        let receipts = try await admin.query(
            "SELECT count(*), count(DISTINCT probe_id) FROM diagnostics.probe_receipts")
        #expect(try receipts[0].decode((Int, Int).self) == (1000, 1000))
    }

    @Test("a worker killed with SIGKILL during a drain: no job is lost and no effect happens twice")
    func sigkillDuringDrain() async throws {
        let database = try await migratedWithTenant("sigkill")
        // Batches of 10: a batch's deliveries commit together, so with the default 500 the 300 probes could be
        // one batch whose receipts appear only when every job is complete, leaving nothing running to kill.
        let fastRescue = environment(
            database,
            [
                "JOB_HEARTBEAT_INTERVAL": "0.2", "JOB_RESCUE_AFTER": "1", "JOB_RESCUE_INTERVAL": "0.2",
                "DELIVERY_BATCH_SIZE": "10",
            ]
        )
        let first = try CommandRun(["worker"], environment: fastRescue)
        // 300 deliveries of 50 ms each, in batches of 10 one after another: the drain takes about 15 s.
        let sent = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", "herent", "--count", "300", "--delay-ms", "50", "--timeout", "0"],
            environment: fastRescue
        )
        #expect(sent.status == 0, "\(sent.stderr)")
        let admin = try await database.connectAsAdmin()
        func count(_ sql: PostgresQuery) async throws -> Int {
            try await admin.query(sql)[0].decode(Int.self, column: 0)
        }
        // Kill it once some deliveries are done and others are running (a batch is claimed a moment after the
        // one before commits, so both are looked for together).
        let deadline = ContinuousClock.now + .seconds(30)
        func running() async throws -> Int {
            try await count("SELECT count(*) FROM messaging.jobs WHERE state = 'running' AND kind = \(Self.probeKind)")
        }
        while ContinuousClock.now < deadline {
            let done = try await count("SELECT count(*) FROM diagnostics.probe_receipts")
            if done > 0, try await running() > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await running() > 0)
        kill(first.process.processIdentifier, SIGKILL)
        _ = try await first.exitStatus()
        let survivors = try await count(
            "SELECT count(*) FROM messaging.jobs WHERE state = 'completed' AND kind = \(Self.probeKind)")
        #expect(survivors < 300)

        let second = try CommandRun(["worker"], environment: fastRescue)
        while try await count(
            "SELECT count(*) FROM messaging.jobs WHERE state = 'completed' AND kind = \(Self.probeKind)") < 300,
            ContinuousClock.now < deadline + .seconds(30)
        {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await stop(second) == 0, "\(second.standardError)")
        #expect(
            try await count(
                "SELECT count(*) FROM messaging.jobs WHERE state = 'completed' AND kind = \(Self.probeKind)") == 300)
        #expect(try await count("SELECT count(*) FROM diagnostics.probe_receipts") == 300)
        #expect(try await count("SELECT count(*) FROM messaging.handled_events") == 300)
        // Some jobs ran twice (rescued), yet each effect exists once.
        #expect(
            try await count(
                "SELECT count(*) FROM messaging.jobs WHERE errors::text LIKE '%rescued%' AND kind = \(Self.probeKind)")
                > 0)
    }
}
