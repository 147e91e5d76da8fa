import Foundation
import Gateway

/// Sign-in through the municipalities' OpenID providers: the settings, read from the environment at start-up
/// with named defaults.
public struct OIDCSettings: Sendable, Equatable {
    /// This server's address as browsers reach it, without a trailing `/`: the pages' `PUBLIC_URL`
    /// (`SessionSettings.publicURL`, which the server sets here). The redirect URI is
    /// `{PUBLIC_URL}/sign-in/oidc/{slug}/callback`, and an https address makes the cookie `Secure`.
    public var publicURL = SessionSettings.defaultPublicURL
    /// How long a provider's discovery document and keys are kept before they are fetched again
    /// (`OIDC_METADATA_CACHE_SECONDS`).
    public var metadataLifetime = defaultMetadataLifetime
    /// How long a person has, from leaving for the provider to coming back, before the attempt lapses
    /// (`OIDC_SIGN_IN_TIMEOUT_SECONDS`).
    public var attemptLifetime = defaultAttemptLifetime
    /// How long one call to a provider may take (`OIDC_HTTP_TIMEOUT_SECONDS`).
    public var httpTimeout = defaultHTTPTimeout

    /// The default lifetime of a discovery document and a key set: an hour.
    public static let defaultMetadataLifetime = Duration.seconds(3600)
    /// The default time to come back from the provider: 10 minutes.
    public static let defaultAttemptLifetime = Duration.seconds(600)
    /// The default limit of one call to a provider: 10 seconds.
    public static let defaultHTTPTimeout = Duration.seconds(10)

    /// The defaults.
    public init() {}

    /// Whether `PUBLIC_URL` is https: the cookie is then `Secure` and `__Host-` prefixed.
    public var isSecure: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// The settings in `environment`, with the defaults for those unset.
    /// - Throws: ``GatewaySettingError`` naming a value that cannot be used.
    public static func load(from environment: [String: String]) throws -> OIDCSettings {
        var settings = OIDCSettings()
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name] else { return value }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number > 0 else {
                throw GatewaySettingError(name: name, value: text, expected: "a whole number of seconds above 0")
            }
            return .seconds(number)
        }
        settings.metadataLifetime = try seconds("OIDC_METADATA_CACHE_SECONDS", default: defaultMetadataLifetime)
        settings.attemptLifetime = try seconds("OIDC_SIGN_IN_TIMEOUT_SECONDS", default: defaultAttemptLifetime)
        settings.httpTimeout = try seconds("OIDC_HTTP_TIMEOUT_SECONDS", default: defaultHTTPTimeout)
        return settings
    }
}
