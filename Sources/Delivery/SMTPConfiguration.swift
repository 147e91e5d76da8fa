import Foundation

/// Where and how ``SMTPMailer`` hands mail over, usually read from the server's `SMTP_URL`.
///
/// The URL forms (see docs/delivery.md):
/// - `smtp://[user:pass@]host[:port]`: port 587 by default, and STARTTLS is **required**: a server that
///   does not offer it is refused, so credentials and mail never cross the network in clear text.
/// - `smtp://host:port?starttls=off`: no TLS at all, for a relay on the same machine or network (a local
///   Postfix, a mail catcher in development and tests). Port 25 by default.
/// - `smtps://[user:pass@]host[:port]`: TLS from the first byte (implicit TLS), port 465 by default.
/// - `?cacert=/path/to/ca.pem`: trust this CA bundle instead of the system's, for a private CA.
/// - A path (`smtp://host/mail.example.org`) is the name sent in `EHLO`; libcurl sends `localhost`
///   without one.
///
/// User and password are percent-decoded (`%40` for `@`); the password never appears in a description.
public struct SMTPConfiguration: Sendable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// Plain connection upgraded with STARTTLS, which the server must offer.
        case startTLS
        /// TLS from the start (`smtps://`).
        case implicitTLS
        /// No TLS: only for a relay that is local or on a trusted network.
        case none
    }

    /// The default connect timeout: a relay that does not answer within it is treated as down.
    public static let defaultConnectTimeout = Duration.seconds(10)
    /// The default limit for a whole send, from connecting to the server's final reply.
    public static let defaultTransferTimeout = Duration.seconds(60)

    /// The server's host name or IP address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// How the connection is protected.
    public var security: Security
    /// The user for SMTP AUTH; no AUTH when `nil`.
    public var username: String?
    /// The password for SMTP AUTH.
    public var password: String?
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caCertificatePath: String?
    /// The name to send in `EHLO`; libcurl's default when `nil`.
    public var heloName: String?
    /// How long to wait for the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// How long a whole send may take.
    public var transferTimeout: Duration

    /// A configuration from its parts.
    public init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        caCertificatePath: String? = nil,
        heloName: String? = nil,
        connectTimeout: Duration = SMTPConfiguration.defaultConnectTimeout,
        transferTimeout: Duration = SMTPConfiguration.defaultTransferTimeout
    ) {
        self.host = host
        self.port = port ?? Self.defaultPort(for: security)
        self.security = security
        self.username = username
        self.password = password
        self.caCertificatePath = caCertificatePath
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
    }

    /// Reads an `SMTP_URL`.
    /// - Throws: a permanent ``DeliveryError`` for another scheme, a missing host, an unknown query
    ///   parameter (a typo must not silently weaken TLS) or `starttls=off` with `smtps://`.
    public init(url: String) throws(DeliveryError) {
        func invalid(_ reason: String) -> DeliveryError {
            DeliveryError(isTransient: false, description: "SMTP_URL is not usable: \(reason)")
        }
        guard let components = URLComponents(string: url) else { throw invalid("it is not a URL") }
        // An IPv6 literal may come back with its brackets; curlURL adds them again.
        let host = (components.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw invalid("it has no host") }
        var security: Security
        switch components.scheme?.lowercased() {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default: throw invalid("the scheme must be smtp or smtps")
        }
        var caCertificatePath: String?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("starttls", "off"):
                guard security == .startTLS else { throw invalid("starttls=off does not apply to smtps://") }
                security = .none
            case ("starttls", "required"):
                break
            case ("cacert", let path?) where !path.isEmpty:
                caCertificatePath = path
            default:
                throw invalid("unknown query parameter \(item.name); known: starttls=off|required, cacert=PATH")
            }
        }
        let helo = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.init(
            host: host,
            port: components.port,
            security: security,
            username: components.user.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password,
            caCertificatePath: caCertificatePath,
            heloName: helo.isEmpty ? nil : helo
        )
    }

    /// The well-known port for each kind of connection: submission, submissions, and SMTP relay.
    static func defaultPort(for security: Security) -> Int {
        switch security {
        case .startTLS: 587
        case .implicitTLS: 465
        case .none: 25
        }
    }

    /// The URL libcurl connects to: scheme, host, port and EHLO name, never the credentials.
    var curlURL: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)/\(heloName ?? "")"
    }

    /// The server and policy, for logs; the password is left out.
    public var description: String {
        let user = username.map { "\($0)@" } ?? ""
        return "\(security == .implicitTLS ? "smtps" : "smtp")://\(user)\(host):\(port) (\(security))"
    }
}
