import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("Limits before authentication: per client address, X-Forwarded-For, /metrics")
struct AddressLimitTests {
    static let database = SuiteDatabase("addresslimits")

    /// A frozen clock: buckets do not refill unless the test moves it.
    final class Clock: Sendable {
        private let seconds = Mutex(0.0)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    private func environment(
        settings: GatewaySettings = GatewaySettings(),
        addressBurst: Double = 20,
        clock: Clock = Clock()
    ) async throws -> GatewayEnvironment {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("addresslimits")
        )
        return GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("addresslimits"),
            settings: settings,
            addressLimiter: RateLimiter(rate: 1, burst: addressBurst, now: { clock.now })
        )
    }

    private func live(_ environment: GatewayEnvironment) -> some ApplicationProtocol {
        buildApplication(
            environment: environment, router: buildRouter(environment: environment),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("a thousand made-up tokens from one address are mostly 429 and reach the database at most a burst's times")
    func madeUpTokensAreStoppedBeforeTheDatabase() async throws {
        let known = try await TestTenant.create(in: try await Self.database.get(), slug: "nat-leuven")
        let unseen = try await TestTenant.create(in: try await Self.database.get(), slug: "nat-leuven")
        let clock = Clock()
        let environment = try await environment(addressBurst: 20, clock: clock)
        try await live(environment).test(.live) { client in
            // A colleague behind the same NAT address signed in before the flood.
            #expect(
                try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: known.authorization]
                )
                .status == .ok)
            let before = environment.authenticationStatistics.lookups
            var statuses: [HTTPResponse.Status: Int] = [:]
            for _ in 0..<1000 {
                let response = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(APIToken.generate().value)"])
                statuses[response.status, default: 0] += 1
                if response.status == .tooManyRequests {
                    #expect(response.headers[.retryAfter] != nil)
                }
            }
            #expect(statuses[.unauthorized] == 20, "\(statuses)")
            #expect(statuses[.tooManyRequests] == 980, "\(statuses)")
            // What reached the database: one lookup per request the bucket let through.
            #expect(environment.authenticationStatistics.lookups - before == 20)
            #expect(environment.authenticationStatistics.refusedByAddress == 980)

            // The colleague still works; a valid token not seen lately waits for the bucket like the rest.
            for _ in 0..<3 {
                #expect(
                    try await client.execute(
                        uri: "/api/v1/me", method: .get, headers: [.authorization: known.authorization]
                    ).status == .ok)
            }
            #expect(
                try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: unseen.authorization]
                )
                .status == .tooManyRequests)
            // Missing and malformed credentials count against the address too.
            #expect(try await client.execute(uri: "/api/v1/me", method: .get).status == .tooManyRequests)
            clock.advance(1)
            #expect(
                try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: unseen.authorization]
                )
                .status == .ok)
        }
    }

    @Test("a revoked token that worked a moment ago is refused at once and charges the address")
    func revokedTokenLeavesTheRecentSet() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "nat-mol")
        let environment = try await environment(addressBurst: 2)
        try await live(environment).test(.live) { client in
            #expect(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                    .status == .ok)
            let admin = try await Self.database.get().connectAsAdmin()
            _ = try await admin.query(
                "UPDATE platform.tokens SET revoked_at = now() WHERE token_hash = decode(\(user.token.hashHex), 'hex')")
            await admin.close()
            for _ in 0..<2 {
                #expect(
                    try await client.execute(
                        uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization]
                    ).status == .unauthorized)
            }
            #expect(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                    .status == .tooManyRequests)
        }
    }

    @Test("X-Forwarded-For is ignored from an untrusted peer and honoured from a trusted proxy")
    func forwardedForOnlyFromTrustedProxies() async throws {
        // Untrusted: every request is the peer's, whatever it claims.
        try await live(try await environment(addressBurst: 3)).test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<4 {
                statuses.append(
                    try await client.execute(
                        uri: "/api/v1/me", method: .get,
                        headers: [AddressLimitMiddleware.forwardedFor: "203.0.113.\(index)"]
                    ).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
        }
        // Trusted: each forwarded client has its own bucket; the right-most untrusted address is the client.
        var settings = GatewaySettings()
        settings.trustedProxies = try TrustedProxies(list: "127.0.0.1, 10.0.0.0/8")
        try await live(try await environment(settings: settings, addressBurst: 3)).test(.live) { client in
            for index in 0..<10 {
                let response = try await client.execute(
                    uri: "/api/v1/me", method: .get,
                    headers: [AddressLimitMiddleware.forwardedFor: "198.51.100.7, 203.0.113.\(index)"])
                #expect(response.status == .unauthorized)
            }
            var statuses: [HTTPResponse.Status] = []
            for chain in ["192.0.2.1", "192.0.2.1, 10.1.2.3", "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"] {
                statuses.append(
                    try await client.execute(
                        uri: "/api/v1/me", method: .get, headers: [AddressLimitMiddleware.forwardedFor: chain]
                    ).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
        }
    }

    @Test("public routes take from the address's bucket before any work; /healthz never does")
    func publicRoutesAreLimited() async throws {
        try await live(try await environment(addressBurst: 3)).test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for path in ["/openapi.json", "/readyz", "/openapi.json", "/readyz", "/openapi.json"] {
                statuses.append(try await client.execute(uri: path, method: .get).status)
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            for _ in 0..<10 {
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
        }
    }

    @Test("a made-up session cookie does not lift the limit on public routes that are not pages, nor on unknown paths")
    func madeUpCookieDoesNotLiftTheLimit() async throws {
        let environment = try await environment(addressBurst: 3)
        let cookie = "\(environment.settings.sessions.sessionCookieName)=\(String(repeating: "a", count: 43))"
        try await live(environment).test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for path in ["/readyz", "/openapi.json", "/unsubscribe/nothing", "/no-such-page", "/readyz"] {
                statuses.append(try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]).status)
            }
            #expect(statuses == [.ok, .ok, .notFound, .tooManyRequests, .tooManyRequests])
        }
    }

    @Test("the client address: peer unless trusted, then the right-most untrusted hop; IPv6 by /64")
    func clientAddressResolution() throws {
        let proxies = try TrustedProxies(list: "10.0.0.0/8,::1,2001:db8:ffff::/48")
        let peer = try #require(IPAddress("10.1.1.1"))
        #expect(proxies.client(peer: peer, forwardedFor: ["1.2.3.4, 5.6.7.8"])?.description == "5.6.7.8")
        #expect(proxies.client(peer: peer, forwardedFor: ["1.2.3.4", "5.6.7.8, 10.9.9.9"])?.description == "5.6.7.8")
        #expect(proxies.client(peer: peer, forwardedFor: ["garbage, 10.2.2.2"])?.description == "10.2.2.2")
        #expect(proxies.client(peer: peer, forwardedFor: [])?.description == "10.1.1.1")
        let outsider = try #require(IPAddress("192.0.2.1"))
        #expect(proxies.client(peer: outsider, forwardedFor: ["1.2.3.4"]) == outsider)
        #expect(IPAddress("::ffff:192.0.2.1") == outsider)
        #expect(proxies.trusts(try #require(IPAddress("::1"))))
        #expect(proxies.trusts(try #require(IPAddress("2001:db8:ffff:1::5"))))
        #expect(!proxies.trusts(try #require(IPAddress("2001:db8:fffe::5"))))
        #expect(!proxies.trusts(try #require(IPAddress("11.0.0.1"))))
        #expect(IPAddress("2001:db8:1:2:aaaa::1")?.limitKey == IPAddress("2001:db8:1:2:bbbb::9")?.limitKey)
        #expect(IPAddress("2001:db8:1:2::1")?.limitKey != IPAddress("2001:db8:1:3::1")?.limitKey)
        for bad in ["", "1.2.3", "1.2.3.4:80", "fe80::1%eth0", "example.org"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPNetwork("10.0.0.0/33") == nil)
    }

    @Test("/metrics is a 404 on the main port by default, 200 with its bearer, and 200 on its own listener")
    func metricsAreNotPublic() async throws {
        let plain = try await environment()
        try await Application(router: buildRouter(environment: plain)).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
        }
        try await Application(router: buildMetricsRouter(environment: plain)).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("stedenband_auth_token_lookups 0"))
        }
        var settings = GatewaySettings()
        settings.metricsToken = "metrics-0123456789"
        let guarded = try await environment(settings: settings)
        try await Application(router: buildRouter(environment: guarded)).test(.router) { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(
                try await client.execute(
                    uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-0123456788"]
                ).status == .unauthorized)
            let scraped = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-0123456789"])
            #expect(scraped.status == .ok)
            #expect(scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        }
        // The document describes /metrics only where it is routed.
        let document = String(decoding: try guarded.documentation.json(), as: UTF8.self)
        #expect(document.contains(#""/metrics""#) && document.contains("metricsBearer"))
        #expect(!String(decoding: try plain.documentation.json(), as: UTF8.self).contains(#""/metrics""#))
    }
}
