import ActivitiesContracts
import BenchmarkSeed
import EmbeddedPostgres
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import Messaging
import Migrations
import Postgres
import Reporting
import Vocabulary

/// `make bench-reports`: 300 municipalities × 10 partnerships × 100 activities in the read model, on a private
/// cluster with default durability; measures a municipality's `GET /api/v1/reports/sdg` and the platform
/// aggregate over HTTP (a live server on this machine), and how long an activity change takes to show in the
/// reports on an idle system.
@main
struct ReportBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
                ?? fallback
        }
        let tenants = option("--tenants", 300)
        let requests = option("--requests", 400)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-reports-\(getpid())")
            .path
        let lease = try await EmbeddedPostgres(directory: folder + "/postgres", databaseName: "bench", logger: logger)
            .start()
        do {
            try await run(tenants: tenants, requests: requests, lease: lease, logger: logger)
            try await lease.release()
        } catch {
            try? await lease.release()
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func run(tenants: Int, requests: Int, lease: EmbeddedPostgres.Lease, logger: Logger) async throws {
        let admin = try PostgresConfiguration(url: lease.url)
        try await MigrationRunner(
            migrations: try MigrationSet.resolve(directory: nil), configuration: admin,
            logger: logger
        ).up()
        print("Seeding \(tenants) municipalities × 10 partnerships × 100 activities into the read model…")
        let seeded = ContinuousClock.now
        let (tenantToken, tenantID, platformToken, partnershipID) = try await PostgresConnection.withConnection(
            to: admin, logger: logger
        ) { connection in
            try await seed(tenants: tenants, on: connection)
        }
        print("Seeded in \(format(seconds(ContinuousClock.now - seeded))) s.")
        let summing = ContinuousClock.now
        try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            try await ReadModelSeed.reports(municipalities: tenants).recount(on: connection)
        }
        print("Platform figures summed from the seeded model in \(format(seconds(ContinuousClock.now - summing))) s.")

        let app = admin.withSessionSetting("role", MigrationRunner.appRole)
        let pool = PostgresConnectionPool(configuration: .init(connection: app, maximumConnections: 10), logger: logger)
        let queue = PostgresJobQueue()
        let environment = GatewayEnvironment(
            pool: pool, readiness: Always(), logger: logger, rateLimiter: RateLimiter(rate: 1e9, burst: 1e9))
        let router = buildRouter(environment: environment)
        let kernel = try Kernel.assemble(
            plugins: [ReportingPlugin()], configuration: KernelConfiguration(), router: router,
            environment: environment, queue: queue, logger: logger)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            func measure(_ uri: String, token: String, count: Int) async throws -> [Double] {
                var samples: [Double] = []
                for index in 0..<(count + 20) {
                    let start = ContinuousClock.now
                    let response = try await client.execute(
                        uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                    guard response.status == .ok else { throw Failure(reason: "\(uri): \(response.status)") }
                    if index >= 20 { samples.append(seconds(ContinuousClock.now - start) * 1000) }
                }
                return samples.sorted()
            }
            let sdg = try await measure("/api/v1/reports/sdg", token: tenantToken, count: requests)
            print(
                "Municipality GET /api/v1/reports/sdg (1,000 activities): p50 \(format(percentile(sdg, 0.5))) ms, "
                    + "p95 \(format(percentile(sdg, 0.95))) ms (target ≤ 20 ms)")
            let platform = try await measure(
                "/api/v1/platform/reports/sdg", token: platformToken, count: max(20, requests / 10))
            print(
                "Platform GET /api/v1/platform/reports/sdg (\(tenants * 1_000) activities): p50 "
                    + "\(format(percentile(platform, 0.5))) ms, p95 \(format(percentile(platform, 0.95))) ms (target ≤ 200 ms)"
            )
        }

        // An activity change reaching the reports: publish, then poll the read model until its version shows.
        let workers = JobWorkers(
            configuration: .init(concurrency: 10), kinds: kernel.jobKinds, pool: pool, queue: queue, listenOn: app,
            logger: logger)
        let running = Task { try await workers.run() }
        // The events reach the read model's subscriber from its cursor (docs/queue.md, "Event cursors"), not as
        // jobs: without these workers no change is ever seen.
        let deliveries = EventCursorWorkers(
            configuration: .init(), subscriptions: kernel.bus.subscriptions, pool: pool, clock: SystemClock(),
            listenOn: app, logger: logger)
        let delivering = Task { try await deliveries.run() }
        try await Task.sleep(for: .milliseconds(500))
        var delays: [Double] = []
        let activity = UUID()
        for version in 1...200 {
            let state = ActivityState(
                id: ActivityID(rawValue: activity), partnershipId: partnershipID, title: "Probe", kind: .other,
                status: .ongoing, startsOn: nil, endsOn: nil, direction: .mutual,
                sdgTargets: version % 2 == 0 ? ["3.d"] : ["3.d", "6.2"], sdgGoals: version % 2 == 0 ? [3] : [3, 6],
                themes: [], budget: Budget(planned: Amount("\(version).00")!, spent: Amount("0.00")!, currency: "EUR"),
                fundingSource: nil,
                participants: nil, version: version)
            let start = ContinuousClock.now
            try await pool.withTransaction(tenantID: tenantID) { connection in
                try await kernel.publisher.publish(
                    ActivityUpdated(activity: state, changedFields: ["status"]), tenantID: tenantID, in: connection)
            }
            while true {
                let seen = try await pool.withTransaction(tenantID: tenantID) { connection in
                    try await connection.query("SELECT version FROM reporting.activities WHERE id = \(activity)").first?
                        .decode(Int.self, column: 0)
                }
                if seen == version { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            delays.append(seconds(ContinuousClock.now - start) * 1000)
        }
        running.cancel()
        delivering.cancel()
        _ = try? await running.value
        _ = try? await delivering.value
        delays.sort()
        print(
            "Activity change to reports, 200 changes one at a time: p50 \(format(percentile(delays, 0.5))) ms, "
                + "p99 \(format(percentile(delays, 0.99))) ms (target ≤ 100 ms)")
        await pool.close()
    }

    /// The municipalities' read model (``ReadModelSeed/reports(municipalities:)``), then a user and a token for
    /// the first municipality and a platform administrator's token.
    static func seed(tenants: Int, on connection: PostgresConnection) async throws -> (String, UUID, String, UUID) {
        try await ReadModelSeed.reports(municipalities: tenants).seed(on: connection)
        let tenantID = try await connection.query("SELECT id FROM platform.tenants WHERE slug = 'm1'")[0]
            .decode(UUID.self, column: 0)
        let partnershipID = try await connection.query(
            "SELECT id FROM reporting.partnerships WHERE tenant_id = \(tenantID) LIMIT 1"
        )[0].decode(UUID.self, column: 0)
        let userID = try await connection.query(
            """
            INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
            VALUES (\(tenantID), 'coordinator@m1.example.org', 'Coordinator', 'coordinator', 'nl', 'Europe/Brussels')
            RETURNING id
            """)[0].decode(UUID.self, column: 0)
        let tenantToken = APIToken.generate()
        try await Tenancy.insertToken(tenantToken, tenantID: tenantID, userID: userID, name: "bench", on: connection)
        let adminID = try await connection.query(
            "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@example.org', 'Ops') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        let platformToken = APIToken.generate()
        try await Tenancy.insertToken(platformToken, platformAdminID: adminID, name: "bench", on: connection)
        return (tenantToken.value, tenantID, platformToken.value, partnershipID)
    }
}

struct Always: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

struct Failure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { String(format: "%.1f", value) }
