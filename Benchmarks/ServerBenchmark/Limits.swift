import BenchmarkSupport
import EmbeddedPostgres
import Foundation
import Postgres

/// `pgbench` on the benchmark's own cluster: what PostgreSQL alone does on this machine, as the limits the
/// server's figures are compared with. `pgbench -S` on a database of its own; the measured requests' own
/// shapes (``PgBenchShapes``) on the benchmark's database, as the app role under row-level security.
struct PgBench {
    let options: BenchOptions
    let lease: EmbeddedPostgres.Lease
    let folder: String
    /// What the shapes draw from: rows of `public.bench_activities`, `public.bench_partnerships`,
    /// `public.bench_tenants`.
    let counts: PgBenchShapes.Counts

    /// The login the shapes run under: a member of `stedenband_app` whose sessions start as that role, as the
    /// server's connections switch to it at start.
    static let appLogin = "stedenband_pgbench"

    private var superuser: [String: String] {
        ["PGHOST": lease.socketDirectory, "PGPORT": String(lease.port), "PGUSER": lease.superuser]
    }

    private var app: [String: String] { superuser.merging(["PGUSER": Self.appLogin]) { $1 } }

    /// Makes what every run uses, once: the scale-10 `pgbench` database, the tables the shapes draw tokens
    /// and ids from (readable by the app role), and the app role's login; checks that this login sees no
    /// activity before a tenant is set (row-level security on, no bypass).
    static func prepare(options: BenchOptions, database: BenchDatabase, folder: String) async throws -> PgBench {
        let lease = database.lease
        try await database.query("CREATE DATABASE pgbench")
        say("pgbench: initialising a scale-10 database (1,000,000 accounts)…")
        try await Command.run(
            "pgbench", ["-i", "-q", "-s", "10", "pgbench"],
            environment: ["PGHOST": lease.socketDirectory, "PGPORT": String(lease.port), "PGUSER": lease.superuser])
        for statement in PgBenchShapes.setup(appLogin: appLogin) {
            try await database.query(PostgresQuery(unsafeSQL: statement))
        }
        let counts = try await database.query(
            """
            SELECT (SELECT count(*) FROM public.bench_activities), (SELECT count(*) FROM public.bench_partnerships),
                (SELECT count(*) FROM public.bench_tenants)
            """
        )[0].decode((Int, Int, Int).self)
        let app = database.configuration.setting("user", to: appLogin)
        let (role, visible) = try await PostgresConnection.withConnection(to: app, logger: database.logger) {
            try await $0.query("SELECT current_user::text, (SELECT count(*) FROM activities.activities)")[0]
                .decode((String, Int).self)
        }
        guard role == "stedenband_app", visible == 0 else {
            throw BenchError("the shapes' login runs as \(role) and sees \(visible) activities without a tenant")
        }
        return PgBench(
            options: options, lease: lease, folder: folder,
            counts: PgBenchShapes.Counts(
                activities: counts.0, partnerships: counts.1, tenants: counts.2))
    }

    /// `pgbench -S` (one primary-key SELECT per transaction, as the superuser) on the scale-10 database.
    func selectOnly() async throws -> Double {
        try await run("select-only", ["-S", "pgbench"], environment: superuser)
    }

    /// The GET by id's transaction without HTTP (``PgBenchShapes/getByID(_:)``).
    func getShape() async throws -> Double {
        try await shape("GET shape", PgBenchShapes.getByID(counts))
    }

    /// The list of 50's transaction (``PgBenchShapes/list(_:)``).
    func listShape() async throws -> Double {
        try await shape("list shape", PgBenchShapes.list(counts))
    }

    /// The POST's transaction (``PgBenchShapes/post(_:)``); the events it writes (actor `bench`) are deleted
    /// afterwards, so the server's subscribers, started again for the next run, do not deliver them during its
    /// load.
    func postShape(database: BenchDatabase) async throws -> Double {
        let tps = try await shape("POST shape", PgBenchShapes.post(counts))
        try await database.query("DELETE FROM messaging.events WHERE actor = 'bench'")
        return tps
    }

    /// The SDG report's transaction (``PgBenchShapes/reportSDG(_:)``).
    func reportShape() async throws -> Double {
        try await shape("report shape", PgBenchShapes.reportSDG(counts))
    }

    /// Statements are prepared once per connection (`-M prepared`), as the server's are.
    private func shape(_ name: String, _ script: String) async throws -> Double {
        let path = folder + "/" + name.prefix(while: { $0 != " " }).lowercased() + "-shape.sql"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return try await run(name, ["-n", "-M", "prepared", "-f", path, lease.databaseName], environment: app)
    }

    private func run(_ name: String, _ arguments: [String], environment: [String: String]) async throws -> Double {
        let common = ["-c", String(options.connections), "-j", String(options.threads)]
        say(
            "pgbench \(name): \(options.warmUp) s warm-up, then \(options.duration) s at \(options.connections) clients…"
        )
        _ = try await Command.run(
            "pgbench", common + ["-T", String(options.warmUp)] + arguments, environment: environment)
        let output = try await Command.run(
            "pgbench", common + ["-T", String(options.duration)] + arguments, environment: environment)
        let tps = try Self.tps(in: output)
        say("  \(format(tps)) tps")
        return tps
    }

    /// The figure of `tps = 35012.345678 (without initial connection time)`.
    static func tps(in output: String) throws -> Double {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let tps = line.dropFirst(6).split(separator: " ").first.flatMap({ Double($0) })
        else { throw BenchError("pgbench printed no tps: \(output.suffix(2_000))") }
        return tps
    }
}

extension EmbeddedPostgres.Lease {
    /// The database the lease's URL names.
    var databaseName: String {
        URL(string: url)?.path.split(separator: "/").last.map(String.init) ?? "stedenband"
    }
}

/// The job queue's figures from `make bench-queue`'s program, on a cluster of its own, beside pgqueuer's.
struct QueueFigures {
    var enqueue: Double
    var drain: Double
    var pgqueuerDrain: Double

    static func measure(options: BenchOptions, folder: String) async throws -> QueueFigures {
        let output = folder + "/queue.json"
        say("The queue: \(options.queueBinary) --jobs \(options.queueJobs) (with pgqueuer beside it)…")
        try await Command.run(options.queueBinary, ["--jobs", String(options.queueJobs), "--output", output])
        guard
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
                as? [String: Double],
            let enqueue = object["enqueuePerSecond"], let drain = object["drainPerSecond"],
            let pgqueuer = object["pgqueuerDrainPerSecond"]
        else { throw BenchError("the queue benchmark wrote no figures to \(output)") }
        return QueueFigures(enqueue: enqueue, drain: drain, pgqueuerDrain: pgqueuer)
    }
}
