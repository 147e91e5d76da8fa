import BenchmarkSupport
import BenchmarkSeed
import EmbeddedPostgres
import Foundation
import Logging
import Migrations
import Postgres

/// `make bench-showcase`: how fast the public showcase answers with 300 municipalities, at the server, beside
/// `pgbench -S` on the same cluster in the same run (issue 18: p95 ≤ 50 ms at the server).
///
/// A private PostgreSQL cluster with default durability, migrated, gets the read model that `make bench-reports`
/// seeds (``ReadModelSeed/showcase(municipalities:activitiesPerPartnership:)``: 300 municipalities × 10
/// partnerships, 5 of them published with a story and a slug, × 100 activities; 3 published lessons per
/// published partnership and unpublished ones beside them; the figures recounted). The released
/// `stedenband serve` (every installed plugin: Reporting and Learning among them) runs on it under a login of
/// the app role, with the access log as JSON. Each route of ``ShowcaseRoute/all`` is loaded by wrk at a few
/// connections, each request on a random published partnership and language, without `If-None-Match`; the
/// figures are the server's own (`http.duration_ms` of the route's access-log lines answered 200). A route
/// answering 404 (the feeds, before they land) is skipped with a line. After each round of the routes,
/// `pgbench -S` runs as long at as many clients on the same cluster. `--runs N` rounds give medians; prints a
/// table and writes `bench/showcase.json`.
@main
struct ShowcaseBenchmark {
    static func main() async {
        do {
            try await run(options: try ShowcaseOptions(arguments: CommandLine.arguments))
        } catch {
            FileHandle.standardError.write(Data("bench-showcase: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(options: ShowcaseOptions) async throws {
        var logger = Logger(label: "bench-showcase")
        logger.logLevel = .warning
        let began = ContinuousClock.now
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("stedenband-bench-showcase-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The cluster runs as the postgres user when we are root; it must reach its folder.
        chmod(folder, 0o755)
        say("Starting a PostgreSQL cluster in \(folder) (default durability)…")
        let lease = try await EmbeddedPostgres(directory: folder + "/postgres", databaseName: "bench", logger: logger)
            .start()
        var server: ShowcaseServer?
        do {
            let admin = try PostgresConfiguration(url: lease.url)
            let seed = try await prepare(options: options, admin: admin, logger: logger)
            let serverURL = try await createLogin(binary: options.binary, databaseURL: lease.url)
            let pgbench = try await SelectOnly.prepare(lease: lease, options: options)
            let started = try ShowcaseServer.start(
                binary: options.binary, databaseURL: serverURL, folder: folder, noWorkers: options.noWorkers)
            server = started
            try await started.waitUntilReady(timeout: .seconds(120))
            let pairs = try await PostgresConnection.withConnection(to: admin, logger: logger) {
                try await $0.query(
                    """
                    SELECT t.slug, p.slug FROM reporting.partnerships p JOIN platform.tenants t ON t.id = p.tenant_id
                    WHERE p.published AND NOT p.deleted ORDER BY t.slug, p.slug
                    """
                ).map { try $0.decode((String, String).self) }
            }
            guard !pairs.isEmpty else { throw BenchError("the seed published no partnership") }
            var routes: [ShowcaseRoute] = []
            var skipped: [SkippedRoute] = []
            for route in ShowcaseRoute.all {
                let path = route.path(municipality: pairs[0].0, partnership: pairs[0].1)
                let (status, _) = try await started.get(path)
                switch status {
                case 200: routes.append(route)
                case 404:
                    say("Skipped \(route.name): \(path) answers 404 (not on this server yet).")
                    skipped.append(SkippedRoute(route: route.name, status: status))
                default: throw BenchError("\(path) answered \(status), not 200")
                }
            }
            let load = RouteLoad(options: options, server: started, pairs: pairs, folder: folder)
            var rounds: [Round] = []
            for number in 1...options.runs {
                say("Run \(number) of \(options.runs)")
                let loadBefore = LoadAverage.now()
                var measured: [RouteFigures] = []
                for route in routes { measured.append(try await load.measure(route)) }
                let select = try await pgbench.run()
                rounds.append(
                    Round(routes: measured, select: select, loadBefore: loadBefore, loadAfter: LoadAverage.now()))
            }
            started.stop()
            server = nil
            let report = ShowcaseReport(
                options: options, seed: seed, rounds: rounds, skipped: skipped,
                cores: ProcessInfo.processInfo.activeProcessorCount)
            report.printTable()
            try report.write(to: options.output)
            say("make bench-showcase took \(format(seconds(ContinuousClock.now - began) / 60)) minutes.")
            if options.hold { try await hold(lease: lease, folder: folder, serverURL: serverURL) }
            try await lease.release()
        } catch {
            server?.stop()
            try? await lease.release()
            say("The cluster's folder is kept for a look: \(folder)")
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Migrates, seeds the read model, recounts its figures and vacuums, as a long-running instance would be;
    /// checks that the seed wrote what it says.
    static func prepare(options: ShowcaseOptions, admin: PostgresConfiguration, logger: Logger) async throws
        -> SeedFigures
    {
        try await MigrationRunner(
            migrations: try MigrationSet.resolve(directory: nil), configuration: admin, logger: logger
        ).up()
        let seed = ReadModelSeed.showcase(
            municipalities: options.municipalities, activitiesPerPartnership: options.activitiesPerPartnership)
        say("Seeding the read model: \(seed.expected)…")
        let seeding = ContinuousClock.now
        let counts = try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            try await seed.seed(on: connection)
            try await seed.recount(on: connection)
            try await connection.query("VACUUM ANALYZE")
            return try await ReadModelSeed.count(on: connection)
        }
        guard counts == seed.expected else {
            throw BenchError("the seed wrote \(counts), not \(seed.expected)")
        }
        let took = seconds(ContinuousClock.now - seeding)
        say("Seeded, recounted and vacuumed in \(format(took)) s.")
        return SeedFigures(counts: counts, seconds: took)
    }

    /// Keeps the cluster up for a look (`--hold`: `EXPLAIN ANALYZE`, or `serve` by hand) until the file `hold`
    /// in its folder is removed.
    static func hold(lease: EmbeddedPostgres.Lease, folder: String, serverURL: String) async throws {
        let marker = folder + "/hold"
        FileManager.default.createFile(atPath: marker, contents: nil)
        say(
            "Holding the cluster: PGHOST=\(lease.socketDirectory) PGPORT=\(lease.port) PGUSER=\(lease.superuser) "
                + "psql \(lease.databaseName); the server's login: \(serverURL); rm \(marker) to finish.")
        while FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .seconds(1)) }
    }

    /// `serve` refuses the superuser: as in production it runs under a login that is a member of the app role
    /// only, which the product's own command makes.
    static func createLogin(binary: String, databaseURL: String) async throws -> String {
        let output = try await Command.run(
            binary, ["database", "create-login", "stedenband_bench", "--json"],
            environment: ["DATABASE_URL": databaseURL, "LOG_LEVEL": "error"])
        guard let created = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let url = created["url"] as? String
        else { throw BenchError("database create-login printed no URL: \(output)") }
        return url
    }
}

/// What `make bench-showcase` can be told (`BENCH_ARGS`).
struct ShowcaseOptions: Equatable {
    var municipalities = 300
    var activitiesPerPartnership = 100
    var runs = 3
    var duration = 15
    var warmUp = 3
    var connections = 4
    var threads = 2
    var binary = ".build/release/stedenband"
    var output = "bench/showcase.json"
    var hold = false
    /// `serve --no-workers`: the HTTP side alone (the showcase reads no queue; the seed queues nothing).
    var noWorkers = false
    /// The target: p95 at the server, per page.
    static let targetP95Milliseconds = 50.0

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
            case "--municipalities", "--tenants": municipalities = try number(argument)
            case "--activities": activitiesPerPartnership = try number(argument)
            case "--runs": runs = try number(argument)
            case "--duration": duration = try number(argument)
            case "--warm-up": warmUp = try number(argument)
            case "--connections": connections = try number(argument)
            case "--threads": threads = try number(argument)
            case "--binary": binary = iterator.next() ?? binary
            case "--output": output = iterator.next() ?? output
            case "--hold": hold = true
            case "--no-workers": noWorkers = true
            default: throw BenchError("unknown argument \(argument)")
            }
        }
    }
}
