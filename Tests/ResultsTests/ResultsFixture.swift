import Activities
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import Results
import TestSupport

/// The gateway with the plugins whose events the Results plugin hears, and Results itself, on a migrated
/// database of its own.
struct ResultsFixture {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool

    static func make(_ label: String) async throws -> ResultsFixture {
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
            plugins: [PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin()],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make(label)
        )
        return ResultsFixture(database: database, router: router, pool: pool)
    }

}

extension TestDatabase {
    /// Rows of the Results plugin's own tables, read as the database's owner (who sees every municipality).
    func rows(_ query: PostgresQuery) async throws -> PostgresRows {
        let admin = try await connectAsAdmin()
        do {
            let rows = try await admin.query(query)
            await admin.close()
            return rows
        } catch {
            await admin.close()
            throw error
        }
    }
}

extension TestClientProtocol {
    /// Sends a request as `user`, with a JSON body when given.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as user: TestTenant,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: user.authorization, .contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

/// The answer's JSON body as `type`.
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
}

/// What the tests read of a created resource.
struct Created: Decodable {
    var id: UUID
    var version: Int
}

/// A server that is always ready.
struct Ready: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
