import Activities
import Foundation
import Gateway
import Hummingbird
import Kernel
import Learning
import Messaging
import Partnerships
import Postgres
import TestSupport

/// The gateway with the plugins whose events the Learning plugin hears, and Learning itself, on a migrated
/// database of its own.
struct LearningFixture {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool
    let environment: GatewayEnvironment

    static func make(_ label: String) async throws -> LearningFixture {
        let database = try await TestDatabase.migrated(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make(label)
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: Ready(), logger: TestLogger.make(label),
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000)
        )
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin(), LearningPlugin()],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make(label)
        )
        return LearningFixture(database: database, router: router, pool: pool, environment: environment)
    }
}

/// A server that is always ready.
struct Ready: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
