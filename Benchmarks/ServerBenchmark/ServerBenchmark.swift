import BenchmarkSupport
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
/// and (once the POSTs' events are delivered) `GET /api/v1/reports/sdg`, spread over every municipality's
/// token, with the per-token rate limit raised out of the way. On the same cluster, `pgbench -S` and a script
/// of each request's own shape give the limits. `--runs N` repeats the measured part and reports medians;
/// the queue benchmark adds the queue's figures. Prints one table and the targets, and writes
/// `bench/results.json`.
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
        let began = ContinuousClock.now
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
            let figures = try await measure(
                options: options, database: database, server: &server, folder: folder)
            server?.stop()
            server = nil
            let report = BenchReport(figures: figures, runs: options.runs)
            report.printTable()
            try report.write(to: options.output)
            say("make bench took \(format(seconds(ContinuousClock.now - began) / 60)) minutes.")
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
        server: inout ServerProcess?,
        folder: String
    ) async throws -> [Figure] {
        guard let started = server else { throw BenchError("the server is not running") }
        let api = APIClient(baseURL: started.baseURL)
        try await api.waitUntilReady(timeout: .seconds(60))
        try await Task.sleep(for: .seconds(2))
        let rssIdle = try started.residentMegabytes()
        say("Server RSS, started and idle: \(format(rssIdle)) MB")

        let seedStarted = ContinuousClock.now
        // The deliveries made so far, about once a second, until the seeding's last one.
        let sampling = Task { () -> [(second: Int64, delivered: Int)] in
            var samples: [(second: Int64, delivered: Int)] = []
            while !Task.isCancelled {
                if let delivered = try? await database.completedDeliveries() {
                    samples.append((Int64(Date().timeIntervalSince1970), delivered))
                }
                try? await Task.sleep(for: .seconds(1))
            }
            return samples
        }
        say(
            "Seeding \(options.tenants) municipalities × 10 partnerships × \(options.activitiesPerPartnership) "
                + "activities through the API…")
        let seed = try await Seeder(api: api, options: options, platformToken: database.platformToken).run()
        let written = ContinuousClock.now
        // From the last write to the empty queue only the workers run: their processor time per delivery.
        let meter = try ProcessorMeter.meter(
            serverPID: started.process.processIdentifier, backendPID: try await database.checkpointerPID())
        let (deliveredBefore, before) = (try await database.completedDeliveries(), try meter.sample())
        try await database.waitForIdleQueue(timeout: .seconds(3_600))
        let (deliveredAfter, after) = (try await database.completedDeliveries(), try meter.sample())
        let delivered = ContinuousClock.now
        sampling.cancel()
        let samples = await sampling.value + [(Int64(Date().timeIntervalSince1970), deliveredAfter)]
        let seeding = SeedingResult(
            apiSeconds: seconds(written - seedStarted), deliverySeconds: seconds(delivered - written),
            delivery: try await database.deliveryRate(samples: samples),
            processor: ProcessorMeter.use(
                from: before, to: after, requests: deliveredAfter - deliveredBefore,
                cores: ProcessInfo.processInfo.activeProcessorCount, unit: .delivery))
        say(
            "Seeded in \(format(seeding.apiSeconds)) s of API calls; the last delivery \(format(seeding.deliverySeconds)) s "
                + "later; \(seeding.delivery.delivered) deliveries at \(format(seeding.delivery.perSecond)) a second.")
        try await database.analyze()
        let rssSeeded = try started.residentMegabytes()
        say("Server RSS, idle after the seeding: \(format(rssSeeded)) MB")

        var runs: [RunResult] = []
        var pgbench: PgBench?
        for number in 1...options.runs {
            if options.runs > 1 { say("Run \(number) of \(options.runs)") }
            if server == nil {
                server = try ServerProcess.start(options: options, databaseURL: database.serverURL, folder: folder)
                try await APIClient(baseURL: server!.baseURL).waitUntilReady(timeout: .seconds(60))
            }
            let running = server!
            let wrk = Wrk(
                options: options, baseURL: running.baseURL, folder: folder,
                meter: try await ProcessorMeter.meter(
                    serverPID: running.process.processIdentifier, backendPID: database.checkpointerPID()))
            let httpFloor = try await wrk.run("http_floor", script: WrkScripts.healthz)
            let byID = try await wrk.run("get_by_id", script: WrkScripts.getByID(seed))
            let list = try await wrk.run("list", script: WrkScripts.list(seed))
            let post = try await wrk.run("post", script: WrkScripts.post(seed))
            // The report reads the read model the POSTs' events feed: it is loaded once they are delivered.
            let posted = ContinuousClock.now
            try await database.waitForIdleQueue(timeout: .seconds(3_600))
            let postDelivery = seconds(ContinuousClock.now - posted)
            say("  the POSTs' events delivered \(format(postDelivery)) s after their load")
            let report = try await wrk.run("report_sdg", script: WrkScripts.reportSDG(seed))
            let rssLoad = try running.residentMegabytes()
            say("Server RSS, at the end of the load: \(format(rssLoad)) MB")
            try await database.waitForIdleQueue(timeout: .seconds(3_600))
            // The limits run without the server: its workers would compete, and claim the POST shape's jobs.
            running.stop()
            server = nil

            if pgbench == nil {
                pgbench = try await PgBench.prepare(options: options, database: database, folder: folder)
            }
            let limits = pgbench!
            runs.append(
                RunResult(
                    httpFloor: httpFloor, getByID: byID, list: list, post: post, report: report,
                    postDeliverySeconds: postDelivery,
                    rssLoadMegabytes: rssLoad, select: try await limits.selectOnly(),
                    getShape: try await limits.getShape(),
                    listShape: try await limits.listShape(), postShape: try await limits.postShape(database: database),
                    reportShape: try await limits.reportShape()))
        }
        let queue = options.queue ? try await QueueFigures.measure(options: options, folder: folder) : nil
        return BenchFigures.figures(
            runs: runs, seeding: seeding, queue: queue, rssIdle: rssIdle, rssSeeded: rssSeeded)
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

/// What `make bench` can be told (`BENCH_ARGS`): `--small` for a quick look while developing, `--runs 3` for
/// the medians.
struct BenchOptions: Equatable {
    /// The per-token rate limit the server gets for the run (`RATE_LIMIT_PER_SECOND` and `RATE_LIMIT_BURST`):
    /// far above what wrk sends, so no request is answered 429 for the load's sake.
    static let defaultRateLimit = 1_000_000
    /// `--small`: municipalities seeded (30, a tenth of the 300, about 60,000 deliveries).
    static let smallTenants = 30

    var tenants = 300
    var activitiesPerPartnership = 100
    var runs = 1
    var duration = 20
    var warmUp = 5
    var connections = 32
    var threads = 2
    var port = 18_080
    var rateLimit = defaultRateLimit
    var binary = ".build/release/stedenband"
    var queueBinary = ".build/release/QueueBenchmark"
    var queueJobs = 100_000
    var queue = true
    var output = "bench/results.json"
    var hold = false

    init() {}

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
            case "--activities": activitiesPerPartnership = try number(argument)
            case "--small": tenants = Self.smallTenants
            case "--runs": runs = try number(argument)
            case "--duration": duration = try number(argument)
            case "--warm-up": warmUp = try number(argument)
            case "--connections": connections = try number(argument)
            case "--threads": threads = try number(argument)
            case "--port": port = try number(argument)
            case "--rate-limit": rateLimit = try number(argument)
            case "--queue-jobs": queueJobs = try number(argument)
            case "--no-queue": queue = false
            case "--binary": binary = iterator.next() ?? binary
            case "--queue-binary": queueBinary = iterator.next() ?? queueBinary
            case "--output": output = iterator.next() ?? output
            case "--hold": hold = true
            default: throw BenchError("unknown argument \(argument)")
            }
        }
    }
}
