import Delivery
import Foundation
import Logging
import Postgres
import Prometheus

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
    /// The limits and protections in front of the handlers: timeouts, trusted proxies, `/metrics`' bearer.
    public var settings: GatewaySettings
    /// Requests per client address, for failed or missing credentials and public routes.
    public var addressLimiter: RateLimiter
    /// The tokens the database accepted lately, which pass an address whose bucket is empty.
    public var recentTokens: RecentTokens
    /// What authentication sent to the database, and what it refused before.
    public var authenticationStatistics: AuthenticationStatistics
    /// The identities behind API tokens, for a few seconds; it answers only while ``IdentityCacheListener``
    /// (one of ``buildApplication(environment:router:configuration:services:onServerRunning:)``'s services)
    /// listens.
    public var identityCache: IdentityCache
    /// Where sign-in links are mailed; `nil` (no `SMTP_URL`): they are written to the log and standard error.
    public var mail: (any MailTransport)?
    /// The layout and stylesheet of the pages.
    public var pages: PageShell
    /// How often sign-in links may be asked for.
    public var signInLimits: SignInLimits
    /// The time now, for sessions and sign-in links (tests move it).
    public var now: @Sendable () -> Date
    /// What plugins show on `/platform` (the Reporting plugin: the platform report), one registry per server.
    public let platformSections = PlatformPageSections()
    /// The municipality's partnerships for the gateway's people pages, provided by the Partnerships plugin.
    public let partnershipDirectory = PartnershipDirectory()
    /// What plugins add to the settings page; one registry, shared by the gateway's page and the plugins.
    public let settingsSections = PageSections()
    /// What plugins add to `/admin/municipality` (the Notifications plugin: the digest defaults).
    public let municipalitySections = PageSections()
    /// The municipality's OpenID provider for `/admin/municipality`, provided by the server (OpenIDConnect).
    public let identityProviders = IdentityProviders()

    /// Gathers the environment.
    public init(
        pool: PostgresConnectionPool,
        readiness: any ReadinessCheck,
        logger: Logger,
        rateLimiter: RateLimiter = RateLimiter(),
        documentation: APIDocumentation = APIDocumentation(),
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        tokenUsage: TokenUsageRecorder = TokenUsageRecorder(),
        settings: GatewaySettings = GatewaySettings(),
        addressLimiter: RateLimiter? = nil,
        recentTokens: RecentTokens = RecentTokens(),
        authenticationStatistics: AuthenticationStatistics = AuthenticationStatistics(),
        mail: (any MailTransport)? = nil,
        pages: PageShell = .standard,
        signInLimits: SignInLimits = SignInLimits(),
        now: @escaping @Sendable () -> Date = { Date() },
        identityCache: IdentityCache? = nil
    ) {
        self.pool = pool
        self.readiness = readiness
        self.logger = logger
        self.rateLimiter = rateLimiter
        self.documentation = documentation
        self.metrics = metrics
        self.tokenUsage = tokenUsage
        self.settings = settings
        self.addressLimiter =
            addressLimiter ?? RateLimiter(rate: settings.addressRate, burst: settings.addressBurst)
        self.recentTokens = recentTokens
        self.authenticationStatistics = authenticationStatistics
        self.mail = mail
        self.pages = pages
        self.signInLimits = signInLimits
        self.now = now
        self.identityCache = identityCache ?? IdentityCache(ttl: settings.identityCacheTTL)
    }
}
