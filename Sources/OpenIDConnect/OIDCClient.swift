import Gateway

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

extension OIDCClient {
    /// What is wrong with each given field of a registration (`nil`: not given), in English for the CLI, under
    /// the page's field names (`oidcIssuer`, `oidcClientId`, `oidcClientSecret`); a page words them itself by
    /// field. One place for the checks: `stedenband tenant set` and `/admin/municipality` both call it.
    public static func problems(issuer: String?, clientID: String?, secret: String?) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        if let issuer, let problem = OIDCIssuer.problem(with: issuer) {
            errors.append(.init(field: "oidcIssuer", message: problem))
        }
        if let clientID,
            clientID.isEmpty || clientID.count > 500
                || clientID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            errors.append(
                .init(field: "oidcClientId", message: "must be 1 to 500 characters without control characters"))
        }
        if let secret {
            if secret.isEmpty {
                errors.append(.init(field: "oidcClientSecret", message: "is empty"))
            } else if secret.count > 4000 || secret.contains(where: \.isNewline) {
                errors.append(.init(field: "oidcClientSecret", message: "must hold the secret alone, on one line"))
            }
        }
        return errors
    }
}
