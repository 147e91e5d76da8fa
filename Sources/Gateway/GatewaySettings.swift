import Foundation

/// The gateway's limits and protections, read from the environment at start-up with named defaults.
public struct GatewaySettings: Sendable, Equatable {
    /// How long a request body may take (`HTTP_BODY_TIMEOUT`, `HTTP_BODY_BYTE_TIMEOUT`).
    public var bodyTimeouts = BodyReadTimeouts()
    /// How long a connection may stay idle between requests, or take to send a request's head, before it
    /// is closed (`HTTP_IDLE_TIMEOUT`).
    public var idleTimeout = defaultIdleTimeout
    /// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    public var trustedProxies = TrustedProxies()
    /// A client address's bucket (`RATE_LIMIT_ADDRESS_PER_SECOND`, `RATE_LIMIT_ADDRESS_BURST`).
    public var addressRate = RateLimiter.defaultAddressRate
    /// The burst of a client address's bucket.
    public var addressBurst = RateLimiter.defaultAddressBurst
    /// The bearer `/metrics` asks for (`METRICS_TOKEN`); without it, and without a metrics listener, the main
    /// port has no `/metrics`.
    public var metricsToken: String?
    /// Where the separate metrics listener listens (`METRICS_HOST`, `METRICS_PORT`); `nil`: none.
    public var metricsListener: (host: String, port: Int)?
    /// The pages' sessions and the site's public address (`SESSION_IDLE_TIMEOUT`, `SESSION_MAX_AGE`,
    /// `PUBLIC_URL`).
    public var sessions = SessionSettings()
    /// How long an API token's identity is kept in memory, in seconds (`IDENTITY_CACHE_TTL_SECONDS`); 0: not
    /// at all. See ``IdentityCache``.
    public var identityCacheTTL = IdentityCache.defaultTTL

    /// The default idle timeout: 75 seconds, above the 60 seconds load balancers commonly keep an idle
    /// connection to the backend, so that the server never closes one the balancer is about to reuse.
    public static let defaultIdleTimeout: Duration = .seconds(75)
    /// The default host of the metrics listener, when `METRICS_PORT` is set: loopback.
    public static let defaultMetricsHost = "127.0.0.1"

    /// The defaults.
    public init() {}

    /// The settings in `environment`, with the defaults for those unset.
    ///
    /// - Throws: ``GatewaySettingError`` or ``RateLimitSettingError`` naming a value that cannot be used.
    public static func load(from environment: [String: String]) throws -> GatewaySettings {
        var settings = GatewaySettings()
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name] else { return value }
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, number > 0 else {
                throw GatewaySettingError(name: name, value: text, expected: "a number of seconds above 0")
            }
            return .milliseconds(Int64((number * 1000).rounded()))
        }
        settings.bodyTimeouts = BodyReadTimeouts(
            whole: try seconds("HTTP_BODY_TIMEOUT", default: BodyReadTimeouts.defaultWhole),
            betweenBytes: try seconds("HTTP_BODY_BYTE_TIMEOUT", default: BodyReadTimeouts.defaultBetweenBytes)
        )
        settings.idleTimeout = try seconds("HTTP_IDLE_TIMEOUT", default: defaultIdleTimeout)
        settings.trustedProxies = try TrustedProxies(list: environment["TRUSTED_PROXIES"] ?? "")
        (settings.addressRate, settings.addressBurst) = try RateLimiter.addressLimits(from: environment)
        if let token = environment["METRICS_TOKEN"] {
            guard token.count >= 16, !token.contains(where: { $0.isWhitespace }) else {
                throw GatewaySettingError(
                    name: "METRICS_TOKEN", value: "(hidden)", expected: "at least 16 characters without spaces")
            }
            settings.metricsToken = token
        }
        if let text = environment["METRICS_PORT"] {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw GatewaySettingError(name: "METRICS_PORT", value: text, expected: "a port from 0 to 65535")
            }
            settings.metricsListener = (environment["METRICS_HOST"] ?? defaultMetricsHost, port)
        }
        settings.sessions = try SessionSettings.load(from: environment)
        if let text = environment["IDENTITY_CACHE_TTL_SECONDS"] {
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0
            else {
                throw GatewaySettingError(
                    name: "IDENTITY_CACHE_TTL_SECONDS", value: text, expected: "a number of seconds, 0 or more")
            }
            settings.identityCacheTTL = number
        }
        return settings
    }

    public static func == (lhs: GatewaySettings, rhs: GatewaySettings) -> Bool {
        lhs.bodyTimeouts == rhs.bodyTimeouts && lhs.idleTimeout == rhs.idleTimeout
            && lhs.trustedProxies == rhs.trustedProxies && lhs.addressRate == rhs.addressRate
            && lhs.addressBurst == rhs.addressBurst && lhs.metricsToken == rhs.metricsToken
            && lhs.metricsListener?.host == rhs.metricsListener?.host
            && lhs.metricsListener?.port == rhs.metricsListener?.port && lhs.sessions == rhs.sessions
            && lhs.identityCacheTTL == rhs.identityCacheTTL
    }
}
