import BenchmarkSupport
import EmbeddedPostgres
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A public route measured: its pattern as the access log names it (`http.route`), with `{municipality}` and
/// `{partnership}` filled from a published partnership for each request. A new page is one more line here.
struct ShowcaseRoute: Equatable, Sendable {
    var template: String

    var name: String { "GET " + template }

    func path(municipality: String, partnership: String) -> String {
        template.replacingOccurrences(of: "{municipality}", with: municipality)
            .replacingOccurrences(of: "{partnership}", with: partnership)
    }

    static let all: [ShowcaseRoute] = [
        "/showcase", "/showcase/{municipality}", "/showcase/{municipality}/{partnership}", "/showcase/feed.atom",
        "/showcase/{municipality}/feed.atom",
    ].map { ShowcaseRoute(template: $0) }
}

/// One route's figures in one run: the server's own from its access log, wrk's beside them.
struct RouteFigures: Equatable {
    var route: String
    /// Answers of 200 in the measured run, whose `http.duration_ms` make the percentiles.
    var requests: Int
    /// Answers other than 200 in the measured run, per status.
    var otherStatuses: [Int: Int]
    var p50: Double
    var p95: Double
    var p99: Double
    var requestsPerSecond: Double
    /// wrk's 99th percentile (the client's, HTTP included), in milliseconds.
    var wrkP99: Double
    /// The size of one answer's body.
    var bytes: Int
}

/// The released server in its own process, as in production: HTTP and the job workers, the access log as JSON
/// lines in a file.
final class ShowcaseServer: @unchecked Sendable {
    let process: Process
    let baseURL: String
    let log: String

    private init(process: Process, baseURL: String, log: String) {
        self.process = process
        self.baseURL = baseURL
        self.log = log
    }

    static func start(binary: String, databaseURL: String, folder: String, noWorkers: Bool) throws -> ShowcaseServer {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            ["serve", "--host", "127.0.0.1", "--port", String(port)] + (noWorkers ? ["--no-workers"] : [])
        // The address limit of public pages is raised out of the way: every request comes from 127.0.0.1.
        let limit = "1000000"
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": databaseURL, "LOG_LEVEL": "info", "LOG_FORMAT": "json",
            "RATE_LIMIT_PER_SECOND": limit, "RATE_LIMIT_BURST": limit,
            "RATE_LIMIT_ADDRESS_PER_SECOND": limit, "RATE_LIMIT_ADDRESS_BURST": limit,
        ]) { $1 }
        let log = folder + "/server.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        say("Started \(binary) serve (pid \(process.processIdentifier)); its log: \(log)")
        return ShowcaseServer(process: process, baseURL: "http://127.0.0.1:\(port)", log: log)
    }

    func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BenchError("the server exited; see \(log)") }
            if let (status, _) = try? await get("/readyz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("the server was not ready in \(timeout); see \(log)")
    }

    /// The status and body size of a plain GET, without `If-None-Match`.
    func get(_ path: String) async throws -> (Int, Int) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data.count)
    }

    /// The log's size now: where the lines of the next requests will start.
    func logOffset() throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The whole lines written to the log from `offset` on.
    func logLines(from offset: UInt64) throws -> [Substring] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let text = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if !text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        return lines
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// A port nobody listens on now, from the kernel.
    static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { throw BenchError("no socket for a free port") }
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
            }
        }
        guard bound else { throw BenchError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Loads one route with wrk and reads the server's own figures from its access log.
struct RouteLoad {
    let options: ShowcaseOptions
    let server: ShowcaseServer
    /// Published partnerships (municipality slug, partnership slug): each request picks one.
    let pairs: [(String, String)]
    let folder: String

    func measure(_ route: ShowcaseRoute) async throws -> RouteFigures {
        let script =
            folder + "/"
            + route.template.filter { $0.isLetter || $0 == "/" }
            .replacingOccurrences(of: "/", with: "_") + ".lua"
        try Self.script(route, pairs: pairs).write(toFile: script, atomically: true, encoding: .utf8)
        let arguments = [
            "-t", String(options.threads), "-c", String(options.connections), "--timeout", "10s", "--latency",
            "-s", script, server.baseURL,
        ]
        say(
            "wrk \(route.name): \(options.warmUp) s warm-up, then \(options.duration) s at "
                + "\(options.connections) connections…")
        _ = try await Command.run("wrk", ["-d", "\(options.warmUp)s"] + arguments)
        // The warm-up's last lines are written within the log's flush interval (250 ms).
        try await Task.sleep(for: .seconds(1))
        let offset = try server.logOffset()
        let output = try await Command.run("wrk", ["-d", "\(options.duration)s"] + arguments)
        try await Task.sleep(for: .seconds(1))
        let lines = try server.logLines(from: offset)
        let (durations, others) = AccessLog.durations(of: route.template, in: lines)
        guard !durations.isEmpty else {
            throw BenchError("no access-log line of \(route.name) answered 200; e.g. \(lines.suffix(2))")
        }
        let (status, bytes) = try await server.get(route.path(municipality: pairs[0].0, partnership: pairs[0].1))
        guard status == 200 else { throw BenchError("\(route.name) answered \(status) after its load") }
        let sorted = durations.sorted()
        let figures = RouteFigures(
            route: route.template, requests: sorted.count, otherStatuses: others,
            p50: percentile(sorted, 0.50), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99),
            requestsPerSecond: try WrkOutput.requestsPerSecond(output), wrkP99: try WrkOutput.p99Milliseconds(output),
            bytes: bytes)
        say(
            "  \(format(figures.requestsPerSecond)) req/s; at the server p50 \(format(figures.p50)) ms, "
                + "p95 \(format(figures.p95)) ms, p99 \(format(figures.p99)) ms (\(figures.requests) answers)"
                + (others.isEmpty ? "" : "; other answers: \(others.sorted { $0.key < $1.key })"))
        return figures
    }

    /// Each request: a random published partnership and a random language, no `If-None-Match`; each thread's
    /// generator seeded apart.
    static func script(_ route: ShowcaseRoute, pairs: [(String, String)]) -> String {
        "partnerships = {\n" + pairs.map { "  {\"\($0.0)\", \"\($0.1)\"},\n" }.joined() + "}\n"
            + """
            template = "\(route.template)"
            languages = { "nl", "en", "fr", "es" }
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("number", threads)
            end
            function init(args)
              math.randomseed(os.time() * 100 + (number or 0))
            end
            request = function()
              local pick = partnerships[math.random(#partnerships)]
              local path = template:gsub("{municipality}", pick[1]):gsub("{partnership}", pick[2])
              return wrk.format("GET", path, { ["Accept-Language"] = languages[math.random(#languages)] })
            end

            """
    }
}

/// The access log's JSON lines (`LOG_FORMAT=json`, `AccessLogMiddleware`).
enum AccessLog {
    /// The `http.duration_ms` of the GETs of `route` answered 200, and how many got another status, per status.
    static func durations(of route: String, in lines: [Substring]) -> ([Double], [Int: Int]) {
        var durations: [Double] = []
        var others: [Int: Int] = [:]
        for line in lines where line.contains("\"http.duration_ms\"") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["http.method"] as? String == "GET", object["http.route"] as? String == route,
                let status = (object["http.status"] as? String).flatMap(Int.init),
                let milliseconds = (object["http.duration_ms"] as? String).flatMap(Double.init)
            else { continue }
            if status == 200 { durations.append(milliseconds) } else { others[status, default: 0] += 1 }
        }
        return (durations, others)
    }
}

/// wrk's own summary (`--latency`).
enum WrkOutput {
    static func requestsPerSecond(_ output: String) throws -> Double {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let value = line.split(separator: " ").last.flatMap({ Double($0) })
        else { throw BenchError("wrk printed no Requests/sec: \(output.suffix(1_000))") }
        return value
    }

    /// The `99%` line of the latency distribution (`12.34ms`, `1.20s`, `850.00us`) in milliseconds.
    static func p99Milliseconds(_ output: String) throws -> Double {
        guard
            let line = output.split(separator: "\n").first(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%")
            }), let text = line.split(separator: " ").last
        else { throw BenchError("wrk printed no 99% line: \(output.suffix(1_000))") }
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)]
        where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)) { return value * scale }
        }
        throw BenchError("wrk's 99% is not a duration: \(text)")
    }
}

/// `pgbench -S` (one primary-key SELECT per transaction) on a scale-10 database of its own in the same cluster,
/// as the superuser: what PostgreSQL alone does on this machine, at the routes' clients and duration.
struct SelectOnly {
    let lease: EmbeddedPostgres.Lease
    let options: ShowcaseOptions

    var environment: [String: String] {
        ["PGHOST": lease.socketDirectory, "PGPORT": String(lease.port), "PGUSER": lease.superuser]
    }

    static func prepare(lease: EmbeddedPostgres.Lease, options: ShowcaseOptions) async throws -> SelectOnly {
        let limit = SelectOnly(lease: lease, options: options)
        say("pgbench: initialising a scale-10 database (1,000,000 accounts)…")
        try await Command.run("createdb", ["pgbench"], environment: limit.environment)
        try await Command.run("pgbench", ["-i", "-q", "-s", "10", "pgbench"], environment: limit.environment)
        return limit
    }

    func run() async throws -> SelectFigures {
        let common = ["-S", "-n", "-c", String(options.connections), "-j", String(options.threads)]
        say("pgbench -S: \(options.warmUp) s warm-up, then \(options.duration) s at \(options.connections) clients…")
        _ = try await Command.run(
            "pgbench", common + ["-T", String(options.warmUp), "pgbench"], environment: environment)
        let output = try await Command.run(
            "pgbench", common + ["-T", String(options.duration), "pgbench"], environment: environment)
        let figures = try SelectFigures.parse(output)
        say("  \(format(figures.tps)) tps, latency average \(String(format: "%.3f", figures.latencyMilliseconds)) ms")
        return figures
    }
}

struct SelectFigures: Equatable {
    var tps: Double
    var latencyMilliseconds: Double

    /// `tps = 35012.345678 (without initial connection time)` and `latency average = 0.114 ms`.
    static func parse(_ output: String) throws -> SelectFigures {
        let lines = output.split(separator: "\n")
        guard let tpsLine = lines.first(where: { $0.hasPrefix("tps = ") }),
            let tps = tpsLine.dropFirst(6).split(separator: " ").first.flatMap({ Double($0) }),
            let latencyLine = lines.first(where: { $0.hasPrefix("latency average = ") }),
            let latency = latencyLine.dropFirst(18).split(separator: " ").first.flatMap({ Double($0) })
        else { throw BenchError("pgbench printed no tps or latency: \(output.suffix(1_000))") }
        return SelectFigures(tps: tps, latencyMilliseconds: latency)
    }
}

/// `/proc/loadavg`'s three figures: how busy the shared machine was.
struct LoadAverage: Equatable {
    var one: Double
    var five: Double
    var fifteen: Double

    static func now() -> LoadAverage {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        let figures = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard figures.count == 3 else { return LoadAverage(one: -1, five: -1, fifteen: -1) }
        return LoadAverage(one: figures[0], five: figures[1], fifteen: figures[2])
    }
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
