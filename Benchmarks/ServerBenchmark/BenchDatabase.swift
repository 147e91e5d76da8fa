import BenchmarkSupport
import EmbeddedPostgres
import Foundation
import Logging
import Migrations
import Postgres

/// The benchmark's cluster: migrated, with a platform administrator's token to create the municipalities.
struct BenchDatabase {
    let lease: EmbeddedPostgres.Lease
    let configuration: PostgresConfiguration
    let platformToken: String
    /// The server's own login (`DATABASE_URL` of `serve`), made by `stedenband database create-login`.
    let serverURL: String
    let logger: Logger

    static func prepare(lease: EmbeddedPostgres.Lease, options: BenchOptions, logger: Logger) async throws
        -> BenchDatabase
    {
        let configuration = try PostgresConfiguration(url: lease.url)
        let durability = try await PostgresConnection.withConnection(to: configuration, logger: logger) {
            try await $0.query("SELECT current_setting('fsync'), current_setting('synchronous_commit')")[0]
                .decode((String, String).self)
        }
        guard durability == ("on", "on") else {
            throw BenchError("the cluster must keep default durability, has fsync=\(durability.0)")
        }
        say("Durability: fsync=\(durability.0), synchronous_commit=\(durability.1)")
        try await MigrationRunner(
            migrations: try MigrationSet.resolve(directory: nil),
            configuration: configuration, logger: logger
        ).up()
        // The product's own command makes the administrator and prints its token once.
        let output = try await Command.run(
            options.binary, ["platform-admin", "create", "--email", "ops@bench.example.org", "--json"],
            environment: ["DATABASE_URL": lease.url, "LOG_LEVEL": "error"])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let token = object["token"] as? String
        else { throw BenchError("platform-admin create printed no token: \(output)") }
        // `serve` refuses the superuser: it runs, as in production, under a login that is a member of
        // stedenband_app only.
        let login = try await Command.run(
            options.binary, ["database", "create-login", "stedenband_bench", "--json"],
            environment: ["DATABASE_URL": lease.url, "LOG_LEVEL": "error"])
        guard let created = try JSONSerialization.jsonObject(with: Data(login.utf8)) as? [String: Any],
            let serverURL = created["url"] as? String
        else { throw BenchError("database create-login printed no URL: \(login)") }
        return BenchDatabase(
            lease: lease, configuration: configuration, platformToken: token, serverURL: serverURL, logger: logger)
    }

    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await PostgresConnection.withConnection(to: configuration, logger: logger) { try await $0.query(query) }
    }

    /// The server's queued subscribers (its default plugins') that hear the benchmark's events, which read the
    /// event log from their cursors (docs/queue.md, "Event cursors"): their deliveries are counted. A cursor of a
    /// subscriber in neither list stops the benchmark, so the lists cannot silently fall behind the plugins.
    static let subscribers = ["notifications.inbox", "reporting.model"]
    /// The queued subscribers that hear none of the benchmark's events (the diagnostics probe's receiver): their
    /// cursors only move past them. The queue is idle once they have too, but they deliver nothing to count.
    static let passingSubscribers = ["diagnostics.probe_receiver"]

    /// Events not yet delivered, counted once per subscriber of `subscribers`: those after its cursor in each
    /// municipality, or all of a municipality's before its first delivery there.
    func undeliveredEvents(to subscribers: [String] = BenchDatabase.subscribers) async throws -> Int {
        let known = Self.subscribers + Self.passingSubscribers
        let strangers = try await query(
            "SELECT DISTINCT subscriber FROM messaging.event_cursors WHERE subscriber <> ALL(\(known)::text[])"
        ).map { try $0.decode(String.self, column: 0) }
        guard strangers.isEmpty else { throw BenchError("unknown queued subscribers: \(strangers)") }
        return try await query(
            """
            SELECT coalesce(sum(w.n), 0)::int8 FROM unnest(\(subscribers)::text[]) AS s(name)
            CROSS JOIN platform.tenants t
            LEFT JOIN messaging.event_cursors c ON c.subscriber = s.name AND c.tenant_id = t.id
            CROSS JOIN LATERAL (
                SELECT count(*) AS n FROM messaging.events e
                WHERE e.tenant_id = t.id AND (c.subscriber IS NULL OR (e.xid, e.position) > (c.xid, c.position))
            ) w
            """
        )[0].decode(Int.self, column: 0)
    }

    /// Waits until every event reached every subscriber and no job is due or running: the events of the
    /// seeding (or the load) have been delivered. Periodic jobs scheduled for later do not count.
    func waitForIdleQueue(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastReport = ContinuousClock.now
        while true {
            let jobs = try await query(
                """
                SELECT count(*) FROM messaging.jobs
                WHERE state = 'running' OR (state = 'available' AND run_at <= now())
                """
            )[0].decode(Int.self, column: 0)
            let events = try await undeliveredEvents(to: Self.subscribers + Self.passingSubscribers)
            if jobs == 0 && events == 0 { return }
            if ContinuousClock.now > deadline {
                throw BenchError("\(events) deliveries and \(jobs) jobs still pending after \(timeout)")
            }
            if ContinuousClock.now - lastReport > .seconds(10) {
                say("  \(events) deliveries and \(jobs) jobs still to run…")
                lastReport = .now
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// How many deliveries (an event to one subscriber) have been made so far.
    func completedDeliveries() async throws -> Int {
        let events = try await query("SELECT count(*) FROM messaging.events")[0].decode(Int.self, column: 0)
        return events * Self.subscribers.count - (try await undeliveredEvents())
    }

    /// The rate at which the server delivered events: deliveries wanted per second from the events' times,
    /// deliveries made per second from `samples` (Unix second → deliveries made so far, taken about once a
    /// second while they ran; nothing records a delivery's own time).
    func deliveryRate(samples: [(second: Int64, delivered: Int)]) async throws -> DeliveryRate {
        var created: [Int64: Int] = [:]
        for row in try await query(
            """
            SELECT extract(epoch FROM date_trunc('second', occurred_at))::int8, count(*)::int8
            FROM messaging.events GROUP BY 1
            """)
        {
            let (second, count) = try row.decode((Int64, Int64).self)
            created[second] = Int(count) * Self.subscribers.count
        }
        var finished: [Int64: Int] = [:]
        for (previous, next) in zip(samples, samples.dropFirst()) {
            finished[next.second, default: 0] += next.delivered - previous.delivered
        }
        return DeliveryRate.measure(created: created, finished: finished)
    }

    /// The checkpointer's process: a child of the postmaster for the cluster's whole life.
    func checkpointerPID() async throws -> Int32 {
        try await query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")[0].decode(
            Int32.self, column: 0)
    }

    /// Statistics and a vacuum after the bulk writes, as autovacuum would give a long-running instance.
    func analyze() async throws {
        try await query("VACUUM ANALYZE")
    }
}

/// The released `stedenband serve`, in its own process as in production: HTTP and the job workers.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let baseURL: String

    private init(process: Process, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    static func start(options: BenchOptions, databaseURL: String, folder: String) throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(options.port)]
        // Logs as an operator keeps them (the access log at info), written to a file. The per-token rate limit
        // is raised for the run: the load spreads over a few hundred tokens at thousands of requests a second.
        let limit = String(options.rateLimit)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": databaseURL, "RATE_LIMIT_PER_SECOND": limit, "RATE_LIMIT_BURST": limit,
        ]) { $1 }
        let log = folder + "/server.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        say("Started \(options.binary) serve (pid \(process.processIdentifier)); its log: \(log)")
        return ServerProcess(process: process, baseURL: "http://127.0.0.1:\(options.port)")
    }

    /// The resident set of the server process, from `/proc`.
    func residentMegabytes() throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { throw BenchError("no VmRSS for the server process") }
        return kilobytes / 1024
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
