import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OpenIDConnect
import Postgres
import Synchronization
import TestSupport
import Testing

/// The whole sign-in against a real OpenID provider (oidc-provider-mock, started by the tests): from
/// `/sign-in/oidc/{slug}` to the provider's form, back to the callback, to the session that starts, or the
/// page that says why none does.
@Suite("Sign-in with the municipality's OpenID provider")
struct OIDCSignInFlowTests {
    static let clientID = "stedenband-a-town"

    /// One provider, one database and the municipalities for the whole suite.
    struct World: Sendable {
        let provider: TestOIDCProvider
        let database: TestDatabase
        /// a-town: has the provider; alice@ (verified at the provider), carol@ (not verified there).
        let aTown: TestTenant
        let carol: TestTenant
        /// b-town: bob@ only, and no provider. c-town: no provider either.
        let bTown: TestTenant
    }

    static let world = WorldOnce()

    actor WorldOnce {
        private var made: Task<World, any Error>?

        func get() async throws -> World {
            if let made { return try await made.value }
            let task = Task { try await OIDCSignInFlowTests.makeWorld() }
            made = task
            return try await task.value
        }
    }

    static func makeWorld() async throws -> World {
        let provider = try await TestOIDCProvider.start(users: [
            .init(sub: "alice", email: "Alice@A-Town.be", emailVerified: true),
            .init(sub: "bob", email: "bob@b-town.be", emailVerified: true),
            .init(sub: "carol", email: "carol@a-town.be", emailVerified: false),
            .init(sub: "dave", email: "dave@a-town.be", emailVerified: true),
        ])
        let database = try await TestDatabase.migrated("oidcflow")
        let aTown = try await TestTenant.create(
            in: database, slug: "a-town", role: .coordinator, email: "alice@a-town.be")
        let carol = try await TestTenant.create(in: database, slug: "a-town", role: .viewer, email: "carol@a-town.be")
        let bTown = try await TestTenant.create(
            in: database, slug: "b-town", role: .coordinator, email: "bob@b-town.be")
        _ = try await TestTenant.create(in: database, slug: "c-town", role: .admin, email: "admin@c-town.be")
        let admin = try await database.connectAsAdmin()
        let set = try await OIDCRepository.setProvider(
            slug: "a-town",
            client: OIDCClient(issuer: provider.issuer, clientID: clientID, secret: ClientSecret("a-town-secret")),
            on: admin)
        #expect(set)
        await admin.close()
        return World(provider: provider, database: database, aTown: aTown, carol: carol, bTown: bTown)
    }

    /// Records the people it is asked to start a session for, and answers as the real one does.
    final class RecordingSessions: OIDCSessionStarter {
        let started = Mutex<[VerifiedPerson]>([])

        func startSession(
            for person: VerifiedPerson, request: Request, context: GatewayRequestContext
        ) async throws -> Response {
            started.withLock { $0.append(person) }
            return Response(status: .seeOther, headers: [.location: person.next ?? "/"])
        }
    }

    /// Runs `body` with an app serving the two routes, and the session recorder.
    func withApp(
        _ world: World,
        _ body: @Sendable (any TestClientProtocol, RecordingSessions, OIDCSignIn) async throws -> Void
    ) async throws {
        let pool = PostgresConnectionPool(
            configuration: .init(connection: world.database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("oidc"))
        let signIn = OIDCSignIn(pool: pool, settings: OIDCSettings())
        let sessions = RecordingSessions()
        let router = Router(context: GatewayRequestContext.self)
        router.addRoutes(OIDCSignInController(signIn: signIn, sessions: sessions).routes)
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(client, sessions, signIn) }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// A started sign-in: the provider's authorization URL and the browser's cookie.
    struct Started {
        var location: String
        var cookie: String
        var state: String
    }

    func start(_ client: any TestClientProtocol, slug: String = "a-town", next: String? = nil) async throws -> Started {
        let path = "/sign-in/oidc/\(slug)" + (next.map { "?next=" + $0 } ?? "")
        return try await client.execute(uri: path, method: .get) { response in
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            let setCookie = try #require(response.headers[.setCookie])
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            let pair = try #require(setCookie.split(separator: ";").first)
            let state = try #require(Self.parameter("state", in: location))
            return Started(location: location, cookie: String(pair), state: state)
        }
    }

    /// The path and query of the provider's redirect back, as the router is asked for it.
    static func sitePart(of url: String) -> String {
        let components = URLComponents(string: url)!
        return components.path + "?" + (components.percentEncodedQuery ?? "")
    }

    static func parameter(_ name: String, in url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
    }

    func callback(
        _ client: any TestClientProtocol, _ path: String, cookie: String?
    ) async throws -> (HTTPResponse.Status, String, String?) {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers[.location])
        }
    }

    @Test("the person the provider verified is signed in, matched by address within the municipality")
    func signsInTheMatchedPerson() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, signIn in
            let started = try await start(client, next: "/partnerships")
            #expect(started.location.hasPrefix(world.provider.issuer + "/oauth2/authorize?"))
            for (name, value) in [
                ("response_type", "code"), ("client_id", Self.clientID), ("scope", "openid email profile"),
                ("code_challenge_method", "S256"),
                ("redirect_uri", "http://127.0.0.1:8080/sign-in/oidc/a-town/callback"),
            ] {
                #expect(Self.parameter(name, in: started.location) == value, "\(name)")
            }
            #expect((Self.parameter("nonce", in: started.location)?.count ?? 0) >= 43)
            #expect(Self.parameter("code_challenge", in: started.location)?.count == 43)

            let back = try await world.provider.authorize(started.location, as: "alice")
            #expect(back.hasPrefix(signIn.redirectURI(slug: "a-town") + "?"))
            let (status, _, location) = try await callback(client, Self.sitePart(of: back), cookie: started.cookie)
            #expect(status == .seeOther)
            #expect(location == "/partnerships")
            #expect(
                sessions.started.withLock { $0 }
                    == [
                        VerifiedPerson(
                            tenantID: world.aTown.tenantID, userID: world.aTown.userID, next: "/partnerships")
                    ])
        }
    }

    @Test("a callback whose state is not this browser's, or unknown, signs nobody in")
    func refusesAWrongState() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            let started = try await start(client)
            let back = try await world.provider.authorize(started.location, as: "alice")
            let forged = Self.sitePart(of: back).replacingOccurrences(of: started.state, with: "forged-state-value")
            // The state in the URL is not the one in the browser's cookie.
            var (status, page, _) = try await callback(client, forged, cookie: started.cookie)
            #expect(status == .badRequest)
            #expect(page.contains("<main") && page.contains("<h1>") && page.contains("href=\"/sign-in\""))
            // Both agree, but no sign-in was started with it.
            (status, _, _) = try await callback(client, forged, cookie: "stedenband_oidc=forged-state-value")
            #expect(status == .badRequest)
            // No cookie at all: started in another browser.
            (status, _, _) = try await callback(client, Self.sitePart(of: back), cookie: nil)
            #expect(status == .badRequest)
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }

    @Test("a callback replayed after it signed someone in signs nobody in again")
    func refusesAReplayedCallback() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            let started = try await start(client)
            let back = Self.sitePart(of: try await world.provider.authorize(started.location, as: "alice"))
            let (first, _, _) = try await callback(client, back, cookie: started.cookie)
            #expect(first == .seeOther)
            let (second, page, _) = try await callback(client, back, cookie: started.cookie)
            #expect(second == .badRequest)
            #expect(page.contains("href=\"/sign-in\""))
            #expect(sessions.started.withLock { $0 }.count == 1)
        }
    }

    @Test("an address of another municipality, or none of this one's, is not signed in through this provider")
    func refusesAnAddressOfAnotherMunicipality() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            for sub in ["bob", "dave"] {
                let started = try await start(client)
                let back = try await world.provider.authorize(started.location, as: sub)
                let (status, page, _) = try await callback(client, Self.sitePart(of: back), cookie: started.cookie)
                #expect(status == .forbidden, "\(sub)")
                #expect(page.contains("href=\"/sign-in\""))
            }
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }

    @Test("an address the provider has not verified is refused")
    func refusesAnUnverifiedAddress() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            let started = try await start(client)
            let back = try await world.provider.authorize(started.location, as: "carol")
            let (status, _, _) = try await callback(client, Self.sitePart(of: back), cookie: started.cookie)
            #expect(status == .forbidden)
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }

    @Test("the provider's refusal (error=access_denied) is shown, and signs nobody in")
    func showsTheProvidersRefusal() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, sessions, _ in
            let started = try await start(client)
            let path = "/sign-in/oidc/a-town/callback?error=access_denied&state=\(started.state)"
            let (status, page, _) = try await callback(client, path, cookie: started.cookie)
            #expect(status == .forbidden)
            #expect(page.contains("lang=\"nl\""), "the municipality's language")
            #expect(sessions.started.withLock { $0 }.isEmpty)
        }
    }

    @Test("an unknown municipality, and one without a provider, answer 404 with a page")
    func unknownOrUnconfiguredMunicipalityIsNotFound() async throws {
        let world = try await Self.world.get()
        try await withApp(world) { client, _, _ in
            for path in [
                "/sign-in/oidc/nowhere", "/sign-in/oidc/c-town", "/sign-in/oidc/b-town", "/sign-in/oidc/Not_A_Slug",
                "/sign-in/oidc/nowhere/callback?code=x&state=y", "/sign-in/oidc/c-town/callback?code=x&state=y",
            ] {
                try await client.execute(uri: path, method: .get, headers: [.cookie: "stedenband_oidc=y"]) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(String(buffer: response.body).contains("href=\"/sign-in\""))
                }
            }
        }
    }

    @Test("a provider that cannot be reached is a page, not a crash")
    func unreachableProviderIsAPage() async throws {
        let world = try await Self.world.get()
        let admin = try await world.database.connectAsAdmin()
        _ = try await TestTenant.create(in: world.database, slug: "d-town", role: .admin, email: "admin@d-town.be")
        // Port 9 (discard) on this machine: nothing listens there.
        _ = try await OIDCRepository.setProvider(
            slug: "d-town",
            client: OIDCClient(issuer: "http://127.0.0.1:9", clientID: "x", secret: ClientSecret("y")), on: admin)
        await admin.close()
        try await withApp(world) { client, _, _ in
            try await client.execute(uri: "/sign-in/oidc/d-town", method: .get) { response in
                #expect(response.status == .badGateway)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test("the fetcher reads a provider's answer whole, and refuses one longer than its limit")
    func fetcherLimitsAnswers() async throws {
        let world = try await Self.world.get()
        let url = world.provider.issuer + "/.well-known/openid-configuration"
        let answer = try await HTTPFetcher().get(url)
        #expect(answer.status == 200 && answer.body.count > 64)
        #expect(String(decoding: answer.body, as: UTF8.self).contains(world.provider.issuer + "/jwks"))
        await #expect(throws: DeliveryError.self) { try await HTTPFetcher(bodyLimit: 64).get(url) }
    }

    struct Ready: ReadinessCheck {
        func notReadyReason() async -> String? { nil }
    }

    @Test("the pages' session starts: a new secret in the session cookie; the browser's previous session ends")
    func startsAPageSession() async throws {
        let world = try await Self.world.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: world.database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("oidc"))
        let environment = GatewayEnvironment(pool: pool, readiness: Ready(), logger: TestLogger.make("oidc"))
        let router = Router(context: GatewayRequestContext.self)
        router.addRoutes(
            OIDCSignInController(
                signIn: OIDCSignIn(pool: pool, settings: OIDCSettings()),
                sessions: PageSessions(environment: environment)
            ).routes)
        @Sendable func liveSessions() async throws -> Int {
            let admin = try await world.database.connectAsAdmin()
            let count = try await admin.query(
                """
                SELECT count(*) FROM platform.sessions
                WHERE user_id = \(world.aTown.userID) AND ended_at IS NULL AND expires_at > now()
                """
            )[0].decode(Int.self, column: 0)
            await admin.close()
            return count
        }
        let before = try await liveSessions()
        try await Application(router: router).test(.router) { client in
            var sessionCookie: String?
            for round in 1...2 {
                let started = try await start(client, next: "/settings")
                let back = Self.sitePart(of: try await world.provider.authorize(started.location, as: "alice"))
                let cookies = [started.cookie] + (sessionCookie.map { [$0] } ?? [])
                try await client.execute(
                    uri: back, method: .get, headers: [.cookie: cookies.joined(separator: "; ")]
                ) { response in
                    #expect(response.status == .seeOther, "round \(round)")
                    #expect(response.headers[.location] == "/settings")
                    let session = response.headers[values: .setCookie].first { $0.hasPrefix("stedenband_session=") }
                    let cookie = try #require(session, "round \(round)")
                    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                    let pair = String(cookie.split(separator: ";")[0])
                    #expect(pair != sessionCookie, "a new secret")
                    sessionCookie = pair
                }
                // The second sign-in ended the first session: one live session more than before, not two.
                #expect(try await liveSessions() == before + 1, "round \(round)")
            }
        }
        await pool.close()
    }
}
