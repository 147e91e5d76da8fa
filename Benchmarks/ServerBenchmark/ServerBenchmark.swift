import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// `make bench`: the released server under load beside the limit of the same machine, in one run.
///
/// Starts a private PostgreSQL cluster with default durability in a temporary folder, migrates it, seeds 300
/// municipalities × 10 partnerships × 100 activities through the server's own API (the read models are built
/// by the plugins' subscribers from the events, as in production), then measures with `wrk`:
/// `GET /api/v1/activities/{id}`, the activity list of a partnership, `POST /api/v1/partnerships/{id}/activities`
/// and `GET /api/v1/reports/sdg`, spread over every municipality's token. On the same cluster, `pgbench`
/// select-only and a script of the POST's shape give the limit; the queue benchmark adds the queue's
/// figures. Prints one table and writes `bench/results.json`.
@main
struct ServerBenchmark {
    static func main() async {
        do {
            try await run(options: try BenchOptions(arguments: CommandLine.arguments))
        } catch {
            FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(options: BenchOptions) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-bench-\(getpid())")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The cluster runs as the postgres user when we are root; it must reach its folder.
        chmod(folder, 0o755)
        let embedded = EmbeddedPostgres(directory: folder + "/postgres", logger: logger)
        say("Starting a PostgreSQL cluster in \(folder) (default durability)…")
        let lease = try await embedded.start()
        var server: ServerProcess?
        do {
            let database = try await BenchDatabase.prepare(lease: lease, options: options, logger: logger)
            server = try ServerProcess.start(options: options, databaseURL: database.serverURL, folder: folder)
            let figures = try await measure(options: options, database: database, server: server!, folder: folder)
            server?.stop()
            server = nil
            let report = BenchReport(figures: figures)
            report.printTable()
            try report.write(to: options.output)
            if options.hold { try await hold(lease: lease, folder: folder) }
            try await lease.release()
        } catch {
            server?.stop()
            try? await lease.release()
            say("The cluster's folder is kept for a look: \(folder)")
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func measure(
        options: BenchOptions,
        database: BenchDatabase,
        server: ServerProcess,
        folder: String
    ) async throws -> [Figure] {
        let api = APIClient(baseURL: server.baseURL)
        try await api.waitUntilReady(timeout: .seconds(60))
        try await Task.sleep(for: .seconds(2))
        let rssIdle = try server.residentMegabytes()
        say("Server RSS, started and idle: \(format(rssIdle)) MB")
        let started = ContinuousClock.now
        say("Seeding \(options.tenants) municipalities × 10 partnerships × 100 activities through the API…")
        let seed = try await Seeder(api: api, options: options, platformToken: database.platformToken).run()
        try await database.waitForIdleQueue(timeout: .seconds(3_600))
        try await database.analyze()
        say("Seeded and the read models built in \(format(seconds(ContinuousClock.now - started))) s.")

        var figures: [Figure] = []
        let rssSeeded = try server.residentMegabytes()
        say("Server RSS, idle after the seeding: \(format(rssSeeded)) MB")

        let wrk = Wrk(options: options, baseURL: server.baseURL, folder: folder)
        let byID = try await wrk.run("get_by_id", script: WrkScripts.getByID(seed))
        let list = try await wrk.run("list", script: WrkScripts.list(seed))
        let post = try await wrk.run("post", script: WrkScripts.post(seed))
        let report = try await wrk.run("report_sdg", script: WrkScripts.reportSDG(seed))
        let rssLoad = try server.residentMegabytes()
        say("Server RSS, at the end of the load: \(format(rssLoad)) MB")
        try await database.waitForIdleQueue(timeout: .seconds(3_600))
        server.stop()

        let pgbench = PgBench(options: options, lease: database.lease, folder: folder)
        let select = try await pgbench.selectOnly(database: database)
        let postShape = try await pgbench.postShape(database: database)
        let queue = try await QueueFigures.measure(options: options, folder: folder)

        // A run with failed requests (with few municipalities, the per-token rate limit answers 429) says so.
        func load(_ name: String, _ run: WrkResult, limit: Double, rps: Figure.Target? = nil, p99: Figure.Target? = nil)
        {
            var perSecond = Figure("\(name)_rps", run.requestsPerSecond, "req/s", limit: limit, target: rps)
            var latency = Figure("\(name)_p99_ms", run.p99Milliseconds, "ms", limit: nil, target: p99)
            perSecond.failedRequests = run.failures
            latency.failedRequests = run.failures
            figures += [perSecond, latency]
        }
        load("get_by_id", byID, limit: select, rps: .atLeast(8_000), p99: .atMost(15))
        load("list", list, limit: select)
        load("post", post, limit: postShape, rps: .atLeast(3_000))
        load("report_sdg", report, limit: select)
        figures.append(Figure("pgbench_select_tps", select, "tps", limit: nil))
        figures.append(Figure("pgbench_post_shape_tps", postShape, "tps", limit: nil))
        figures.append(
            Figure("queue_drain_per_s", queue.drain, "jobs/s", limit: queue.pgqueuerDrain, target: .atLeast(20_000)))
        figures.append(Figure("pgqueuer_drain_per_s", queue.pgqueuerDrain, "jobs/s", limit: nil))
        figures.append(Figure("queue_enqueue_per_s", queue.enqueue, "jobs/s", limit: nil, target: .atLeast(65_000)))
        figures.append(Figure("rss_idle_mb", rssIdle, "MB", limit: nil, target: .atMost(64)))
        figures.append(Figure("rss_seeded_idle_mb", rssSeeded, "MB", limit: nil))
        figures.append(Figure("rss_load_mb", rssLoad, "MB", limit: nil, target: .atMost(200)))
        let failed = [byID, list, post, report].filter { $0.failures > 0 }
        for run in failed {
            say("warning: \(run.name) had \(run.failures) failed requests (\(run.failureSummary))")
        }
        return figures
    }
}

extension ServerBenchmark {
    /// Keeps the cluster up for a look (`--hold`) until the file `hold` in its folder is removed.
    static func hold(lease: EmbeddedPostgres.Lease, folder: String) async throws {
        let marker = folder + "/hold"
        FileManager.default.createFile(atPath: marker, contents: nil)
        say(
            "Holding the cluster: PGHOST=\(lease.socketDirectory) PGPORT=\(lease.port) PGUSER=\(lease.superuser) "
                + "psql \(lease.databaseName); rm \(marker) to finish.")
        while FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .seconds(1)) }
    }
}

/// What `make bench` can be told: `--tenants 30 --duration 5` for a quick look.
struct BenchOptions {
    var tenants = 300
    var duration = 20
    var warmUp = 5
    var connections = 32
    var threads = 2
    var port = 18_080
    var binary = ".build/release/stedenband"
    var queueBinary = ".build/release/QueueBenchmark"
    var queueJobs = 100_000
    var output = "bench/results.json"
    var hold = false

    init(arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        func number(_ name: String) throws -> Int {
            guard let value = iterator.next().flatMap(Int.init), value > 0 else {
                throw BenchError("\(name) needs a positive number")
            }
            return value
        }
        while let argument = iterator.next() {
            switch argument {
            case "--tenants": tenants = try number(argument)
            case "--duration": duration = try number(argument)
            case "--warm-up": warmUp = try number(argument)
            case "--connections": connections = try number(argument)
            case "--threads": threads = try number(argument)
            case "--port": port = try number(argument)
            case "--queue-jobs": queueJobs = try number(argument)
            case "--binary": binary = iterator.next() ?? binary
            case "--queue-binary": queueBinary = iterator.next() ?? queueBinary
            case "--output": output = iterator.next() ?? output
            case "--hold": hold = true
            default: throw BenchError("unknown argument \(argument)")
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String {
    value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
}
