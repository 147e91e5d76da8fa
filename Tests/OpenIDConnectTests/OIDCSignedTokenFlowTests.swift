import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import OpenIDConnect

/// The whole flow with a provider answered from memory and ID tokens signed by a key the test makes: what
/// the provider mock cannot be made to do (send another nonce, allow only client_secret_post).
@Suite("Sign-in with a provider whose tokens the test signs")
struct OIDCSignedTokenFlowTests {
    static let database = SuiteDatabase("oidcsigned")
    static let issuer = "https://login.g-town.example"

    func discovery(authMethods: [String]) -> String {
        let object: [String: Any] = [
            "issuer": Self.issuer, "authorization_endpoint": Self.issuer + "/authorize",
            "token_endpoint": Self.issuer + "/token", "jwks_uri": Self.issuer + "/keys",
            "token_endpoint_auth_methods_supported": authMethods, "id_token_signing_alg_values_supported": ["ES256"],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("a token carrying another nonce signs nobody in; the right one does, with client_secret_post")
    func nonceMustMatchAndSecretPostIsUsed() async throws {
        let database = try await Self.database.get()
        let person = try await TestTenant.create(
            in: database, slug: "g-town", role: .coordinator, email: "gina@g-town.be")
        let admin = try await database.connectAsAdmin()
        _ = try await OIDCRepository.setProvider(
            slug: "g-town",
            client: OIDCClient(issuer: Self.issuer, clientID: "stedenband", secret: ClientSecret("g-secret")),
            on: admin)
        await admin.close()

        let key = IDTokenVerifierTests.ProviderKey(kid: "g1")
        let transport = MemoryTransport()
        transport.set(OIDCIssuer.discoveryURL(for: Self.issuer), json: discovery(authMethods: ["client_secret_post"]))
        transport.set(Self.issuer + "/keys", json: IDTokenVerifierTests.jwks([key]))
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("oidc"))
        let signIn = OIDCSignIn(pool: pool, settings: OIDCSettings(), transport: transport)
        let sessions = OIDCSignInFlowTests.RecordingSessions()
        let router = Router(context: GatewayRequestContext.self)
        router.addRoutes(OIDCSignInController(signIn: signIn, sessions: sessions).routes)

        @Sendable func token(nonce: String) async throws -> String {
            let now = Date()
            return try await key.sign(
                IDTokenClaims(
                    iss: IssuerClaim(value: Self.issuer), sub: SubjectClaim(value: "gina"),
                    aud: AudienceClaim(value: ["stedenband"]), exp: ExpirationClaim(value: now + 300),
                    iat: IssuedAtClaim(value: now), nonce: nonce, azp: nil, email: "GINA@g-town.be",
                    emailVerified: BoolClaim(value: true)))
        }

        try await Application(router: router).test(.router) { client in
            for (nonceOf, expected) in [("another", HTTPResponse.Status.forbidden), ("this", .seeOther)] {
                let (location, cookie) = try await client.execute(uri: "/sign-in/oidc/g-town", method: .get) {
                    response in
                    (
                        try #require(response.headers[.location]),
                        String(try #require(response.headers[.setCookie]?.split(separator: ";").first))
                    )
                }
                let nonce = try #require(OIDCSignInFlowTests.parameter("nonce", in: location))
                let state = try #require(OIDCSignInFlowTests.parameter("state", in: location))
                let sent = nonceOf == "this" ? nonce : "nonce-of-another-sign-in-000000000000000"
                transport.set(Self.issuer + "/token", json: #"{"id_token": "\#(try await token(nonce: sent))"}"#)
                try await client.execute(
                    uri: "/sign-in/oidc/g-town/callback?code=c0de&state=\(state)", method: .get,
                    headers: [.cookie: cookie]
                ) { response in
                    #expect(response.status == expected, "\(nonceOf) nonce")
                }
            }
        }
        #expect(
            sessions.started.withLock { $0 }
                == [VerifiedPerson(tenantID: person.tenantID, userID: person.userID, next: nil)])
        // The provider allows only client_secret_post: the secret travels in the form, not in a header.
        let post = try #require(transport.posts.last)
        #expect(post.url == Self.issuer + "/token")
        #expect(post.fields["client_id"] == "stedenband" && post.fields["client_secret"] == "g-secret")
        #expect(post.fields["grant_type"] == "authorization_code" && post.fields["code"] == "c0de")
        #expect((post.fields["code_verifier"]?.count ?? 0) >= 43)
        #expect(!post.headers.contains { $0.lowercased().hasPrefix("authorization:") })
        await pool.close()
    }

    @Test("client_secret_basic by default, the id and secret form-encoded first; the verifier matches the challenge")
    func basicAuthenticationAndPKCE() async throws {
        let database = try await Self.database.get()
        let issuer = "https://login.h-town.example"
        let person = try await TestTenant.create(in: database, slug: "h-town", role: .viewer, email: "hugo@h-town.be")
        let admin = try await database.connectAsAdmin()
        _ = try await OIDCRepository.setProvider(
            slug: "h-town",
            client: OIDCClient(issuer: issuer, clientID: "stedenband h", secret: ClientSecret("h:secret/with%")),
            on: admin)
        await admin.close()
        let key = IDTokenVerifierTests.ProviderKey(kid: "h1")
        let transport = MemoryTransport()
        let object: [String: Any] = [
            "issuer": issuer, "authorization_endpoint": issuer + "/authorize?tenant=h",
            "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/keys",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        ]
        transport.set(
            OIDCIssuer.discoveryURL(for: issuer),
            json: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        transport.set(issuer + "/keys", json: IDTokenVerifierTests.jwks([key]))
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("oidc"))
        let sessions = OIDCSignInFlowTests.RecordingSessions()
        let router = Router(context: GatewayRequestContext.self)
        router.addRoutes(
            OIDCSignInController(
                signIn: OIDCSignIn(pool: pool, settings: OIDCSettings(), transport: transport), sessions: sessions
            ).routes)
        let location = try await Application(router: router).test(.router) { client in
            let (location, cookie) = try await client.execute(
                uri: "/sign-in/oidc/h-town?next=//evil.example", method: .get
            ) {
                response in
                (
                    try #require(response.headers[.location]),
                    String(try #require(response.headers[.setCookie]?.split(separator: ";").first))
                )
            }
            // The provider's own query is kept; ours follows.
            #expect(location.hasPrefix(issuer + "/authorize?tenant=h&response_type=code&"))
            let nonce = try #require(OIDCSignInFlowTests.parameter("nonce", in: location))
            let state = try #require(OIDCSignInFlowTests.parameter("state", in: location))
            let now = Date()
            let token = try await key.sign(
                IDTokenClaims(
                    iss: IssuerClaim(value: issuer), sub: SubjectClaim(value: "hugo"),
                    aud: AudienceClaim(value: ["stedenband h"]), exp: ExpirationClaim(value: now + 300),
                    iat: IssuedAtClaim(value: now), nonce: nonce, azp: "stedenband h", email: "hugo@h-town.be",
                    emailVerified: BoolClaim(stringLiteral: "true")))
            transport.set(issuer + "/token", json: #"{"id_token": "\#(token)", "token_type": "Bearer"}"#)
            try await client.execute(
                uri: "/sign-in/oidc/h-town/callback?code=c0de&state=\(state)", method: .get, headers: [.cookie: cookie]
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/", "a next that leaves the site is dropped")
            }
            return location
        }
        #expect(sessions.started.withLock { $0 }.map(\.userID) == [person.userID])
        let post = try #require(transport.posts.last)
        #expect(post.fields["client_secret"] == nil && post.fields["client_id"] == nil)
        let basic = "Basic " + Data("stedenband%20h:h%3Asecret%2Fwith%25".utf8).base64EncodedString()
        #expect(post.headers.contains("Authorization: " + basic))
        let verifier = try #require(post.fields["code_verifier"])
        #expect(OIDCSignInFlowTests.parameter("code_challenge", in: location) == OIDCSignIn.challenge(for: verifier))
        await pool.close()
    }
}
