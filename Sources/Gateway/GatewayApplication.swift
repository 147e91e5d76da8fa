import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import Prometheus
import ServiceLifecycle

/// Builds the router: middleware in order, the health routes at the root, and the gateway's own routes
/// under `/api/v1` behind authentication. Plugins add theirs through ``apiRoutes(_:environment:)``.
public func buildRouter(environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(TraceParentMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(AccessLogMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(
        AddressLimitMiddleware(
            limiter: environment.addressLimiter, trustedProxies: environment.settings.trustedProxies,
            sessionCookieName: environment.settings.sessions.sessionCookieName)
    )
    router.middlewares.add(BodyLimitMiddleware(timeouts: environment.settings.bodyTimeouts))
    router.middlewares.add(MethodNotAllowedMiddleware(router: router))
    router.addRoutes(HealthController(readiness: environment.readiness).routes)
    // On the main port only with a bearer of its own; else it is served by the metrics listener, or not.
    if let token = environment.settings.metricsToken {
        router.addRoutes(MetricsController(environment: environment, token: token).routes)
        var metrics = APIOperation(
            .get, "/metrics", id: "metrics",
            summary: "Prometheus text: requests, pool, queue, token lookups (with METRICS_TOKEN as bearer).",
            tag: "operations", success: (200, nil), problems: [401, 429], authenticated: false
        )
        metrics.securityScheme = "metricsBearer"
        metrics.successMediaType = "text/plain"
        environment.documentation.add([metrics])
    }
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
    let pages = Pages(router: router, environment: environment)
    SignInPages(environment: environment).register(on: router, pages: pages)
    PageDocumentation.register(in: environment.documentation)
    AdminMunicipalityPage(environment: environment).register(on: pages)
    AdminMunicipalityPage.register(in: environment.documentation)
    PlatformPages(environment: environment).register(on: pages)
    PlatformPages.register(in: environment.documentation)
    AdminUsersPage(environment: environment).register(pages: pages)
    AdminUsersDocumentation.register(in: environment.documentation)
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
                pool: environment.pool,
                limiter: environment.rateLimiter,
                addressLimiter: environment.addressLimiter,
                recentTokens: environment.recentTokens,
                statistics: environment.authenticationStatistics,
                usage: environment.tokenUsage,
                identities: environment.identityCache
            )
        )
        .add(middleware: IdempotencyMiddleware())
}

/// Builds the router of the separate metrics listener (`METRICS_HOST`, `METRICS_PORT`): `/metrics` only,
/// behind `METRICS_TOKEN` when one is set.
public func buildMetricsRouter(environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(MethodNotAllowedMiddleware(router: router))
    router.addRoutes(MetricsController(environment: environment, token: environment.settings.metricsToken).routes)
    return router
}

/// Builds the separate metrics listener on `host` and `port` (0 picks a free one), to run as one of the main
/// application's services.
public func buildMetricsApplication(
    environment: GatewayEnvironment,
    host: String,
    port: Int,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildMetricsRouter(environment: environment),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "stedenband-metrics"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger
    )
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
        // The idle timeout closes a keep-alive connection that sends nothing, and one whose request head
        // does not arrive in time; bodies have their own timeouts (BodyLimitMiddleware).
        server: .http1(
            configuration: .init(idleTimeout: .nanoseconds(environment.settings.idleTimeout.wholeNanoseconds))),
        configuration: configuration,
        services: [
            PoolService(pool: environment.pool),
            TokenUsageFlusher(recorder: environment.tokenUsage, pool: environment.pool, logger: environment.logger),
            IdentityCacheListener(
                cache: environment.identityCache, configuration: environment.pool.configuration.connection,
                logger: environment.logger),
        ] + services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger
    )
}
