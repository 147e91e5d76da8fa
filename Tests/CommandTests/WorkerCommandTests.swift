import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("stedenband worker: several processes on one database")
struct WorkerCommandTests {
    /// A delivery holds its subscriber's cursor row (FOR UPDATE) while its transaction runs. The locks of the
    /// cluster's other databases (other tests') are left out.
    static let deliveriesOpen: PostgresQuery = """
        SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND c.relname = 'event_cursors' AND l.mode = 'RowShareLock' AND l.granted
        """

    private func migrated(_ label: String, tenants: [String]) async throws -> TestDatabase {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        for slug in tenants {
            try await admin.query("INSERT INTO platform.tenants (slug, name) VALUES (\(slug), \(slug))")
        }
        await admin.close()
        return database
    }

    private func environment(_ database: TestDatabase, _ extra: [String: String] = [:]) -> [String: String] {
        database.commandEnvironment().merging(extra) { _, new in new }
    }

    private func stop(_ run: CommandRun) async throws -> Int32 {
        run.process.terminate()
        return try await run.exitStatus(timeout: .seconds(20))
    }

    @Test("two worker processes deliver two municipalities' 1,000 events at once, each once")
    func twoWorkersShareTheDeliveries() async throws {
        let database = try await migrated("twoworkers", tenants: ["herent", "dogbo"])
        // Both municipalities' probes are written before the workers start: a delivery's own transaction
        // holds back the events of transactions that began after it (docs/queue.md, "Event cursors"), so probes
        // sent while one process delivers the other's would wait for it.
        for tenant in ["herent", "dogbo"] {
            let sent = try await CommandRun.run(
                ["diagnostics", "probe", "--tenant", tenant, "--count", "500", "--delay-ms", "20", "--timeout", "0"],
                environment: environment(database))
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        // Each delivery takes 20 ms an event, and each process runs one delivery at a time: two open at once are
        // two processes delivering.
        let admin = try await database.connectAsAdmin()
        let sampling = Task {
            var most = 0
            while !Task.isCancelled {
                most = max(most, try await admin.query(Self.deliveriesOpen)[0].decode(Int.self, column: 0))
                try? await Task.sleep(for: .milliseconds(10))
            }
            return most
        }
        let settings = ["DELIVERY_BATCH_CONCURRENCY": "1"]
        let workers = try (0..<2).map { _ in try CommandRun(["worker"], environment: environment(database, settings)) }
        let deadline = ContinuousClock.now + .seconds(90)
        func received() async throws -> Int {
            try await admin.query("SELECT count(*) FROM diagnostics.probe_receipts")[0].decode(Int.self, column: 0)
        }
        while try await received() < 1000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        sampling.cancel()
        #expect(try await sampling.value == 2)
        for worker in workers {
            #expect(try await stop(worker) == 0, "\(worker.standardError)")
        }
        let receipts = try await admin.query(
            "SELECT count(*), count(DISTINCT event_id) FROM diagnostics.probe_receipts")
        #expect(try receipts[0].decode((Int, Int).self) == (1000, 1000))
        #expect(try await admin.query("SELECT count(*) FROM messaging.dead_events")[0].decode(Int.self, column: 0) == 0)
        await admin.close()
    }

    @Test("a worker killed with SIGKILL during a delivery: its open delivery rolls back, and nothing is lost or twice")
    func sigkillDuringDelivery() async throws {
        let database = try await migrated("sigkill", tenants: ["herent"])
        // Batches of 10, so that deliveries commit while others are open.
        let settings = environment(database, ["DELIVERY_BATCH_SIZE": "10"])
        let first = try CommandRun(["worker"], environment: settings)
        // 300 deliveries of 50 ms each, in batches of 10 one after another: about 15 s.
        let sent = try await CommandRun.run(
            ["diagnostics", "probe", "--tenant", "herent", "--count", "300", "--delay-ms", "50", "--timeout", "0"],
            environment: settings
        )
        #expect(sent.status == 0, "\(sent.stderr)")
        let admin = try await database.connectAsAdmin()
        func count(_ sql: PostgresQuery) async throws -> Int {
            try await admin.query(sql)[0].decode(Int.self, column: 0)
        }
        // Kill it once some deliveries committed and one is open (a debug build starting on a loaded machine
        // can take a while: the whole suite's run once saw no open delivery within 60 s).
        // Killed at once when seen: counting again could find the gap between two batches.
        let deadline = ContinuousClock.now + .seconds(150)
        var sawOpenDelivery = false
        while ContinuousClock.now < deadline {
            let done = try await count("SELECT count(*) FROM diagnostics.probe_receipts")
            if done > 0, try await count(Self.deliveriesOpen) > 0 {
                sawOpenDelivery = true
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(first.process.processIdentifier, SIGKILL)
        #expect(sawOpenDelivery)
        _ = try await first.exitStatus()
        // The open delivery rolled back with the dead process's connection, and let go of its cursor.
        let atKill = try await count("SELECT count(*) FROM diagnostics.probe_receipts")
        #expect(atKill < 300)
        #expect(
            try await eventually(within: .seconds(60)) { try await count(Self.deliveriesOpen) == 0 })

        let second = try CommandRun(["worker"], environment: settings)
        while try await count("SELECT count(*) FROM diagnostics.probe_receipts") < 300,
            ContinuousClock.now < deadline + .seconds(30)
        {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await stop(second) == 0, "\(second.standardError)")
        let receipts = try await admin.query(
            "SELECT count(*), count(DISTINCT event_id) FROM diagnostics.probe_receipts")
        #expect(try receipts[0].decode((Int, Int).self) == (300, 300))
        #expect(try await count("SELECT count(*) FROM messaging.dead_events") == 0)
        await admin.close()
    }

    /// Polls `condition` until it holds or `timeout` passes; answers whether it held.
    private func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}
