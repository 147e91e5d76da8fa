import EmbeddedPostgres
import Foundation
import Postgres

/// `pgbench` on the benchmark's own cluster: what PostgreSQL alone does on this machine, as the limit the
/// server's figures are compared with.
struct PgBench {
    let options: BenchOptions
    let lease: EmbeddedPostgres.Lease
    let folder: String

    private var environment: [String: String] {
        ["PGHOST": lease.socketDirectory, "PGPORT": String(lease.port), "PGUSER": lease.superuser]
    }

    /// `pgbench -S` (one primary-key SELECT per transaction) on a scale-10 database of its own.
    func selectOnly(database: BenchDatabase) async throws -> Double {
        try await database.query("CREATE DATABASE pgbench")
        say("pgbench: initialising a scale-10 database (1,000,000 accounts)…")
        try await Command.run("pgbench", ["-i", "-q", "-s", "10", "pgbench"], environment: environment)
        return try await run("select-only", ["-S", "pgbench"])
    }

    /// The POST's transaction without HTTP, in the server's six round trips: `BEGIN` with the token's lookup
    /// through `platform.authenticate` (which scopes the transaction to its tenant) as the app role under
    /// row-level security; the partnership's check; the activity's insert; its event and its subscribers'
    /// jobs; the partnership's activity count; the `COMMIT` with the NOTIFY behind it. Parameters are bound
    /// (`-M extended`), as the server's are; pgbench takes every `:word` in the script for a variable, even
    /// inside a string.
    func postShape(database: BenchDatabase) async throws -> Double {
        try await database.query(
            """
            CREATE TABLE public.bench_targets AS
            SELECT row_number() OVER (ORDER BY p.tenant_id, p.id)::int AS n, t.token_hash, p.id AS partnership_id
            FROM activities.partnerships p
            JOIN LATERAL (SELECT token_hash FROM platform.tokens k WHERE k.tenant_id = p.tenant_id LIMIT 1) t ON true
            """)
        try await database.query("ALTER TABLE public.bench_targets ADD PRIMARY KEY (n)")
        try await database.query("GRANT SELECT ON public.bench_targets TO stedenband_app")
        let targets = try await database.query("SELECT count(*) FROM public.bench_targets")[0].decode(
            Int.self, column: 0)
        let jobs = try await database.query(
            "SELECT count(DISTINCT kind) FROM messaging.jobs WHERE args->>'event' = 'activities.activity_recorded.v1'"
        )[0].decode(Int.self, column: 0)
        let script = """
            \\set n random(1, \(targets))
            \\startpipeline
            BEGIN;
            SET LOCAL ROLE stedenband_app;
            SELECT tenant_id FROM platform.authenticate((SELECT token_hash FROM public.bench_targets WHERE n = :n), now());
            \\endpipeline
            SELECT p.tenant_id, p.id AS partnership_id, p.status FROM activities.partnerships p
            WHERE p.id = (SELECT partnership_id FROM public.bench_targets WHERE n = :n) \\gset
            INSERT INTO activities.activities (tenant_id, id, partnership_id, title, kind, status, starts_on, direction,
                sdg_targets, sdg_goals, themes, budget_planned, budget_spent, budget_currency, created_at, updated_at)
            VALUES (:tenant_id, gen_random_uuid(), :partnership_id, 'Handwashing stations at the market',
                'awareness_campaign', 'ongoing', '2020-04-01', 'mutual', '{3.d,6.2}', '{3,6}', '{covid-19,hygiene}',
                2500.00, 400.00, 'EUR', now(), now())
            RETURNING id \\gset activity_
            \\startpipeline
            INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at, actor)
            VALUES (:tenant_id, gen_random_uuid(), 'activities.activity_recorded.v1', :activity_id, 1,
                '\(Self.eventPayload)', now(), 'bench');
            INSERT INTO messaging.jobs (kind, tenant_id, args, run_at, created_at)
            SELECT 'bench.post_shape', :tenant_id, '{"event":"activities.activity_recorded.v1"}', now(), now()
            FROM generate_series(1, \(max(jobs, 1)));
            \\endpipeline
            UPDATE partnerships.partnerships SET activity_count = activity_count + 1 WHERE id = :partnership_id;
            \\startpipeline
            COMMIT;
            SELECT pg_notify('messaging_jobs', '');
            \\endpipeline

            """
        let path = folder + "/post-shape.sql"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return try await run(
            "POST shape (\(max(jobs, 1)) jobs per event)",
            ["-n", "-M", "extended", "-f", path, database.lease.databaseName])
    }

    private func run(_ name: String, _ arguments: [String]) async throws -> Double {
        let common = ["-c", String(options.connections), "-j", String(options.threads)]
        say(
            "pgbench \(name): \(options.warmUp) s warm-up, then \(options.duration) s at \(options.connections) clients…"
        )
        _ = try await Command.run(
            "pgbench", common + ["-T", String(options.warmUp)] + arguments, environment: environment)
        let output = try await Command.run(
            "pgbench", common + ["-T", String(options.duration)] + arguments, environment: environment)
        // "tps = 35012.345678 (without initial connection time)"
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let tps = line.dropFirst(6).split(separator: " ").first.flatMap({ Double($0) })
        else { throw BenchError("pgbench printed no tps: \(output)") }
        say("  \(format(tps)) tps")
        return tps
    }

    /// An `ActivityRecorded` payload of the size the server writes.
    static let eventPayload = """
        {"activity": {"id": "00000000-0000-0000-0000-000000000000", "kind": "awareness_campaign", "title": "Handwashing \
        stations at the market", "budget": {"spent": "400.00", "planned": "2500.00", "currency": "EUR"}, "status": \
        "ongoing", "themes": ["covid-19", "hygiene"], "endsOn": null, "version": 1, "startsOn": "2020-04-01", \
        "direction": "mutual", "sdgGoals": [3, 6], "sdgTargets": ["3.d", "6.2"], "participants": null, \
        "fundingSource": null, "partnershipId": "00000000-0000-0000-0000-000000000000"}}
        """
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

/// One line of the results: a figure, the limit it is compared with, and its target.
struct Figure {
    enum Target {
        case atLeast(Double)
        case atMost(Double)

        func isMet(by value: Double) -> Bool {
            switch self {
            case .atLeast(let bound): value >= bound
            case .atMost(let bound): value <= bound
            }
        }

        var text: String {
            switch self {
            case .atLeast(let bound): "≥ \(format(bound))"
            case .atMost(let bound): "≤ \(format(bound))"
            }
        }
    }

    var name: String
    var value: Double
    var unit: String
    var limit: Double?
    var target: Target?
    /// Requests of the measured run answered with neither 2xx nor 3xx, or lost.
    var failedRequests = 0

    init(_ name: String, _ value: Double, _ unit: String, limit: Double?, target: Target? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.limit = limit
        self.target = target
    }

    var ratio: Double? { limit.flatMap { $0 > 0 ? value / $0 : nil } }

    /// "met", or how far from the target.
    var verdict: String {
        if failedRequests > 0 { return "NOT valid: \(failedRequests) requests failed" }
        guard let target else { return "" }
        if target.isMet(by: value) { return "met" }
        switch target {
        case .atLeast(let bound): return "NOT met: \(format(bound - value)) \(unit) short"
        case .atMost(let bound): return "NOT met: \(format(value - bound)) \(unit) over"
        }
    }
}

struct BenchReport {
    var figures: [Figure]

    func printTable() {
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        say("")
        say(
            cell("figure", 24) + cell("value", 16) + cell("limit", 16) + cell("ratio", 8) + cell("target", 12)
                + "verdict")
        for figure in figures {
            say(
                cell(figure.name, 24) + cell("\(format(figure.value)) \(figure.unit)", 16)
                    + cell(figure.limit.map { "\(format($0))" } ?? "", 16)
                    + cell(figure.ratio.map { String(format: "%.2f", $0) } ?? "", 8)
                    + cell(figure.target?.text ?? "", 12) + figure.verdict)
        }
    }

    /// `[{"figure", "value", "unit", "limit", "ratio", "target", "met"}]`, in the table's order.
    func write(to path: String) throws {
        func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        let objects: [[String: Any]] = figures.map { figure in
            var object: [String: Any] = [
                "figure": figure.name, "value": rounded(figure.value), "unit": figure.unit,
                "limit": figure.limit.map(rounded) ?? NSNull(), "ratio": figure.ratio.map(rounded) ?? NSNull(),
            ]
            if let target = figure.target {
                object["target"] = target.text
                object["met"] = target.isMet(by: figure.value) && figure.failedRequests == 0
            }
            if figure.failedRequests > 0 { object["failedRequests"] = figure.failedRequests }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
        say("Wrote \(path)")
    }
}
