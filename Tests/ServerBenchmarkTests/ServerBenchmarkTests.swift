import BenchmarkSupport
import Foundation
import Testing

@testable import ServerBenchmark

@Suite("wrk's output")
struct WrkOutputTests {
    static let output = """
        Running 20s test @ http://127.0.0.1:18080
          2 threads and 32 connections
        Requests/sec:   1984.00
        WRK_JSON {"requests":39680,"duration_us":20000000,"p50_us":15250,"p99_us":26500,"status_errors":120,\
        "connect_errors":0,"read_errors":2,"write_errors":0,"timeouts":1,"non2xx":{"429":117,"500":3}}
        """

    @Test func readsRateLatencyAndFailuresPerStatus() throws {
        let result = try WrkResult.parse(name: "get_by_id", output: Self.output)
        #expect(result.requestsPerSecond == 1_984)
        #expect(result.p50Milliseconds == 15.25)
        #expect(result.p99Milliseconds == 26.5)
        #expect(result.failures.statuses == [429: 117, 500: 3])
        #expect(result.failures.socketErrors == 3)
        #expect(result.failures.total == 123)
        #expect(result.failures.summary == "429 × 117, 500 × 3, 3 socket errors")
    }

    @Test func aCleanRunHasNoFailures() throws {
        let result = try WrkResult.parse(
            name: "list",
            output: """
                WRK_JSON {"requests":100,"duration_us":1000000,"p50_us":1000,"p99_us":2000,"status_errors":0,\
                "connect_errors":0,"read_errors":0,"write_errors":0,"timeouts":0,"non2xx":{}}
                """)
        #expect(result.requestsPerSecond == 100)
        #expect(result.failures == Failures())
    }

    /// A 3xx is not 2xx: the hook counts it although wrk's own summary does not.
    @Test func countsRedirectsThatWrkItselfLetsPass() throws {
        let result = try WrkResult.parse(
            name: "post",
            output: """
                WRK_JSON {"requests":10,"duration_us":1000000,"p50_us":1000,"p99_us":2000,"status_errors":0,\
                "connect_errors":0,"read_errors":0,"write_errors":0,"timeouts":0,"non2xx":{"303":4}}
                """)
        #expect(result.failures.statuses == [303: 4])
    }

    /// Were the hook's counts lost, wrk's own count of answers of 400 and above still invalidates the load.
    @Test func keepsWrksOwnCountWhenTheHookSawFewer() throws {
        let result = try WrkResult.parse(
            name: "post",
            output: """
                WRK_JSON {"requests":10,"duration_us":1000000,"p50_us":1000,"p99_us":2000,"status_errors":5,\
                "connect_errors":0,"read_errors":0,"write_errors":0,"timeouts":0,"non2xx":{}}
                """)
        #expect(result.failures.total == 5)
    }

    @Test func refusesOutputWithoutTheSummaryLine() {
        #expect(throws: BenchError.self) {
            try WrkResult.parse(name: "get_by_id", output: "unable to connect to 127.0.0.1:18080 Connection refused")
        }
    }

    @Test func readsPgbenchsRate() throws {
        let output = "number of failed transactions: 0 (0.000%)\ntps = 47205.123456 (without initial connection time)\n"
        #expect(try PgBench.tps(in: output) == 47_205.123456)
        #expect(throws: BenchError.self) { try PgBench.tps(in: "pgbench: error: connection failed") }
    }
}

@Suite("Medians and delivery rates")
struct MedianTests {
    @Test func takesTheMiddleOfAnOddCountAndTheMeanOfTheTwoMiddleOfAnEvenOne() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([1_984, 2_100, 1_700]) == 1_984)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([7]) == 7)
        #expect(median([]) == nil)
    }

    @Test func countsOnlySecondsWithABacklogThroughout() {
        // 10,000 jobs written in the first second; 2,000 delivered a second from then on; the last second ends
        // with an empty queue, so it does not count.
        let created: [Int64: Int] = [100: 10_000]
        let finished: [Int64: Int] = [100: 2_000, 101: 2_000, 102: 2_000, 103: 2_000, 104: 2_000]
        let rate = DeliveryRate.measure(created: created, finished: finished)
        #expect(rate.delivered == 10_000)
        #expect(rate.busySeconds == 3)
        #expect(rate.perSecond == 2_000)
        #expect(!rate.keptPace)
    }

    @Test func saysWhenTheDeliveriesKeptPaceWithTheWrites() {
        let created: [Int64: Int] = [10: 300, 11: 300, 12: 300, 13: 100]
        let finished: [Int64: Int] = [10: 250, 11: 300, 12: 300, 13: 150]
        let rate = DeliveryRate.measure(created: created, finished: finished)
        #expect(rate.keptPace)
        #expect(rate.perSecond == 250)
        #expect(rate.delivered == 1_000)
    }

    @Test func answersZeroWithoutDeliveries() {
        #expect(DeliveryRate.measure(created: [5: 10], finished: [:]).perSecond == 0)
    }
}

@Suite("The table and bench/results.json")
struct BenchReportTests {
    static func wrk(_ name: String, _ rps: Double, p99: Double = 5, failures: Failures = Failures()) -> WrkResult {
        WrkResult(
            name: name, requests: Int(rps * 20), durationSeconds: 20, p50Milliseconds: 1, p99Milliseconds: p99,
            failures: failures)
    }

    static func run(get: Double, post: Double, postShape: Double, failures: Failures = Failures()) -> RunResult {
        RunResult(
            httpFloor: wrk("http_floor", 12_000), getByID: wrk("get_by_id", get, p99: 9), list: wrk("list", 3_000),
            post: wrk("post", post),
            report: wrk("report_sdg", 900, failures: failures), postDeliverySeconds: 2, rssLoadMegabytes: 120,
            select: 40_000, getShape: 20_000, listShape: 8_000, postShape: postShape, reportShape: 1_500)
    }

    static let seeding = SeedingResult(
        apiSeconds: 150, deliverySeconds: 870,
        delivery: DeliveryRate(delivered: 600_000, perSecond: 650, busySeconds: 900))

    static func report(_ runs: [RunResult], seeding: SeedingResult = seeding) -> BenchReport {
        BenchReport(
            figures: BenchFigures.figures(
                runs: runs, seeding: seeding,
                queue: QueueFigures(enqueue: 90_000, drain: 30_000, pgqueuerDrain: 14_000),
                rssIdle: 45, rssSeeded: 129),
            runs: runs.count)
    }

    static func object(_ report: BenchReport, _ name: String) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: report.jsonObjects())
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try #require(array.first { $0["figure"] as? String == name })
    }

    @Test func reportsMediansOfTheRunsBesideTheirOwnLimits() throws {
        let report = Self.report([
            Self.run(get: 9_000, post: 1_000, postShape: 1_400),
            Self.run(get: 7_000, post: 1_200, postShape: 1_500),
            Self.run(get: 8_000, post: 1_100, postShape: 1_300),
        ])
        let get = try Self.object(report, "get_by_id_rps")
        #expect(get["value"] as? Double == 8_000)
        #expect(get["limit"] as? Double == 20_000)
        #expect(get["limitName"] as? String == "pgbench GET shape")
        #expect(get["ratio"] as? Double == 0.4)
        #expect(get["met"] as? Bool == true)
        #expect(get["runs"] as? [Double] == [9_000, 7_000, 8_000])
        let post = try Self.object(report, "post_rps")
        #expect(post["limit"] as? Double == 1_400)
        #expect(post["target"] as? String == "≥ 2000 and ≥ 0.80 × limit")
        #expect(post["met"] as? Bool == false)
        let list = try Self.object(report, "list_rps")
        #expect(list["limitName"] as? String == "pgbench list shape")
    }

    @Test func keepsTheShapeAndAddsTheNewFigures() throws {
        let report = Self.report([Self.run(get: 2_000, post: 254, postShape: 1_405)])
        for name in [
            "get_by_id_rps", "get_by_id_p99_ms", "list_rps", "post_rps", "report_sdg_rps", "pgbench_select_tps",
            "pgbench_get_shape_tps", "pgbench_list_shape_tps", "pgbench_post_shape_tps", "pgbench_report_shape_tps",
            "event_delivery_per_s", "seed_delivery_s", "queue_drain_per_s", "rss_idle_mb", "rss_load_mb",
        ] {
            let object = try Self.object(report, name)
            for key in ["figure", "value", "unit", "limit", "ratio"] { #expect(object[key] != nil, "\(name).\(key)") }
        }
        #expect(try Self.object(report, "event_delivery_per_s")["value"] as? Double == 650)
        #expect(try Self.object(report, "event_delivery_per_s")["met"] as? Bool == false)
        #expect(try Self.object(report, "seed_delivery_s")["value"] as? Double == 870)
        #expect(try Self.object(report, "pgbench_get_shape_tps")["ratio"] as? Double == 0.5)
        // One run: no list of runs.
        #expect(try Self.object(report, "get_by_id_rps")["runs"] == nil)
    }

    @Test func marksAFigureWithFailedRequestsInvalidInTheJSONAndTheTable() throws {
        let report = Self.report([
            Self.run(
                get: 9_000, post: 2_500, postShape: 2_600, failures: Failures(statuses: [429: 40], socketErrors: 2))
        ])
        let sdg = try Self.object(report, "report_sdg_rps")
        #expect(sdg["valid"] as? Bool == false)
        #expect(sdg["met"] as? Bool == false)
        #expect(sdg["failedRequests"] as? Int == 42)
        #expect(sdg["failures"] as? String == "429 × 40, 2 socket errors")
        #expect(try Self.object(report, "report_sdg_p99_ms")["valid"] as? Bool == false)
        #expect(try Self.object(report, "get_by_id_rps")["valid"] == nil)
        let line = try #require(report.tableLines().first { $0.hasPrefix("report_sdg_rps") })
        #expect(line.contains("NOT valid: 42 requests failed (429 × 40, 2 socket errors)"))
        let target = try #require(report.targetLines().first { $0.contains("reports/sdg:") })
        #expect(target.contains("NOT valid"))
    }

    @Test func printsALinePerTargetOfTheIssue() throws {
        let lines = Self.report([Self.run(get: 9_000, post: 2_500, postShape: 2_600)]).targetLines()
        for label in [
            "GET by id:", "GET by id p99:", "list of 50:", "POST activity:", "reports/sdg:", "event delivery",
            "memory under load:", "memory idle:",
        ] {
            #expect(lines.contains { $0.contains(label) }, "\(label)")
        }
        let get = try #require(lines.first { $0.contains("GET by id:") })
        #expect(get.contains("limit pgbench GET shape 20000"))
        #expect(get.hasSuffix(": met"))
        let post = try #require(lines.first { $0.contains("POST activity:") })
        #expect(post.hasSuffix(": met"))
        let sdg = try #require(lines.first { $0.contains("reports/sdg:") })
        #expect(sdg.hasSuffix(": NOT met"))
        // A target missed sends the reader to what limits it and what was tried.
        #expect(lines.last == BenchReport.whatWasTried)
    }

    @Test func writesTheJSONFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.report([Self.run(get: 9_000, post: 2_500, postShape: 2_600)]).write(to: path)
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]])
        #expect(array.first?["figure"] as? String == "get_by_id_rps")
    }
}

@Suite("make bench's options")
struct BenchOptionsTests {
    @Test func keepsTheIssuesSeedingUnlessToldOtherwise() throws {
        let options = try BenchOptions(arguments: ["bench"])
        #expect(options.tenants == 300)
        #expect(options.activitiesPerPartnership == 100)
        #expect(options.runs == 1)
        #expect(options.rateLimit == BenchOptions.defaultRateLimit)
    }

    @Test func readsRunsAndTheSmallSeeding() throws {
        let options = try BenchOptions(arguments: ["bench", "--small", "--runs", "3", "--activities", "20"])
        #expect(options.tenants == BenchOptions.smallTenants)
        #expect(options.runs == 3)
        #expect(options.activitiesPerPartnership == 20)
    }

    @Test func refusesWhatItDoesNotKnow() {
        #expect(throws: BenchError.self) { try BenchOptions(arguments: ["bench", "--runs", "0"]) }
        #expect(throws: BenchError.self) { try BenchOptions(arguments: ["bench", "--fast"]) }
    }

    @Test func seedsTheRequestedActivitiesPerPartnership() {
        let csv = Seeder.activitiesCSV(partnerships: ["A", "B"], seed: 1, perPartnership: 3)
        // The header and 2 × 3 rows, each ended by CRLF.
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 7)
    }
}

@Suite("Processor time per request")
struct ProcessorTimeTests {
    @Test func readsAProcessStatWhoseNameHasSpacesAndParentheses() throws {
        let stat =
            "4242 (postgres: bench (x) idle) S 4200 4200 4200 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 100 0 0"
        let parsed = try #require(ProcessorMeter.parseStat(stat))
        #expect(parsed.parent == 4200)
        #expect(parsed.own == 300)
        #expect(parsed.children == 10)
        #expect(ProcessorMeter.parseStat("4242 (truncated) S 1 2") == nil)
    }

    @Test func countsIdleAndWaitingForTheDiskAsNotBusy() throws {
        let machine = try #require(
            ProcessorMeter.machineTicks("cpu  100 10 40 800 50 0 0 0 0 0\ncpu0 50 5 20 400 25 0 0 0 0 0\n"))
        #expect(machine.busy == 150)
        #expect(machine.total == 1_000)
        #expect(ProcessorMeter.machineTicks("intr 1 2 3\n") == nil)
    }

    @Test func splitsTheRunsTicksPerRequestAndBoundsTheRate() throws {
        let ticks = ProcessorMeter.clockTicksPerSecond
        // Ten seconds on two cores, all busy: six for the server, three for PostgreSQL, one for the rest.
        let start = ProcessorMeter.Sample(machineBusy: 0, machineTotal: 0, server: 0, postgres: 0)
        let end = ProcessorMeter.Sample(
            machineBusy: 20 * ticks, machineTotal: 20 * ticks, server: 12 * ticks, postgres: 6 * ticks)
        let use = try #require(ProcessorMeter.use(from: start, to: end, requests: 40_000, cores: 2))
        #expect(abs(use.serverMicroseconds - 300) < 0.001)
        #expect(abs(use.postgresMicroseconds - 150) < 0.001)
        #expect(abs(use.otherMicroseconds - 50) < 0.001)
        #expect(use.machineBusy == 1)
        #expect(abs(use.processorBound - 4_000) < 0.001)
        #expect(ProcessorMeter.use(from: start, to: end, requests: 0, cores: 2) == nil)
    }

    @Test func saysWhereAMissedTargetIsBoundAndKeepsItInTheJSON() throws {
        var run = BenchReportTests.run(get: 3_000, post: 2_500, postShape: 2_600)
        run.getByID.processor = ProcessorUse(
            serverMicroseconds: 300, postgresMicroseconds: 150, otherMicroseconds: 50, machineBusy: 0.98, cores: 2)
        let report = BenchReportTests.report([run])
        let get = try #require(report.targetLines().first { $0.contains("GET by id:") })
        #expect(get.hasSuffix("NOT met; processor-bound at 4000 req/s"))
        #expect(
            report.processorLines().contains(
                "  GET by id: server 300 µs, PostgreSQL 150 µs, the rest 50.0 µs a request; machine 98 % busy: "
                    + "bound at 4000 req/s on 2 cores"))
        let object = try BenchReportTests.object(report, "get_by_id_rps")
        let processor = try #require(object["processor"] as? [String: Any])
        #expect(processor["serverMicroseconds"] as? Double == 300)
        #expect(processor["processorBoundPerSecond"] as? Double == 4_000)
    }

    @Test func setsTheGETBesideTheHTTPStacksFloor() throws {
        var run = BenchReportTests.run(get: 3_000, post: 2_500, postShape: 2_600)
        run.getByID.processor = ProcessorUse(
            serverMicroseconds: 300, postgresMicroseconds: 150, otherMicroseconds: 50, machineBusy: 0.98, cores: 2)
        run.httpFloor.processor = ProcessorUse(
            serverMicroseconds: 100, postgresMicroseconds: 0, otherMicroseconds: 30, machineBusy: 1, cores: 2)
        let lines = BenchReportTests.report([run]).targetLines()
        // 100 µs in the server, the GET's 150 in PostgreSQL and 50 elsewhere: 300 µs, 6,667 a second on two cores.
        #expect(
            lines.contains(
                "  the HTTP stack alone (GET /healthz) costs the server 100 µs a request, the GET 300 µs: with the "
                    + "floor's cost in the server and its own elsewhere, the GET would be bound at 6667 req/s"))
        // A GET that met its target needs no floor beside it.
        var met = BenchReportTests.run(get: 9_000, post: 2_500, postShape: 2_600)
        met.getByID.processor = run.getByID.processor
        met.httpFloor.processor = run.httpFloor.processor
        #expect(!BenchReportTests.report([met]).targetLines().contains { $0.contains("GET /healthz") })
    }

    @Test func saysWhereTheSeedingsDeliveriesAreBound() throws {
        // Ten seconds on two cores, all busy, 50,000 deliveries: 400 µs each, 5,000 a second at most.
        let ticks = ProcessorMeter.clockTicksPerSecond
        let use = try #require(
            ProcessorMeter.use(
                from: ProcessorMeter.Sample(machineBusy: 0, machineTotal: 0, server: 0, postgres: 0),
                to: ProcessorMeter.Sample(
                    machineBusy: 20 * ticks, machineTotal: 20 * ticks, server: 8 * ticks, postgres: 11 * ticks),
                requests: 50_000, cores: 2, unit: .delivery))
        var seeding = BenchReportTests.seeding
        seeding.processor = use
        let report = BenchReportTests.report(
            [BenchReportTests.run(get: 3_000, post: 2_500, postShape: 2_600)], seeding: seeding)
        let line = try #require(report.targetLines().first { $0.contains("event delivery (sustained, seeding):") })
        #expect(line.hasSuffix("NOT met; processor-bound at 5000 events/s"))
        #expect(
            report.processorLines().contains(
                "  event delivery (sustained, seeding): server 160 µs, PostgreSQL 220 µs, the rest 20.0 µs a delivery; "
                    + "machine 100 % busy: bound at 5000 events/s on 2 cores"))
        // Without a sample of the deliveries, the line says nothing of the processor.
        let plain = try #require(
            BenchReportTests.report([BenchReportTests.run(get: 3_000, post: 2_500, postShape: 2_600)]).targetLines()
                .first { $0.contains("event delivery (sustained, seeding):") })
        #expect(plain.hasSuffix("NOT met"))
    }
}

@Suite("pgbench shapes")
struct PgBenchShapesTests {
    static let counts = PgBenchShapes.Counts(activities: 300_000, partnerships: 3_000, tenants: 300)

    @Test func eachReadIsOneImplicitTransactionAsTheServerSendsIt() {
        for (script, table) in [
            (PgBenchShapes.getByID(Self.counts), "bench_activities"),
            (PgBenchShapes.list(Self.counts), "bench_partnerships"),
            (PgBenchShapes.reportSDG(Self.counts), "bench_tenants"),
        ] {
            let pipelines = script.components(separatedBy: "\\startpipeline").count - 1
            #expect(pipelines == 1, "one round trip")
            #expect(
                script.contains(
                    "set_config('app.tenant_id', (SELECT tenant_id::text FROM public.\(table) WHERE n = :n), true)"))
            #expect(script.contains("set_config('transaction_read_only', 'on', true)"))
            #expect(!script.contains("BEGIN"))
            #expect(!script.contains("COMMIT"))
            #expect(script.hasSuffix("\\endpipeline\n"))
        }
        #expect(PgBenchShapes.getByID(Self.counts).hasPrefix("\\set n random(1, 300000)\n"))
        #expect(PgBenchShapes.list(Self.counts).contains("LIMIT 51;"))
    }

    @Test func thePostIsTwoRoundTripsAsTheServerSendsIt() {
        let post = PgBenchShapes.post(Self.counts)
        #expect(post.components(separatedBy: "\\startpipeline").count - 1 == 2, "two round trips")
        #expect(
            post.contains(
                "BEGIN;\nSELECT set_config('app.tenant_id', (SELECT tenant_id::text FROM public.bench_partnerships WHERE n = :n), true);"
            ))
        #expect(post.contains("WHERE EXISTS (SELECT FROM activities.partnerships p"))
        #expect(post.contains("COMMIT;\nSELECT pg_notify('messaging_jobs', '');\n\\endpipeline\n"))
        #expect(!post.contains("\\gset"))
        #expect(!post.contains("messaging.jobs"), "queued subscribers read the event log")
        #expect(!post.contains("READ ONLY"))
    }
}
