import EmbeddedPostgres
import Foundation
import Logging
import Messaging
import Migrations
import Postgres
import Synchronization

/// `make bench-queue`: enqueue and drain no-op jobs, and measure event-to-handler latency, on a private
/// PostgreSQL cluster with default durability; then the same drain with pgqueuer on the same cluster.
///
/// Prints a table and writes `bench/queue.json`.
@main
struct QueueBenchmark {
    struct Options {
        var jobs = 100_000
        var enqueueBatch = 1_000
        var latencySamples = 200
        var output = "bench/queue.json"
        var pgqueuer = true

        init(arguments: [String]) {
            var iterator = arguments.dropFirst().makeIterator()
            while let argument = iterator.next() {
                switch argument {
                case "--jobs": jobs = iterator.next().flatMap(Int.init) ?? jobs
                case "--enqueue-batch": enqueueBatch = iterator.next().flatMap(Int.init) ?? enqueueBatch
                case "--latency-samples": latencySamples = iterator.next().flatMap(Int.init) ?? latencySamples
                case "--output": output = iterator.next() ?? output
                case "--no-pgqueuer": pgqueuer = false
                default:
                    FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                    exit(2)
                }
            }
        }
    }

    static func main() async throws {
        let options = Options(arguments: CommandLine.arguments)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-bench-\(getpid())").path
        let embedded = EmbeddedPostgres(directory: folder + "/postgres", databaseName: "bench", logger: logger)
        say("Starting a PostgreSQL cluster in \(folder) (fsync and synchronous_commit on)…")
        let lease = try await embedded.start()
        do {
            let results = try await run(options: options, lease: lease, logger: logger)
            try write(results, to: options.output)
            try await lease.release()
        } catch {
            try? await lease.release()
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func run(options: Options, lease: EmbeddedPostgres.Lease, logger: Logger) async throws -> [String: Double] {
        let admin = try PostgresConfiguration(url: lease.url)
        let settings = try await PostgresConnection.connect(to: admin, logger: logger)
        let durability = try await settings.query(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit')")
        say(
            "Durability: fsync=\(try durability[0].decode(String.self, column: 0)), "
                + "synchronous_commit=\(try durability[0].decode(String.self, column: 1))")
        try await settings.query("CREATE DATABASE bench_pgqueuer")
        await settings.close()

        let migrations = try MigrationSet.resolve(directory: nil)
        try await MigrationRunner(migrations: migrations, configuration: admin, logger: logger).up()
        let tenant = try await PostgresConnection.connect(to: admin, logger: logger)
        let tenantID = try await tenant.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('bench', 'Bench') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        await tenant.close()

        let app = admin.withSessionSetting("role", MigrationRunner.appRole)
        let pool = PostgresConnectionPool(configuration: .init(connection: app), logger: logger)
        let queue = PostgresJobQueue()
        var results: [String: Double] = [:]

        // Event-to-handler latency, one event at a time on an idle system: first, before the bulk phases
        // leave dead rows for autovacuum to clean.
        let latencies = try await measureLatency(
            samples: options.latencySamples,
            pool: pool,
            queue: queue,
            app: app,
            tenantID: tenantID,
            logger: logger
        )
        results["latencyP50Ms"] = percentile(latencies, 0.50)
        results["latencyP99Ms"] = percentile(latencies, 0.99)
        say(
            "Event to handler, \(options.latencySamples) events one at a time: p50 \(format(results["latencyP50Ms"]!)) ms, "
                + "p99 \(format(results["latencyP99Ms"]!)) ms")

        // Enqueue in batches, one transaction per batch.
        let batches = stride(from: 0, to: options.jobs, by: options.enqueueBatch).map { start in
            (start..<min(start + options.enqueueBatch, options.jobs)).map { _ in
                NewJob(kind: "bench.noop", argsJSON: "{}")
            }
        }
        let enqueueStart = ContinuousClock.now
        for batch in batches {
            try await pool.withTransaction { try await queue.enqueue(batch, on: $0) }
        }
        results["enqueuePerSecond"] = Double(options.jobs) / seconds(ContinuousClock.now - enqueueStart)
        say(
            "Enqueued \(options.jobs) jobs in batches of \(options.enqueueBatch): \(format(results["enqueuePerSecond"]!)) jobs/s"
        )

        // Drain with the default workers.
        var kinds = JobKinds()
        kinds.register(JobKind(name: "bench.noop") { _ in })
        var configuration = JobWorkers.Configuration()
        if let concurrency = ProcessInfo.processInfo.environment["BENCH_CONCURRENCY"].flatMap(Int.init) {
            configuration.concurrency = concurrency
        }
        let workers = JobWorkers(
            configuration: configuration,
            kinds: kinds,
            pool: pool,
            queue: queue,
            listenOn: app,
            logger: logger
        )
        let drainStart = ContinuousClock.now
        let drained = try await withThrowingTaskGroup(of: Void.self) { group -> Duration in
            group.addTask { try await workers.run() }
            while try await remaining(pool) > 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let elapsed = ContinuousClock.now - drainStart
            group.cancelAll()
            return elapsed
        }
        results["drainPerSecond"] = Double(options.jobs) / seconds(drained)
        say(
            "Drained them with the default workers (concurrency \(workers.configuration.concurrency)): "
                + "\(format(results["drainPerSecond"]!)) jobs/s")

        await pool.close()

        if options.pgqueuer {
            let url = "postgresql://postgres@/bench_pgqueuer?host=\(lease.socketDirectory)"
            say("Running pgqueuer against the same cluster…")
            let pgqueuer = try runPgqueuer(url: url, jobs: options.jobs)
            results["pgqueuerDrainPerSecond"] = pgqueuer.drain
            results["pgqueuerEnqueuePerSecond"] = pgqueuer.enqueue
            say(
                "pgqueuer (batch 500, 2 workers): enqueue \(format(pgqueuer.enqueue)) jobs/s, drain \(format(pgqueuer.drain)) jobs/s"
            )
        }
        printTable(results)
        return results
    }

    /// Whether any job is still waiting or running, through the partial indexes: a count over the whole table
    /// every few milliseconds would take a core from the workers being measured.
    static func remaining(_ pool: PostgresConnectionPool) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT EXISTS (SELECT FROM messaging.jobs WHERE state = 'available')
                OR EXISTS (SELECT FROM messaging.jobs WHERE state = 'running')
            """
        )
        return try rows[0].decode(Bool.self, column: 0) ? 1 : 0
    }

    struct LatencyProbe: Event {
        static let name = "bench.latency_probe.v1"
        var aggregateID: UUID
        var aggregateVersion: Int
    }

    static func measureLatency(
        samples: Int,
        pool: PostgresConnectionPool,
        queue: PostgresJobQueue,
        app: PostgresConfiguration,
        tenantID: UUID,
        logger: Logger
    ) async throws -> [Double] {
        let (arrivals, arrived) = AsyncStream.makeStream(of: UUID.self)
        var subscriptions = EventSubscriptions()
        subscriptions.subscribe(to: LatencyProbe.self, as: "bench.latency") { envelope, _ in
            arrived.yield(envelope.event.aggregateID)
        }
        let bus = EventBus(subscriptions: subscriptions, queue: queue)
        let workers = EventCursorWorkers(
            subscriptions: subscriptions, pool: pool, clock: queue.clock, listenOn: app, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await workers.run() }
            // Let the listener connect before the first sample.
            try await Task.sleep(for: .milliseconds(300))
            var iterator = arrivals.makeAsyncIterator()
            var latencies: [Double] = []
            for _ in 0..<samples {
                let id = UUID()
                let sent = ContinuousClock.now
                try await pool.withTransaction(tenantID: tenantID) { connection in
                    try await bus.publish(
                        LatencyProbe(aggregateID: id, aggregateVersion: 1), tenantID: tenantID, in: connection)
                }
                while let received = await iterator.next(), received != id {}
                latencies.append(seconds(ContinuousClock.now - sent) * 1000)
                try await Task.sleep(for: .milliseconds(5))
            }
            group.cancelAll()
            return latencies
        }
    }

    static func runPgqueuer(url: String, jobs: Int) throws -> (enqueue: Double, drain: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "bench/pgqueuer_drain.py", "--dsn", url, "--jobs", String(jobs), "--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let enqueue = object["enqueuePerSecond"] as? Double,
            let drain = object["drainPerSecond"] as? Double
        else {
            throw BenchmarkError(reason: "pgqueuer's run failed (exit \(process.terminationStatus))")
        }
        return (enqueue, drain)
    }

    static func printTable(_ results: [String: Double]) {
        let targets: [(String, String, Double?, Bool)] = [
            ("enqueuePerSecond", "jobs/s", 65_000, true),
            ("drainPerSecond", "jobs/s", 20_000, true),
            ("latencyP50Ms", "ms", 3, false),
            ("latencyP99Ms", "ms", 8, false),
            ("pgqueuerDrainPerSecond", "jobs/s", nil, true),
        ]
        say("")
        say("figure                      value        target     ")
        for (name, unit, target, higherIsBetter) in targets {
            guard let value = results[name] else { continue }
            var line =
                name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + "\(format(value)) \(unit)".padding(toLength: 13, withPad: " ", startingAt: 0)
            if let target {
                line += (higherIsBetter ? "≥ " : "≤ ") + format(target)
                let met = higherIsBetter ? value >= target : value <= target
                line += met ? "  met" : "  NOT met"
            }
            say(line)
        }
        if let ours = results["drainPerSecond"], let theirs = results["pgqueuerDrainPerSecond"], theirs > 0 {
            say("drain ratio to pgqueuer     \(String(format: "%.2f", ours / theirs))")
        }
    }

    static func write(_ results: [String: Double], to path: String) throws {
        let rounded = results.mapValues { ($0 * 100).rounded() / 100 }
        let data = try JSONSerialization.data(withJSONObject: rounded, options: [.prettyPrinted, .sortedKeys])
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try data.write(to: URL(fileURLWithPath: path))
        say("Wrote \(path)")
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
