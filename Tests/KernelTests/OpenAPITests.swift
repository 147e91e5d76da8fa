import Activities
import Catalogue
import Foundation
import Gateway
import Hummingbird
import Kernel
import Learning
import Messaging
import Partnerships
import Postgres
import Results
import TestSupport
import Testing

@Suite("/openapi.json")
struct OpenAPITests {
    @Test("every route of the router is in the document, and the document names no route that does not exist")
    func documentMatchesRouter() async throws {
        let database = try await TestDatabase.migrated("openapi")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("openapi")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: AlwaysReady(), logger: TestLogger.make("openapi"))
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [
                CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin(), LearningPlugin(),
                ExamplePlugin(), SenderPlugin(),
            ],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make("openapi")
        )
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Set(environment.documentation.operations.map { "\($0.method.rawValue) \($0.path)" })
        #expect(
            routed.subtracting(documented).isEmpty,
            "routes missing from /openapi.json: \(routed.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(routed).isEmpty,
            "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.contains("GET /api/v1/example/greeting") && routed.contains("GET /api/v1/sdgs"))
        #expect(routed.contains("PATCH /api/v1/indicators/{id}"))
        #expect(routed.contains("PATCH /api/v1/lessons/{id}") && routed.contains("GET /api/v1/policy-domains"))

        let document = try JSONSerialization.jsonObject(with: try environment.documentation.json()) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        let operationIDs = environment.documentation.operations.map(\.operationID)
        #expect(Set(operationIDs).count == operationIDs.count, "operation ids must be unique")
        await pool.close()
    }
}
