import Activities
import Catalogue
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Learning
import Messaging
import NIOCore
import Partnerships
import Postgres
import Results
import TestSupport
import Testing

/// The gateway with the plugins the document describes, on a database of its own.
struct Surface {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let router: Router<GatewayRequestContext>
    let environment: GatewayEnvironment

    static func make(_ label: String) async throws -> Surface {
        let database = try await TestDatabase.migrated(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make(label)
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: AlwaysReady(), logger: TestLogger.make(label),
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000),
            // Every documented path is asked several times; the pages are public routes, charged per address.
            addressLimiter: RateLimiter(rate: 100_000, burst: 100_000)
        )
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [
                CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin(), LearningPlugin(),
                ExamplePlugin(),
            ],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make(label)
        )
        return Surface(database: database, pool: pool, router: router, environment: environment)
    }

    /// The document as the server serves it.
    func document() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try environment.documentation.json()) as! [String: Any]
    }
}

func json(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
}
