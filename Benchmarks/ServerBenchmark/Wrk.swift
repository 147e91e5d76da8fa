import Foundation

/// One `wrk` measurement: requests per second and latency percentiles, read from the script's `done`.
struct WrkResult {
    var name: String
    var requests: Int
    var durationSeconds: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var statusErrors: Int
    var socketErrors: Int

    var requestsPerSecond: Double { Double(requests) / durationSeconds }
    var failures: Int { statusErrors + socketErrors }
    var failureSummary: String { "\(statusErrors) answers other than 2xx or 3xx, \(socketErrors) socket errors" }
}

/// Runs `wrk` against the server: a warm-up, then the measured run, with the options' connections and time.
struct Wrk {
    let options: BenchOptions
    let baseURL: String
    let folder: String

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
        let output = try await Command.run("wrk", ["-d", "\(options.duration)s"] + arguments)
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("WRK_JSON ") }),
            let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(9).utf8)) as? [String: Any],
            let requests = object["requests"] as? Int, let duration = object["duration_us"] as? Int,
            let p50 = object["p50_us"] as? Int, let p99 = object["p99_us"] as? Int
        else { throw BenchError("wrk printed no result for \(name): \(output)") }
        let socket = ["connect_errors", "read_errors", "write_errors", "timeouts"].reduce(0) {
            $0 + (object[$1] as? Int ?? 0)
        }
        let result = WrkResult(
            name: name, requests: requests, durationSeconds: Double(duration) / 1e6,
            p50Milliseconds: Double(p50) / 1000, p99Milliseconds: Double(p99) / 1000,
            statusErrors: object["status_errors"] as? Int ?? 0, socketErrors: socket)
        say(
            "  \(format(result.requestsPerSecond)) req/s, p50 \(format(result.p50Milliseconds)) ms, "
                + "p99 \(format(result.p99Milliseconds)) ms"
                + (result.failures > 0 ? ", \(result.failureSummary)" : ""))
        return result
    }
}

/// The Lua scripts: each request picks a random municipality (its token) and one of its rows, so the load is
/// spread over the tenants and the tables as many users would spread it.
enum WrkScripts {
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

    /// Seeds each thread's generator apart and prints the summary as one JSON line.
    static let report = """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("thread_number", threads)
        end
        function init(args)
          math.randomseed(os.time() * 100 + (thread_number or 0))
        end
        function done(summary, latency, requests)
          io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
            .. '"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
            summary.errors.timeout))
        end

        """
}
