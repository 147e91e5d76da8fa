import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("Plugins and the kernel")
struct KernelTests {
    struct Setup {
        let database: TestDatabase
        let pool: PostgresConnectionPool
        let queue: PostgresJobQueue
        let tenantID: UUID
        let router: Router<GatewayRequestContext>
        let kernel: Kernel
        let environment: GatewayEnvironment
    }

    private func setup(_ label: String, configuration: KernelConfiguration) async throws -> Setup {
        let database = try await TestDatabase.migrated(label)
        let admin = try await database.connectAsAdmin()
        let tenant = try await admin.query(
            "INSERT INTO platform.tenants (slug, name) VALUES ('leuven', 'Leuven') RETURNING id"
        )
        try await admin.query("CREATE SCHEMA effects")
        try await admin.query("CREATE TABLE effects.log (tenant_id uuid, label text)")
        try await admin.query("GRANT USAGE ON SCHEMA effects TO stedenband_app")
        try await admin.query("GRANT SELECT, INSERT ON effects.log TO stedenband_app")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("kernel")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: AlwaysReady(), logger: TestLogger.make("kernel"))
        let router = buildRouter(environment: environment)
        let queue = PostgresJobQueue()
        let kernel = try Kernel.assemble(
            plugins: [ExamplePlugin(), SenderPlugin()],
            configuration: configuration,
            router: router,
            environment: environment,
            queue: queue,
            logger: TestLogger.make("kernel")
        )
        return Setup(
            database: database,
            pool: pool,
            queue: queue,
            tenantID: try tenant[0].decode(UUID.self, column: 0),
            router: router,
            kernel: kernel,
            environment: environment
        )
    }

    private func publishGreeting(_ setup: Setup) async throws {
        try await setup.pool.withTransaction(tenantID: setup.tenantID) { connection in
            try await setup.kernel.bus.publish(
                GreetingSent(aggregateID: UUID(), aggregateVersion: 1, text: "dag Para"),
                tenantID: setup.tenantID,
                in: connection
            )
        }
    }

    private func drain(_ setup: Setup) async throws -> Int {
        try await BackgroundWork(
            bus: setup.kernel.bus, kinds: setup.kernel.jobKinds, pool: setup.pool, logger: TestLogger.make("kernel")
        ).drain()
    }

    @Test("an enabled plugin's route, configuration, subscriber, job kind and periodic job exist")
    func enabledPlugin() async throws {
        let setup = try await setup(
            "kernelon",
            configuration: KernelConfiguration(settings: ["example": ["greeting": "goeiedag"]])
        )
        #expect(setup.kernel.enabledPlugins == ["example", "sender"])
        #expect(setup.kernel.jobKinds.names == ["example.noop"])
        #expect(setup.kernel.bus.subscriptions.queuedSubscriberNames == ["example.greetings"])
        #expect(setup.kernel.periodicJobs.map(\.name) == ["example.tick"])
        let user = try await TestTenant.create(in: setup.database, slug: "leuven", role: .viewer)
        let app = Application(router: setup.router)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/example/greeting",
                method: .get,
                headers: [.authorization: user.authorization]
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"greeting":"goeiedag"}"#)
            }
            // Plugin routes sit behind the gateway's authentication.
            try await client.execute(uri: "/api/v1/example/greeting", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
        try await publishGreeting(setup)
        #expect(try await drain(setup) == 1)
        let admin = try await setup.database.connectAsAdmin()
        let effects = try await admin.query("SELECT label FROM effects.log")
        #expect(try effects.map { try $0.decode(String.self, column: 0) } == ["dag Para"])
    }

    @Test("a plugin left out has no routes, subscribers or jobs, and its events' subscribers get nothing")
    func disabledPlugin() async throws {
        let setup = try await setup("kerneloff", configuration: KernelConfiguration(plugins: ["sender"]))
        #expect(setup.kernel.enabledPlugins == ["sender"])
        #expect(setup.kernel.jobKinds.names.isEmpty)
        #expect(setup.kernel.periodicJobs.isEmpty)
        let app = Application(router: setup.router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/example/greeting", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        try await publishGreeting(setup)
        let admin = try await setup.database.connectAsAdmin()
        let jobs = try await admin.query("SELECT count(*) FROM messaging.jobs")
        #expect(try jobs[0].decode(Int.self, column: 0) == 0)
    }

    @Test("a configuration naming an unknown plugin is refused, naming it")
    func unknownPlugin() async throws {
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await setup("kernelunknown", configuration: KernelConfiguration(plugins: ["example", "reportng"]))
        }
        #expect(error?.description.contains("reportng") == true)
    }

    @Test("the environment chooses plugins and fills their sections")
    func environment() throws {
        let configuration = try KernelConfiguration.load(environment: [
            "STEDENBAND_PLUGINS": "example, sender",
            "STEDENBAND_EXAMPLE_GREETING": "bonjour",
            "STEDENBAND_NOTIFICATIONS_SEND_HOUR": "8",
            "STEDENBAND_HOME": "/srv/stedenband",
        ])
        #expect(configuration.plugins == ["example", "sender"])
        #expect(configuration.settings["example"]?["greeting"] == "bonjour")
        #expect(configuration.settings["notifications"]?["sendHour"] == "8")
        #expect(configuration.settings["home"] == nil)
    }
}

struct AlwaysReady: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
