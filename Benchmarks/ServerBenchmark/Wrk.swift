import BenchmarkSupport
import Foundation

/// One `wrk` measurement: requests per second, latency percentiles and the requests that failed, read from
/// the script's `done`.
struct WrkResult: Equatable {
    var name: String
    var requests: Int
    var durationSeconds: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var failures: Failures
    /// Where the measured run's processor time went, when it was metered.
    var processor: ProcessorUse? = nil

    var requestsPerSecond: Double { durationSeconds > 0 ? Double(requests) / durationSeconds : 0 }

    /// Reads the `WRK_JSON {…}` line that ``WrkScripts/report`` prints: the answers other than 2xx come from
    /// the `response` hook (per status), the socket errors from wrk's summary.
    static func parse(name: String, output: String) throws -> WrkResult {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("WRK_JSON ") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(9).utf8)) as? [String: Any],
            let requests = object["requests"] as? Int, let duration = object["duration_us"] as? Int,
            let p50 = object["p50_us"] as? Int, let p99 = object["p99_us"] as? Int
        else { throw BenchError("wrk printed no result for \(name): \(output.suffix(2_000))") }
        var statuses: [Int: Int] = [:]
        for (status, count) in object["non2xx"] as? [String: Int] ?? [:] {
            if let status = Int(status), count > 0 { statuses[status] = count }
        }
        // wrk itself counts answers of 400 and above; the hook sees every answer, so it knows at least as many.
        let counted = statuses.values.reduce(0, +)
        if let wrkCounted = object["status_errors"] as? Int, wrkCounted > counted {
            statuses[0, default: 0] += wrkCounted - counted
        }
        let socket = ["connect_errors", "read_errors", "write_errors", "timeouts"].reduce(0) {
            $0 + (object[$1] as? Int ?? 0)
        }
        return WrkResult(
            name: name, requests: requests, durationSeconds: Double(duration) / 1e6,
            p50Milliseconds: Double(p50) / 1000, p99Milliseconds: Double(p99) / 1000,
            failures: Failures(statuses: statuses, socketErrors: socket))
    }
}

/// Runs `wrk` against the server: a warm-up, then the measured run, with the options' connections and time.
struct Wrk {
    let options: BenchOptions
    let baseURL: String
    let folder: String
    /// Reads the server's, PostgreSQL's and the machine's processor time around the measured run.
    let meter: ProcessorMeter

    func run(_ name: String, script: String) async throws -> WrkResult {
        let path = "\(folder)/\(name).lua"
        try (script + WrkScripts.report).write(toFile: path, atomically: true, encoding: .utf8)
        let arguments = [
            "-t", String(options.threads), "-c", String(options.connections), "--timeout", "10s", "-s", path, baseURL,
        ]
        say(
            "wrk \(name): \(options.warmUp) s warm-up, then \(options.duration) s at \(options.connections) connections…"
        )
        _ = try await Command.run("wrk", ["-d", "\(options.warmUp)s"] + arguments)
        let before = try meter.sample()
        let output = try await Command.run("wrk", ["-d", "\(options.duration)s"] + arguments)
        let after = try meter.sample()
        var result = try WrkResult.parse(name: name, output: output)
        result.processor = ProcessorMeter.use(
            from: before, to: after, requests: result.requests, cores: ProcessInfo.processInfo.activeProcessorCount)
        say(
            "  \(format(result.requestsPerSecond)) req/s, p50 \(format(result.p50Milliseconds)) ms, "
                + "p99 \(format(result.p99Milliseconds)) ms"
                + (result.failures.total > 0 ? ", failed: \(result.failures.summary)" : "")
                + (result.processor.map { "; \($0.summary)" } ?? ""))
        return result
    }
}

/// The Lua scripts: each request picks a random municipality (its token) and one of its rows, so the load is
/// spread over the tenants and the tables as many users would spread it.
enum WrkScripts {
    /// The floor of every request: the HTTP stack and the middleware (request id, access log), without a
    /// token, the database or a JSON body.
    static let healthz = """
        request = function()
          return wrk.format("GET", "/healthz")
        end

        """

    static func getByID(_ seed: SeededData) -> String {
        table(seed.municipalities.flatMap { m in m.activities.map { (m.token, $0) } })
            + """
            request = function()
              local pick = rows[math.random(#rows)]
              return wrk.format("GET", "/api/v1/activities/" .. pick[2], { ["Authorization"] = "Bearer " .. pick[1] })
            end

            """
    }

    static func list(_ seed: SeededData) -> String {
        table(seed.municipalities.flatMap { m in m.partnerships.map { (m.token, $0) } })
            + """
            request = function()
              local pick = rows[math.random(#rows)]
              return wrk.format("GET", "/api/v1/activities?partnershipId=" .. pick[2] .. "&limit=50",
                { ["Authorization"] = "Bearer " .. pick[1] })
            end

            """
    }

    /// The body a coordinator's form would send: a COVID-19 hygiene campaign with two targets and a budget.
    static func post(_ seed: SeededData) -> String {
        table(seed.municipalities.flatMap { m in m.partnerships.map { (m.token, $0) } })
            + """
            local body = '{"title":"Handwashing stations at the market","kind":"awareness_campaign",'
              .. '"status":"ongoing","startsOn":"2020-04-01","direction":"mutual","sdgTargets":["3.d","6.2"],'
              .. '"themes":["covid-19","hygiene"],"budget":{"planned":"2500.00","spent":"400.00","currency":"EUR"}}'
            request = function()
              local pick = rows[math.random(#rows)]
              return wrk.format("POST", "/api/v1/partnerships/" .. pick[2] .. "/activities",
                { ["Authorization"] = "Bearer " .. pick[1], ["Content-Type"] = "application/json" }, body)
            end

            """
    }

    static func reportSDG(_ seed: SeededData) -> String {
        table(seed.municipalities.map { ($0.token, "") })
            + """
            request = function()
              local pick = rows[math.random(#rows)]
              return wrk.format("GET", "/api/v1/reports/sdg", { ["Authorization"] = "Bearer " .. pick[1] })
            end

            """
    }

    private static func table(_ rows: [(String, String)]) -> String {
        "rows = {\n" + rows.map { "  {\"\($0.0)\", \"\($0.1)\"},\n" }.joined() + "}\n"
    }

    /// Seeds each thread's generator apart, counts every answer other than 2xx per status (the `response`
    /// hook), and prints the summary as one JSON line.
    static let report = """
        local threads = {}
        function setup(thread)
          table.insert(threads, thread)
          thread:set("thread_number", #threads)
        end
        non2xx = {}
        function init(args)
          math.randomseed(os.time() * 100 + (thread_number or 0))
        end
        function response(status, headers, body)
          if status < 200 or status > 299 then
            non2xx[status] = (non2xx[status] or 0) + 1
          end
        end
        function done(summary, latency, requests)
          local statuses = {}
          for _, thread in ipairs(threads) do
            for status, count in pairs(thread:get("non2xx") or {}) do
              statuses[status] = (statuses[status] or 0) + count
            end
          end
          local parts = {}
          for status, count in pairs(statuses) do
            table.insert(parts, string.format('"%d":%d', status, count))
          end
          io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
            .. '"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,'
            .. '"non2xx":{%s}}\\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
            summary.errors.timeout, table.concat(parts, ",")))
        end

        """
}
