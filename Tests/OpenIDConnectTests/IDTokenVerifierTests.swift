import Foundation
import JWTKit
import Testing

@testable import OpenIDConnect

/// The ID token's checks, with tokens signed by keys the tests make (jwt-kit signs too) and a provider
/// answered from memory: what the provider mock cannot be made to send (another audience, an old token,
/// another nonce, a key it does not publish).
@Suite("ID token verification")
struct IDTokenVerifierTests {
    static let issuer = "https://login.a-town.example"
    static let jwksURI = "https://login.a-town.example/keys"
    static let client = OIDCClient(issuer: issuer, clientID: "stedenband", secret: ClientSecret("s3cret"))
    static let metadata = ProviderMetadata(
        issuer: issuer, authorizationEndpoint: issuer + "/authorize", tokenEndpoint: issuer + "/token",
        jwksURI: jwksURI, tokenEndpointAuthMethods: nil, idTokenSigningAlgorithms: ["RS256", "ES256"])
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A provider's signing key and its published key set.
    struct ProviderKey {
        let kid: String
        let key = ES256PrivateKey()

        var jwk: [String: String] {
            let (x, y) = key.publicKey.parameters!
            return ["kty": "EC", "crv": "P-256", "kid": kid, "x": x, "y": y, "use": "sig", "alg": "ES256"]
        }

        func sign(_ claims: IDTokenClaims, kid: String? = nil) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid ?? self.kid))
            return try await keys.sign(claims, kid: JWKIdentifier(string: kid ?? self.kid))
        }
    }

    static func jwks(_ keys: [ProviderKey]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys.map(\.jwk)])
        return String(decoding: data, as: UTF8.self)
    }

    static func claims(
        audience: [String] = ["stedenband"],
        issuer: String = issuer,
        issuedAt: Date = now.addingTimeInterval(-5),
        expires: Date = now.addingTimeInterval(300),
        nonce: String? = "nonce-of-this-sign-in",
        azp: String? = nil
    ) -> IDTokenClaims {
        IDTokenClaims(
            iss: IssuerClaim(value: issuer), sub: SubjectClaim(value: "person-1"), aud: AudienceClaim(value: audience),
            exp: ExpirationClaim(value: expires), iat: IssuedAtClaim(value: issuedAt), nonce: nonce, azp: azp,
            email: "an@a-town.be", emailVerified: BoolClaim(value: true))
    }

    func verifier(_ transport: MemoryTransport) -> IDTokenVerifier {
        IDTokenVerifier(directory: ProviderDirectory(transport: transport, lifetime: .seconds(3600)), now: { Self.now })
    }

    func verify(_ token: String, _ transport: MemoryTransport) async throws(OIDCFailure) -> IDTokenVerifier.Subject {
        try await verifier(transport).verify(
            token, client: Self.client, metadata: Self.metadata, nonce: "nonce-of-this-sign-in")
    }

    func refusal(_ token: String, _ transport: MemoryTransport) async -> OIDCFailure? {
        do {
            _ = try await verify(token, transport)
            return nil
        } catch {
            return error
        }
    }

    @Test("a token signed by the provider's key, for this client and sign-in, verifies")
    func acceptsAGoodToken() async throws {
        let key = ProviderKey(kid: "k1")
        let transport = MemoryTransport()
        transport.set(Self.jwksURI, json: Self.jwks([key]))
        let subject = try await verify(try await key.sign(Self.claims()), transport)
        #expect(subject == .init(subject: "person-1", email: "an@a-town.be", emailVerified: true))
    }

    @Test("another audience, another issuer, an expired or old token, another nonce: each is refused")
    func refusesWrongClaims() async throws {
        let key = ProviderKey(kid: "k1")
        let transport = MemoryTransport()
        transport.set(Self.jwksURI, json: Self.jwks([key]))
        let cases: [(String, IDTokenClaims)] = [
            ("audience", Self.claims(audience: ["another-client"])),
            ("issuer", Self.claims(issuer: "https://login.b-town.example")),
            (
                "expired",
                Self.claims(issuedAt: Self.now.addingTimeInterval(-900), expires: Self.now.addingTimeInterval(-120))
            ),
            ("issued long ago", Self.claims(issuedAt: Self.now.addingTimeInterval(-7200))),
            ("issued in the future", Self.claims(issuedAt: Self.now.addingTimeInterval(600))),
            ("nonce", Self.claims(nonce: "nonce-of-another-sign-in")),
            ("no nonce", Self.claims(nonce: nil)),
            ("another party", Self.claims(audience: ["stedenband", "other"], azp: "other")),
        ]
        for (name, claims) in cases {
            let failure = await refusal(try await key.sign(claims), transport)
            #expect(failure?.kind == .notVerified, "\(name): \(failure?.reason ?? "accepted")")
        }
    }

    @Test("a token signed by a key the provider does not publish is refused, after one fresh look at its keys")
    func refusesAForeignKey() async throws {
        let published = ProviderKey(kid: "k1")
        let foreign = ProviderKey(kid: "k2")
        let transport = MemoryTransport()
        transport.set(Self.jwksURI, json: Self.jwks([published]))
        let failure = await refusal(try await foreign.sign(Self.claims()), transport)
        #expect(failure?.kind == .notVerified)
        #expect(transport.fetched == [Self.jwksURI, Self.jwksURI], "fetched once, then again for the unknown kid")

        // The same kid as a published key, but another key's signature.
        let impostor = ProviderKey(kid: "k1")
        #expect(await refusal(try await impostor.sign(Self.claims()), transport)?.kind == .notVerified)
    }

    @Test("when the provider rotates its keys, the new kid makes the verifier fetch the key set again")
    func followsKeyRotation() async throws {
        let old = ProviderKey(kid: "k1")
        let new = ProviderKey(kid: "k2")
        let transport = MemoryTransport()
        transport.set(Self.jwksURI, json: Self.jwks([old]))
        let verifier = verifier(transport)
        _ = try await verifier.verify(
            try await old.sign(Self.claims()), client: Self.client, metadata: Self.metadata,
            nonce: "nonce-of-this-sign-in")
        transport.set(Self.jwksURI, json: Self.jwks([new]))
        let subject = try await verifier.verify(
            try await new.sign(Self.claims()), client: Self.client, metadata: Self.metadata,
            nonce: "nonce-of-this-sign-in")
        #expect(subject.subject == "person-1")
        #expect(transport.fetched.count == 2)
    }

    @Test("an unsigned token, or one signed with the client secret (HS256), is refused")
    func refusesUnsignedAndSymmetricTokens() async throws {
        let transport = MemoryTransport()
        transport.set(Self.jwksURI, json: Self.jwks([ProviderKey(kid: "k1")]))
        let hmac = JWTKeyCollection()
        await hmac.add(hmac: HMACKey(from: "a-client-secret-of-32-characters!"), digestAlgorithm: .sha256, kid: "k1")
        let symmetric = try await hmac.sign(Self.claims(), kid: "k1")
        #expect(await refusal(symmetric, transport)?.kind == .notVerified)

        let payload = symmetric.split(separator: ".")[1]
        let unsigned = "eyJhbGciOiJub25lIn0." + payload + "."
        #expect(await refusal(unsigned, transport)?.kind == .notVerified)
        #expect(await refusal("not a token", transport)?.kind == .notVerified)
    }
}
