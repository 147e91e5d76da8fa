import Foundation

/// How long browser sessions and sign-in links live, and the site's public address, read from the environment
/// at start-up with named defaults.
public struct SessionSettings: Sendable, Equatable {
    /// A session unused this long ends (`SESSION_IDLE_TIMEOUT`, seconds).
    public var idleTimeout = defaultIdleTimeout
    /// A session ends this long after sign-in, however much it is used (`SESSION_MAX_AGE`, seconds).
    public var maximumAge = defaultMaximumAge
    /// The address people reach the site at, without a trailing `/` (`PUBLIC_URL`): the links in mails start
    /// with it, and an `https` address makes the cookies `Secure` and `__Host-` prefixed.
    public var publicURL = defaultPublicURL
    /// How long a mailed invitation works (`INVITATION_TTL`, seconds).
    public var invitationLifetime = defaultInvitationLifetime

    /// The default idle timeout: 12 hours, a working day.
    public static let defaultIdleTimeout: Duration = .seconds(12 * 3600)
    /// The default absolute lifetime: 30 days.
    public static let defaultMaximumAge: Duration = .seconds(30 * 24 * 3600)
    /// How long a mailed sign-in link works: 15 minutes.
    public static let linkLifetime: Duration = .seconds(15 * 60)
    /// The default lifetime of an invitation: 7 days, a week to find the mail.
    public static let defaultInvitationLifetime: Duration = .seconds(7 * 24 * 3600)
    /// The default public address: what `make run` serves (`serve` without `PUBLIC_URL` uses its own
    /// `--host` and `--port` instead, ``publicURL(listeningOn:port:)``).
    public static let defaultPublicURL = "http://127.0.0.1:8080"

    /// The defaults.
    public init() {}

    /// The settings in `environment`, with the defaults for those unset. `PUBLIC_URL` falls back to the
    /// digests' `STEDENBAND_NOTIFICATIONS_PUBLIC_URL`, so that one address set serves both.
    ///
    /// - Throws: ``GatewaySettingError`` naming a value that cannot be used.
    public static func load(from environment: [String: String]) throws -> SessionSettings {
        var settings = SessionSettings()
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name] else { return value }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number > 0 else {
                throw GatewaySettingError(name: name, value: text, expected: "a whole number of seconds above 0")
            }
            return .seconds(number)
        }
        settings.idleTimeout = try seconds("SESSION_IDLE_TIMEOUT", default: defaultIdleTimeout)
        settings.maximumAge = try seconds("SESSION_MAX_AGE", default: defaultMaximumAge)
        settings.invitationLifetime = try seconds("INVITATION_TTL", default: defaultInvitationLifetime)
        let name = environment["PUBLIC_URL"] != nil ? "PUBLIC_URL" : "STEDENBAND_NOTIFICATIONS_PUBLIC_URL"
        if let text = environment[name] {
            var url = text.trimmingCharacters(in: .whitespaces)
            while url.hasSuffix("/") { url.removeLast() }
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                scheme == "http" || scheme == "https", parsed.host != nil
            else {
                throw GatewaySettingError(name: name, value: text, expected: "an http or https address")
            }
            settings.publicURL = url
        }
        return settings
    }

    /// Whether `environment` names the public address (`PUBLIC_URL`, or the digests'
    /// `STEDENBAND_NOTIFICATIONS_PUBLIC_URL`); when it does not, `serve` makes it its own listening address.
    public static func namesPublicURL(_ environment: [String: String]) -> Bool {
        environment["PUBLIC_URL"] != nil || environment["STEDENBAND_NOTIFICATIONS_PUBLIC_URL"] != nil
    }

    /// The address of a server listening on `host` and `port`, as `PUBLIC_URL`'s default: `serve --port 9090`
    /// mails links to `http://127.0.0.1:9090`. A wildcard host (`0.0.0.0`, `::`) is reached on this machine at
    /// `127.0.0.1`; `nil` for port 0 (the port is chosen only when the server binds).
    public static func publicURL(listeningOn host: String, port: Int) -> String? {
        guard port > 0 else { return nil }
        let reachable = ["", "0.0.0.0", "::", "[::]", "*"].contains(host) ? "127.0.0.1" : host
        let shown = reachable.contains(":") && !reachable.hasPrefix("[") ? "[\(reachable)]" : reachable
        return "http://\(shown):\(port)"
    }

    /// Whether the site is served over https: then cookies are `Secure` and `__Host-` prefixed.
    public var isSecure: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// The session cookie's name: `stedenband_session`, `__Host-stedenband_session` over https.
    public var sessionCookieName: String { (isSecure ? "__Host-" : "") + "stedenband_session" }

    /// The cookie that carries the CSRF token of a browser that is not signed in.
    public var csrfCookieName: String { (isSecure ? "__Host-" : "") + "stedenband_csrf" }

    /// The cookie that keeps a signed-out visitor's language.
    public var languageCookieName: String { (isSecure ? "__Host-" : "") + "stedenband_lang" }

    /// `scheme://host[:port]` of ``publicURL``, as a browser writes it in `Origin`.
    public var origin: String {
        guard let url = URL(string: publicURL), let scheme = url.scheme, let host = url.host else { return publicURL }
        return "\(scheme.lowercased())://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
    }
}
