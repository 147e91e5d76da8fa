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

@Suite("Platform administration, rate limits and body limits")
struct PlatformAndLimitsTests {
    static let database = SuiteDatabase("platform")

    private func application(limiter: RateLimiter = RateLimiter()) async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("platform")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: NeverChecked(),
            logger: TestLogger.make("platform"),
            rateLimiter: limiter
        )
        return Application(router: buildRouter(environment: environment))
    }

    private func platformAdminToken() async throws -> String {
        let admin = try await Self.database.get().connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES (\("ops-\(UUID())@example.org"), 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        return "Bearer \(token.value)"
    }

    @Test("a platform administrator creates a tenant over HTTP and lists all tenants; tenant users see no such route")
    func platformTenants() async throws {
        let bearer = try await platformAdminToken()
        let tenantUser = try await TestTenant.create(in: try await Self.database.get(), slug: "genk")
        struct Created: Decodable {
            struct Tenant: Decodable {
                var id: UUID
                var slug: String
            }
            var tenant: Tenant
            var token: String
        }
        struct Page: Decodable {
            struct Tenant: Decodable { var slug: String }
            var items: [Tenant]
        }
        try await application().test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/platform/tenants",
                method: .post,
                headers: [.authorization: bearer, .contentType: "application/json"],
                body: ByteBuffer(
                    string: #"{"slug": "mechelen", "name": "Mechelen", "adminEmail": "admin@mechelen.be"}"#)
            )
            #expect(created.status == .created)
            let tenant = try JSONDecoder().decode(Created.self, from: Data(created.body.readableBytesView))
            #expect(tenant.tenant.slug == "mechelen")
            let me = try await client.execute(
                uri: "/api/v1/me",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.token)"]
            )
            #expect(me.status == .ok)

            let duplicate = try await client.execute(
                uri: "/api/v1/platform/tenants",
                method: .post,
                headers: [.authorization: bearer, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"slug": "mechelen", "name": "Again", "adminEmail": "x@mechelen.be"}"#)
            )
            #expect(duplicate.status == .conflict)

            let listed = try await client.execute(
                uri: "/api/v1/platform/tenants?limit=200", method: .get, headers: [.authorization: bearer])
            let slugs = try JSONDecoder().decode(Page.self, from: Data(listed.body.readableBytesView)).items.map(\.slug)
            #expect(slugs.contains("mechelen") && slugs.contains("genk"))

            let hidden = try await client.execute(
                uri: "/api/v1/platform/tenants",
                method: .get,
                headers: [.authorization: tenantUser.authorization]
            )
            #expect(hidden.status == .notFound)

            // The Location of the answer names a route that shows the tenant; to tenant users it is not there.
            let location = try #require(created.headers[.location])
            #expect(location == "/api/v1/platform/tenants/\(tenant.tenant.id.uuidString.lowercased())")
            let shown = try await client.execute(uri: location, method: .get, headers: [.authorization: bearer])
            #expect(shown.status == .ok)
            #expect(
                try JSONDecoder().decode(Created.Tenant.self, from: Data(shown.body.readableBytesView)).slug
                    == "mechelen")
            for uri in ["/api/v1/platform/tenants/\(UUID())", "/api/v1/platform/tenants/not-a-uuid"] {
                #expect(
                    try await client.execute(uri: uri, method: .get, headers: [.authorization: bearer]).status
                        == .notFound)
            }
            let notTheirs = try await client.execute(
                uri: location, method: .get, headers: [.authorization: tenantUser.authorization])
            #expect(notTheirs.status == .notFound)
        }
    }

    @Test("a new tenant's bad fields are a 422 naming each, never a 500; a name made from the e-mail is checked")
    func badTenantInput() async throws {
        let bearer = try await platformAdminToken()
        let combining = String(repeating: "e\u{301}", count: 150)
        let longLocalPart = String(repeating: "x", count: 201)
        let cases: [(String, [String])] = [
            // Without adminName the name is the e-mail's local part: 201 characters is no name.
            (#"{"slug": "lokeren", "name": "Lokeren", "adminEmail": "\#(longLocalPart)@lokeren.be"}"#, ["adminName"]),
            (#"{"slug": "lokeren", "name": "Lokeren", "adminEmail": "ad\u0001min@lokeren.be"}"#, ["adminEmail"]),
            (#"{"slug": "lokeren", "name": "Lokeren", "adminEmail": "ad\u0000min@lokeren.be"}"#, ["adminEmail"]),
            (#"{"slug": "lokeren", "name": "\#(combining)", "adminEmail": "a@lokeren.be"}"#, ["name"]),
            (
                #"{"slug": "lokeren", "name": "Lokeren", "adminEmail": "a@lokeren.be", "adminName": "\#(combining)"}"#,
                ["adminName"]
            ),
        ]
        try await application().test(.router) { client in
            for (body, fields) in cases {
                let response = try await client.execute(
                    uri: "/api/v1/platform/tenants",
                    method: .post,
                    headers: [.authorization: bearer, .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
                #expect(problem.errors?.map(\.field) == fields, "\(body)")
            }
            // The same local part with a name given is fine.
            let named = try await client.execute(
                uri: "/api/v1/platform/tenants",
                method: .post,
                headers: [.authorization: bearer, .contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"slug": "lokeren", "name": "Lokeren", "adminEmail": "\#(longLocalPart)@lokeren.be", "adminName": "Admin"}"#
                )
            )
            #expect(named.status == .created)
        }
    }

    @Test("invalid tenancy input that reaches the shared tenancy code is a 422, not a 500")
    func tenancyValidationErrorIs422() async throws {
        let router = Router()
        router.middlewares.add(ProblemMiddleware())
        router.post("tenants") { _, _ -> String in
            try Tenancy.validate(
                slug: "Bad Slug", name: "X", adminEmail: "a@b.be", adminName: "A", locale: "nl",
                timeZone: "Europe/Brussels")
            return "unreachable"
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/tenants", method: .post)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try JSONDecoder().decode(ProblemBody.self, from: response.body).errors?.map(\.field) == ["slug"])
        }
    }

    @Test("a token over its rate gets 429 with Retry-After, and its bucket refills with time")
    func rateLimit() async throws {
        let user = try await TestTenant.create(in: try await Self.database.get(), slug: "lier")
        let clock = Mutex(0.0)
        let limiter = RateLimiter(rate: 1, burst: 3, now: { clock.withLock { $0 } })
        try await application(limiter: limiter).test(.router) { client in
            for _ in 0..<3 {
                #expect(
                    try await client.execute(
                        uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization]
                    ).status == .ok)
            }
            let limited = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            clock.withLock { $0 += 1 }
            #expect(
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                    .status == .ok)
        }
    }

    @Test("a body announced larger than 1 MiB is refused before authentication")
    func bodyLimit() async throws {
        try await application().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/users",
                method: .post,
                headers: [.contentLength: String((1 << 20) + 1)],
                body: ByteBuffer(repeating: 0x20, count: (1 << 20) + 1)
            )
            #expect(response.status == .contentTooLarge)
        }
    }
}

@Suite("/metrics")
struct MetricsTests {
    @Test("Prometheus text with the pool's connections and the queue's jobs by state")
    func scrape() async throws {
        let database = try await TestDatabase.migrated("metrics")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("metrics")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: NeverChecked(), logger: TestLogger.make("metrics"))
        try await Application(router: buildMetricsRouter(environment: environment)).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"stedenband_db_pool_connections{state="idle"} 1"#))
            #expect(text.contains(#"stedenband_jobs{state="available"} 0"#))
            #expect(text.contains("stedenband_db_pool_waiting 0"))
        }
    }
}
