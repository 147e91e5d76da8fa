import BenchmarkSupport
import BenchmarkSeed
import Foundation

struct SeedFigures: Equatable {
    var counts: ReadModelSeed.Counts
    var seconds: Double
}

struct SkippedRoute: Equatable {
    var route: String
    var status: Int
}

/// One round: every route loaded in turn, then `pgbench -S`, with the machine's load before and after.
struct Round: Equatable {
    var routes: [RouteFigures]
    var select: SelectFigures
    var loadBefore: LoadAverage
    var loadAfter: LoadAverage
}

/// The rounds' medians per route beside pgbench's, as a table and as `bench/showcase.json`.
struct ShowcaseReport {
    let options: ShowcaseOptions
    let seed: SeedFigures
    let rounds: [Round]
    let skipped: [SkippedRoute]
    let cores: Int

    /// A route's figures over the rounds: the median of each.
    struct Medians: Equatable {
        var route: String
        var p50: Double
        var p95: Double
        var p99: Double
        var requestsPerSecond: Double
        var wrkP99: Double
        var bytes: Int
        var requests: Int
        var otherAnswers: Int

        var met: Bool { p95 <= ShowcaseOptions.targetP95Milliseconds }
    }

    var medians: [Medians] {
        guard let first = rounds.first else { return [] }
        return first.routes.map { route in
            let runs = rounds.compactMap { $0.routes.first { $0.route == route.route } }
            return Medians(
                route: route.route, p50: median(runs.map(\.p50)), p95: median(runs.map(\.p95)),
                p99: median(runs.map(\.p99)), requestsPerSecond: median(runs.map(\.requestsPerSecond)),
                wrkP99: median(runs.map(\.wrkP99)), bytes: route.bytes, requests: runs.map(\.requests).reduce(0, +),
                otherAnswers: runs.flatMap(\.otherStatuses.values).reduce(0, +))
        }
    }

    var selectTPS: Double { median(rounds.map(\.select.tps)) }
    var selectLatency: Double { median(rounds.map(\.select.latencyMilliseconds)) }

    func printTable() {
        let counts = seed.counts
        say("")
        say(
            "make bench-showcase: \(counts); \(options.runs) run(s) of \(options.duration) s per route at "
                + "\(options.connections) connections; medians of the runs; \(cores) cores")
        say("")
        say("| route | req/s | p50 (server) | p95 (server) | p99 (server) | wrk p99 | page | × pgbench latency (p50) |")
        say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for route in medians {
            say(
                "| GET \(route.route) | \(format(route.requestsPerSecond)) | \(ms(route.p50)) | \(ms(route.p95)) | "
                    + "\(ms(route.p99)) | \(ms(route.wrkP99)) | \(kilobytes(route.bytes)) | "
                    + "\(format(route.p50 / selectLatency)) |")
        }
        say(
            "| pgbench -S, same cluster | \(format(selectTPS)) tps | latency average "
                + "\(String(format: "%.3f", selectLatency)) ms | | | | | |")
        for route in skipped { say("skipped: \(route.route) (answers \(route.status))") }
        let loads = rounds.flatMap { [$0.loadBefore, $0.loadAfter] }.map(\.one)
        say(
            "machine load (1 min) during the runs: \(loads.map { format($0) }.joined(separator: ", ")) on \(cores) cores"
        )
        for route in medians where route.otherAnswers > 0 {
            say("note: GET \(route.route) had \(route.otherAnswers) answers other than 200 during the load")
        }
        for route in medians {
            say(
                "target p95 ≤ \(format(ShowcaseOptions.targetP95Milliseconds)) ms at the server, GET \(route.route): "
                    + (route.met ? "met" : "NOT met"))
        }
    }

    func write(to path: String) throws {
        let object: [String: Any] = [
            "municipalities": seed.counts.municipalities, "partnerships": seed.counts.partnerships,
            "published_partnerships": seed.counts.publishedPartnerships, "activities": seed.counts.activities,
            "lessons": seed.counts.lessons, "published_lessons": seed.counts.publishedLessons,
            "seed_seconds": round2(seed.seconds), "runs": options.runs, "duration_s": options.duration,
            "connections": options.connections, "cores": cores,
            "target_p95_ms": ShowcaseOptions.targetP95Milliseconds,
            "routes": medians.map { route -> [String: Any] in
                [
                    "route": "GET " + route.route, "p50_ms": round2(route.p50), "p95_ms": round2(route.p95),
                    "p99_ms": round2(route.p99), "requests_per_second": round2(route.requestsPerSecond),
                    "wrk_p99_ms": round2(route.wrkP99), "page_bytes": route.bytes, "requests": route.requests,
                    "other_answers": route.otherAnswers, "p50_over_pgbench_latency": round2(route.p50 / selectLatency),
                    "target_met": route.met,
                    "per_run": rounds.compactMap { $0.routes.first { $0.route == route.route } }.map {
                        [
                            "p50_ms": round2($0.p50), "p95_ms": round2($0.p95), "p99_ms": round2($0.p99),
                            "requests_per_second": round2($0.requestsPerSecond), "requests": $0.requests,
                        ]
                    },
                ]
            },
            "skipped": skipped.map { ["route": $0.route, "status": $0.status] as [String: Any] },
            "pgbench_select": [
                "tps": round2(selectTPS), "latency_average_ms": selectLatency,
                "per_run": rounds.map {
                    ["tps": round2($0.select.tps), "latency_average_ms": $0.select.latencyMilliseconds]
                },
            ] as [String: Any],
            "load_average": rounds.map {
                [
                    "before": [$0.loadBefore.one, $0.loadBefore.five, $0.loadBefore.fifteen],
                    "after": [$0.loadAfter.one, $0.loadAfter.five, $0.loadAfter.fifteen],
                ]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (data + Data("\n".utf8)).write(to: url)
        say("Written to \(path).")
    }

    private func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
    private func kilobytes(_ bytes: Int) -> String { String(format: "%.0f kB", Double(bytes) / 1000) }
    private func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
