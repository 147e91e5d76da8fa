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

/// When PostgreSQL is down or restarting, clients get a 503 they can wait out, not a 500 (issue 8: the
/// chaos run stops PostgreSQL under load and found 500s here).
@Suite("Database unavailable")
struct DatabaseUnavailableTests {
    @Test("an API request while the database cannot be reached is a 503 problem with Retry-After")
    func unreachableDatabaseIs503() async throws {
        let database = try await TestDatabase.migrated("dbdown")
        let user = try await TestTenant.create(in: database, slug: "roeselare")
        // A socket folder where no PostgreSQL listens: every connection attempt fails at once.
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-postgres-\(UUID())").path
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration.setting("host", to: nowhere)),
            logger: TestLogger.make("gateway")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: DatabaseReadiness(
                pool: pool, migrations: try MigrationSet.load(directory: TestPaths.migrations)),
            logger: TestLogger.make("gateway")
        )
        let app = buildApplication(
            environment: environment, router: buildRouter(environment: environment),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.router) { client in
            for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/me"), (.post, "/api/v1/users")] {
                try await client.execute(
                    uri: uri, method: method,
                    headers: [.authorization: user.authorization, .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"email": "a@b.be", "name": "A", "role": "viewer"}"#)
                ) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.retryAfter] == "5")
                    let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
                    #expect(problem.type == "/problems/database-unavailable")
                    #expect(problem.status == 503)
                }
            }
        }
        await pool.close()
    }

    @Test(
        "connection failures, lost connections, a server shutting down and an exhausted pool are 503s",
        arguments: [
            PostgresError(code: .connectionFailed, reason: "could not connect"),
            PostgresError(code: .connectionLost, reason: "server closed the connection unexpectedly"),
            PostgresError(code: .server, sqlState: .adminShutdown, reason: "terminating connection"),
            PostgresError(code: .server, sqlState: SQLState(rawValue: "57P03"), reason: "the database is starting up"),
            PostgresError(code: .server, sqlState: SQLState(rawValue: "08006"), reason: "connection failure"),
            PostgresError(code: .poolTimeout, reason: "no connection became free"),
        ]
    )
    func databaseErrorsAre503(_ error: PostgresError) async throws {
        try await Self.answer(throwing: error) { response in
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("an error the database answered about the query stays a 500 without detail")
    func queryErrorsStay500() async throws {
        let error = PostgresError(code: .server, sqlState: .undefinedTable, reason: "relation does not exist")
        try await Self.answer(throwing: error) { response in
            #expect(response.status == .internalServerError)
            #expect(response.headers[.retryAfter] == nil)
            #expect(!String(buffer: response.body).contains("relation"))
        }
    }

    @Test(
        "a value the database refuses (a CHECK, a NUL it cannot be sent) is a 422, a foreign key a 409, a deadlock a 503",
        arguments: [
            (PostgresError(code: .server, sqlState: .checkViolation, reason: "check"), 422),
            (PostgresError(code: .invalidParameter, reason: "a string holds a NUL byte"), 422),
            (PostgresError(code: .server, sqlState: .foreignKeyViolation, reason: "fk"), 409),
            (PostgresError(code: .server, sqlState: .deadlockDetected, reason: "deadlock"), 503),
            (PostgresError(code: .server, sqlState: .serializationFailure, reason: "serialization"), 503),
        ]
    )
    func inputErrorsAreNot500(_ error: PostgresError, _ status: Int) async throws {
        try await Self.answer(throwing: error) { response in
            #expect(response.status.code == status)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect((response.headers[.retryAfter] != nil) == (status == 503))
        }
    }

    /// Runs one request through `ProblemMiddleware` to a route that throws `error`.
    private static func answer(
        throwing error: PostgresError, _ check: @escaping @Sendable (TestResponse) async throws -> Void
    ) async throws {
        let router = Router()
        router.middlewares.add(ProblemMiddleware())
        router.get("fails") { _, _ -> String in throw error }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/fails", method: .get) { response in try await check(response) }
        }
    }
}
