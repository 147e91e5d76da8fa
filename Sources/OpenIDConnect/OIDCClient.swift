/// A municipality's registration at its OpenID provider: the issuer, and this server's client id and secret
/// there.
public struct OIDCClient: Sendable, Equatable {
    /// The issuer URL, exactly as the provider writes it in `iss`.
    public var issuer: String
    /// This server's client id at the provider; the ID token's `aud` must contain it.
    public var clientID: String
    /// The client secret.
    public var secret: ClientSecret

    /// A registration.
    public init(issuer: String, clientID: String, secret: ClientSecret) {
        self.issuer = issuer
        self.clientID = clientID
        self.secret = secret
    }
}

/// A client secret: its description never shows it, so it cannot reach a log by interpolation.
public struct ClientSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself, for the token request only.
    public let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "(secret)" }
    public var debugDescription: String { "(secret)" }
}
