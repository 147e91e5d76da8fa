import Foundation
import Gateway
import Hummingbird
import OpenIDConnect
import Postgres
import TestSupport
import Testing

@Suite("The sign-in routes in /openapi.json")
struct OIDCSignInDocumentationTests {
    @Test("both routes are documented, and nothing else is added")
    func routesAreDocumented() async throws {
        let pool = PostgresConnectionPool(
            configuration: .init(
                connection: try PostgresConfiguration(url: "postgres://nobody@localhost/none"), maximumConnections: 1),
            logger: TestLogger.make("oidcdoc"))
        let router = Router(context: GatewayRequestContext.self)
        router.addRoutes(
            OIDCSignInController(
                signIn: OIDCSignIn(pool: pool, settings: OIDCSettings()),
                sessions: OIDCSignInFlowTests.RecordingSessions()
            )
            .routes)
        let documentation = APIDocumentation()
        OIDCSignInDocumentation.register(in: documentation)
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Set(documentation.operations.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routed == documented)
        #expect(routed == ["GET /sign-in/oidc/{slug}", "GET /sign-in/oidc/{slug}/callback"])
        let document = try JSONSerialization.jsonObject(with: try documentation.json()) as? [String: Any]
        #expect((document?["paths"] as? [String: Any])?.keys.contains("/sign-in/oidc/{slug}/callback") == true)
        await pool.close()
    }
}
