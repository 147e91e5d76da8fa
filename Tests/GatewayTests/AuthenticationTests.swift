import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Migrations
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    static let database = SuiteDatabase("auth")

    private func application() async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("auth")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: DatabaseReadiness(
                pool: pool, migrations: try MigrationSet.load(directory: TestPaths.migrations)),
            logger: TestLogger.make("auth")
        )
        return Application(router: buildRouter(environment: environment))
    }

    struct Me: Decodable {
        struct Tenant: Decodable {
            var id: UUID
            var slug: String
        }
        var id: UUID
        var email: String
        var role: String
        var locale: String?
        var timeZone: String?
        var tenant: Tenant?
    }

    @Test("a valid token reaches /api/v1/me, scoped to its tenant")
    func validToken() async throws {
        let user = try await TestTenant.create(
            in: try await Self.database.get(),
            slug: "dogbo",
            role: .coordinator,
            email: "coordinator@dogbo.bj"
        )
        try await application().test(.router) { client in
            try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization]) {
                response in
                #expect(response.status == .ok)
                let me = try JSONDecoder().decode(Me.self, from: Data(response.body.readableBytesView))
                #expect(me.id == user.userID)
                #expect(me.email == "coordinator@dogbo.bj")
                #expect(me.role == "coordinator")
                #expect(me.timeZone == "Europe/Brussels")
                #expect(me.tenant?.id == user.tenantID)
            }
        }
    }

    @Test("no token, a malformed one or an unknown one: 401 problem with WWW-Authenticate")
    func missingOrBadTokens() async throws {
        let cases: [(HTTPFields, String)] = [
            ([:], "Bearer"),
            ([.authorization: "Bearer nonsense"], #"Bearer error="invalid_token""#),
            ([.authorization: "Basic dXNlcjpwYXNz"], #"Bearer error="invalid_token""#),
            ([.authorization: "Bearer \(APIToken.generate().value)"], #"Bearer error="invalid_token""#),
        ]
        try await application().test(.router) { client in
            for (headers, challenge) in cases {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == challenge)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test("revoking a token, expiring it, or disabling its user or tenant takes effect at the next request")
    func revocationIsImmediate() async throws {
        let database = try await Self.database.get()
        let admin = try await database.connectAsAdmin()
        let revoked = try await TestTenant.create(in: database, slug: "tambacounda")
        let expired = try await TestTenant.create(in: database, slug: "tambacounda")
        let disabledUser = try await TestTenant.create(in: database, slug: "tambacounda")
        let disabledTenant = try await TestTenant.create(in: database, slug: "nimlahakok")
        try await application().test(.router) { client in
            for user in [revoked, expired, disabledUser, disabledTenant] {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                {
                    #expect($0.status == .ok)
                }
            }
            try await admin.query("UPDATE platform.tokens SET revoked_at = now() WHERE user_id = \(revoked.userID)")
            try await admin.query(
                "UPDATE platform.tokens SET expires_at = now() - interval '1 second' WHERE user_id = \(expired.userID)"
            )
            try await admin.query("UPDATE platform.users SET disabled_at = now() WHERE id = \(disabledUser.userID)")
            try await admin.query(
                "UPDATE platform.tenants SET disabled_at = now() WHERE id = \(disabledTenant.tenantID)")
            for user in [revoked, expired, disabledUser, disabledTenant] {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: user.authorization])
                {
                    #expect($0.status == .unauthorized)
                }
            }
        }
    }

    @Test("a platform administrator's token belongs to no tenant")
    func platformAdmin() async throws {
        let database = try await Self.database.get()
        let admin = try await database.connectAsAdmin()
        let adminID = try await admin.query(
            "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@vvsg.be', 'Ops') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        let token = APIToken.generate()
        try await Tenancy.insertToken(token, platformAdminID: adminID, name: "test", on: admin)
        try await application().test(.router) { client in
            try await client.execute(
                uri: "/api/v1/me",
                method: .get,
                headers: [.authorization: "Bearer \(token.value)"]
            ) { response in
                #expect(response.status == .ok)
                let me = try JSONDecoder().decode(Me.self, from: Data(response.body.readableBytesView))
                #expect(me.id == adminID)
                #expect(me.role == "platform_admin")
                #expect(me.tenant == nil)
            }
        }
    }

    @Test("tokens carry 256 random bits behind sbt_, and their description never shows them")
    func tokenShape() {
        let token = APIToken.generate()
        #expect(token.value.hasPrefix("sbt_"))
        #expect(token.value.count == 47)
        #expect(APIToken(token.value) == token)
        #expect(APIToken("sbt_short") == nil)
        #expect(!"\(token)".contains(token.value.dropFirst(4)))
        #expect(Set((0..<100).map { _ in APIToken.generate().value }).count == 100)
    }
}
