import Gateway

/// The parts of a provider's discovery document (OpenID Connect Discovery 1.0) the sign-in uses.
struct ProviderMetadata: Sendable, Decodable, Equatable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var jwksURI: String
    /// How the client may authenticate at the token endpoint; absent means `client_secret_basic`.
    var tokenEndpointAuthMethods: [String]?
    /// The algorithms ID tokens may be signed with; absent means RS256 only.
    var idTokenSigningAlgorithms: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case tokenEndpointAuthMethods = "token_endpoint_auth_methods_supported"
        case idTokenSigningAlgorithms = "id_token_signing_alg_values_supported"
    }

    /// How this server authenticates at the token endpoint: `client_secret_basic` unless the provider
    /// allows only `client_secret_post`.
    var usesBasicAuthentication: Bool {
        guard let methods = tokenEndpointAuthMethods, !methods.isEmpty else { return true }
        return methods.contains("client_secret_basic") || !methods.contains("client_secret_post")
    }

    /// The ID token algorithms accepted: the provider's list, less any that is not an asymmetric signature
    /// (`none`, and the HMAC ones, whose key would be the client secret).
    var acceptedAlgorithms: Set<String> {
        Set(idTokenSigningAlgorithms ?? ["RS256"]).intersection(Self.asymmetricAlgorithms)
    }

    static let asymmetricAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    /// Why the document cannot be used for `issuer`, or `nil`: what the administrator's page words, and the
    /// reason for the log.
    func problem(forIssuer expected: String) -> (kind: IdentityProviderDiscoveryProblem, reason: String)? {
        guard issuer == expected else {
            return (.otherIssuer(found: issuer), "the discovery document names the issuer \(issuer), not \(expected)")
        }
        for (name, url) in [
            ("authorization_endpoint", authorizationEndpoint), ("token_endpoint", tokenEndpoint),
            ("jwks_uri", jwksURI),
        ] where !OIDCIssuer.permits(url, issuer: expected) {
            return (.insecureEndpoint(name: name), "the discovery document's \(name) is not an https address")
        }
        if acceptedAlgorithms.isEmpty {
            return (.noAcceptedAlgorithm, "the provider signs ID tokens with no algorithm this server accepts")
        }
        return nil
    }
}
