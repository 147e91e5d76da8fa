import ActivitiesContracts
import EmbeddedPostgres
import Foundation
import Gateway
import Kernel
import Logging
import Messaging
import Migrations
import Notifications
import PartnershipsContracts
import Postgres
import Reporting
import Vocabulary

/// `make bench-delivery`: event delivery to the real Reporting and Notifications subscribers, batched and one by
/// one, on a private cluster with default durability. Each run publishes `--events` ActivityRecorded events for
/// `--tenants` municipalities through the ``EventBus`` in chunks of 500 (as the CSV import does) with no delivery
/// running, then starts the deliveries (``EventCursorWorkers``) and times them until every subscriber's cursor
/// stands at its municipality's last event. The figure is events per second (each event is two deliveries: the
/// read model and the inbox). `--batched-only` leaves out the runs with batch size 1.
@main
struct DeliveryBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
                ?? fallback
        }
        let events = option("--events", 100_000)
        let tenants = option("--tenants", 30)
        let runs = option("--runs", 3)
        let batchSize = option("--batch", EventCursorWorkers.Configuration.defaultBatchSize)
        // `--batched-only` leaves out the one-by-one runs (for profiling the batched delivery alone).
        let sizes = arguments.contains("--batched-only") ? [batchSize] : [1, batchSize]
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-delivery-\(getpid())")
            .path
        let lease = try await EmbeddedPostgres(directory: folder + "/postgres", databaseName: "bench", logger: logger)
            .start()
        do {
            let admin = try PostgresConfiguration(url: lease.url)
            try await MigrationRunner(
                migrations: try MigrationSet.resolve(directory: nil), configuration: admin,
                logger: logger
            ).up()
            var rates: [Int: [Double]] = [:]
            for run in 1...runs {
                // The sizes alternate, so that both see the table grow alike.
                for size in sizes {
                    let rate = try await measure(
                        events: events, tenants: tenants, batchSize: size, run: run, admin: admin, logger: logger)
                    rates[size, default: []].append(rate)
                    print(
                        "run \(run), batch size \(size): \(events) events delivered at \(Int(rate.rounded())) events/s")
                }
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let batched = median(rates[batchSize]!)
            print("")
            print("| delivery (\(tenants) municipalities, \(events) events, median of \(runs)) | events/s |")
            print("| --- | --- |")
            if let ones = rates[1], batchSize != 1 {
                print("| one event per transaction (batch size 1) | \(Int(median(ones).rounded())) |")
            }
            print("| batches of up to \(batchSize) | \(Int(batched.rounded())) |")
            if let ones = rates[1], batchSize != 1 {
                print(String(format: "batched / one by one: %.1f×", batched / median(ones)))
            }
            try await lease.release()
        } catch {
            try? await lease.release()
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Publishes the events of one run (new municipalities each run), then times their delivery.
    static func measure(
        events: Int, tenants: Int, batchSize: Int, run: Int, admin: PostgresConfiguration, logger: Logger
    ) async throws -> Double {
        let app = admin.withSessionSetting("role", MigrationRunner.appRole)
        let pool = PostgresConnectionPool(configuration: .init(connection: app, maximumConnections: 10), logger: logger)
        let queue = PostgresJobQueue()
        let environment = GatewayEnvironment(
            pool: pool, readiness: Always(), logger: logger, rateLimiter: RateLimiter(rate: 1, burst: 1))
        let kernel = try Kernel.assemble(
            plugins: [ReportingPlugin(), NotificationsPlugin(mail: nil)], configuration: KernelConfiguration(),
            router: buildRouter(environment: environment), environment: environment, queue: queue, logger: logger)
        let bus = kernel.bus

        // Municipalities, each with a coordinator and a partnership they are members of.
        var partnerships: [(tenant: UUID, partnership: UUID, member: UUID)] = []
        try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            for index in 0..<tenants {
                let slug = "m\(run)-\(batchSize)-\(index)"
                let tenant = try await connection.query(
                    "INSERT INTO platform.tenants (slug, name) VALUES (\(slug), \(slug)) RETURNING id"
                )[0].decode(UUID.self, column: 0)
                let user = try await connection.query(
                    """
                    INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                    VALUES (\(tenant), \("coordinator@\(slug).be"), 'Coordinator', 'coordinator', 'nl', 'Europe/Brussels')
                    RETURNING id
                    """
                )[0].decode(UUID.self, column: 0)
                partnerships.append((tenant, UUID(), user))
            }
        }
        for (tenant, partnership, member) in partnerships {
            let state = PartnershipState(
                id: PartnershipID(rawValue: partnership), title: "Partnership",
                partner: Partner(name: "P", country: "BJ"),
                status: .active, startedOn: nil, endedOn: nil, sdgFocus: [6],
                members: [PartnershipMember(userId: member, role: .coordinator)], version: 1)
            try await pool.withTransaction(tenantID: tenant) { connection in
                _ = try await bus.publish(PartnershipCreated(partnership: state), tenantID: tenant, in: connection)
            }
        }
        // The activities, municipality after municipality in chunks of 500, as imports publish them.
        let perTenant = events / tenants
        let publishing = ContinuousClock.now
        for (index, (tenant, partnership, _)) in partnerships.enumerated() {
            let count = index == tenants - 1 ? events - perTenant * (tenants - 1) : perTenant
            var start = 0
            while start < count {
                let chunk = (start..<min(count, start + 500)).map { number in
                    activity(number, partnership: partnership)
                }
                try await pool.withTransaction(tenantID: tenant) { connection in
                    _ = try await bus.publish(chunk, tenantID: tenant, in: connection)
                }
                start += 500
            }
        }
        let published = ContinuousClock.now - publishing

        let workers = EventCursorWorkers(
            configuration: .init(batchSize: batchSize), subscriptions: bus.subscriptions, pool: pool,
            clock: SystemClock(), listenOn: app, logger: logger)
        let monitor = try await PostgresConnection.connect(to: admin, logger: logger)
        let tenantIDs = partnerships.map(\.tenant)
        let subscribers = bus.subscriptions.queuedSubscriberNames.count
        func remaining() async throws -> Bool {
            // Every subscriber's cursor in every municipality stands at its last event.
            try await monitor.query(
                """
                SELECT count(*) < \(subscribers * tenants) FROM messaging.event_cursors c
                WHERE c.tenant_id = ANY(\(tenantIDs)::uuid[]) AND (c.xid, c.position) = (
                    SELECT e.xid, e.position FROM messaging.events e WHERE e.tenant_id = c.tenant_id
                    ORDER BY e.xid DESC, e.position DESC LIMIT 1)
                """
            )[0].decode(Bool.self, column: 0)
        }
        let started = ContinuousClock.now
        let elapsed = try await withThrowingTaskGroup(of: Void.self) { group -> Duration in
            group.addTask { try await workers.run() }
            while try await remaining() {
                try await Task.sleep(for: .milliseconds(50))
            }
            let elapsed = ContinuousClock.now - started
            group.cancelAll()
            return elapsed
        }
        await monitor.close()
        // Both subscribers did their work: every activity in the read model, no delivery failed.
        try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            let counts = try await connection.query(
                """
                SELECT (SELECT count(*) FROM reporting.activities WHERE tenant_id = ANY(\(tenantIDs)::uuid[])),
                    (SELECT count(*) FROM messaging.dead_events)
                """)[0].decode((Int, Int).self)
            guard counts.0 == events, counts.1 == 0 else {
                throw BenchFailure(
                    description: "expected \(events) activities and no dead event, got \(counts.0) and \(counts.1)")
            }
        }
        await pool.close()
        let publishedSeconds = Double(published.components.seconds) + Double(published.components.attoseconds) / 1e18
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "  published in \(String(format: "%.1f", publishedSeconds)) s, delivered in \(String(format: "%.1f", seconds)) s"
        )
        return Double(events) / seconds
    }
}

/// One activity of the seeding: goals and directions vary, so that the figures have several rows to move.
func activity(_ number: Int, partnership: UUID) -> ActivityRecorded {
    let water = number % 3 == 0
    let budget = Budget(
        planned: Amount(cents: Int64(10_000 + number)), spent: Amount(cents: Int64(number)), currency: "EUR")
    let state = ActivityState(
        id: ActivityID(rawValue: UUID()), partnershipId: partnership, title: "Activity \(number)",
        kind: .knowledgeExchange, status: .ongoing, startsOn: nil, endsOn: nil,
        direction: number % 2 == 0 ? .mutual : .northToSouth,
        sdgTargets: water ? ["6.2"] : ["3.d", "16.6"], sdgGoals: water ? [6] : [3, 16], themes: [],
        budget: budget, fundingSource: nil, participants: nil, version: 1)
    return ActivityRecorded(activity: state)
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

struct Always: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
