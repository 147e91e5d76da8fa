import BenchmarkSupport
import Foundation

/// What one run of the measured part gives: the four loads and the HTTP stack's floor, the wait for the POSTs'
/// deliveries, the server's memory at the end of the load, and the limits measured right after on the same cluster.
struct RunResult {
    /// `GET /healthz`: no token, no database, no JSON; what any request costs the server at the least.
    var httpFloor: WrkResult
    var getByID: WrkResult
    var list: WrkResult
    var post: WrkResult
    var report: WrkResult
    /// From the end of the POSTs' load to an empty queue, before the report endpoint is loaded.
    var postDeliverySeconds: Double
    var rssLoadMegabytes: Double
    var select: Double
    var getShape: Double
    var listShape: Double
    var postShape: Double
    var reportShape: Double
}

/// How fast the server's workers delivered the seeding's events, from the jobs' `created_at` and
/// `finished_at` counted per second.
struct DeliveryRate: Equatable {
    /// Jobs waiting at both ends of a second for that second to count as "busy": ten of the workers' claims,
    /// so the workers never ran out of work within it.
    static let busyBacklog = 1_000

    /// Deliveries finished.
    var delivered: Int
    /// Deliveries per second over the busy seconds, or over the whole span when there were none.
    var perSecond: Double
    /// Seconds in which the workers had a backlog throughout.
    var busySeconds: Int
    /// No busy second: the deliveries kept pace with the writes, and `perSecond` is a lower bound.
    var keptPace: Bool { busySeconds == 0 }

    /// - Parameters:
    ///   - created: jobs created per second (Unix seconds).
    ///   - finished: jobs finished per second.
    static func measure(created: [Int64: Int], finished: [Int64: Int], busyBacklog: Int = busyBacklog)
        -> DeliveryRate
    {
        let delivered = finished.values.reduce(0, +)
        guard let first = (Array(created.keys) + Array(finished.keys)).min(), let last = finished.keys.max(),
            last >= first
        else {
            return DeliveryRate(delivered: delivered, perSecond: 0, busySeconds: 0)
        }
        var waiting = 0
        var busySeconds = 0
        var busyDelivered = 0
        for second in first...last {
            let atStart = waiting
            waiting += (created[second] ?? 0) - (finished[second] ?? 0)
            if atStart >= busyBacklog && waiting >= busyBacklog {
                busySeconds += 1
                busyDelivered += finished[second] ?? 0
            }
        }
        if busySeconds > 0 {
            return DeliveryRate(
                delivered: delivered, perSecond: Double(busyDelivered) / Double(busySeconds), busySeconds: busySeconds)
        }
        return DeliveryRate(
            delivered: delivered, perSecond: Double(delivered) / Double(last - first + 1), busySeconds: 0)
    }
}

/// The seeding's figures: its API calls, and its events' deliveries.
struct SeedingResult {
    /// The seeding's API calls, from the first to the last answer.
    var apiSeconds: Double
    /// From the last API answer to an empty queue: how long the deliveries trailed the writes.
    var deliverySeconds: Double
    var delivery: DeliveryRate
    /// The processor time per delivery from the last API answer to the empty queue, when only the workers ran.
    var processor: ProcessorUse? = nil
}

/// The table's figures from the runs (medians), the seeding, the queue's figures and the idle memory.
enum BenchFigures {
    static func figures(
        runs: [RunResult], seeding: SeedingResult, queue: QueueFigures?, rssIdle: Double, rssSeeded: Double
    ) -> [Figure] {
        func middle(_ value: (RunResult) -> Double) -> (Double, [Double]) {
            let values = runs.map(value)
            return (median(values) ?? 0, values)
        }
        func figure(
            _ name: String, _ unit: String, _ value: (RunResult) -> Double, limit: ((RunResult) -> Double)? = nil,
            limitName: String? = nil, target: [Figure.Condition] = [], issueTarget: String? = nil,
            failures: Failures = Failures()
        ) -> Figure {
            let (median, values) = middle(value)
            var figure = Figure(
                name, median, unit, limit: limit.map { middle($0).0 }, limitName: limitName, target: target,
                issueTarget: issueTarget)
            figure.runs = values
            figure.failures = failures
            return figure
        }
        func load(
            _ name: String, _ run: @escaping (RunResult) -> WrkResult, limit: @escaping (RunResult) -> Double,
            limitName: String, rps: [Figure.Condition], p99: [Figure.Condition] = [], label: String
        ) -> [Figure] {
            let failures = runs.map { run($0).failures }.reduce(Failures(), +)
            var rate = figure(
                "\(name)_rps", "req/s", { run($0).requestsPerSecond }, limit: limit, limitName: limitName,
                target: rps, issueTarget: label, failures: failures)
            rate.processor = ProcessorUse.medians(runs.compactMap { run($0).processor })
            return [
                rate,
                figure(
                    "\(name)_p99_ms", "ms", { run($0).p99Milliseconds }, target: p99,
                    issueTarget: p99.isEmpty ? nil : "\(label) p99", failures: failures),
            ]
        }

        var figures: [Figure] = []
        figures += load(
            "get_by_id", \.getByID, limit: \.getShape, limitName: "pgbench GET shape", rps: [.atLeast(8_000)],
            p99: [.atMost(10)], label: "GET by id")
        figures += load(
            "list", \.list, limit: \.listShape, limitName: "pgbench list shape", rps: [.atLeast(2_500)],
            label: "list of 50")
        figures += load(
            "post", \.post, limit: \.postShape, limitName: "pgbench POST shape",
            rps: [.atLeast(2_000), .ratioAtLeast(0.8)], label: "POST activity")
        figures += load(
            "report_sdg", \.report, limit: \.reportShape, limitName: "pgbench report shape", rps: [.atLeast(1_000)],
            label: "reports/sdg")
        // After the issue's loads, so bench/results.json keeps its first rows.
        var floor = figure("http_floor_rps", "req/s", { $0.httpFloor.requestsPerSecond })
        floor.processor = ProcessorUse.medians(runs.compactMap { $0.httpFloor.processor })
        floor.failures = runs.map { $0.httpFloor.failures }.reduce(Failures(), +)
        floor.note = "GET /healthz: the HTTP stack and the middleware, no token, no database"
        figures.append(floor)
        figures.append(figure("post_delivery_wait_s", "s", \.postDeliverySeconds))
        figures.append(figure("pgbench_select_tps", "tps", \.select))
        let select = "pgbench -S"
        figures.append(figure("pgbench_get_shape_tps", "tps", \.getShape, limit: \.select, limitName: select))
        figures.append(figure("pgbench_list_shape_tps", "tps", \.listShape, limit: \.select, limitName: select))
        figures.append(figure("pgbench_post_shape_tps", "tps", \.postShape, limit: \.select, limitName: select))
        figures.append(figure("pgbench_report_shape_tps", "tps", \.reportShape, limit: \.select, limitName: select))

        var delivery = Figure(
            "event_delivery_per_s", seeding.delivery.perSecond, "events/s", target: [.atLeast(10_000)],
            issueTarget: "event delivery (sustained, seeding)")
        delivery.note =
            seeding.delivery.keptPace
            ? "kept pace with the writes: a lower bound"
            : "\(seeding.delivery.delivered) deliveries, \(seeding.delivery.busySeconds) s with a backlog"
        delivery.processor = seeding.processor
        figures.append(delivery)
        figures.append(
            Figure(
                "seed_delivery_s", seeding.deliverySeconds, "s", target: [.atMost(60)],
                issueTarget: "seeding delivered after its last write"))
        figures.append(Figure("seed_api_s", seeding.apiSeconds, "s"))

        if let queue {
            figures.append(
                Figure(
                    "queue_drain_per_s", queue.drain, "jobs/s", limit: queue.pgqueuerDrain, limitName: "pgqueuer",
                    target: [.atLeast(20_000)]))
            figures.append(Figure("pgqueuer_drain_per_s", queue.pgqueuerDrain, "jobs/s"))
            figures.append(Figure("queue_enqueue_per_s", queue.enqueue, "jobs/s", target: [.atLeast(65_000)]))
        }
        figures.append(Figure("rss_idle_mb", rssIdle, "MB", target: [.atMost(64)], issueTarget: "memory idle"))
        figures.append(Figure("rss_seeded_idle_mb", rssSeeded, "MB"))
        figures.append(
            figure("rss_load_mb", "MB", \.rssLoadMegabytes, target: [.atMost(150)], issueTarget: "memory under load"))
        return figures
    }
}
