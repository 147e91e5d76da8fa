import Activities
import Catalogue
import Delivery
import Diagnostics
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Learning
import Messaging
import NIOCore
import Notifications
import Partnerships
import Postgres
import Reporting
import Results
import TestSupport
import Testing

/// The server with every plugin `stedenband serve` installs (as `Sources/Stedenband/Support/InstalledPlugins.swift`
/// lists them), on a migrated database of its own; workers drain the queue, and the queue's clock is the test's.
struct WholeServer {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let workers: BackgroundWork
    let clock: ManualClock
    let environment: GatewayEnvironment

    /// The server; with `mail`, digests and reminders are mailed through it (else kept and shown by the API).
    static func make(_ label: String, mail: (any MailTransport)? = nil) async throws -> WholeServer {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make("scope")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 6), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: AlwaysReady(), logger: logger,
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000),
            // The walk asks every documented route, pages too: a page ignores the token, so each counts against
            // the client address's bucket, which a few dozen pages would empty before the API routes are asked.
            addressLimiter: RateLimiter(rate: 100_000, burst: 100_000))
        let router = buildRouter(environment: environment)
        let clock = ManualClock(Date())
        let queue = PostgresJobQueue(clock: clock)
        let kernel = try Kernel.assemble(
            plugins: [
                CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin(), LearningPlugin(),
                NotificationsPlugin(mail: mail), ReportingPlugin(), DiagnosticsPlugin(),
            ],
            configuration: KernelConfiguration(), router: router, environment: environment, queue: queue,
            logger: logger)
        let workers = BackgroundWork(
            bus: kernel.bus, kinds: kernel.jobKinds, pool: pool, concurrency: 4, logger: logger)
        return WholeServer(
            database: database, router: router, pool: pool, queue: queue, workers: workers, clock: clock,
            environment: environment)
    }

    /// Gives the municipality an IATI organisation, so its export answers a document rather than a 409.
    func publishIATI(_ tenant: UUID, reference: String) async throws {
        let admin = try await database.connectAsAdmin()
        try await admin.query(
            """
            UPDATE platform.tenants SET iati_organisation_ref = \(reference), iati_organisation_type = '11'
            WHERE id = \(tenant)
            """)
        await admin.close()
    }

    /// Runs the digest scheduler `days` later, as the periodic job would, and delivers what it claimed.
    func sendDigests(after days: Int) async throws {
        let later = clock.now().addingTimeInterval(Double(days) * 86_400)
        clock.set(later)
        _ = try await NotificationsPlugin.runScheduler(
            at: later, pool: pool, queue: queue, logger: TestLogger.make("scheduler"))
        _ = try await workers.drain()
    }
}

struct AlwaysReady: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

extension TestClientProtocol {
    /// Sends a JSON body that must succeed; answers the `id` of what it made.
    @discardableResult
    func make(_ uri: String, as user: TestTenant, json: String) async throws -> String {
        let response = try await send(.post, uri, as: user, json: json)
        #expect(response.status == .created, "POST \(uri): \(String(buffer: response.body))")
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return try #require(object?["id"] as? String).lowercased()
    }
}
