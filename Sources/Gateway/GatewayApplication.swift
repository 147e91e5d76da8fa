import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import Prometheus
import ServiceLifecycle

/// What the gateway needs, gathered once at start-up.
public struct GatewayEnvironment: Sendable {
    /// The pool every request borrows from, connected as the app role.
    public var pool: PostgresConnectionPool
    /// Tells `/readyz` whether the server can serve.
    public var readiness: any ReadinessCheck
    /// The process's logger.
    public var logger: Logger
    /// Requests per token.
    public var rateLimiter: RateLimiter
    /// The OpenAPI document every route is described in.
    public var documentation: APIDocumentation
    /// Where `/metrics` reads from; the process bootstraps swift-metrics with it.
    public var metrics: PrometheusCollectorRegistry
    /// When each token was last used, until ``TokenUsageFlusher`` writes it.
    public var tokenUsage: TokenUsageRecorder

    /// Gathers the environment.
    public init(
        pool: PostgresConnectionPool,
        readiness: any ReadinessCheck,
        logger: Logger,
        rateLimiter: RateLimiter = RateLimiter(),
        documentation: APIDocumentation = APIDocumentation(),
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        tokenUsage: TokenUsageRecorder = TokenUsageRecorder()
    ) {
        self.pool = pool
        self.readiness = readiness
        self.logger = logger
        self.rateLimiter = rateLimiter
        self.documentation = documentation
        self.metrics = metrics
        self.tokenUsage = tokenUsage
    }
}

/// Builds the router: middleware in order, the health routes at the root, and the gateway's own routes
/// under `/api/v1` behind authentication. Plugins add theirs through ``apiRoutes(_:environment:)``.
public func buildRouter(environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(AccessLogMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(BodyLimitMiddleware())
    router.addRoutes(HealthController(readiness: environment.readiness).routes)
    router.addRoutes(MetricsController(registry: environment.metrics, pool: environment.pool).routes)
    GatewayDocumentation.register(in: environment.documentation)
    let documentation = environment.documentation
    router.get("openapi.json") { _, _ -> Response in
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try documentation.json())))
    }
    let api = apiRoutes(router, environment: environment)
    api.addRoutes(MeController().routes)
    api.addRoutes(UsersController().routes)
    api.addRoutes(PlatformTenantsController().routes)
    return router
}

/// The `/api/v1` group: every route in it is authenticated and runs in one tenant-scoped transaction.
public func apiRoutes(
    _ router: Router<GatewayRequestContext>,
    environment: GatewayEnvironment
) -> RouterGroup<GatewayRequestContext> {
    router.group("api/v1")
        .add(
            middleware: AuthenticationMiddleware(
                pool: environment.pool, limiter: environment.rateLimiter, usage: environment.tokenUsage)
        )
        .add(middleware: IdempotencyMiddleware())
}

/// Builds the application: the router, the listening address, and the services that live with it.
/// On shutdown the HTTP server drains first, then `services` stop in reverse order, then the tokens' last use
/// is written, and the pool closes last.
public func buildApplication(
    environment: GatewayEnvironment,
    router: Router<GatewayRequestContext>,
    configuration: ApplicationConfiguration,
    services: [any Service] = [],
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: router,
        configuration: configuration,
        services: [
            PoolService(pool: environment.pool),
            TokenUsageFlusher(recorder: environment.tokenUsage, pool: environment.pool, logger: environment.logger),
        ] + services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger
    )
}

/// Keeps the pool open while the server runs and closes it on graceful shutdown.
struct PoolService: Service {
    let pool: PostgresConnectionPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
