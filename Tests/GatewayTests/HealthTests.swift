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

@Suite("Health and readiness")
struct HealthTests {
    /// The repository's files plus one more, so that a migration is pending.
    private func filesWithOnePending() throws -> MigrationSet {
        let repository = try MigrationSet.load(directory: TestPaths.migrations)
        let pending = try #require(
            Migration(fileName: "9999_test_pending.sql", contents: "CREATE TABLE platform.readiness_probe (id int);")
        )
        return MigrationSet(migrations: repository.migrations + [pending])
    }

    private func application(_ database: TestDatabase, _ migrations: MigrationSet) -> some ApplicationProtocol {
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("gateway")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: DatabaseReadiness(pool: pool, migrations: migrations),
            logger: TestLogger.make("gateway")
        )
        return buildApplication(
            environment: environment,
            router: buildRouter(environment: environment),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
    }

    @Test("/readyz is 503 with a problem naming the pending migration, and 200 after up")
    func readinessFollowsMigrations() async throws {
        let database = try await TestDatabase.migrated("readyz")
        let files = try filesWithOnePending()
        try await application(database, files).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
                #expect(problem.status == 503)
                #expect(problem.type == "/problems/not-ready")
                #expect(problem.detail.contains("9999_test_pending.sql"))
            }
            let runner = MigrationRunner(
                migrations: files,
                configuration: database.adminConfiguration,
                logger: TestLogger.make("gateway")
            )
            try await runner.up()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
        }
    }

    @Test("/readyz is 503 when the database does not answer; /healthz stays 200")
    func readinessNeedsTheDatabase() async throws {
        let database = try await TestDatabase.migrated("nodb")
        let gone = TestDatabase(
            name: "does_not_exist",
            adminConfiguration: database.adminConfiguration.setting("dbname", to: "does_not_exist")
        )
        try await application(gone, try MigrationSet.load(directory: TestPaths.migrations)).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: response.body)
                #expect(problem.detail.contains("does not answer"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("an unknown route is a problem+json 404, and every response carries a request id")
    func unknownRoute() async throws {
        let database = try await TestDatabase.migrated("notfound")
        try await application(database, try MigrationSet.load(directory: TestPaths.migrations)).test(.router) {
            client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.requestID]?.isEmpty == false)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "trace-42"]) { response in
                #expect(response.headers[.requestID] == "trace-42")
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "bad id\u{7F}"]) {
                response in
                #expect(response.headers[.requestID] != "bad id\u{7F}")
            }
        }
    }
}

struct ProblemBody: Decodable {
    struct FieldError: Decodable {
        var field: String
        var message: String
    }
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldError]?
}

extension JSONDecoder {
    func decode<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        try decode(type, from: Data(buffer.readableBytesView))
    }
}
