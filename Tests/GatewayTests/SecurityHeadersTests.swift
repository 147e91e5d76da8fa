import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("Security headers on every answer")
struct SecurityHeadersTests {
    static let database = SuiteDatabase("headers")

    /// The gateway's router, plus two pages: one with the default policy, one that brings its own.
    private func application() async throws -> some ApplicationProtocol {
        let database = try await Self.database.get()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("headers")
        )
        let router = buildRouter(
            environment: GatewayEnvironment(pool: pool, readiness: NeverChecked(), logger: TestLogger.make("headers")))
        router.get("test/page") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><title>t</title>")))
        }
        router.get("test/styled") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "TEXT/HTML",
                    .contentSecurityPolicy: PageSecurityPolicy(styles: ["p{color:red}"]).description,
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "<style>p{color:red}</style>")))
        }
        return Application(router: router)
    }

    @Test("an HTML answer gets a policy without script, nosniff, same-origin referrers and no framing")
    func htmlAnswers() async throws {
        try await application().test(.router) { client in
            let page = try await client.execute(uri: "/test/page", method: .get)
            #expect(
                page.headers[.contentSecurityPolicy]
                    == "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                    + "base-uri 'none'; frame-ancestors 'none'")
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[.referrerPolicy] == "same-origin")
            #expect(page.headers[.frameOptions] == "DENY")

            // A page's own policy is kept, whatever the case of its media type; the others are added.
            let styled = try await client.execute(uri: "/test/styled", method: .get)
            let policy = try #require(styled.headers[.contentSecurityPolicy])
            #expect(policy == PageSecurityPolicy(styles: ["p{color:red}"]).description)
            #expect(policy.contains("style-src 'sha256-") && policy.contains("frame-ancestors 'none'"))
            #expect(
                styled.headers[.referrerPolicy] == "same-origin" && styled.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test("every other answer, problems and unknown paths included, gets nosniff and no page policy")
    func otherAnswers() async throws {
        try await application().test(.router) { client in
            for (uri, status) in [
                ("/healthz", HTTPResponse.Status.ok), ("/openapi.json", .ok), ("/nowhere", .notFound),
                ("/api/v1/me", .unauthorized),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy] == nil, "\(uri)")
            }
        }
    }

    @Test("a style hash is SHA-256 of the exact text, base64, as browsers compute it")
    func styleHashes() {
        #expect(PageSecurityPolicy.hashSource("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='")
        let policy = PageSecurityPolicy(styles: ["a{}"], attributes: ["color:red", "color:red"])
        #expect(
            policy.styleSources == [
                PageSecurityPolicy.hashSource("a{}"), "'unsafe-hashes'",
                PageSecurityPolicy.hashSource("color:red"),
            ])
        #expect(!policy.metaContent.contains("frame-ancestors") && policy.description.contains("frame-ancestors"))
    }

    @Test("a new token, over either route that makes one, is answered with Cache-Control: no-store")
    func secretsAreNotStored() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "ieper")
        let owner = try await database.connectAsAdmin()
        let platformAdmin = try await owner.query(
            "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@example.org', 'Ops') RETURNING id"
        )[0].decode(UUID.self, column: 0)
        let platformToken = APIToken.generate()
        try await Tenancy.insertToken(platformToken, platformAdminID: platformAdmin, name: "test", on: owner)
        await owner.close()
        try await application().test(.router) { client in
            let issued = try await client.execute(
                uri: "/api/v1/users/\(admin.userID)/tokens", method: .post,
                headers: [.authorization: admin.authorization, .contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(issued.status == .created && issued.headers[.cacheControl] == "no-store")
            let tenant = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post,
                headers: [.authorization: "Bearer \(platformToken.value)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"slug": "poperinge", "name": "Poperinge", "adminEmail": "a@poperinge.be"}"#)
            )
            #expect(tenant.status == .created)
            #expect(String(buffer: tenant.body).contains("sbt_"))
            #expect(tenant.headers[.cacheControl] == "no-store")
            // A list shows no secret, and may be cached as usual.
            let listed = try await client.execute(
                uri: "/api/v1/tokens", method: .get, headers: [.authorization: admin.authorization])
            #expect(listed.status == .ok && listed.headers[.cacheControl] == nil)
        }
    }
}
