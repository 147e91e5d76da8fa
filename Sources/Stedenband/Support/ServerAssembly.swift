import Delivery
import Foundation
import Gateway
import Hummingbird
import Kernel
import Logging
import Messaging
import Migrations
import OpenIDConnect
import Postgres
import ServiceLifecycle

/// Puts the server together from the configuration: the app-role pool, the queue, the plugins, the gateway
/// and the background services. Wired once here; the commands only choose what to run.
struct ServerAssembly {
    let pool: PostgresConnectionPool
    let queue: PostgresJobQueue
    let kernel: Kernel
    let router: Router<GatewayRequestContext>
    let environment: GatewayEnvironment
    let appConfiguration: PostgresConfiguration
    let logger: Logger
    /// How long old sign-in rows stay (`SESSION_RETENTION`, `SIGN_IN_RETENTION`).
    let signInPruning: SignInPruning

    /// - Parameters:
    ///   - server: The server's login (see `ServerLogin`); its connections switch to `stedenband_app` at start.
    ///   - warnings: Shown in `/readyz`'s body, e.g. that the login could leave its role.
    ///   - listener: Where `serve` listens: `PUBLIC_URL`'s default when it is not set.
    init(
        server: PostgresConfiguration,
        migrations: MigrationSet,
        poolSize: Int,
        warnings: [String] = [],
        listener: (host: String, port: Int)? = nil,
        logger: Logger
    ) throws {
        // Before anything opens: a setting that cannot be used stops the start, not a request later.
        let limits = try RateLimiter.limits(from: ProcessInfo.processInfo.environment)
        var gatewaySettings = try GatewaySettings.load(from: ProcessInfo.processInfo.environment)
        // Without PUBLIC_URL, the links in mails point at where `serve` listens (`--host`, `--port`).
        if let listener, !SessionSettings.namesPublicURL(ProcessInfo.processInfo.environment),
            let url = SessionSettings.publicURL(listeningOn: listener.host, port: listener.port)
        {
            gatewaySettings.sessions.publicURL = url
        }
        let timeouts = try DatabaseTimeouts.load(from: ProcessInfo.processInfo.environment)
        self.signInPruning = try SignInPruning.load(
            from: ProcessInfo.processInfo.environment, sessions: gatewaySettings.sessions)
        MetricsBootstrap.bootstrap()
        let appConfiguration = timeouts.applied(to: server.withSessionSetting("role", MigrationRunner.appRole))
        let pool = PostgresConnectionPool(
            configuration: .init(connection: appConfiguration, maximumConnections: poolSize),
            logger: logger
        )
        let queue = PostgresJobQueue()
        let settings = ProcessInfo.processInfo.environment
        let mail = try MailSetup.transport(settings, logger: logger)
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: DatabaseReadiness(pool: pool, migrations: migrations, warnings: warnings),
            logger: logger,
            rateLimiter: RateLimiter(rate: limits.rate, burst: limits.burst),
            metrics: MetricsBootstrap.registry,
            settings: gatewaySettings,
            mail: mail
        )
        let router = buildRouter(environment: environment)
        // Sign-in with the municipality's own OpenID provider; it ends as the mailed link does (SessionStarter).
        var oidcSettings = try OIDCSettings.load(from: settings)
        oidcSettings.publicURL = gatewaySettings.sessions.publicURL
        let signIn = OIDCSignIn(pool: pool, settings: oidcSettings)
        router.addRoutes(OIDCSignInController(signIn: signIn, sessions: PageSessions(environment: environment)).routes)
        OIDCSignInDocumentation.register(in: environment.documentation)
        // /admin/municipality sets the provider with the same checks, statements and discovery.
        environment.identityProviders.provide(OIDCProviderStore(signIn: signIn))
        self.kernel = try Kernel.assemble(
            plugins: InstalledPlugins.all(
                mail: mail, webhooks: WebhookSender(logger: logger)),
            configuration: try KernelConfiguration.load(),
            router: router,
            environment: environment,
            queue: queue,
            logger: logger
        )
        self.pool = pool
        self.queue = queue
        self.router = router
        self.environment = environment
        self.appConfiguration = appConfiguration
        self.logger = logger
    }

    /// Runs a one-off command's `body` with the pool, and closes the pool whether `body` returns or throws.
    func closingPool<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// The background services: the event deliveries, job workers, the rescuer, the cleaner and the periodic
    /// enqueuer.
    func workerServices(concurrency: Int) -> [any Service] {
        let environment = ProcessInfo.processInfo.environment
        func seconds(_ name: String) -> Duration? {
            environment[name].flatMap(Double.init).map { .milliseconds(Int($0 * 1000)) }
        }
        // The gateway's own periodic work beside the plugins': old sign-in rows go (SignInPruning).
        var kinds = kernel.jobKinds
        kinds.register(SignInPruningJob.kind(signInPruning, now: self.environment.now))
        let workers = JobWorkers(
            configuration: .init(
                concurrency: concurrency,
                heartbeatInterval: seconds("JOB_HEARTBEAT_INTERVAL")
                    ?? JobWorkers.Configuration.defaultHeartbeatInterval
            ),
            kinds: kinds,
            pool: pool,
            queue: queue,
            listenOn: appConfiguration,
            logger: logger
        )
        let deliveries = EventCursorWorkers(
            configuration: .init(
                batchSize: max(
                    1,
                    environment["DELIVERY_BATCH_SIZE"].flatMap(Int.init)
                        ?? EventCursorWorkers.Configuration.defaultBatchSize
                ),
                concurrency: max(
                    1,
                    environment["DELIVERY_BATCH_CONCURRENCY"].flatMap(Int.init)
                        ?? EventCursorWorkers.Configuration.defaultConcurrency)
            ),
            subscriptions: kernel.bus.subscriptions,
            pool: pool,
            clock: queue.clock,
            listenOn: appConfiguration,
            logger: logger
        )
        return [
            deliveries,
            JobRescuer(
                configuration: .init(
                    staleAfter: seconds("JOB_RESCUE_AFTER") ?? JobRescuer.Configuration.defaultStaleAfter,
                    interval: seconds("JOB_RESCUE_INTERVAL") ?? JobRescuer.Configuration.defaultInterval
                ),
                pool: pool,
                queue: queue,
                logger: logger
            ),
            JobCleaner(pool: pool, queue: queue, logger: logger),
            PeriodicJobEnqueuer(
                jobs: kernel.periodicJobs + [SignInPruningJob.periodic], pool: pool, queue: queue, logger: logger),
            workers,
        ]
    }
}
