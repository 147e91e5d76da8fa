import Delivery
import EmbeddedPostgres
import Foundation
import Gateway
import Kernel
import Logging
import Messaging
import Migrations
import Notifications
import Postgres

/// `make bench-digests`: 10,000 users with 20 inbox events each, on a private PostgreSQL cluster with default
/// durability; measures from the scheduler's run until every digest is built, rendered and accepted by a real
/// SMTP server (aiosmtpd, discarding what it receives) on this machine.
@main
struct DigestBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
                ?? fallback
        }
        let users = option("--users", 10_000)
        let events = option("--events", 20)
        let concurrency = option("--smtp-concurrency", 8)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-digests-\(getpid())")
            .path
        let smtp = try SinkSMTPServer.start()
        defer { smtp.stop() }
        let lease = try await EmbeddedPostgres(directory: folder + "/postgres", databaseName: "bench", logger: logger)
            .start()
        do {
            try await run(
                users: users, events: events, smtpURL: smtp.url, concurrency: concurrency, lease: lease, logger: logger)
            try await lease.release()
        } catch {
            try? await lease.release()
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func run(
        users: Int, events: Int, smtpURL: String, concurrency: Int, lease: EmbeddedPostgres.Lease, logger: Logger
    ) async throws {
        let admin = try PostgresConfiguration(url: lease.url)
        try await MigrationRunner(
            migrations: try MigrationSet.resolve(directory: nil), configuration: admin,
            logger: logger
        ).up()
        let sendAt = try Date("2026-11-30T07:00:00Z", strategy: .iso8601)
        say("Seeding \(users) users with \(events) inbox events each…")
        let seeding = ContinuousClock.now
        try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            try await seed(users: users, events: events, sendAt: sendAt, on: connection)
        }
        say("Seeded in \(format(seconds(ContinuousClock.now - seeding))) s.")

        let app = admin.withSessionSetting("role", MigrationRunner.appRole)
        let pool = PostgresConnectionPool(configuration: .init(connection: app, maximumConnections: 10), logger: logger)
        let queue = PostgresJobQueue()
        let environment = GatewayEnvironment(
            pool: pool, readiness: Always(), logger: logger, rateLimiter: RateLimiter(rate: 1, burst: 1))
        let mailer = SMTPMailer(
            configuration: try SMTPConfiguration(url: smtpURL), concurrency: concurrency, logger: logger)
        let kernel = try Kernel.assemble(
            plugins: [NotificationsPlugin(mail: mailer)], configuration: KernelConfiguration(),
            router: buildRouter(environment: environment), environment: environment, queue: queue, logger: logger)
        let workers = JobWorkers(
            configuration: .init(concurrency: 50), kinds: kernel.jobKinds, pool: pool, queue: queue, listenOn: nil,
            logger: logger)

        let start = ContinuousClock.now
        let claimed = try await NotificationsPlugin.runScheduler(at: sendAt, pool: pool, queue: queue, logger: logger)
        let claimedAt = ContinuousClock.now
        try await workers.drain()
        let elapsed = seconds(ContinuousClock.now - start)
        let sent = try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            try await connection.query("SELECT count(*) FROM notifications.digests WHERE status = 'sent'")[0]
                .decode(Int.self, column: 0)
        }
        await pool.close()
        say("Claimed \(claimed.digests) digests in \(format(seconds(claimedAt - start))) s.")
        say(
            "Built, rendered and handed to SMTP: \(sent) of \(users) digests (\(users * events) events) in "
                + "\(format(elapsed)) s: \(format(Double(sent) / elapsed)) digests/s (target: all in ≤ 60 s).")
        if sent != users { throw BenchmarkFailure(reason: "only \(sent) of \(users) digests were sent") }
    }

    /// Users spread over 500 partnerships (20 members each), languages and zones; each user's inbox holds
    /// `events` changes of their partnership, all due at `sendAt`.
    static func seed(users: Int, events: Int, sendAt: Date, on connection: PostgresConnection) async throws {
        let partnerships = max(1, users / 20)
        try await connection.query(
            """
            WITH tenant AS (INSERT INTO platform.tenants (slug, name, sender_email)
                VALUES ('bench', 'Bench', 'digests@bench.example.org') RETURNING id),
            people AS (
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                SELECT tenant.id, 'user' || i || '@bench.example.org', 'User ' || i, 'partner_coordinator',
                    (ARRAY['nl', 'en', 'fr', 'es'])[1 + i % 4], 'Europe/Brussels'
                FROM tenant, generate_series(1, \(users)) AS i RETURNING tenant_id, id, email),
            partnerships AS (
                INSERT INTO notifications.partnerships (tenant_id, id, title, version)
                SELECT tenant.id, gen_random_uuid(), 'Partnership ' || p, 1
                FROM tenant, generate_series(1, \(partnerships)) AS p RETURNING tenant_id, id, title),
            numbered_people AS (SELECT *, row_number() OVER () AS n FROM people),
            numbered_partnerships AS (SELECT *, row_number() OVER () AS n FROM partnerships),
            members AS (
                INSERT INTO notifications.members (tenant_id, partnership_id, user_id, role)
                SELECT u.tenant_id, p.id, u.id, 'partner_coordinator'
                FROM numbered_people u JOIN numbered_partnerships p ON p.n = 1 + u.n % \(partnerships)
                RETURNING tenant_id, partnership_id, user_id),
            settings AS (
                INSERT INTO notifications.settings (tenant_id, user_id, frequency, hour, weekday, time_zone, locale,
                    window_start, next_due_at)
                SELECT u.tenant_id, u.id, 'daily', 7, 1, 'Europe/Brussels', 'nl',
                    \(sendAt)::timestamptz - interval '1 day', \(sendAt)::timestamptz - interval '1 hour'
                FROM people u)
            INSERT INTO notifications.inbox (tenant_id, user_id, event_id, event_name, partnership_id, activity_id,
                occurred_at, item)
            SELECT m.tenant_id, m.user_id, gen_random_uuid(), 'activities.activity_recorded.v1', m.partnership_id,
                gen_random_uuid(), \(sendAt)::timestamptz - interval '20 hours' + e * interval '1 minute',
                jsonb_build_object('kind', 'activity_recorded', 'partnershipTitle', p.title,
                    'activityTitle', 'Awareness campaign ' || e, 'status', 'planned',
                    'budget', jsonb_build_object('planned', '12500.00', 'spent', '0.00', 'currency', 'EUR'))
            FROM members m JOIN partnerships p ON p.id = m.partnership_id, generate_series(1, \(events)) AS e
            """)
        try await connection.query("ANALYZE")
    }
}

struct Always: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// aiosmtpd on a free port of 127.0.0.1, discarding what it receives.
final class SinkSMTPServer: @unchecked Sendable {
    let process: Process
    let port: Int

    var url: String { "smtp://127.0.0.1:\(port)?starttls=off" }

    static func start() throws -> SinkSMTPServer {
        let port = 20_000 + Int(getpid() % 20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", "127.0.0.1:\(port)"]
        try process.run()
        // Wait until it listens.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let socket = Darwinless.connect(port: port)
            if socket { return SinkSMTPServer(process: process, port: port) }
            usleep(50_000)
        }
        process.terminate()
        throw BenchmarkFailure(reason: "aiosmtpd did not start: apt-get install python3-aiosmtpd")
    }

    init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Whether something listens on 127.0.0.1:`port`.
enum Darwinless {
    static func connect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { String(format: "%.1f", value) }

func say(_ text: String) { print(text) }
